//! specguard-spec: loads OpenAPI 3.0 and 3.1 documents (YAML or JSON, split over several files)
//! into a positioned tree, resolves `$ref`s safely, checks the structure against the official
//! schema, and offers a typed view (openapiv3) of 3.0 and normalised 3.1 documents.

mod build;
pub mod diag;
mod instance;
pub mod inventory;
mod json;
pub mod load;
pub mod model;
pub mod pointer;
pub mod sensitive;
pub mod source;
pub mod timing;
pub mod tree;
pub mod validate;
pub mod view;
pub mod walk;
mod yaml;

pub use build::ReadLimits;
pub use diag::{LoadError, LoadFailure};
#[doc(hidden)]
pub use json::split_read_outcomes;
pub use load::{Document, Input, LoadOptions, MAP_MIN_SIZE, Version, load};
pub use source::{FileId, LineCol, SourceFile, Span, Text};
pub use tree::{Member, NodeId, Tree, Value};
pub use walk::Kind;
