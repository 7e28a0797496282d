//! `Settings::templates_dir` replaces built-in skeletons file by file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::generate_with;
use specguard_generator::Settings;

const SPEC: &str = r##"
openapi: 3.0.3
info: {title: "T\"; evil", version: "1"}
security: [{k: []}]
paths:
  /x:
    get:
      operationId: getX
      responses:
        "204": {description: ok}
components:
  securitySchemes:
    k: {type: apiKey, in: header, name: X-Key}
"##;

#[test]
fn user_templates_override_builtin_ones() {
    let dir = std::env::temp_dir().join(format!("specguard-templates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("README.md.tera"),
        "# {{ crate_name }} / {{ trait_name }}\n",
    )
    .unwrap();
    let settings = Settings {
        templates_dir: Some(dir.clone()),
        ..Settings::default()
    };
    let g = generate_with(SPEC, settings).unwrap();
    let readme = g
        .files
        .iter()
        .find(|f| f.path.ends_with("README.md"))
        .unwrap();
    assert_eq!(readme.contents, "# t-evil / TEvilApi\n");
    let cargo = g
        .files
        .iter()
        .find(|f| f.path.ends_with("Cargo.toml"))
        .unwrap();
    assert!(
        cargo.contents.contains("name = \"t-evil\""),
        "built-in kept: {}",
        cargo.contents
    );
    std::fs::write(dir.join("main.rs.tera"), "{{ nope }").unwrap();
    let settings = Settings {
        templates_dir: Some(dir.clone()),
        ..Settings::default()
    };
    let e = generate_with(SPEC, settings).unwrap_err();
    assert!(e.problems[0].message.contains("does not render"), "{e}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The built-in skeletons are the crate's own `templates/` (embedded, so the published crate
/// is self-contained): pointing `templates_dir` at that directory changes nothing.
#[test]
fn built_in_templates_are_the_crate_templates_directory() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    for name in [
        "Cargo.toml.tera",
        "main.rs.tera",
        "handlers.rs.tera",
        "README.md.tera",
    ] {
        assert!(dir.join(name).is_file(), "{name} is in the crate");
    }
    let built_in = generate_with(SPEC, Settings::default()).unwrap();
    let from_dir = generate_with(
        SPEC,
        Settings {
            templates_dir: Some(dir),
            ..Settings::default()
        },
    )
    .unwrap();
    assert_eq!(built_in.files, from_dir.files);
}
