//! Multi-file documents: relative refs, fragment files with their own `#` pointers, allowed
//! directories outside the root, RFC 6901 escapes and percent-encoding in pointers.

// Test helpers: a failed expectation is a panic, as in a #[test] fn.
#![allow(clippy::panic, clippy::unwrap_used)]

mod common;

use common::*;
use specguard_spec::{Document, LoadOptions, NodeId};
use std::collections::HashSet;

fn multi_options() -> LoadOptions {
    LoadOptions {
        allow_ref_dirs: vec![fixture("multi/common")],
        ..LoadOptions::default()
    }
}

fn at(doc: &Document, from: NodeId, path: &[&str]) -> NodeId {
    doc.tree
        .walk_pointer(from, path.iter().copied())
        .unwrap_or_else(|| panic!("no node at {path:?}"))
}

fn loc(doc: &Document, id: NodeId) -> String {
    relative(&doc.display_location(id))
}

/// The root of the loaded file whose display path ends with `suffix`.
fn file_root(doc: &Document, suffix: &str) -> NodeId {
    let i = doc
        .tree
        .files
        .iter()
        .position(|f| f.display.ends_with(suffix))
        .unwrap_or_else(|| panic!("{suffix} was not loaded"));
    doc.tree.roots[i]
}

#[test]
fn multi_file_document_loads_each_file_once() {
    let doc = load_fixture_with("multi/api/openapi.yaml", multi_options()).unwrap();
    let shown: Vec<String> = doc
        .tree
        .files
        .iter()
        .map(|f| relative(&f.display))
        .collect();
    // `./schemas/user.yaml` and `schemas/user.yaml` are one file, read once.
    assert_eq!(
        shown,
        [
            "tests/fixtures/multi/api/openapi.yaml",
            "tests/fixtures/multi/api/schemas/user.yaml",
            "tests/fixtures/multi/common/params.yaml",
        ]
    );
    let paths: HashSet<_> = doc.tree.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(paths.len(), 3);
    assert!(doc.warnings.is_empty(), "{:?}", doc.warnings);
}

#[test]
fn recursive_schema_in_a_fragment_file_resolves() {
    let doc = load_fixture_with("multi/api/openapi.yaml", multi_options()).unwrap();
    let user = at(&doc, file_root(&doc, "schemas/user.yaml"), &["User"]);
    // The self-reference inside the fragment (`#/User` is relative to the fragment file).
    let items = at(&doc, user, &["properties", "friends", "items"]);
    assert_eq!(doc.ref_of(items), Some("#/User"));
    assert_eq!(doc.refs.get(&items), Some(&user));
    // The root's references to the fragment, spelled two ways, reach the same node.
    let component = at(&doc, doc.root, &["components", "schemas", "User"]);
    assert_eq!(doc.resolve(component), user);
    let response = at(
        &doc,
        doc.root,
        &[
            "paths",
            "/users/{id}",
            "get",
            "responses",
            "200",
            "content",
            "application/json",
            "schema",
        ],
    );
    assert_eq!(doc.resolve(response), user);
    // Nodes of the fragment report the fragment's own file and lines.
    assert_eq!(
        loc(&doc, user),
        "tests/fixtures/multi/api/schemas/user.yaml:2:1"
    );
    assert_eq!(
        loc(&doc, items),
        "tests/fixtures/multi/api/schemas/user.yaml:10:7"
    );
    assert_eq!(
        loc(&doc, at(&doc, items, &["$ref"])),
        "tests/fixtures/multi/api/schemas/user.yaml:11:9"
    );
    assert_eq!(doc.tree.pointer(items), "/User/properties/friends/items");
    // The schema is walked once although three references reach it.
    let walked = doc.objects.iter().filter(|(id, _)| *id == user).count();
    assert_eq!(walked, 1);
}

#[test]
fn ref_into_an_allowed_sibling_directory_resolves() {
    let doc = load_fixture_with("multi/api/openapi.yaml", multi_options()).unwrap();
    let param = at(
        &doc,
        doc.root,
        &["paths", "/users/{id}", "get", "parameters", "1"],
    );
    let limit = doc.resolve(param);
    assert_ne!(limit, param);
    assert_eq!(doc.tree.get_str(limit, "name"), Some("limit"));
    assert_eq!(doc.tree.get_str(limit, "in"), Some("query"));
    assert_eq!(
        loc(&doc, limit),
        "tests/fixtures/multi/common/params.yaml:3:5"
    );
    assert_eq!(doc.tree.pointer(limit), "/components/parameters/Limit");
}

#[test]
fn ref_into_a_sibling_directory_is_refused_unless_allowed() {
    let f = expect_failure(load_fixture("multi/api/openapi.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "ref-outside-root");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/multi/api/openapi.yaml:15:17"
    );
    assert!(
        !f.files.iter().any(|f| f.display.ends_with("params.yaml")),
        "the refused file was read"
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn escaped_and_percent_encoded_pointers_resolve() {
    let doc = load_fixture_with("multi/api/openapi.yaml", multi_options()).unwrap();
    // `#/paths/~1users~1%7Bid%7D/get/parameters/0`: `~1` is `/`, `%7B`/`%7D` are braces.
    let id_param = at(
        &doc,
        doc.root,
        &["paths", "/users/{id}", "get", "parameters", "0"],
    );
    let friends_param = at(
        &doc,
        doc.root,
        &["paths", "/users/{id}/friends", "get", "parameters", "0"],
    );
    assert_eq!(
        doc.ref_of(friends_param),
        Some("#/paths/~1users~1%7Bid%7D/get/parameters/0")
    );
    assert_eq!(doc.resolve(friends_param), id_param);
    assert_eq!(
        loc(&doc, id_param),
        "tests/fixtures/multi/api/openapi.yaml:10:11"
    );
    // `#/components/schemas/Odd/properties/a~1b~0c`: the property named `a/b~c`.
    let odd = at(
        &doc,
        doc.root,
        &["components", "schemas", "Odd", "properties", "a/b~c"],
    );
    let schema = at(
        &doc,
        doc.root,
        &[
            "paths",
            "/users/{id}/friends",
            "get",
            "responses",
            "200",
            "content",
            "application/json",
            "schema",
        ],
    );
    assert_eq!(doc.resolve(schema), odd);
    // Pointers built back from the tree escape the same way.
    assert_eq!(
        doc.tree.pointer(odd),
        "/components/schemas/Odd/properties/a~1b~0c"
    );
}

#[test]
fn every_ref_and_its_target() {
    let doc = load_fixture_with("multi/api/openapi.yaml", multi_options()).unwrap();
    let mut lines: Vec<String> = doc
        .refs
        .iter()
        .map(|(&from, &to)| {
            format!(
                "{} {} -> {} ({})",
                loc(&doc, from),
                doc.ref_of(from).unwrap_or("?"),
                loc(&doc, to),
                doc.tree.pointer(to)
            )
        })
        .collect();
    lines.sort();
    insta::assert_snapshot!(lines.join("\n"));
}
