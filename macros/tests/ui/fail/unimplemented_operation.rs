//! A server cannot be started while an operation of the spec is unimplemented: the generated
//! trait has one required method per operation, and `router` needs the trait.

use specguard::ServerError;
use specguard::auth::{AuthError, Authenticator, BearerAuth, Subject};

specguard::api!("specs/users.yaml", module = users);

struct Service;

impl users::UsersApi for Service {
    type Principal = Subject;

    async fn get_user(
        &self,
        _principal: Subject,
        _params: users::GetUserParams,
    ) -> Result<users::GetUserResponse, ServerError> {
        Ok(users::GetUserResponse::NotFound)
    }
}

struct Auth;

impl Authenticator for Auth {
    type Principal = Subject;
}

impl BearerAuth for Auth {
    async fn verify_bearer(&self, _scheme: &str, _token: &str) -> Result<Subject, AuthError> {
        Err(AuthError::Invalid)
    }
}

fn main() {
    let _router = users::router(Service, Auth);
}
