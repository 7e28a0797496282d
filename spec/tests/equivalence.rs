//! The same API written in OpenAPI 3.0 and in 3.1 syntax gives the same typed model.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use specguard_spec::{Input, LoadOptions, load, model};
use std::path::PathBuf;

fn typed(name: &str) -> openapiv3::OpenAPI {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/equivalence")
        .join(name);
    let doc = load(&Input::Path(p), &LoadOptions::default()).unwrap_or_else(|f| panic!("{f}"));
    model::typed(&doc).unwrap()
}

#[test]
fn openapi_30_and_31_give_the_same_typed_model() {
    let mut a = typed("pets-3.0.yaml");
    let mut b = typed("pets-3.1.yaml");
    assert_eq!(b.openapi, "3.0.3", "3.1 is normalised into the 3.0 shape");
    a.openapi.clear();
    b.openapi.clear();
    let (ja, jb) = (
        serde_json::to_value(&a).unwrap(),
        serde_json::to_value(&b).unwrap(),
    );
    assert_eq!(ja, jb, "3.0:\n{ja:#}\n3.1:\n{jb:#}");
    // And the normalisation really happened (not two empty models).
    let pet = &ja["components"]["schemas"]["Pet"]["properties"];
    assert_eq!(pet["name"]["nullable"], true);
    assert_eq!(pet["kind"]["enum"][0], "dog");
    assert_eq!(
        ja["paths"]["/pets/{id}"]["get"]["parameters"][0]["schema"]["exclusiveMinimum"],
        true
    );
}
