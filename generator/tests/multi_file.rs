//! Documents split over several files: alternatives that are whole files, and a discriminator
//! whose `mapping` names them by relative path (the layout of Redocly's openapi-starter).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

use specguard_generator::{Generated, Generator, Settings};
use specguard_spec::{Input, LoadOptions};

/// Write `files` (the first is the root document) to a scratch directory and generate.
fn generate_files(label: &str, files: &[(&str, &str)]) -> Generated {
    let dir = std::env::temp_dir().join(format!("specguard-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for (rel, text) in files {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let doc =
        specguard_spec::load(&Input::Path(dir.join(files[0].0)), &LoadOptions::default()).unwrap();
    let g = Generator::new(Settings::default()).generate(&doc).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    g
}

#[test]
fn discriminator_mapping_to_whole_files() {
    let g = generate_files(
        "multi-file",
        &[
            (
                "openapi.yaml",
                r##"
openapi: 3.1.0
info: {title: Cafe, version: "1"}
paths:
  /items:
    post:
      operationId: createItem
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "./schemas/Item.yaml"}
      responses:
        "204": {description: created}
"##,
            ),
            (
                "schemas/Item.yaml",
                r##"
discriminator:
  propertyName: category
  mapping:
    beverage: ./Beverage.yaml
    dessert: ./Dessert.yaml
oneOf:
  - $ref: ./Beverage.yaml
  - $ref: ./Dessert.yaml
"##,
            ),
            (
                "schemas/Beverage.yaml",
                "type: object\nrequired: [category]\nproperties:\n  category: {type: string}\n  volume: {type: number}\n",
            ),
            (
                "schemas/Dessert.yaml",
                "type: object\nrequired: [category]\nproperties:\n  category: {type: string}\n  calories: {type: integer}\n",
            ),
        ],
    );
    // Each alternative is named after its file and dispatched on its mapping key.
    assert!(g.module.contains("Beverage(Beverage)"), "{}", g.module);
    assert!(g.module.contains("Dessert(Dessert)"), "{}", g.module);
    assert!(g.module.contains(r#""beverage" =>"#), "{}", g.module);
    assert!(g.module.contains(r#""dessert" =>"#), "{}", g.module);
}

/// DigitalOcean's layout: alternatives are nodes inside a models file (not components), and
/// the mapping repeats the references the alternatives write.
#[test]
fn discriminator_mapping_repeating_the_alternatives_references() {
    let g = generate_files(
        "multi-file-do",
        &[
            (
                "openapi.yaml",
                r##"
openapi: 3.0.3
info: {title: Dns, version: "1"}
paths:
  /records:
    post:
      operationId: createRecord
      security: []
      requestBody:
        required: true
        content:
          application/json:
            schema:
              anyOf:
                - $ref: 'models/records.yml#/record_a'
                - $ref: 'models/records.yml#/record_mx'
              discriminator:
                propertyName: type
                mapping:
                  A: 'models/records.yml#/record_a'
                  MX: 'models/records.yml#/record_mx'
      responses:
        "204": {description: created}
"##,
            ),
            (
                "models/records.yml",
                r##"
record_a:
  type: object
  required: [type, data]
  properties:
    type: {type: string}
    data: {type: string}
record_mx:
  type: object
  required: [type, priority]
  properties:
    type: {type: string}
    priority: {type: integer}
"##,
            ),
        ],
    );
    assert!(g.module.contains(r#""A" =>"#), "{}", g.module);
    assert!(g.module.contains(r#""MX" =>"#), "{}", g.module);
}
