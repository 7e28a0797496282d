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

/// Every rule of the Spectral OWASP ruleset 2.0.1 (npm @stoplight/spectral-owasp-ruleset).
pub const SPECTRAL_OWASP_RULES: [&str; 32] = [
    "owasp:api1:2023-no-numeric-ids",
    "owasp:api2:2023-auth-insecure-schemes",
    "owasp:api2:2023-jwt-best-practices",
    "owasp:api2:2023-no-api-keys-in-url",
    "owasp:api2:2023-no-credentials-in-url",
    "owasp:api2:2023-no-http-basic",
    "owasp:api2:2023-read-restricted",
    "owasp:api2:2023-short-lived-access-tokens",
    "owasp:api2:2023-write-restricted",
    "owasp:api3:2023-constrained-additionalProperties",
    "owasp:api3:2023-constrained-unevaluatedProperties",
    "owasp:api3:2023-no-additionalProperties",
    "owasp:api3:2023-no-unevaluatedProperties",
    "owasp:api4:2023-array-limit",
    "owasp:api4:2023-integer-format",
    "owasp:api4:2023-integer-limit",
    "owasp:api4:2023-integer-limit-legacy",
    "owasp:api4:2023-rate-limit",
    "owasp:api4:2023-rate-limit-responses-429",
    "owasp:api4:2023-rate-limit-retry-after",
    "owasp:api4:2023-string-limit",
    "owasp:api4:2023-string-restricted",
    "owasp:api5:2023-admin-security-unique",
    "owasp:api7:2023-concerning-url-parameter",
    "owasp:api8:2023-define-cors-origin",
    "owasp:api8:2023-define-error-responses-401",
    "owasp:api8:2023-define-error-responses-500",
    "owasp:api8:2023-define-error-validation",
    "owasp:api8:2023-no-scheme-http",
    "owasp:api8:2023-no-server-http",
    "owasp:api9:2023-inventory-access",
    "owasp:api9:2023-inventory-environment",
];

/// vacuum's 23 OWASP rules.
pub const VACUUM_OWASP_RULES: [&str; 23] = [
    "owasp-array-limit",
    "owasp-auth-insecure-schemes",
    "owasp-constrained-additionalProperties",
    "owasp-define-error-responses-401",
    "owasp-define-error-responses-429",
    "owasp-define-error-responses-500",
    "owasp-define-error-validation",
    "owasp-integer-format",
    "owasp-integer-limit",
    "owasp-jwt-best-practices",
    "owasp-no-additionalProperties",
    "owasp-no-api-keys-in-url",
    "owasp-no-credentials-in-url",
    "owasp-no-http-basic",
    "owasp-no-numeric-ids",
    "owasp-protection-global-safe",
    "owasp-protection-global-unsafe",
    "owasp-protection-global-unsafe-strict",
    "owasp-rate-limit",
    "owasp-rate-limit-retry-after",
    "owasp-security-hosts-https-oas3",
    "owasp-string-limit",
    "owasp-string-restricted",
];

/// The specguard ↔ Spectral OWASP ↔ vacuum table (docs/peers.md and the README).
pub fn peers_markdown() -> String {
    let mut out = String::from(
        "| peer rule | tool | specguard rule(s) | default severity |\n|---|---|---|---|\n",
    );
    let tools = SPECTRAL_OWASP_RULES
        .iter()
        .map(|p| (*p, "Spectral OWASP"))
        .chain(VACUUM_OWASP_RULES.iter().map(|p| (*p, "vacuum")));
    for (peer, tool) in tools {
        let rules: Vec<&RuleMeta> = registry::all()
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.peers.contains(&peer))
            .collect();
        let names = rules
            .iter()
            .map(|m| format!("[{}](docs/rules/{}.md)", m.name, m.name))
            .collect::<Vec<_>>()
            .join(", ");
        let sev = rules
            .iter()
            .map(|m| m.severity.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        out.push_str(&format!("| `{peer}` | {tool} | {names} | {sev} |\n"));
    }
    out
}
