//! Inline `oneOf` alternatives under a discriminator, each fixing the property with `const` or
//! a one-value `enum` (OpenAI's `RealtimeTurnDetection`): the fixed value is the tag.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;

#[test]
fn const_and_single_enum_tag_inline_alternatives() {
    let g = common::generate(
        r##"
openapi: 3.1.0
info: {title: T, version: "1"}
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
              discriminator: {propertyName: type}
              oneOf:
                - type: object
                  title: Server VAD
                  required: [type]
                  properties:
                    type: {type: string, const: server_vad}
                    threshold: {type: number}
                - type: object
                  required: [type]
                  properties:
                    type: {type: string, enum: [semantic_vad]}
                    eagerness: {type: string}
      responses:
        "204": {description: ok}
"##,
    );
    assert!(g.module.contains(r#""server_vad" =>"#), "{}", g.module);
    assert!(g.module.contains(r#""semantic_vad" =>"#), "{}", g.module);
}

#[test]
fn an_inline_alternative_without_a_fixed_value_still_fails() {
    let Err(e) = common::generate_with(
        r##"
openapi: 3.1.0
info: {title: T, version: "1"}
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
              discriminator: {propertyName: type}
              oneOf:
                - type: object
                  properties:
                    type: {type: string, enum: [a, b]}
                - type: object
                  properties:
                    type: {type: string, const: c}
      responses:
        "204": {description: ok}
"##,
        specguard_generator::Settings::default(),
    ) else {
        panic!("an alternative with two possible tags was generated");
    };
    assert!(e.to_string().contains("no discriminator value"), "{e}");
}
