//! `specguard generate`: scaffold an axum server crate whose types enforce the contract.

use crate::{LoadArgs, load};
use clap::Args;
use specguard_generator::{Generator, Settings};
use std::path::{Path, PathBuf};

#[derive(Args, Debug)]
pub struct GenerateArgs {
    /// The OpenAPI document (`-` reads stdin).
    #[arg(value_name = "SPEC")]
    pub spec: PathBuf,
    /// Directory of the crate to create or update.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub output: PathBuf,
    /// Generate operations that have no security requirement and are not marked public (each
    /// becomes a warning) instead of refusing to generate.
    #[arg(long)]
    pub allow_unauthenticated: bool,
    /// Overwrite the files you own (Cargo.toml, src/main.rs, src/handlers.rs, README.md). The
    /// generated module (src/api.rs) is always rewritten.
    #[arg(long)]
    pub force: bool,
    /// Directory with your own Cargo.toml.tera, main.rs.tera, handlers.rs.tera, README.md.tera
    /// (each file missing there falls back to the built-in one; copy them from the generator's
    /// templates/ to start).
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Make the `specguard` runtime a path dependency on DIR [default: the specguard checkout
    /// this binary was built from, when it exists; otherwise the crates.io version].
    #[arg(long, value_name = "DIR")]
    pub runtime_path: Option<PathBuf>,
    /// Name of the generated crate [default: from the document's title].
    #[arg(long)]
    pub crate_name: Option<String>,
    #[command(flatten)]
    pub load: LoadArgs,
}

fn default_runtime() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime");
    p.join("Cargo.toml")
        .is_file()
        .then(|| p.canonicalize().unwrap_or(p))
}

pub fn run(a: GenerateArgs) -> u8 {
    let doc = match load::load(&a.spec, &a.load) {
        Ok(d) => d,
        Err(f) => {
            load::report_failure(&f, false);
            return 2;
        }
    };
    load::report_warnings(&doc);
    let settings = Settings {
        allow_unauthenticated: a.allow_unauthenticated,
        crate_name: a.crate_name.clone(),
        runtime_path: a.runtime_path.clone().or_else(default_runtime),
        templates_dir: a.templates.clone(),
        ..Settings::default()
    };
    let generated = match Generator::new(settings).generate(&doc) {
        Ok(g) => g,
        Err(e) => {
            eprint!("error: {e}");
            return 2;
        }
    };
    for w in &generated.warnings {
        eprintln!("warning: {w}");
    }
    let mut written = Vec::new();
    let mut kept = Vec::new();
    for f in &generated.files {
        let path = a.output.join(&f.path);
        if f.user_owned && path.exists() && !a.force {
            kept.push(f.path.display().to_string());
            continue;
        }
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            eprintln!("error: cannot create {}: {e}", parent.display());
            return 2;
        }
        if let Err(e) = std::fs::write(&path, &f.contents) {
            eprintln!("error: cannot write {}: {e}", path.display());
            return 2;
        }
        written.push(f.path.display().to_string());
    }
    println!(
        "generated `{}` ({} operations) into {}",
        generated.trait_name,
        generated.api.operations.len(),
        a.output.display()
    );
    println!("  written: {}", written.join(", "));
    if !kept.is_empty() {
        println!("  kept (yours; --force overwrites): {}", kept.join(", "));
    }
    println!(
        "next: implement `{}` and `{}` in src/handlers.rs, then `cargo run` in {}",
        generated.trait_name,
        generated.auth_trait_name,
        a.output.display()
    );
    0
}
