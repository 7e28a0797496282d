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

/// One rule's documentation page (what `specguard rule NAME` prints; docs/rules/NAME.md).
pub fn rule_markdown(m: &RuleMeta) -> String {
    let cwe = if m.cwe.is_empty() {
        "-".to_string()
    } else {
        m.cwe
            .iter()
            .map(|c| format!("CWE-{c}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let peers = if m.peers.is_empty() {
        "-".to_string()
    } else {
        m.peers
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    format!(
        "# {} ({})\n\n{}\n\n- Default severity: {}\n- OWASP: {}:2023 {}\n- CWE: {}\n- Peers: {}\n\n{}",
        m.name,
        m.code,
        m.summary,
        m.severity.as_str(),
        m.owasp.id(),
        m.owasp.title(),
        cwe,
        peers,
        m.docs.trim_start()
    )
}

/// The rule list as markdown (docs/rules.md, `specguard rules --format markdown`).
pub fn registry_markdown() -> String {
    let mut out = String::from(
        "# specguard rules\n\nGenerated from the registry (`specguard rules --format markdown`); a test fails when this file is stale.\n\n| Code | Name | Severity | OWASP | CWE | Peers (Spectral OWASP, vacuum) | Summary |\n|---|---|---|---|---|---|---|\n",
    );
    for r in registry::all() {
        let m = r.meta();
        let cwe = m
            .cwe
            .iter()
            .map(|c| format!("CWE-{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let peers = m
            .peers
            .iter()
            .map(|p| format!("`{p}`"))
            .collect::<Vec<_>>()
            .join("<br>");
        out.push_str(&format!(
            "| {} | [{}](rules/{}.md) | {} | {} | {} | {} | {} |\n",
            m.code,
            m.name,
            m.name,
            m.severity.as_str(),
            m.owasp.id(),
            cwe,
            peers,
            m.summary
        ));
    }
    out
}
