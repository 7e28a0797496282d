//! A response struct without a property the schema requires.

#[derive(serde::Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
struct User {
    id: i64,
    name: String,
}

fn main() {}
