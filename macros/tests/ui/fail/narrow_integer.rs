//! A request field whose integer type cannot hold a value the contract allows: the request
//! would be refused before validation. Each is an error at the field's type.

use serde::Deserialize;

#[derive(Deserialize, specguard::ApiRequest)]
#[specguard(spec = "specs/bounds.yaml", schema = "Limits")]
struct Limits {
    small: u8,
    count: u32,
    big: i32,
}

fn main() {}
