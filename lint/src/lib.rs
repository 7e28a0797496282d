//! specguard-lint: security rules for OpenAPI documents, mapped to the OWASP API Security
//! Top 10 (2023); configuration, inline ignores, baselines and output formats.

pub mod baseline;
pub mod config;
pub mod context;
pub mod engine;
pub mod finding;
pub mod registry;
pub mod render;
pub mod rule;
pub mod rules;

pub use config::Config;
pub use engine::{Selection, lint};
pub use finding::Finding;
pub use rule::{Owasp, Rule, RuleMeta, Severity};

/// Shared imports for rule files.
pub mod prelude {
    pub use crate::context::Context;
    pub use crate::rule::{Owasp, Report, Rule, RuleMeta, Severity};
    pub use specguard_spec::NodeId;
    pub use specguard_spec::view::{Operation, ParamIn, Security};
}
