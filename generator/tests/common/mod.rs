//! Shared helpers: load a document from text and generate.
#![allow(dead_code, clippy::panic)]

use specguard_generator::{GenError, Generated, Generator, Settings};
use specguard_spec::{Document, Input, LoadOptions};

pub fn load(text: &str) -> Document {
    let input = Input::Text {
        name: "openapi.yaml".into(),
        text: text.as_bytes().to_vec(),
        base_dir: std::env::temp_dir(),
    };
    match specguard_spec::load(&input, &LoadOptions::default()) {
        Ok(d) => d,
        Err(e) => panic!("the test document does not load:\n{e}"),
    }
}

pub fn generate_with(text: &str, settings: Settings) -> Result<Generated, GenError> {
    Generator::new(settings).generate(&load(text))
}

pub fn generate(text: &str) -> Generated {
    match generate_with(text, Settings::default()) {
        Ok(g) => g,
        Err(e) => panic!("generation failed:\n{e}"),
    }
}

/// A generated crate built and started (the server is killed when this is dropped).
pub struct Served {
    child: std::process::Child,
    pub addr: String,
    /// The crate's directory.
    pub dir: std::path::PathBuf,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The workspace root.
pub fn workspace() -> std::path::PathBuf {
    match std::path::Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
        Some(p) => p.to_path_buf(),
        None => panic!("the generator crate is inside the workspace"),
    }
}

/// The target directory every nested build of a generated crate shares.
pub fn gen_target() -> std::path::PathBuf {
    workspace().join("target/gen-tests")
}

/// `cargo SUBCOMMAND --offline --manifest-path DIR/Cargo.toml` into [`gen_target`], with line
/// tables only and no incremental cache: full debug info and incremental files of these builds
/// were a large part of the disk a clean test run fills.
pub fn nested_cargo(subcommand: &str, dir: &std::path::Path) -> std::process::Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = std::process::Command::new(cargo);
    cmd.args([subcommand, "--offline", "--manifest-path"])
        .arg(dir.join("Cargo.toml"))
        .env("CARGO_TARGET_DIR", gen_target())
        .env("CARGO_PROFILE_DEV_DEBUG", "line-tables-only")
        .env("CARGO_INCREMENTAL", "0")
        .env_remove("CARGO_ENCODED_RUSTFLAGS");
    cmd
}

/// Write the scaffold of `g` (with `overrides`: (relative path, contents) replacing files)
/// outside the workspace, build it warning-free (`-D warnings`, `--offline`, the workspace's
/// Cargo.lock, target directory `target/gen-tests`) and start its binary on a free port.
pub fn build_and_serve(g: &Generated, crate_name: &str, overrides: &[(&str, &str)]) -> Served {
    use std::io::BufRead;
    let ws = workspace();
    let dir = std::env::temp_dir()
        .join("specguard-gen-tests")
        .join(crate_name);
    let _ = std::fs::remove_dir_all(dir.join("src"));
    let write = |rel: &std::path::Path, contents: &str| {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(&p, contents).unwrap_or_else(|e| panic!("{e}"));
    };
    for f in &g.files {
        write(&f.path, &f.contents);
    }
    for (rel, contents) in overrides {
        write(std::path::Path::new(rel), contents);
    }
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap_or_else(|e| panic!("{e}"));
    let target = gen_target();
    let out = nested_cargo("build", &dir)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "the generated crate does not build warning-free:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut child = std::process::Command::new(target.join("debug").join(crate_name))
        .env("LISTEN_ADDR", "127.0.0.1:0")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let Some(stdout) = child.stdout.take() else {
        panic!("no stdout")
    };
    let mut served = Served {
        child,
        addr: String::new(),
        dir: dir.clone(),
    };
    let mut line = String::new();
    std::io::BufReader::new(stdout)
        .read_line(&mut line)
        .unwrap_or_else(|e| panic!("{e}"));
    served.addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    served
}

/// One HTTP/1.1 request: (status, the whole raw response).
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, String) {
    http_bytes(addr, method, path, headers, body.as_bytes())
}

/// [`http`] with a body of any octets.
pub fn http_bytes(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
    let _ = s.set_read_timeout(Some(std::time::Duration::from_secs(20)));
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let _ = s.write_all(head.as_bytes());
    let _ = s.write_all(body);
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// The values of a header in a raw response (names compared case-insensitively).
pub fn header_values<'a>(raw: &'a str, name: &str) -> Vec<&'a str> {
    let head = raw.split("\r\n\r\n").next().unwrap_or("");
    head.split("\r\n")
        .skip(1)
        .filter_map(|l| l.split_once(": "))
        .filter(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .collect()
}

/// `cargo clippy -- -D warnings` on a crate `build_and_serve` wrote (same target directory).
pub fn clippy(dir: &std::path::Path) {
    let out = nested_cargo("clippy", dir)
        .args(["--", "-D", "warnings"])
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        out.status.success(),
        "clippy finds problems in the generated crate:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
