//! A derive naming a schema the document does not have: the error lists the schemas.

#[derive(serde::Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "Usr")]
struct User {
    id: i64,
}

fn main() {}
