//! Structural errors are placed at the offending node, with its JSON pointer.

mod common;

use common::*;

#[test]
fn paths_that_is_a_number() {
    let f = expect_failure(load_fixture("structure/paths-number.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "structure");
    assert_eq!(e.pointer.as_deref(), Some("/paths"));
    assert!(
        e.message.contains("expected object, found integer"),
        "{}",
        e.message
    );
    // A member is reported at its key.
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/structure/paths-number.yaml:5:1"
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn operation_that_is_a_list() {
    let f = expect_failure(load_fixture("structure/operation-list.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "structure");
    assert_eq!(e.pointer.as_deref(), Some("/paths/~1pets/get"));
    assert!(
        e.message.contains("expected object, found array"),
        "{}",
        e.message
    );
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/structure/operation-list.yaml:7:5"
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn parameter_without_in() {
    let f = expect_failure(load_fixture("structure/parameter-no-in.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "structure");
    assert_eq!(e.pointer.as_deref(), Some("/paths/~1pets/get/parameters/0"));
    assert!(e.message.contains("`in` is required"), "{}", e.message);
    // An array item has no key: the error points at the item itself.
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/structure/parameter-no-in.yaml:9:11"
    );
    insta::assert_snapshot!(render(&f));
}
