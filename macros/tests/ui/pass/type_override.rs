//! `types(User = ...)`: the generated module uses your checked type for `User`.

use serde::{Deserialize, Serialize};
use specguard::ServerError;
use specguard::auth::Subject;

/// The contract's `User` response, as this crate wants to hold it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, specguard::ApiResponse)]
#[specguard(spec = "specs/users.yaml", schema = "User")]
pub struct Account {
    pub id: i64,
    pub name: String,
    pub email: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip)]
    pub password_hash: String,
}

/// Responses are not validated at run time; the generated code still requires the trait.
impl specguard::validate::Validate for Account {
    fn validate(
        &self,
        _at: &mut specguard::validate::Pointer,
        _errors: &mut specguard::validate::Errors,
    ) {
    }
}

specguard::api!("specs/users.yaml", module = users, types(User = crate::Account));

struct Service;

impl users::UsersApi for Service {
    type Principal = Subject;

    async fn create_user(
        &self,
        _principal: Subject,
        body: users::UserInput,
    ) -> Result<users::CreateUserResponse, ServerError> {
        Ok(users::CreateUserResponse::Created(Account {
            id: 7,
            name: body.name,
            email: body.email,
            tags: body.tags,
            password_hash: String::new(),
        }))
    }

    async fn get_user(
        &self,
        _principal: Subject,
        _params: users::GetUserParams,
    ) -> Result<users::GetUserResponse, ServerError> {
        Ok(users::GetUserResponse::NotFound)
    }
}

fn main() {
    let user: users::User = Account {
        id: 1,
        name: "Ada".into(),
        email: "ada@example.com".into(),
        tags: None,
        password_hash: "secret".into(),
    };
    let json = specguard::serde_json::to_string(&user).unwrap_or_default();
    assert_eq!(json, r#"{"id":1,"name":"Ada","email":"ada@example.com"}"#);
    let _ = Service;
}
