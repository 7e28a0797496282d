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

/// fuzz/load_yaml crash-2e2d0edb: in a 3.1 document, `maximum: 100*000` (a string) passed the
/// structural check (the vendored 3.1 schema accepts any object as a Schema Object), so the
/// generator and the linter would have read no bound. Schema Objects of 3.1 documents are now
/// checked against the JSON Schema 2020-12 meta-schema; what it finds is a warning at the node.
#[test]
fn schema_keyword_of_the_wrong_type_in_31_is_reported_at_the_keyword() {
    let doc = load_fixture("fuzz/schema-keyword-of-the-wrong-type-31.yaml").unwrap();
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
    let w = &doc.warnings[0];
    assert!(w.message.contains("expected number, found string"), "{w:?}");
    assert!(w.message.contains("/schema/maximum"), "{w:?}");
    assert_eq!(
        location(&doc.tree.files, w.primary.as_ref().unwrap()),
        "tests/fixtures/fuzz/schema-keyword-of-the-wrong-type-31.yaml:11:71"
    );
}

/// fuzz/load_json crash-65b36d90: `pattern: 1` in a 3.1 document, the same gap in JSON.
#[test]
fn pattern_of_the_wrong_type_in_31_is_reported() {
    let doc = load_fixture("fuzz/pattern-of-the-wrong-type-31.json").unwrap();
    assert!(
        doc.warnings
            .iter()
            .any(|w| w.message.contains("/schema/pattern") && w.message.contains("expected string")),
        "{:?}",
        doc.warnings
    );
}

/// fuzz/refs crash-e2eba22b: a parameter in another file (`sub/d.yaml`, reached through a path
/// item in `a.yaml`) without `name` was never checked (the check read the root file only) and
/// the generator dropped the parameter without a word. References into other files are now
/// read as their targets by the check; the error is at the fragment, in its own file.
#[test]
fn fragment_in_another_file_is_checked_as_what_it_is_used_as() {
    let f = expect_failure(load_fixture("fuzz/fragment-parameter/openapi.yaml"));
    let e = single_error(&f);
    assert!(e.message.contains("`name` is required"), "{e:?}");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/fuzz/fragment-parameter/sub/d.yaml:1:1"
    );
}

/// fuzz/load_yaml crash-e25ad7ef: `nullable: [id, kind]` in a 3.1 document (where `nullable`
/// is no keyword, so any value is allowed) loaded cleanly and the typed model refused it.
#[test]
fn non_boolean_nullable_in_31_means_nothing() {
    let doc = load_fixture("fuzz/non-boolean-nullable-31.yaml").unwrap();
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
    model::typed(&doc).unwrap();
}

/// The OpenAPI keywords of a 3.1 Schema Object (`discriminator`, `xml`, `externalDocs`) are
/// checked like 3.0's: the typed model relies on their shape.
#[test]
fn openapi_keywords_of_the_wrong_type_in_31_stop_the_load() {
    let f = expect_failure(load_fixture(
        "fuzz/openapi-keywords-of-the-wrong-type-31.yaml",
    ));
    let all = render(&f);
    assert!(
        all.contains("/components/schemas/Pet/discriminator"),
        "{all}"
    );
    assert!(all.contains("/components/schemas/Pet/xml/wrapped"), "{all}");
}

/// fuzz/load_json crash-c4f310fc: in a 3.0 document, a security scheme named `%key` (outside
/// the specification's `^[a-zA-Z0-9.\-_]+$`) was not checked at all — the 3.0 schema checks
/// only entries whose names match — so one without `in` loaded cleanly and then did not fit
/// the typed model. Every component is now checked; the missing field stops the load.
#[test]
fn component_with_an_odd_name_is_still_checked() {
    let f = expect_failure(load_fixture("fuzz/security-scheme-with-an-odd-name.json"));
    let all = render(&f);
    assert!(all.contains("`in` is required here"), "{all}");
    assert!(all.contains("/components/securitySchemes/%key"), "{all}");
}

/// The same document with the scheme repaired: it loads, with a warning about the name (as a
/// 3.1 document gets from its schema's `propertyNames`), and fits the typed model.
#[test]
fn component_name_outside_the_pattern_is_a_warning() {
    let doc = load_fixture("fuzz/component-with-an-odd-name.json").unwrap();
    assert_eq!(doc.warnings.len(), 1, "{:?}", doc.warnings);
    let w = &doc.warnings[0];
    assert!(w.message.contains("is outside"), "{w:?}");
    assert!(w.message.contains("%key"), "{w:?}");
    assert!(model::typed(&doc).is_ok());
}
