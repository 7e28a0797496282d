//! A secure petstore expanded from `openapi.yaml` at compile time by `specguard::api!` (no
//! `build.rs`), with an in-memory implementation whose domain type converts into the generated
//! response type (`#[derive(specguard::ApiResponse)]` with `into`). `tests/http.rs` exercises
//! it over real HTTP.

// The generated module `api`: types, the `PetstoreApi` trait, `PetstoreAuth` and `router`.
// Editing openapi.yaml rebuilds the crate.
specguard::api!("openapi.yaml");

pub mod service;
