//! `api!` expands to the generator's module: implement the trait and build the router.

use specguard::ServerError;
use specguard::auth::{AuthError, Authenticator, BearerAuth, Subject};

specguard::api!("specs/users.yaml", module = users);

struct Service;

impl users::UsersApi for Service {
    type Principal = Subject;

    async fn create_user(
        &self,
        _principal: Subject,
        body: users::UserInput,
    ) -> Result<users::CreateUserResponse, ServerError> {
        Ok(users::CreateUserResponse::Created(users::User {
            id: 1,
            name: body.name,
            email: body.email,
            nickname: body.nickname,
            tags: body.tags,
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
    let _router: specguard::axum::Router = users::router(Service, Auth);
}
