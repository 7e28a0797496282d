//! # specguard-macros
//!
//! Build-time specguard, re-exported by the `specguard` runtime crate (use it as
//! `specguard::api!`, `#[derive(specguard::ApiResponse)]`, `#[derive(specguard::ApiRequest)]`).
//!
//! - [`api!`](macro@api) loads an OpenAPI document and expands to exactly the module
//!   `specguard-generator` produces for it (the same code path as the CLI and `build.rs`).
//! - [`ApiResponse`](derive@ApiResponse) and [`ApiRequest`](derive@ApiRequest) check a struct of
//!   yours against a schema of the document: every serialised field must be listed, serialise
//!   as the schema says, and required properties must be present; a request type may not bind
//!   `readOnly` properties (mass assignment), a response type may not send `writeOnly` ones.
//!
//! The crate is thin (parse → check against the spec → expand): loading and generation live in
//! `specguard-spec` and `specguard-generator`. Every problem is collected and reported with a
//! span and the fix; nothing panics on any input; after errors the derives still emit their
//! marker impl so a failed check is reported once. Spec paths are relative to
//! `CARGO_MANIFEST_DIR` (or to `SPECGUARD_SPEC_ROOT` when set, for test harnesses), and every
//! file of the document is `include_bytes!`-ed so that editing the spec rebuilds.
//!
//! See `README.md` for the options.

use proc_macro::TokenStream;

mod api;
mod contract;
mod convert;
mod derive;
mod generated;
mod rust_type;
mod serde_attrs;
mod spec;
mod validation;

/// Expand an OpenAPI document into the generated server module at compile time.
///
/// ```ignore
/// specguard::api!("openapi.yaml");                          // pub mod api { ... }
/// specguard::api!("openapi.yaml", module = petstore, allow_unauthenticated = true);
/// ```
///
/// Options: `module = ident` (default `api`), `allow_unauthenticated = bool`,
/// `trait_name = "Name"`, `max_body_bytes = N`, `types(Schema = path::ToYourType, ...)`.
/// A document that does not load or generate is a compile error at this call carrying every
/// problem with its `file:line:col` and fix.
#[proc_macro]
pub fn api(input: TokenStream) -> TokenStream {
    api::expand(input.into()).into()
}

/// Check a struct's serialised form against a response schema of the document.
///
/// ```ignore
/// #[derive(serde::Serialize, specguard::ApiResponse)]
/// #[specguard(spec = "openapi.yaml", schema = "User")]
/// struct User { id: i64, name: String }
/// ```
///
/// Implements `specguard::CheckedResponse`.
#[proc_macro_derive(ApiResponse, attributes(specguard))]
pub fn api_response(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), contract::Side::Response).into()
}

/// Check a struct's deserialised form against a request schema of the document.
///
/// ```ignore
/// #[derive(serde::Deserialize, specguard::ApiRequest)]
/// #[specguard(spec = "openapi.yaml", schema = "NewUser")]
/// struct NewUser { name: String }
/// ```
///
/// Implements `specguard::CheckedRequest`.
#[proc_macro_derive(ApiRequest, attributes(specguard))]
pub fn api_request(input: TokenStream) -> TokenStream {
    derive::expand(input.into(), contract::Side::Request).into()
}
