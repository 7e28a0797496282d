//! A response struct that would send a writeOnly property.

#[derive(serde::Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
struct User {
    id: i64,
    name: String,
    email: String,
    password: String,
}

fn main() {}
