//! Machine-readable findings. The shape is versioned (`version`); see docs/output-formats.md.

use super::RunReport;

/// Bumped on any incompatible change to the shape below.
pub const JSON_VERSION: u32 = 1;

pub fn render(r: &RunReport<'_>) -> String {
    let findings: Vec<serde_json::Value> = r
        .findings()
        .map(|(_, f)| {
            serde_json::json!({
                "rule": f.rule.name,
                "code": f.rule.code,
                "severity": f.severity.as_str(),
                "message": f.message,
                "help": f.help,
                "file": f.file,
                "line": f.start.line,
                "column": f.start.column,
                "end_line": f.end.line,
                "end_column": f.end.column,
                "pointer": f.pointer,
                "owasp": format!("{}:2023", f.rule.owasp.id()),
                "owasp_title": f.rule.owasp.title(),
                "cwe": f.rule.cwe.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>(),
                "fingerprint": f.fingerprint,
            })
        })
        .collect();
    let v = serde_json::json!({
        "version": JSON_VERSION,
        "tool": {"name": "specguard", "version": env!("CARGO_PKG_VERSION")},
        "findings": findings,
        "summary": {
            "files": r.files.len(),
            "errors": r.count(crate::rule::Severity::Error),
            "warnings": r.count(crate::rule::Severity::Warning),
            "info": r.count(crate::rule::Severity::Info),
            "suppressed": r.files.iter().map(|f| f.suppressed).sum::<usize>(),
            "baselined": r.files.iter().map(|f| f.baselined).sum::<usize>(),
        }
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
