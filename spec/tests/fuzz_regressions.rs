//! Inputs found by the fuzz targets (fuzz/README.md), kept as regression tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::*;
use specguard_spec::model;

/// fuzz/load_yaml crash-50c4408d: a parameter with neither `schema` nor `content` (`schmma`, a
/// typo) loads with a structural warning; the typed model then returns an error (it used to
/// claim that could not happen for a loaded document, and the fuzz target held it to that).
#[test]
fn parameter_without_schema_loads_with_a_warning_and_the_typed_model_says_why() {
    let doc = load_fixture("fuzz/parameter-without-schema.yaml").unwrap();
    assert_eq!(doc.warnings.len(), 1);
    assert!(doc.warnings[0].message.contains("schmma"));
    let e = model::typed(&doc).unwrap_err();
    assert_eq!(e.path, "paths");
}
