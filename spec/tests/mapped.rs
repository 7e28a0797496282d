//! Large files mapped into memory (`LoadOptions::map_large_files`) load exactly as read ones:
//! the same tree, the same positions, the same errors.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use specguard_spec::{Input, LoadOptions, MAP_MIN_SIZE};
use std::path::Path;

fn options(map: bool) -> LoadOptions {
    LoadOptions {
        map_large_files: map,
        ..LoadOptions::default()
    }
}

/// A valid JSON document of a little over `MAP_MIN_SIZE` bytes, non-ASCII text included.
fn big_document(with: &str) -> String {
    let mut paths = String::new();
    let mut i = 0;
    while paths.len() < MAP_MIN_SIZE as usize {
        if i > 0 {
            paths.push(',');
        }
        paths.push_str(&format!(
            r#""/items{i}": {{"get": {{"description": "Größe {i} – {with}", "responses": {{"200": {{"description": "ok"}}}}}}}}"#
        ));
        i += 1;
    }
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "big", "version": "1"}}, "paths": {{{paths}}}}}"#
    )
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

#[test]
fn a_mapped_file_gives_the_tree_and_positions_of_a_read_one() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.json", big_document("x").as_bytes());
    let mapped = load_bounded(Input::Path(p.clone()), options(true)).unwrap();
    let read = load_bounded(Input::Path(p), options(false)).unwrap();
    assert!(mapped.tree.files[0].text.is_mapped());
    assert!(!read.tree.files[0].text.is_mapped());
    assert_eq!(*mapped.tree.files[0].text, *read.tree.files[0].text);
    let root = |d: &specguard_spec::Document| d.tree.to_json(d.tree.roots[0]);
    assert_eq!(root(&mapped), root(&read));
    assert_eq!(mapped.tree.nodes.len(), read.tree.nodes.len());
    for (a, b) in mapped.tree.nodes.iter().zip(&read.tree.nodes) {
        assert_eq!(a.span, b.span);
    }
    let last = mapped.tree.nodes.last().unwrap().span.start;
    assert_eq!(
        mapped.tree.files[0].line_col(last),
        read.tree.files[0].line_col(last)
    );
}

#[test]
fn small_files_are_read_even_when_mapping_is_on() {
    let doc = load_fixture_with("hostile/openapi4.yaml", options(true));
    let f = expect_failure(doc);
    assert!(!f.files[0].text.is_mapped());
}

#[test]
fn a_mapped_file_that_is_not_utf8_fails_as_a_read_one() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = big_document("x").into_bytes();
    let at = bytes.len() / 2;
    bytes[at] = 0xff;
    let p = write(dir.path(), "latin1.json", &bytes);
    let mapped = expect_failure(load_bounded(Input::Path(p.clone()), options(true)));
    let read = expect_failure(load_bounded(Input::Path(p), options(false)));
    assert_eq!(single_error(&mapped).code, "invalid-utf8");
    assert_eq!(render(&mapped), render(&read));
    assert!(
        single_error(&mapped)
            .message
            .contains(&format!("byte {at}")),
        "{}",
        single_error(&mapped).message
    );
}

#[test]
fn a_mapped_file_over_the_size_cap_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.json", big_document("x").as_bytes());
    let options = LoadOptions {
        max_file_size: MAP_MIN_SIZE,
        ..options(true)
    };
    let f = expect_failure(load_bounded(Input::Path(p), options));
    assert_eq!(single_error(&f).code, "too-large");
}
