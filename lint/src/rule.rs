//! What a rule is: metadata, documentation and a check over pre-digested views.

use crate::context::Context;
use specguard_spec::NodeId;

/// How serious a finding is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        Some(match s {
            "info" => Severity::Info,
            "warning" | "warn" => Severity::Warning,
            "error" => Severity::Error,
            _ => return None,
        })
    }
}

/// The OWASP API Security Top 10 (2023) categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Owasp {
    #[serde(rename = "API1:2023")]
    Api1,
    #[serde(rename = "API2:2023")]
    Api2,
    #[serde(rename = "API3:2023")]
    Api3,
    #[serde(rename = "API4:2023")]
    Api4,
    #[serde(rename = "API5:2023")]
    Api5,
    #[serde(rename = "API6:2023")]
    Api6,
    #[serde(rename = "API7:2023")]
    Api7,
    #[serde(rename = "API8:2023")]
    Api8,
    #[serde(rename = "API9:2023")]
    Api9,
    #[serde(rename = "API10:2023")]
    Api10,
}

impl Owasp {
    pub const ALL: [Owasp; 10] = [
        Owasp::Api1,
        Owasp::Api2,
        Owasp::Api3,
        Owasp::Api4,
        Owasp::Api5,
        Owasp::Api6,
        Owasp::Api7,
        Owasp::Api8,
        Owasp::Api9,
        Owasp::Api10,
    ];
    /// `API1`.
    pub fn id(self) -> &'static str {
        match self {
            Owasp::Api1 => "API1",
            Owasp::Api2 => "API2",
            Owasp::Api3 => "API3",
            Owasp::Api4 => "API4",
            Owasp::Api5 => "API5",
            Owasp::Api6 => "API6",
            Owasp::Api7 => "API7",
            Owasp::Api8 => "API8",
            Owasp::Api9 => "API9",
            Owasp::Api10 => "API10",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            Owasp::Api1 => "Broken Object Level Authorization",
            Owasp::Api2 => "Broken Authentication",
            Owasp::Api3 => "Broken Object Property Level Authorization",
            Owasp::Api4 => "Unrestricted Resource Consumption",
            Owasp::Api5 => "Broken Function Level Authorization",
            Owasp::Api6 => "Unrestricted Access to Sensitive Business Flows",
            Owasp::Api7 => "Server Side Request Forgery",
            Owasp::Api8 => "Security Misconfiguration",
            Owasp::Api9 => "Improper Inventory Management",
            Owasp::Api10 => "Unsafe Consumption of APIs",
        }
    }
    pub fn url(self) -> &'static str {
        match self {
            Owasp::Api1 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa1-broken-object-level-authorization/"
            }
            Owasp::Api2 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa2-broken-authentication/"
            }
            Owasp::Api3 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/"
            }
            Owasp::Api4 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa4-unrestricted-resource-consumption/"
            }
            Owasp::Api5 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa5-broken-function-level-authorization/"
            }
            Owasp::Api6 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa6-unrestricted-access-to-sensitive-business-flows/"
            }
            Owasp::Api7 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa7-server-side-request-forgery/"
            }
            Owasp::Api8 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa8-security-misconfiguration/"
            }
            Owasp::Api9 => {
                "https://owasp.org/API-Security/editions/2023/en/0xa9-improper-inventory-management/"
            }
            Owasp::Api10 => {
                "https://owasp.org/API-Security/editions/2023/en/0xaa-unsafe-consumption-of-apis/"
            }
        }
    }
    pub fn parse(s: &str) -> Option<Owasp> {
        let s = s.to_ascii_uppercase();
        let s = s.strip_suffix(":2023").unwrap_or(&s);
        Owasp::ALL.into_iter().find(|o| o.id() == s)
    }
}

/// A rule's fixed description.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `SG` + three digits.
    pub code: &'static str,
    /// Kebab-case name describing the risky pattern.
    pub name: &'static str,
    pub severity: Severity,
    pub owasp: Owasp,
    pub cwe: &'static [u32],
    /// Equivalent rule ids of Spectral's OWASP ruleset (`owasp:api…`) and vacuum (`owasp-…`).
    pub peers: &'static [&'static str],
    /// One line.
    pub summary: &'static str,
    /// Markdown with the headings What it does / Why is this bad? / Example / Use instead /
    /// References. Example and Use instead each hold one complete YAML document.
    pub docs: &'static str,
}

impl RuleMeta {
    pub fn doc_url(&self) -> String {
        format!(
            "https://github.com/specguard/specguard/blob/main/docs/rules/{}.md",
            self.name
        )
    }
}

/// One finding a rule reports; the engine adds the rule metadata and the location.
#[derive(Debug, Clone)]
pub struct Report {
    pub node: NodeId,
    pub message: String,
    pub help: String,
}

/// A lint rule.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>);
}
