//! Text read elsewhere (stdin) and syntax detection by content rather than by file name.

mod common;

use common::*;
use specguard_spec::{Input, LoadOptions, Value, Version};

fn stdin(text: &str, base: &str) -> Input {
    Input::Text {
        name: "-".into(),
        text: text.as_bytes().to_vec(),
        base_dir: fixture(base),
    }
}

#[test]
fn yaml_from_stdin_resolves_refs_against_the_base_dir() {
    let text = "openapi: 3.0.3\ninfo:\n  title: From stdin\n  version: '1'\npaths: {}\n\
                components:\n  schemas:\n    User:\n      $ref: './schemas/user.yaml#/User'\n";
    let doc = load_bounded(stdin(text, "multi/api"), LoadOptions::default()).unwrap();
    assert_eq!(doc.version, Version::V30);
    assert_eq!(doc.openapi, "3.0.3");
    let shown: Vec<&str> = doc.tree.files.iter().map(|f| f.display.as_str()).collect();
    assert_eq!(shown, ["-", "schemas/user.yaml"]);
    let user = doc
        .tree
        .walk_pointer(doc.root, ["components", "schemas", "User"])
        .unwrap();
    assert_eq!(doc.display_location(user), "-:8:5");
    assert_eq!(
        doc.display_location(doc.resolve(user)),
        "schemas/user.yaml:2:1"
    );
}

#[test]
fn json_from_stdin_loads() {
    let text =
        r#"{"openapi": "3.1.0", "info": {"title": "From stdin", "version": "1"}, "paths": {}}"#;
    let doc = load_bounded(stdin(text, ""), LoadOptions::default()).unwrap();
    assert_eq!(doc.version, Version::V31);
    let title = doc.tree.walk_pointer(doc.root, ["info", "title"]).unwrap();
    assert!(matches!(doc.tree.value(title), Value::String(s) if &**s == "From stdin"));
    // JSON spans include the quotes of a string.
    assert_eq!(
        &doc.tree.files[0].text[doc.tree.node(title).span.range()],
        "\"From stdin\""
    );
    assert_eq!(doc.display_location(title), "-:1:31");
}

#[test]
fn errors_in_stdin_text_are_shown_against_dash() {
    let text = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {},\n}\n";
    let f = expect_failure(load_bounded(stdin(text, ""), LoadOptions::default()));
    let e = single_error(&f);
    assert_eq!(e.code, "json-syntax");
    assert_eq!(primary(&f, e), "-:4:1");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn json_in_a_yaml_named_file_is_read_as_json() {
    let doc = load_fixture("stdin/json-named-yaml.yaml").unwrap();
    assert_eq!(doc.version, Version::V31);
    let title = doc.tree.walk_pointer(doc.root, ["info", "title"]).unwrap();
    assert_eq!(doc.tree.str(title), Some("JSON in a .yaml file"));
    // The JSON reader, not the YAML one, rejects a trailing comma: YAML allows it in a flow
    // mapping, so a `json-syntax` error proves the content chose the reader.
    let f = expect_failure(load_fixture("stdin/json-named-yaml-trailing-comma.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "json-syntax");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/stdin/json-named-yaml-trailing-comma.yaml:5:1"
    );
    // The same text behind a YAML comment is YAML, and loads.
    let text =
        std::fs::read_to_string(fixture("stdin/json-named-yaml-trailing-comma.yaml")).unwrap();
    let doc = load_text("as-yaml.yaml", format!("# yaml\n{text}")).unwrap();
    assert_eq!(doc.version, Version::V31);
}

#[test]
fn json_after_a_byte_order_mark_and_blank_lines_is_read_as_json() {
    let text = "\u{feff}\n\n  {\"openapi\": \"3.0.3\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"paths\": {},}";
    let f = expect_failure(load_text("bom.json", text));
    let e = single_error(&f);
    assert_eq!(e.code, "json-syntax");
    assert_eq!(primary(&f, e), "bom.json:3:76");
}
