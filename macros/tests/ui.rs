//! Compile tests of the macros (trybuild): `tests/ui/pass/*.rs` must build and run,
//! `tests/ui/fail/*.rs` must fail with exactly the committed `.stderr` (one kind of error per
//! file). Regenerate snapshots with `TRYBUILD=overwrite cargo test -p specguard-macros --test ui`.
//!
//! Spec paths: trybuild builds the cases in a scratch crate under `target/tests/trybuild/`,
//! whose `CARGO_MANIFEST_DIR` holds no specs. The macros resolve relative spec paths against
//! `SPECGUARD_SPEC_ROOT` when it is set, so this test runs trybuild in a child process of
//! itself with `SPECGUARD_SPEC_ROOT` = this crate's `tests/` directory (setting it in-process
//! would need `unsafe` `std::env::set_var`, which the workspace forbids). The cases then name
//! specs as `"specs/users.yaml"`.

use std::path::Path;
use std::process::Command;

const ROOT_VAR: &str = "SPECGUARD_SPEC_ROOT";

#[test]
fn ui() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests");
    if std::env::var_os(ROOT_VAR).is_some_and(|v| Path::new(&v) == root) {
        let t = trybuild::TestCases::new();
        t.pass("tests/ui/pass/*.rs");
        t.compile_fail("tests/ui/fail/*.rs");
        return;
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let status = Command::new(exe)
        .args(["ui", "--exact", "--nocapture", "--test-threads=1"])
        .env(ROOT_VAR, &root)
        .status()
        .expect("run the ui test in a child process");
    assert!(status.success(), "trybuild cases failed (output above)");
}
