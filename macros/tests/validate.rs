//! `derive(ApiRequest)` validates your request types with the contract's bounds, as the
//! generated request types are: the same checks (from the generator), the same pointers and
//! messages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde::Deserialize;
use specguard::validate::{Errors, Pointer, Validate};
use std::collections::BTreeMap;

#[derive(Debug, Deserialize, specguard::ApiRequest)]
#[specguard(spec = "tests/specs/orders.yaml", schema = "Order")]
struct NewOrder {
    lines: Vec<NewLine>,
    /// `Status` is a string enum: a `String` field is checked against its values.
    status: String,
    note: Option<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    priority: Option<u8>,
    #[serde(default)]
    tags: Vec<String>,
}

#[derive(Debug, Deserialize, specguard::ApiRequest)]
#[specguard(spec = "tests/specs/orders.yaml", schema = "Line")]
struct NewLine {
    sku: String,
    quantity: u8,
    price: Option<f64>,
}

fn problems(json: &str) -> Vec<(String, String)> {
    let order: NewOrder = specguard::serde_json::from_str(json).expect("well-formed");
    let mut errors = Errors::new();
    order.validate(&mut Pointer::body(), &mut errors);
    errors
        .into_vec()
        .into_iter()
        .map(|e| (e.pointer, e.detail.into_owned()))
        .collect()
}

#[test]
fn a_valid_request_passes() {
    let ok = r#"{"lines":[{"sku":"ABC-1234","quantity":2,"price":1.5}],"status":"paid",
        "note":null,"labels":{"gift":"yes"},"priority":5,"tags":["a","b"]}"#;
    assert_eq!(problems(ok), []);
}

#[test]
fn every_bound_is_enforced_with_its_pointer() {
    let bad = format!(
        r#"{{"lines":[{{"sku":"abc-1234","quantity":100,"price":0}}],"status":"lost",
        "note":"{}","labels":{{"a":"1","b":"2","c":"3","d":"far too long"}},"priority":0,
        "tags":["a","a","B"]}}"#,
        "x".repeat(101)
    );
    let got = problems(&bad);
    let expected: Vec<(String, String)> = [
        ("/lines/0/sku", "does not match the required pattern"),
        ("/lines/0/quantity", "must be at most 99"),
        ("/lines/0/price", "must be greater than 0"),
        ("/status", "must be one of the values the contract lists"),
        ("/note", "must be at most 100 characters long"),
        ("/labels", "must have at most 3 properties"),
        ("/labels/*", "must be at most 10 characters long"),
        ("/priority", "must be at least 1"),
        ("/tags", "must not contain duplicate items"),
        ("/tags/2", "does not match the required pattern"),
    ]
    .iter()
    .map(|(p, d)| (p.to_string(), d.to_string()))
    .collect();
    assert_eq!(got, expected);
}

#[test]
fn item_counts_are_enforced() {
    let got = problems(r#"{"lines":[],"status":"open"}"#);
    assert_eq!(
        got,
        [(
            "/lines".to_string(),
            "must have at least 1 items".to_string()
        )]
    );
}
