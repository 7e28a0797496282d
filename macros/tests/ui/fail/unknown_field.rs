//! A response struct with a field the schema does not list (an excessive data exposure).
//! The marker impl is still emitted, so using the type where a checked one is required adds
//! no second error.

#[derive(serde::Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
struct User {
    id: i64,
    name: String,
    email: String,
    password_hash: String,
}

fn send<T: specguard::CheckedResponse>(_: &T) {}

fn main() {
    send(&User {
        id: 1,
        name: String::new(),
        email: String::new(),
        password_hash: String::new(),
    });
}
