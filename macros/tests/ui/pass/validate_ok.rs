//! `derive(ApiRequest)` implements `Validate` with the contract's bounds, so the type can
//! replace the generated request type (`types(..)`) and the router checks it before the handler.

use serde::{Deserialize, Serialize};
use specguard::validate::{Errors, Pointer, Validate};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specguard::ApiRequest)]
#[specguard(spec = "specs/bounds.yaml", schema = "Limits")]
pub struct Limits {
    small: u16,
    count: i32,
    big: i64,
}

specguard::api!("specs/bounds.yaml", module = bounds, types(Limits = crate::Limits));

fn main() {
    let l: Limits = specguard::serde_json::from_str(r#"{"small":301,"count":-2,"big":1}"#)
        .unwrap_or(Limits { small: 301, count: -2, big: 1 });
    let mut errors = Errors::new();
    l.validate(&mut Pointer::body(), &mut errors);
    let pointers: Vec<String> = errors.into_vec().into_iter().map(|e| e.pointer).collect();
    assert_eq!(pointers, ["/small", "/count"]);
    let _ = bounds::security_schemes::BEARER;
}
