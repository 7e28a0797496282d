//! A request struct with fields the schema does not list (`is_admin`, and `role` under a
//! rename_all rule).

#[derive(serde::Deserialize, specguard::ApiRequest)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
#[serde(rename_all = "camelCase")]
struct NewUser {
    name: String,
    email: String,
    is_admin: bool,
    user_role: String,
}

fn main() {}
