//! Generates the bank API module from openapi.yaml into OUT_DIR at build time.

use specguard_generator::{Generator, Settings};
use std::path::PathBuf;

fn main() {
    println!("cargo::rerun-if-changed=openapi.yaml");
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    let input = specguard_spec::Input::Path(manifest.join("openapi.yaml"));
    let doc = match specguard_spec::load(&input, &specguard_spec::LoadOptions::default()) {
        Ok(d) => d,
        Err(e) => fail(&e.to_string()),
    };
    let generated = match Generator::new(Settings::default()).generate(&doc) {
        Ok(g) => g,
        Err(e) => fail(&e.to_string()),
    };
    for w in &generated.warnings {
        println!("cargo::warning={}", w.to_string().replace('\n', " "));
    }
    if let Err(e) = std::fs::write(out.join("bank.rs"), &generated.module) {
        fail(&e.to_string());
    }
}

fn fail(message: &str) -> ! {
    for line in message.lines() {
        println!("cargo::error={line}");
    }
    std::process::exit(1)
}
