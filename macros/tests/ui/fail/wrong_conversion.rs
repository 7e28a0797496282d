//! `into`: a field with no lossless conversion into the generated field's type is an error at
//! the field (here `u64` into the generated `i64` of `format: int64`).

use serde::Serialize;

specguard::api!("specs/users.yaml", module = users);

#[derive(Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User", into = "crate::users::User")]
struct Account {
    id: u64,
    name: String,
    email: String,
    nickname: Option<String>,
}

fn main() {}
