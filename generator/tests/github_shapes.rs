//! Regressions found by generating GitHub's REST API (benches/generate.sh), each reproduced
//! by a small contract. The generated crate must build with `-D warnings` and serve:
//!
//! 1. `oneOf` parameters (`string | array`, `integer | string`) failed generation: they are
//!    now read as text and must satisfy at least one alternative.
//! 2. A path segment mixing text and parameters (`/compare/{base}...{head}`) failed, and so
//!    did its overlap with `/compare/{basehead}`: the segment is captured whole, split by its
//!    template, and the router dispatches to the most specific template the segment fits.
//! 3. A `discriminator` with a non-object alternative failed: it is ignored with a warning and
//!    the alternatives are tried in order.
//! 4. Warnings in the generated crate: an unused `at`/`errors` in the `Validate` of a `oneOf`
//!    without checks, an unused `parts` in the handler of a public operation without
//!    parameters, body or response body, and `let _ = (principal);` in the scaffold's
//!    handlers.
//! 5. `allOf: [$ref]` with `readOnly` beside it generated a second copy of the referenced type.
//!
//! The build uses `target/gen-tests` and a copy of the workspace's Cargo.lock, `--offline`,
//! like `scaffold_compiles.rs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::generate_with;
use specguard_generator::Settings;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Shapes, version: "1"}
security: [{token: []}]
paths:
  /items/{ref}:
    get:
      operationId: getItem
      security: []
      parameters:
        - name: ref
          in: path
          required: true
          schema:
            oneOf:
              - {type: integer}
              - {type: string, maxLength: 3}
        - name: kind
          in: query
          schema:
            oneOf:
              - {type: string, enum: [a, b]}
              - {type: array, maxItems: 2, items: {type: integer}}
        - name: fields
          in: query
          schema:
            oneOf:
              - {type: string}
              - {type: array, items: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Content"}
  /compare/{basehead}:
    get:
      operationId: compareBasehead
      security: []
      parameters:
        - {name: basehead, in: path, required: true, schema: {type: string}}
      responses:
        "204": {description: ok}
  /compare/{base}...{head}:
    get:
      operationId: compare
      security: []
      parameters:
        - {name: base, in: path, required: true, schema: {type: string, maxLength: 5}}
        - {name: head, in: path, required: true, schema: {type: string, maxLength: 5}}
      responses:
        "204": {description: ok}
  /files/v{version}.json:
    get:
      operationId: getFile
      security: []
      parameters:
        - {name: version, in: path, required: true, schema: {type: integer, minimum: 1}}
      responses:
        "204": {description: ok}
  /ping:
    delete:
      operationId: ping
      security: []
      responses:
        "204": {description: ok}
  /notes:
    post:
      operationId: addNote
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Note"}
      responses:
        "201":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Note"}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
  schemas:
    Content:
      oneOf:
        - {$ref: "#/components/schemas/Directory"}
        - {$ref: "#/components/schemas/File"}
      discriminator:
        propertyName: type
        mapping:
          array: "#/components/schemas/Directory"
          file: "#/components/schemas/File"
    Directory:
      type: array
      items: {$ref: "#/components/schemas/File"}
    File:
      type: object
      required: [type, name]
      properties:
        type: {type: string}
        name: {type: string}
    State:
      type: string
      enum: [open, closed]
    Note:
      type: object
      required: [text]
      properties:
        id: {type: integer, readOnly: true}
        state:
          allOf:
            - $ref: "#/components/schemas/State"
          readOnly: true
        text:
          oneOf:
            - {type: string}
            - {type: integer}
"##;

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

fn get(addr: &str, path: &str) -> (u16, String) {
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n"
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
fn generation_warns_instead_of_failing_and_types_are_not_duplicated() {
    let g = generate_with(SPEC, Settings::default()).unwrap();
    let warnings: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("discriminator `type` is ignored")),
        "{warnings:?}"
    );
    // `allOf: [$ref State]` + readOnly is `State`, not a copy of it.
    assert!(g.module.contains("pub enum State {"), "{}", g.module);
    assert!(!g.module.contains("State2"), "{}", g.module);
    // Response-only types serialize only; request types also deserialize and validate.
    let derive_of = |ty: &str| {
        let at = g
            .module
            .find(&format!("pub enum {ty} "))
            .or_else(|| g.module.find(&format!("pub struct {ty} ")))
            .unwrap_or_else(|| panic!("no type {ty}"));
        let start = g.module[..at].rfind("#[derive(").unwrap();
        g.module[start..at].to_string()
    };
    assert!(
        !derive_of("File").contains("Deserialize"),
        "{}",
        derive_of("File")
    );
    assert!(derive_of("NoteInput").contains("Deserialize"));
    // A response-only type validates only in debug builds (the check of outgoing bodies), and
    // only when it has bounds: `File` has none.
    assert!(
        !g.module
            .contains("impl ::specguard::validate::Validate for File "),
        "{}",
        g.module
    );
}

#[test]
fn github_shapes_build_warning_free_and_dispatch() {
    let ws = workspace();
    let settings = Settings {
        runtime_path: Some(ws.join("runtime")),
        crate_name: Some("github-shapes".into()),
        ..Settings::default()
    };
    let g = generate_with(SPEC, settings).unwrap();
    let dir = std::env::temp_dir().join("specguard-gen-tests/github-shapes");
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
        "the crate does not build warning-free:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut child = Child(
        Command::new(target.join("debug/github-shapes"))
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
    // The stubs answer 501 once the contract's checks pass; 400 when they do not.
    let cases = [
        // oneOf path parameter: integer, or a string of at most 3 characters.
        ("/items/12345", 501),
        ("/items/abc", 501),
        ("/items/abcd", 400),
        // oneOf query parameter: `a`/`b`, or at most two integers.
        ("/items/1?kind=a", 501),
        ("/items/1?kind=1&kind=2", 501),
        ("/items/1?kind=c", 400),
        ("/items/1?kind=1&kind=2&kind=3", 400),
        ("/items/1?kind=a&kind=b", 400),
        // A plain string alternative accepts anything, once or repeated.
        ("/items/1?fields=x,y", 501),
        ("/items/1?fields=x&fields=y", 501),
        // `{base}...{head}` is chosen when the segment fits it (its bounds apply) …
        ("/compare/main...dev", 501),
        ("/compare/toolong...dev", 400),
        ("/compare/main...toolong", 400),
        // … and `{basehead}` takes every other segment.
        ("/compare/main", 501),
        ("/compare/...dev", 501),
        // Text around a parameter inside a segment.
        ("/files/v2.json", 501),
        ("/files/v0.json", 400),
        ("/files/vx.json", 400),
        ("/files/v2.xml", 404),
    ];
    for (path, want) in cases {
        let (status, body) = get(&addr, path);
        assert_eq!(status, want, "{path}: {body}");
    }
    // Only POST is served on /notes.
    let (status, _) = get(&addr, "/notes");
    assert_eq!(status, 405);
}
