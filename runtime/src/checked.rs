//! Marker traits implemented by `#[derive(specguard::ApiResponse)]` and
//! `#[derive(specguard::ApiRequest)]`.
//!
//! The derives check a struct against a schema of the OpenAPI document at compile time (every
//! serialised field must be listed, types must serialise as the schema says, required
//! properties must be present, a request type may not bind `readOnly` properties). They always
//! implement one of these traits — also when the check failed, next to the errors — so that a
//! failed check is reported once, at the struct, and not again wherever the type is used.
//!
//! Bound on them where a checked type is required:
//!
//! ```
//! fn send<T: specguard::CheckedResponse>(body: &T) -> String {
//!     format!("{} checked against {}", specguard::serde_json::json!(body), T::SCHEMA)
//! }
//! ```

/// A type whose serialised form was checked against a response schema.
pub trait CheckedResponse: serde::Serialize {
    /// The schema it was checked against (`components/schemas/<SCHEMA>`).
    const SCHEMA: &'static str;
    /// The document, as written in the attribute.
    const SPEC: &'static str;
}

/// A type whose deserialised form was checked against a request schema.
pub trait CheckedRequest: serde::de::DeserializeOwned {
    /// The schema it was checked against (`components/schemas/<SCHEMA>`).
    const SCHEMA: &'static str;
    /// The document, as written in the attribute.
    const SPEC: &'static str;
}
