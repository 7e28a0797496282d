//! Numbers beyond 64 bits keep their source text.

// Test helpers: a failed expectation is a panic, as in a #[test] fn.
#![allow(clippy::panic, clippy::unwrap_used)]

mod common;

use common::*;
use specguard_spec::{Document, Value};

fn number_at(doc: &Document, key: &str) -> String {
    let id = doc
        .tree
        .walk_pointer(doc.root, ["components", "schemas", "Id", key])
        .unwrap();
    match doc.tree.value(id) {
        Value::Number(n) => n.to_string(),
        other => panic!("{key} is not a number: {other:?}"),
    }
}

fn check(doc: &Document) {
    assert_eq!(
        number_at(doc, "minimum"),
        "-170141183460469231731687303715884105729"
    );
    assert_eq!(
        number_at(doc, "maximum"),
        "340282366920938463463374607431768211456"
    );
    assert_eq!(number_at(doc, "example"), "123456789012345678901234567890");
}

#[test]
fn big_integers_in_json_stay_as_text() {
    let doc = load_fixture("numbers/big.json").unwrap();
    check(&doc);
}

#[test]
fn big_integers_in_yaml_stay_as_text() {
    let doc = load_fixture("numbers/big.yaml").unwrap();
    check(&doc);
}

#[test]
fn numbers_beyond_the_float_range_are_still_numbers() {
    // `1e400` is valid JSON; the structural check must see a number, not refuse it.
    let doc = load_text(
        "huge.json",
        r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "components": {"schemas": {"Id": {"type": "number", "minimum": -1e400, "maximum": 1e400, "example": 1}}}}"#,
    )
    .unwrap();
    assert_eq!(number_at(&doc, "maximum"), "1e400");
    assert_eq!(number_at(&doc, "minimum"), "-1e400");
    let id = doc
        .tree
        .walk_pointer(doc.root, ["components", "schemas", "Id"])
        .unwrap();
    let json = doc.tree.to_json(id);
    assert_eq!(json["maximum"].as_f64(), Some(f64::MAX));
    assert_eq!(json["minimum"].as_f64(), Some(-f64::MAX));
}
