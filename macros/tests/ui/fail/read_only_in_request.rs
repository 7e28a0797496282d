//! A request struct that binds a readOnly property (mass assignment).

#[derive(serde::Deserialize, specguard::ApiRequest)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
struct NewUser {
    id: i64,
    name: String,
    email: String,
}

fn main() {}
