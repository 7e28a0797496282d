//! Object-level authorization (OWASP API1:2023, broken object level authorization).
//!
//! Authentication says who the caller is; it does not say whether the caller may touch *this*
//! pet, order or account. For every operation whose path carries an identifier-like parameter
//! (`{petId}`, `{id}`, `{orderNumber}`), the generated API trait has one hook per resource:
//!
//! ```text
//! fn authorize_pet(&self, principal: Option<&Self::Principal>, pet_id: &i64, access: Access)
//!     -> impl Future<Output = Result<(), Problem>> + Send
//! ```
//!
//! The router calls it after authentication and parameter validation and before the body is
//! read or the handler runs. Its default body **denies** (403): a service that forgets to
//! decide does not leak, and the decision lives in one place per resource instead of being
//! repeated (or forgotten) in every handler. `principal` is `None` only for operations the
//! contract marks public or that allow anonymous access.

use crate::problem::Problem;

/// What the caller is trying to do with the object.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    /// The operation's `operationId` (or the generated method name when it has none).
    pub operation_id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// `POST`, `PUT`, `PATCH` or `DELETE`.
    pub write: bool,
}

/// The default decision of every generated hook.
pub fn deny() -> Result<(), Problem> {
    Err(Problem::forbidden())
}
