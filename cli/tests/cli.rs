//! End-to-end tests of the `specguard` binary: what users see, with exit codes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Run specguard in `dir`; returns "exit N\n--- stdout\n…\n--- stderr\n…" with timings masked.
fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_specguard"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let mask = |s: &[u8]| {
        let s = String::from_utf8_lossy(s).into_owned();
        mask_time(&s)
    };
    (
        out.status.code().unwrap_or(-1),
        mask(&out.stdout),
        mask(&out.stderr),
    )
}

fn mask_time(s: &str) -> String {
    // "(0.05s)" → "(TIME)"
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('(') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.find("s)") {
            Some(j) if after[..j].chars().all(|c| c.is_ascii_digit() || c == '.') && j > 0 => {
                out.push_str("(TIME)");
                rest = &after[j + 2..];
            }
            _ => {
                out.push('(');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn show(code: i32, stdout: &str, stderr: &str) -> String {
    format!("exit {code}\n--- stdout\n{stdout}--- stderr\n{stderr}")
}

fn run(args: &[&str]) -> String {
    let (c, o, e) = run_in(&root(), args);
    show(c, &o, &e)
}

const SHOP: &str = "examples/specs/vulnerable-shop.yaml";
const PETS: &str = "examples/specs/secure-petstore.yaml";

#[test]
fn lint_every_format_on_the_vulnerable_example() {
    for f in ["full", "concise", "json", "sarif", "github", "junit"] {
        insta::assert_snapshot!(
            format!("lint_shop_{f}"),
            run(&["lint", SHOP, "--format", f])
        );
    }
}

#[test]
fn secure_example_passes_with_exit_0() {
    let (code, out, _) = run_in(&root(), &["lint", PETS, "--format", "concise"]);
    assert_eq!(code, 0, "{out}");
    insta::assert_snapshot!("lint_petstore_concise", out);
}

#[test]
fn fail_on_changes_the_exit_code() {
    let (code, ..) = run_in(
        &root(),
        &["lint", SHOP, "--fail-on", "never", "-f", "concise"],
    );
    assert_eq!(code, 0);
    let (code, ..) = run_in(
        &root(),
        &[
            "lint",
            SHOP,
            "--select",
            "unbounded-string-input",
            "-f",
            "concise",
        ],
    );
    assert_eq!(code, 0, "info findings alone do not fail by default");
    let (code, ..) = run_in(
        &root(),
        &[
            "lint",
            SHOP,
            "--select",
            "unbounded-string-input",
            "--fail-on",
            "info",
            "-f",
            "concise",
        ],
    );
    assert_eq!(code, 1);
}

#[test]
fn inventory_every_format() {
    for spec in [SHOP, PETS] {
        let stem = Path::new(spec)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        for f in ["table", "json", "csv", "markdown"] {
            insta::assert_snapshot!(
                format!("inventory_{stem}_{f}"),
                run(&["inventory", spec, "--format", f])
            );
        }
    }
}

#[test]
fn select_and_ignore() {
    insta::assert_snapshot!(run(&[
        "lint",
        SHOP,
        "-f",
        "concise",
        "--select",
        "plain-http-server,SG002"
    ]));
    let (_, out, _) = run_in(
        &root(),
        &[
            "lint",
            SHOP,
            "-f",
            "concise",
            "--ignore",
            "API4,api-key-in-query",
        ],
    );
    assert!(
        !out.contains("unbounded-string-input") && !out.contains("api-key-in-query"),
        "{out}"
    );
    assert!(out.contains("plain-http-server"), "{out}");
    insta::assert_snapshot!(run(&["lint", SHOP, "--select", "no-such-rule"]));
}

#[test]
fn load_errors_exit_2_with_position_in_human_and_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get: [1, 2]\n",
    )
    .unwrap();
    let (code, out, err) = run_in(dir.path(), &["lint", "bad.yaml"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("load_error_human", show(code, &out, &err));
    let (code, out, err) = run_in(dir.path(), &["inventory", "bad.yaml", "--format", "json"]);
    assert_eq!(code, 2);
    insta::assert_snapshot!("load_error_json", show(code, &out, &err));
    let (code, _, err) = run_in(dir.path(), &["lint", "missing.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("missing.yaml"), "{err}");
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

const SMALL: &str = "openapi: 3.0.3
info: {title: Small, version: '1'}
servers:
  - url: http://api.small.example
paths:
  /internal/stats:
    get:
      responses:
        '200': {description: ok}
  /orders:
    get:
      responses:
        '200': {description: ok}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
";

#[test]
fn config_file_levels_overrides_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api.yaml", SMALL);
    // No config: two unauthenticated operations and an http server, all errors.
    let (code, out, _) = run_in(dir.path(), &["lint", "api.yaml", "-f", "concise"]);
    assert_eq!(code, 1);
    assert_eq!(out.matches("error[").count(), 3, "{out}");
    write(
        dir.path(),
        "specguard.toml",
        "fail-on = \"error\"\n\n[rules]\nplain-http-server = \"warning\"\n\n[[overrides]]\npaths = [\"/internal/**\"]\nrules = { operation-without-security = \"off\" }\n",
    );
    let (code, out, err) = run_in(dir.path(), &["lint", "api.yaml", "-f", "concise"]);
    insta::assert_snapshot!("config_applied", show(code, &out, &err));
    assert!(
        !out.contains("operation-without-security] GET /internal/stats"),
        "{out}"
    );
    // Found by walking up from a nested spec too.
    std::fs::create_dir(dir.path().join("nested")).unwrap();
    write(&dir.path().join("nested"), "api.yaml", SMALL);
    let (_, out2, _) = run_in(dir.path(), &["lint", "nested/api.yaml", "-f", "concise"]);
    assert!(out2.contains("warning[plain-http-server]"), "{out2}");
    // --no-config ignores it.
    let (_, out3, _) = run_in(
        dir.path(),
        &["lint", "api.yaml", "-f", "concise", "--no-config"],
    );
    assert!(out3.contains("error[plain-http-server]"), "{out3}");
    // An unknown rule is an error naming the config line.
    write(
        dir.path(),
        "specguard.toml",
        "[rules]\n\"plain-http-server\" = \"warning\"\nno-such-rule = \"off\"\n",
    );
    let (code, out, err) = run_in(dir.path(), &["lint", "api.yaml"]);
    assert_eq!(code, 2);
    let tmp = dir.path().canonicalize().unwrap().display().to_string();
    insta::assert_snapshot!(
        "config_unknown_rule",
        show(code, &out, &err.replace(&tmp, "TMP"))
    );
    write(dir.path(), "specguard.toml", "fail-on = 3\n");
    let (code, _, err) = run_in(dir.path(), &["lint", "api.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("specguard.toml:1:"), "{err}");
}

#[test]
fn inline_ignore_and_require_reason() {
    let dir = tempfile::tempdir().unwrap();
    let text = SMALL.replace(
        "  /orders:\n    get:\n",
        "  /orders:\n    get:\n      x-specguard-ignore: [operation-without-security]\n",
    ).replace(
        "  /internal/stats:\n",
        "  /internal/stats:\n    x-specguard-ignore:\n      - {rule: operation-without-security, reason: served on the private network only}\n",
    );
    write(dir.path(), "api.yaml", &text);
    let (code, out, err) = run_in(dir.path(), &["lint", "api.yaml", "-f", "concise"]);
    assert!(!out.contains("operation-without-security"), "{out}");
    insta::assert_snapshot!("inline_ignore", show(code, &out, &err));
    let (code, out, err) = run_in(
        dir.path(),
        &["lint", "api.yaml", "-f", "concise", "--require-reason"],
    );
    insta::assert_snapshot!("require_reason", show(code, &out, &err));
}

#[test]
fn baseline_survives_shifted_lines_and_shows_only_the_new_finding() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api.yaml", SMALL);
    let (code, _, err) = run_in(
        dir.path(),
        &["lint", "api.yaml", "--write-baseline", "baseline.json"],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("wrote 9 findings"), "{err}");
    // Unrelated edits that shift every line.
    let shifted = format!(
        "# a comment\n# another\n\n{}",
        SMALL.replace(
            "info: {title: Small, version: '1'}",
            "info:\n  title: Small\n  version: '2'\n  description: more text"
        )
    );
    write(dir.path(), "api.yaml", &shifted);
    let (code, out, _) = run_in(
        dir.path(),
        &[
            "lint",
            "api.yaml",
            "-f",
            "concise",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("0 errors, 0 warnings, 0 info"),
        "every rule's findings survive: {out}"
    );
    // One new unauthenticated operation: exactly one new finding of that rule.
    let added = shifted.replace(
        "components:\n",
        "  /refunds:\n    post:\n      operationId: refund\n      responses:\n        '201': {description: ok}\ncomponents:\n",
    );
    write(dir.path(), "api.yaml", &added);
    let (code, out, err) = run_in(
        dir.path(),
        &[
            "lint",
            "api.yaml",
            "--select=operation-without-security,plain-http-server",
            "-f",
            "concise",
            "--baseline",
            "baseline.json",
        ],
    );
    assert_eq!(code, 1);
    insta::assert_snapshot!("baseline_new_finding", show(code, &out, &err));
}

#[test]
fn directories_skip_fragments_and_stdin_works() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("schemas")).unwrap();
    write(dir.path(), "api.yaml", &SMALL.replace("'200': {description: ok}\n  /orders", "'200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'schemas/stats.yaml'}\n  /orders"));
    write(&dir.path().join("schemas"), "stats.yaml", "type: object\n");
    write(dir.path(), "notes.json", "{\"not\": \"openapi\"}");
    let (_, out, err) = run_in(dir.path(), &["lint", ".", "-f", "concise"]);
    assert!(out.contains("in 1 file"), "{out}{err}");
    assert!(
        out.contains("schemas/stats.yaml"),
        "finding inside the fragment is reported at the fragment: {out}"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_specguard"))
        .args(["lint", "-", "-f", "concise"])
        .current_dir(dir.path())
        .stdin(std::fs::File::open(dir.path().join("api.yaml")).unwrap())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("-:4:"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn rules_and_rule_docs() {
    let (code, out, _) = run_in(&root(), &["rules"]);
    assert_eq!(code, 0);
    assert!(out.contains("operation-without-security"));
    let (_, json, _) = run_in(&root(), &["rules", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(v["rules"].as_array().unwrap().len() >= 6);
    insta::assert_snapshot!(run(&["rule", "api-key-in-query"]));
    insta::assert_snapshot!(run(&["rule", "nope"]));
}

#[test]
fn help_explains_exit_codes() {
    let (code, out, _) = run_in(&root(), &["lint", "--help"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Exit codes:") && out.contains("--fail-on"),
        "{out}"
    );
}

#[test]
fn generate_uses_templates_from_dir_and_falls_back_to_built_in_ones() {
    let dir = std::env::temp_dir().join(format!("specguard-cli-templates-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("tpl")).unwrap();
    write(
        &dir,
        "spec.yaml",
        "openapi: 3.0.3
info: {title: Tiny, version: '1'}
security: [{key: []}]
paths:
  /x:
    get:
      operationId: getX
      responses:
        '204': {description: ok}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Key}
",
    );
    write(
        &dir.join("tpl"),
        "README.md.tera",
        "# {{ crate_name }}: {{ trait_name }}\n",
    );
    let (code, _, stderr) = run_in(
        &dir,
        &["generate", "spec.yaml", "-o", "out", "--templates", "tpl"],
    );
    assert_eq!(code, 0, "{stderr}");
    let read = |p: &str| std::fs::read_to_string(dir.join("out").join(p)).unwrap();
    assert_eq!(read("README.md"), "# tiny: TinyApi\n");
    // Files the directory does not have come from the built-in templates.
    assert!(
        read("src/main.rs").contains("LISTEN_ADDR"),
        "{}",
        read("src/main.rs")
    );
    assert!(read("Cargo.toml").contains("name = \"tiny\""));
    // A template that does not render is a usage error naming it.
    write(&dir.join("tpl"), "main.rs.tera", "{{ nope }");
    let (code, _, stderr) = run_in(
        &dir,
        &["generate", "spec.yaml", "-o", "out2", "--templates", "tpl"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("main.rs.tera"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn timings_print_each_phase_only_when_asked() {
    let spec = root().join("examples/specs/vulnerable-shop.yaml");
    let spec = spec.to_string_lossy();
    let timed = |on: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_specguard"));
        c.args(["lint", &spec, "--format", "concise", "--fail-on", "never"]);
        if on {
            c.env("SPECGUARD_TIMINGS", "1");
        } else {
            c.env_remove("SPECGUARD_TIMINGS");
        }
        let out = c.output().unwrap();
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    let on = timed(true);
    for phase in [
        "parse",
        "walk",
        "structural-check",
        "views",
        "operation-without-security",
        "render",
    ] {
        assert!(
            on.lines()
                .any(|l| l.starts_with("timing: ") && l.contains(&format!(" {phase} "))),
            "no `{phase}` timing in:\n{on}"
        );
    }
    assert!(!timed(false).contains("timing:"));
}

/// Output into a pipe whose reader has gone (`specguard … | head`): the output ends, the run
/// still ends with its own exit code, and nothing panics. Each output is larger than a pipe's
/// buffer, so the write meets the closed pipe whatever the timing.
#[test]
fn a_closed_pipe_ends_the_output_not_the_run() {
    use std::io::Read;
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    // 400 operations with three unbounded string parameters each: 1 200 findings, over
    // 64 KiB in every format below.
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: Many, version: '1'}\nservers: [{url: 'https://api.example.com'}]\npaths:\n",
    );
    for i in 0..400 {
        spec.push_str(&format!(
            "  /items{i}:\n    get:\n      operationId: get{i}\n      parameters:\n"
        ));
        for q in ["a", "b", "c"] {
            spec.push_str(&format!(
                "        - {{name: {q}, in: query, schema: {{type: string}}}}\n"
            ));
        }
        spec.push_str("      responses:\n        '200': {description: ok}\n");
    }
    std::fs::write(dir.path().join("many.yaml"), spec).unwrap();
    for args in [
        &["lint", "many.yaml", "--format", "json", "--no-config"][..],
        &["lint", "many.yaml", "--format", "concise", "--no-config"],
        &["inventory", "many.yaml", "--format", "json"],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_specguard"))
            .args(args)
            .current_dir(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Read a little, then hang up.
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let code = child.wait().unwrap().code();
        let expected = if args[0] == "lint" { 1 } else { 0 };
        assert_eq!(code, Some(expected), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
}
