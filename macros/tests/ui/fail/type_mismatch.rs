//! A response struct whose fields would serialise differently from the schema.

#[derive(serde::Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
struct User {
    id: String,
    name: String,
    email: String,
    tags: std::collections::BTreeMap<String, String>,
}

fn main() {}
