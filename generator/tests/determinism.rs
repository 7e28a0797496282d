//! The same document always gives the same bytes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::generate;

#[test]
fn generating_twice_gives_identical_bytes() {
    let spec = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/petstore/openapi.yaml"
    ))
    .unwrap();
    let a = generate(&spec);
    for _ in 0..3 {
        let b = generate(&spec);
        assert_eq!(a.module, b.module);
        assert_eq!(a.files, b.files);
    }
}
