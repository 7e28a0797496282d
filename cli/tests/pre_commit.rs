//! Drives the real `pre-commit` tool (installed by scripts/test into target/tools-venv) against a
//! temporary git repository, through this checkout's .pre-commit-hooks.yaml.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

const BAD: &str = "openapi: 3.0.3\ninfo: {title: Bad, version: '1'}\nservers:\n  - url: http://api.bad.example\npaths: {}\n";
const GOOD: &str = "openapi: 3.0.3\ninfo: {title: Good, version: '1'}\nservers:\n  - url: https://api.good.example\npaths: {}\n";

#[test]
fn pre_commit_hook_fails_on_a_risky_spec_and_passes_a_clean_one() {
    let pre_commit = std::env::var("SPECGUARD_TEST_PRE_COMMIT").unwrap_or_else(|_| {
        panic!("SPECGUARD_TEST_PRE_COMMIT is not set: run the suite with scripts/test, which installs pre-commit")
    });
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let s = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(
            s.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&s.stderr)
        );
    };
    git(&["init", "-q"]);
    git(&["config", "user.email", "t@example.com"]);
    git(&["config", "user.name", "t"]);
    std::fs::write(dir.path().join("bad.yaml"), BAD).unwrap();
    std::fs::write(dir.path().join("good.yaml"), GOOD).unwrap();
    std::fs::write(
        dir.path().join("ci.yaml"),
        "jobs: {build: {runs-on: ubuntu}}\n",
    )
    .unwrap();
    git(&["add", "."]);
    let hook = |files: &[&str]| {
        let mut c = Command::new(&pre_commit);
        c.args([
            "try-repo",
            root.to_str().unwrap(),
            "specguard",
            "--verbose",
            "--files",
        ])
        .args(files)
        .current_dir(dir.path())
        .env("PRE_COMMIT_HOME", root.join("target/pre-commit-home"))
        // The hook script builds specguard in release mode on first use (minutes in CI);
        // here it runs the binary under test instead. Everything else is the real path:
        // pre-commit reads .pre-commit-hooks.yaml, runs scripts/pre-commit-hook with the
        // changed files, and reports the exit status.
        .env("SPECGUARD_BIN", env!("CARGO_BIN_EXE_specguard"));
        let out = c.output().unwrap();
        (
            out.status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let (code, out) = hook(&["bad.yaml", "ci.yaml"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("bad.yaml:4:10: error[plain-http-server]"),
        "{out}"
    );
    let (code, out) = hook(&["good.yaml", "ci.yaml"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("Passed"), "{out}");
}
