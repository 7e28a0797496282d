//! `Option` where the schema requires a non-null value, and `None` sent as null where the
//! property is optional but not nullable.

#[derive(serde::Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
struct User {
    id: i64,
    name: Option<String>,
    email: String,
    tags: Option<Vec<String>>,
}

fn main() {}
