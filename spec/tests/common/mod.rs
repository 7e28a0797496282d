//! Helpers shared by the loader's integration tests: fixture paths, loading with a time limit,
//! and rendering errors with paths relative to the crate so snapshots are stable.
#![allow(dead_code)]
// Test helpers: a failed expectation is a panic, as in a #[test] fn.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use specguard_spec::diag::{Label, LoadError, LoadFailure, render_human};
use specguard_spec::{Document, Input, LoadOptions, SourceFile, load};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// A load that takes longer than this is a hang (debug builds, tests running in parallel).
const HANG: Duration = Duration::from_secs(20);

pub fn manifest_dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(rel: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(rel)
}

/// Run `load` on another thread and fail the test if it does not return in time.
pub fn load_bounded(input: Input, options: LoadOptions) -> Result<Document, LoadFailure> {
    let (tx, rx) = mpsc::channel();
    let started = Instant::now();
    std::thread::spawn(move || {
        let _ = tx.send(load(&input, &options));
    });
    match rx.recv_timeout(HANG) {
        Ok(r) => r,
        Err(mpsc::RecvTimeoutError::Timeout) => panic!("load did not return within {HANG:?}"),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("load panicked after {:?}", started.elapsed())
        }
    }
}

pub fn load_fixture_with(rel: &str, options: LoadOptions) -> Result<Document, LoadFailure> {
    load_bounded(Input::Path(fixture(rel)), options)
}

pub fn load_fixture(rel: &str) -> Result<Document, LoadFailure> {
    load_fixture_with(rel, LoadOptions::default())
}

/// Load text as if read from stdin, `$ref`s resolving against the fixtures directory.
pub fn load_text(name: &str, text: impl Into<Vec<u8>>) -> Result<Document, LoadFailure> {
    load_bounded(
        Input::Text {
            name: name.into(),
            text: text.into(),
            base_dir: fixture(""),
        },
        LoadOptions::default(),
    )
}

/// The failure of a load that must fail.
pub fn expect_failure(r: Result<Document, LoadFailure>) -> LoadFailure {
    match r {
        Ok(doc) => panic!(
            "expected the load to fail, but it succeeded ({} files)",
            doc.tree.files.len()
        ),
        Err(f) => f,
    }
}

/// The one error of a failed load (fails the test if there are several).
pub fn single_error(f: &LoadFailure) -> &LoadError {
    assert_eq!(
        f.errors.len(),
        1,
        "expected exactly one error, got:\n{}",
        render(f)
    );
    &f.errors[0]
}

/// Strip the crate's directory (as given and canonical) from paths in `s`.
pub fn relative(s: &str) -> String {
    let mut out = s.to_string();
    let dir = manifest_dir();
    if let Ok(canon) = dir.canonicalize() {
        out = out.replace(&format!("{}/", canon.display()), "");
    }
    out.replace(&format!("{}/", dir.display()), "")
}

/// Every error of a failure rendered as a user sees it (no colour), paths relative.
pub fn render(f: &LoadFailure) -> String {
    let all: Vec<String> = f
        .errors
        .iter()
        .map(|e| render_human(&f.files, e, false))
        .collect();
    relative(&all.join("\n\n"))
}

/// `path:line:col` of a label, path relative to the crate.
pub fn location(files: &[SourceFile], l: &Label) -> String {
    let f = &files[l.file.0 as usize];
    let lc = f.line_col(l.span.start);
    relative(&format!("{}:{}:{}", f.display, lc.line, lc.column))
}

/// `path:line:col` of an error's primary label.
pub fn primary(f: &LoadFailure, e: &LoadError) -> String {
    let l = e
        .primary
        .as_ref()
        .unwrap_or_else(|| panic!("error `{}` has no position: {}", e.code, e.message));
    location(&f.files, l)
}

/// `(path:line:col, label)` of every secondary label.
pub fn secondary(f: &LoadFailure, e: &LoadError) -> Vec<(String, String)> {
    e.secondary
        .iter()
        .map(|l| (location(&f.files, l), l.message.clone()))
        .collect()
}

/// The text a label's span covers.
pub fn covered<'a>(f: &'a LoadFailure, l: &Label) -> &'a str {
    &f.files[l.file.0 as usize].text[l.span.range()]
}
