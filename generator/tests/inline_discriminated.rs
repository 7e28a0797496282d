//! Inline `oneOf` alternatives under a discriminator, each fixing the property with `const` or
//! a one-value `enum` (OpenAI's `RealtimeTurnDetection`): the fixed value is the tag.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;

/// A public operation whose JSON body is a `oneOf` under `discriminator: {propertyName: type}`;
/// `alternatives` is the YAML list of the `oneOf`, indented for it.
fn spec(alternatives: &str) -> String {
    format!(
        r##"
openapi: 3.1.0
info: {{title: T, version: "1"}}
paths:
  /turns:
    post:
      operationId: setTurn
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              discriminator: {{propertyName: type}}
              oneOf:
{alternatives}
      responses:
        "204": {{description: ok}}
"##
    )
}

#[test]
fn const_and_single_enum_tag_inline_alternatives() {
    let g = common::generate(&spec(
        r##"                - type: object
                  title: Server VAD
                  required: [type]
                  properties:
                    type: {type: string, const: server_vad}
                    threshold: {type: number}
                - type: object
                  required: [type]
                  properties:
                    type: {type: string, enum: [semantic_vad]}
                    eagerness: {type: string}"##,
    ));
    assert!(g.module.contains(r#""server_vad" =>"#), "{}", g.module);
    assert!(g.module.contains(r#""semantic_vad" =>"#), "{}", g.module);
}

#[test]
fn an_inline_alternative_without_a_fixed_value_drops_the_discriminator() {
    let g = common::generate_with(
        &spec(
            r##"                - type: object
                  properties:
                    type: {type: string, enum: [a, b]}
                - type: object
                  properties:
                    type: {type: string, const: c}"##,
        ),
        specguard_generator::Settings::default(),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let warnings: Vec<String> = g.warnings.iter().map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains(
            "no discriminator value: the discriminator is ignored and the alternatives are matched by their shape"
        )),
        "{warnings:?}"
    );
    // No tag dispatch: the alternatives are tried by shape.
    assert!(!g.module.contains(r#""c" =>"#), "{}", g.module);
}
