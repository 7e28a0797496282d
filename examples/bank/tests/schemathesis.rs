//! Conformance of the generated bank with its own contract, judged by schemathesis (property
//! based: examples, coverage, fuzzing and stateful phases) against the server on a loopback
//! port:
//!
//! - with valid credentials: no 5xx, every status, content type, header and body as the
//!   contract documents, invalid input rejected, and `ignored_auth` (each successful request
//!   replayed without and with wrong credentials must fail) finds nothing;
//! - without credentials: the same conformance, and every secured operation answers only
//!   401/403.
//!
//! Needs `SPECGUARD_TEST_SCHEMATHESIS`, the path of schemathesis's `st` (scripts/test installs
//! it into target/tools-venv). Missing, the test fails: it is never skipped.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::{bank, spec_path};
use specguard::serde_json::{self, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CONFORMANCE: &str = "not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance";

fn st() -> String {
    std::env::var("SPECGUARD_TEST_SCHEMATHESIS").unwrap_or_else(|_| {
        panic!(
            "SPECGUARD_TEST_SCHEMATHESIS is not set. Run the suite with scripts/test, which \
             installs schemathesis 4.x into target/tools-venv and exports it, or install it \
             yourself (python3 -m venv v && v/bin/pip install 'schemathesis==4.*') and set \
             SPECGUARD_TEST_SCHEMATHESIS=$PWD/v/bin/st"
        )
    })
}

/// Run `st run` against `url` and return its JSON report.
fn run(st: &str, url: &str, label: &str, extra: &[&str]) -> Value {
    let dir = std::env::temp_dir().join(format!(
        "specguard-bank-schemathesis-{}-{label}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let report = dir.join("report.json");
    let mut cmd = Command::new(st);
    cmd.arg("run")
        .arg(spec_path())
        .args(["--url", url])
        // Bounded and reproducible: at most 15 cases per operation and phase, fixed seed.
        .args(["--max-examples", "15", "--seed", "20240501"])
        .args(["--request-timeout", "10", "--no-shrink"])
        .args(["--report", "json", "--report-json-path"])
        .arg(&report)
        .args(extra)
        .current_dir(&dir)
        .env("NO_COLOR", "1")
        .env("SCHEMATHESIS_TELEMETRY", "false")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {st} (SPECGUARD_TEST_SCHEMATHESIS): {e}"));
    let deadline = Instant::now() + Duration::from_secs(150);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("schemathesis ({label}) did not finish within 150 s");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let out = child.wait_with_output().unwrap();
    let console = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        status.success(),
        "schemathesis ({label}) found problems:\n{console}"
    );
    let text = std::fs::read_to_string(&report)
        .unwrap_or_else(|e| panic!("no schemathesis report ({e}):\n{console}"));
    let _ = std::fs::remove_dir_all(&dir);
    serde_json::from_str(&text).unwrap()
}

fn assert_clean(report: &Value, label: &str) {
    assert_eq!(report["complete"], true, "{label}: {report:#}");
    assert_eq!(report["exit_code"], 0, "{label}: {report:#}");
    assert_eq!(
        report["failures"].as_array().map(Vec::len),
        Some(0),
        "{label}: {report:#}"
    );
    assert_eq!(
        report["errors"].as_array().map(Vec::len),
        Some(0),
        "{label}: {report:#}"
    );
    assert_eq!(report["operations"]["tested"], 6, "{label}: {report:#}");
    assert!(
        report["test_cases"]["generated"].as_u64().unwrap_or(0) > 100,
        "{label}: {report:#}"
    );
}

/// How many requests of an operation the server accepted (2xx), over all phases.
fn accepted(report: &Value, operation: &str) -> u64 {
    report["valid_rates"][operation]
        .as_object()
        .map(|phases| {
            phases
                .values()
                .map(|p| p["accepted"].as_u64().unwrap_or(0))
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_server_error_no_nonconformance_and_no_ignored_auth() {
    let st = st();
    let addr = bank().await;
    let url = format!("http://{addr}");

    let checks = format!("{CONFORMANCE},negative_data_rejection,ignored_auth");
    let (st2, url2) = (st.clone(), url.clone());
    let with_credentials = tokio::task::spawn_blocking(move || {
        run(
            &st2,
            &url2,
            "alice",
            &[
                "-H",
                "Authorization: Bearer alice-token",
                "--checks",
                &checks,
            ],
        )
    })
    .await
    .unwrap();
    assert_clean(&with_credentials, "with credentials");
    // `ignored_auth` replays successful requests without credentials: there must have been
    // successful requests on secured operations for it to judge.
    for op in [
        "GET /accounts",
        "GET /accounts/{accountId}",
        "GET /accounts/{accountId}/transfers",
        "POST /accounts/{accountId}/transfers",
        "GET /accounts/{accountId}/transfers/{transferId}",
    ] {
        assert!(
            accepted(&with_credentials, op) > 0,
            "{op}: no request was accepted, so ignored_auth judged nothing: {with_credentials:#}"
        );
    }

    let without_credentials = tokio::task::spawn_blocking(move || {
        run(&st, &url, "anonymous", &["--checks", CONFORMANCE])
    })
    .await
    .unwrap();
    assert_clean(&without_credentials, "without credentials");
    assert!(
        accepted(&without_credentials, "GET /health") > 0,
        "{without_credentials:#}"
    );
    for op in [
        "GET /accounts",
        "GET /accounts/{accountId}",
        "POST /accounts/{accountId}/transfers",
    ] {
        assert_eq!(
            accepted(&without_credentials, op),
            0,
            "{op} accepted a request without credentials: {without_credentials:#}"
        );
    }
}
