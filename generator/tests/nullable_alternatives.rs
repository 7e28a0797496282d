//! Regression (found by `roundtrip.rs`): `oneOf` with two or more alternatives plus
//! `{type: "null"}` — the OpenAPI 3.1 spelling of a nullable union — lost the null: the property
//! became the bare union type, so a request carrying `null` (which the contract allows) was
//! refused with "data did not match any variant of untagged enum".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;

const DOC: &str = r##"
openapi: 3.1.0
info: {title: Nulls, version: "1"}
paths:
  /things:
    post:
      operationId: addThing
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "204": {description: done}
components:
  schemas:
    Thing:
      type: object
      required: [required, notNull]
      properties:
        required:
          oneOf:
            - {type: integer, format: int64}
            - {type: string}
            - {type: "null"}
        optional:
          anyOf:
            - {type: boolean}
            - {type: string}
            - {type: "null"}
        notNull:
          oneOf:
            - {type: integer, format: int64}
            - {type: string}
"##;

/// The declared type of a field of `Thing`, without spaces.
fn field_type(module: &str, field: &str) -> String {
    let start = module.find("pub struct Thing ").expect("struct Thing");
    let body = &module[start..];
    let decl = format!("pub {field}:");
    let at = body.find(&decl).unwrap_or_else(|| panic!("field {field}"));
    let rest = &body[at + decl.len()..];
    rest[..rest.find(",\n").unwrap()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

#[test]
fn a_null_alternative_makes_the_union_nullable() {
    let g = common::generate(DOC);
    assert_eq!(
        field_type(&g.module, "required"),
        "Option<ThingRequired>",
        "required nullable union:\n{}",
        g.module
    );
    assert_eq!(
        field_type(&g.module, "optional"),
        "Option<Option<ThingOptional>>",
        "optional nullable union"
    );
    assert_eq!(field_type(&g.module, "not_null"), "ThingNotNull");
    // A required nullable field takes `null` but not absence.
    assert!(
        g.module
            .contains("deserialize_with = \"::specguard::serde_helpers::required_nullable\""),
        "{}",
        g.module
    );
}
