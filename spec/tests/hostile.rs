//! Hostile and malformed input: every case must fail with the right code and a position,
//! without panicking, hanging or exhausting memory.

mod common;

use common::*;
use specguard_spec::{Input, LoadOptions, ReadLimits};
use std::time::{Duration, Instant};

#[test]
fn yaml_alias_bomb_is_refused_quickly() {
    let started = Instant::now();
    let f = expect_failure(load_fixture("hostile/alias-bomb.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "too-many-nodes");
    // Refused at the first alias of level `g`, whose copy would pass the expansion budget
    // (levels a to f expand to 672 588 nodes, one more `*f` adds 597 871).
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/alias-bomb.yaml:8:8");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn yaml_alias_bomb_is_refused_even_with_a_large_node_budget() {
    // The alias budget holds on its own: a caller raising `max_nodes` for a huge genuine file
    // does not let a bomb through.
    let options = LoadOptions {
        limits: ReadLimits {
            max_nodes: usize::MAX,
            ..ReadLimits::default()
        },
        ..LoadOptions::default()
    };
    let f = expect_failure(load_fixture_with("hostile/alias-bomb.yaml", options));
    assert_eq!(single_error(&f).code, "too-many-nodes");
}

fn nested(open: &str, close: &str, depth: usize) -> String {
    let mut s = String::with_capacity(depth * (open.len() + close.len()));
    for _ in 0..depth {
        s.push_str(open);
    }
    for _ in 0..depth {
        s.push_str(close);
    }
    s
}

#[test]
fn deep_yaml_flow_nesting_is_refused() {
    let f = expect_failure(load_text("deep.yaml", nested("[", "]", 100_000)));
    let e = single_error(&f);
    assert_eq!(e.code, "too-deep");
    // The 129th `[` is one level past the cap of 128.
    assert_eq!(primary(&f, e), "deep.yaml:1:129");
    let f = expect_failure(load_text(
        "deep-map.yaml",
        format!("openapi: 3.0.3\nx: {}", nested("{a: ", "}", 100_000)),
    ));
    let e = single_error(&f);
    assert_eq!(e.code, "too-deep");
    // The root mapping is level 1, so the 128th `{a: ` (3 + 127 × 4 bytes in) is one too many.
    assert_eq!(primary(&f, e), "deep-map.yaml:2:512");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn deep_json_nesting_is_refused() {
    let f = expect_failure(load_text("deep.json", nested("[", "]", 100_000)));
    let e = single_error(&f);
    assert_eq!(e.code, "too-deep");
    assert_eq!(primary(&f, e), "deep.json:1:129");
    let f = expect_failure(load_text(
        "deep-object.json",
        nested("{\"a\":", "}", 100_000),
    ));
    let e = single_error(&f);
    assert_eq!(e.code, "too-deep");
    // Each level is 5 bytes: the 129th `{` starts at byte 640.
    assert_eq!(primary(&f, e), "deep-object.json:1:641");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn duplicate_key_in_yaml_names_both_places() {
    let f = expect_failure(load_fixture("hostile/duplicate-key.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "duplicate-key");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/duplicate-key.yaml:5:3"
    );
    assert_eq!(
        secondary(&f, e),
        [(
            "tests/fixtures/hostile/duplicate-key.yaml:3:3".to_string(),
            "first defined here".to_string()
        )]
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn duplicate_key_in_json_names_both_places() {
    let f = expect_failure(load_fixture("hostile/duplicate-key.json"));
    let e = single_error(&f);
    assert_eq!(e.code, "duplicate-key");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/duplicate-key.json:5:3"
    );
    assert_eq!(
        secondary(&f, e),
        [(
            "tests/fixtures/hostile/duplicate-key.json:2:3".to_string(),
            "first defined here".to_string()
        )]
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn invalid_utf8_is_refused_at_the_byte() {
    let text = b"openapi: 3.0.3\ninfo:\n  title: caf\xe9 cr\xe8me\n  version: '1'\npaths: {}\n";
    let f = expect_failure(load_text("latin1.yaml", &text[..]));
    let e = single_error(&f);
    assert_eq!(e.code, "invalid-utf8");
    assert_eq!(primary(&f, e), "latin1.yaml:3:13");
    assert!(e.message.contains("byte 33"), "{}", e.message);
    insta::assert_snapshot!(render(&f));
}

#[test]
fn unexpected_multibyte_character_renders() {
    // Readers point at one byte; the code frame must widen it to the whole character.
    let f = expect_failure(load_text("accent.json", "{\"openapi\": é}"));
    let e = single_error(&f);
    assert_eq!(e.code, "json-syntax");
    assert_eq!(primary(&f, e), "accent.json:1:13");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn empty_file_is_refused() {
    let f = expect_failure(load_fixture("hostile/empty.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "empty");
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/empty.yaml:1:1");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn file_with_only_comments_and_blanks_is_refused() {
    let f = expect_failure(load_fixture("hostile/comments-only.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "empty");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/comments-only.yaml:1:1"
    );
    insta::assert_snapshot!(render(&f));
    // Whitespace alone takes the other path (nothing left after trimming).
    let f = expect_failure(load_text("blank.yaml", " \n\t\n  \n"));
    let e = single_error(&f);
    assert_eq!(e.code, "empty");
    assert_eq!(primary(&f, e), "blank.yaml:1:1");
}

#[test]
fn array_root_is_not_openapi() {
    let f = expect_failure(load_fixture("hostile/root-array.json"));
    let e = single_error(&f);
    assert_eq!(e.code, "not-openapi");
    assert!(e.message.contains("an array"), "{}", e.message);
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/root-array.json:1:1");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn scalar_root_is_not_openapi() {
    let f = expect_failure(load_fixture("hostile/root-scalar.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "not-openapi");
    assert!(e.message.contains("a string"), "{}", e.message);
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/root-scalar.yaml:1:1"
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn swagger_2_is_refused_with_a_conversion_hint() {
    let f = expect_failure(load_fixture("hostile/swagger2.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "swagger-2");
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/swagger2.yaml:1:1");
    assert!(e.help.as_deref().unwrap_or("").contains("swagger2openapi"));
    insta::assert_snapshot!(render(&f));
}

#[test]
fn yaml_without_openapi_key_is_not_openapi() {
    let f = expect_failure(load_fixture("hostile/not-openapi.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "not-openapi");
    assert!(
        e.message.contains("name, version, dependencies"),
        "{}",
        e.message
    );
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/not-openapi.yaml:1:1"
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn json_without_openapi_key_is_not_openapi() {
    let f = expect_failure(load_fixture("hostile/not-openapi.json"));
    let e = single_error(&f);
    assert_eq!(e.code, "not-openapi");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/not-openapi.json:1:1"
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn openapi_4_is_unsupported() {
    let f = expect_failure(load_fixture("hostile/openapi4.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "unsupported-version");
    assert_eq!(e.pointer.as_deref(), Some("/openapi"));
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/openapi4.yaml:1:10");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn root_file_over_the_size_cap_is_refused() {
    let options = LoadOptions {
        max_file_size: 16,
        ..LoadOptions::default()
    };
    let f = expect_failure(load_fixture_with("hostile/openapi4.yaml", options.clone()));
    let e = single_error(&f);
    assert_eq!(e.code, "too-large");
    // Nothing of the file was read, so there is no line to point at; the message names it.
    assert!(e.primary.is_none());
    assert_eq!(
        relative(&e.message),
        "tests/fixtures/hostile/openapi4.yaml is 62 bytes, over the 16-byte limit"
    );
    insta::assert_snapshot!(render(&f));
    // The same cap applies to text read from stdin.
    let f = expect_failure(load_bounded(
        Input::Text {
            name: "-".into(),
            text: b"openapi: 3.0.3\ninfo: {}\n".to_vec(),
            base_dir: fixture(""),
        },
        options,
    ));
    assert_eq!(single_error(&f).code, "too-large");
}

#[test]
fn referenced_file_over_the_size_cap_is_refused_at_the_ref() {
    // The root file fits, the file its `$ref` names does not.
    let root = std::fs::metadata(fixture("hostile/big-ref.yaml"))
        .unwrap()
        .len();
    let target = std::fs::metadata(fixture("hostile/big-ref-target.yaml"))
        .unwrap()
        .len();
    assert!(target > root);
    let options = LoadOptions {
        max_file_size: root,
        ..LoadOptions::default()
    };
    let f = expect_failure(load_fixture_with("hostile/big-ref.yaml", options));
    let e = single_error(&f);
    assert_eq!(e.code, "too-large");
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/big-ref.yaml:9:13");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn remote_ref_is_refused_without_touching_the_network() {
    let started = Instant::now();
    let f = expect_failure(load_fixture("hostile/remote-ref.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "ref-remote");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/remote-ref.yaml:9:13"
    );
    insta::assert_snapshot!(render(&f));
    // Every spelling of a network reference is refused before any resolution: an
    // unroutable address would make a fetch hang for its whole timeout.
    for r in [
        "http://10.255.255.1/x.yaml#/Pet",
        "HTTPS://example.com/x.yaml",
        "//example.com/x.yaml",
    ] {
        let text = format!(
            "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\n\
             components: {{schemas: {{Pet: {{$ref: '{r}'}}}}}}\n"
        );
        let f = expect_failure(load_text("remote.yaml", text));
        assert_eq!(single_error(&f).code, "ref-remote", "{r}");
    }
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "took {:?}",
        started.elapsed()
    );
}

#[test]
fn ref_outside_the_root_directory_is_refused() {
    let f = expect_failure(load_fixture("escape/root/openapi.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "ref-outside-root");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/escape/root/openapi.yaml:9:13"
    );
    // The file outside was never read.
    assert_eq!(f.files.len(), 1);
    insta::assert_snapshot!(render(&f));
}

#[test]
fn ref_outside_the_root_directory_loads_when_its_directory_is_allowed() {
    let options = LoadOptions {
        allow_ref_dirs: vec![fixture("escape")],
        ..LoadOptions::default()
    };
    let doc = load_fixture_with("escape/root/openapi.yaml", options).unwrap();
    let schemas = doc
        .tree
        .get(doc.tree.get(doc.root, "components").unwrap(), "schemas");
    let thing = doc.tree.get(schemas.unwrap(), "Thing").unwrap();
    let target = doc.resolve(thing);
    assert_ne!(target, thing);
    assert_eq!(doc.tree.get_str(target, "type"), Some("object"));
    assert_eq!(
        relative(&doc.display_location(target)),
        "tests/fixtures/escape/outside.yaml:1:1"
    );
    assert_eq!(doc.tree.files.len(), 2);
}

#[test]
fn ref_cycle_names_the_chain() {
    let f = expect_failure(load_fixture("hostile/cycle.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "ref-cycle");
    assert!(
        e.message
            .contains("#/components/schemas/A → #/components/schemas/B → #/components/schemas/A"),
        "{}",
        e.message
    );
    // Reported once, at the chain's first reference, the other link as context.
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/cycle.yaml:9:13");
    assert_eq!(
        secondary(&f, e),
        [(
            "tests/fixtures/hostile/cycle.yaml:11:13".to_string(),
            "which refers on here".to_string()
        )]
    );
    insta::assert_snapshot!(render(&f));
    // A reference to itself is the shortest loop.
    let f = expect_failure(load_text(
        "self.yaml",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n\
         components: {schemas: {A: {$ref: '#/components/schemas/A'}}}\n",
    ));
    let e = single_error(&f);
    assert_eq!(e.code, "ref-cycle");
    assert_eq!(primary(&f, e), "self.yaml:4:34");
    assert!(e.secondary.is_empty());
}

#[test]
fn ref_cycle_across_files_names_each_file() {
    let f = expect_failure(load_fixture("hostile/cycle-files.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "ref-cycle");
    assert_eq!(
        relative(&e.message),
        "`$ref` chain never reaches a value: #/components/schemas/Pet → \
         tests/fixtures/hostile/cycle-a.yaml#/Pet → tests/fixtures/hostile/cycle-b.yaml#/Animal → \
         tests/fixtures/hostile/cycle-a.yaml#/Pet"
    );
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/cycle-files.yaml:9:13"
    );
    let links: Vec<String> = secondary(&f, e).into_iter().map(|(l, _)| l).collect();
    assert_eq!(
        links,
        [
            "tests/fixtures/hostile/cycle-a.yaml:2:9",
            "tests/fixtures/hostile/cycle-b.yaml:2:9"
        ]
    );
    assert_eq!(f.files.len(), 3);
    insta::assert_snapshot!(render(&f));
}

#[test]
fn ref_to_a_missing_pointer_is_not_found() {
    let f = expect_failure(load_fixture("hostile/missing-pointer.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "ref-not-found");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/missing-pointer.yaml:14:23"
    );
    assert_eq!(
        e.pointer.as_deref(),
        Some("/paths/~1pets/get/responses/200/content/application~1json/schema/$ref")
    );
    insta::assert_snapshot!(render(&f));
}

#[test]
fn malformed_yaml_reports_line_and_column() {
    let f = expect_failure(load_fixture("hostile/syntax.yaml"));
    let e = single_error(&f);
    assert_eq!(e.code, "yaml-syntax");
    // The flow mapping opened on line 7 is still open: `/owners` is where `,` or `}` was due.
    assert_eq!(primary(&f, e), "tests/fixtures/hostile/syntax.yaml:8:3");
    insta::assert_snapshot!(render(&f));
}

#[test]
fn json_trailing_comma_reports_line_and_column() {
    let f = expect_failure(load_fixture("hostile/trailing-comma.json"));
    let e = single_error(&f);
    assert_eq!(e.code, "json-syntax");
    assert_eq!(
        primary(&f, e),
        "tests/fixtures/hostile/trailing-comma.json:5:1"
    );
    assert!(e.message.contains("found `}`"), "{}", e.message);
    insta::assert_snapshot!(render(&f));
}
