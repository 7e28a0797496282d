//! Structs that match their schemas pass both derives.

use serde::{Deserialize, Serialize};

/// The response form of `User`: `password` is writeOnly, so it is absent; `nickname` is
/// nullable; `tags` is optional, so `None` is left out rather than sent as null.
#[derive(Serialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
#[serde(rename_all = "camelCase")]
struct UserView {
    id: i64,
    name: String,
    #[serde(rename = "email")]
    contact: String,
    nickname: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<String>>,
    /// Internal state never reaches the wire.
    #[serde(skip)]
    password_hash: String,
}

/// The request form: no `id` (readOnly), `password` accepted (writeOnly).
#[derive(Deserialize, specguard::ApiRequest)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
struct NewUser {
    name: String,
    email: String,
    nickname: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    password: Option<String>,
    /// Set by the server, never bound from the request.
    #[serde(skip_deserializing)]
    id: i64,
}

fn schema_of<T: specguard::CheckedResponse>() -> &'static str {
    T::SCHEMA
}

fn request_schema_of<T: specguard::CheckedRequest>() -> &'static str {
    T::SCHEMA
}

fn main() {
    let view = UserView {
        id: 1,
        name: "Ada".into(),
        contact: "ada@example.com".into(),
        nickname: None,
        tags: None,
        password_hash: "x".into(),
    };
    let json = specguard::serde_json::to_string(&view).unwrap_or_default();
    assert_eq!(json, r#"{"id":1,"name":"Ada","email":"ada@example.com","nickname":null}"#);
    assert_eq!(schema_of::<UserView>(), "User");
    assert_eq!(request_schema_of::<NewUser>(), "User");
    let body = r#"{"name":"Ada","email":"ada@example.com","password":"correct horse battery"}"#;
    let user: Option<NewUser> = specguard::serde_json::from_str(body).ok();
    assert!(user.is_some_and(|u| u.id == 0 && u.tags.is_empty() && u.password.is_some() && u.nickname.is_none()));
}
