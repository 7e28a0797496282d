//! The scaffold of the petstore example is a crate that builds warning-free (with a path
//! dependency on the runtime) and serves: public stub → 501, secured operation → 401.
//!
//! The build uses `target/gen-tests` as its target directory, so repeated runs are
//! incremental, and a copy of the workspace's Cargo.lock with `--offline`, so it uses the
//! crates the workspace already resolved.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::generate_with;
use specguard_generator::Settings;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn get(addr: &str, path: &str, headers: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n{headers}\r\n"
    )
    .unwrap();
    let mut out = String::new();
    let _ = s.read_to_string(&mut out);
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, out)
}

/// Kills the server when the test ends, however it ends.
struct Child(std::process::Child);
impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn scaffold_builds_and_serves() {
    let ws = workspace();
    let spec = std::fs::read_to_string(ws.join("examples/petstore/openapi.yaml")).unwrap();
    let settings = Settings {
        runtime_path: Some(ws.join("runtime")),
        crate_name: Some("petstore-scaffold".into()),
        ..Settings::default()
    };
    let g = generate_with(&spec, settings).unwrap();
    // Outside the workspace, so cargo does not take it for an unlisted member.
    let dir = std::env::temp_dir().join("specguard-gen-tests/petstore-scaffold");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    for f in &g.files {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, &f.contents).unwrap();
    }
    std::fs::copy(ws.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();
    let target = common::gen_target();
    let out = common::nested_cargo("build", &dir)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "the scaffold does not build:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut child = Child(
        Command::new(target.join("debug/petstore-scaffold"))
            .env("LISTEN_ADDR", "127.0.0.1:0")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = child.0.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
        .to_string();
    let (status, body) = get(&addr, "/health", "");
    assert_eq!(status, 501, "{body}");
    assert!(body.contains("application/problem+json"), "{body}");
    let (status, _) = get(&addr, "/pets", "");
    assert_eq!(status, 401);
    // The stub authenticator rejects every credential.
    let (status, _) = get(&addr, "/pets", "Authorization: Bearer anything\r\n");
    assert_eq!(status, 401);
}
