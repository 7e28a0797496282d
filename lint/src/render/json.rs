//! Machine-readable findings. The shape is versioned (`version`); see docs/output-formats.md.

use super::RunReport;
use rayon::prelude::*;

/// Bumped on any incompatible change to the shape below.
pub const JSON_VERSION: u32 = 1;

#[derive(serde::Serialize)]
struct Output<'a> {
    version: u32,
    tool: Tool,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(serde::Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(serde::Serialize)]
struct JsonFinding<'a> {
    rule: &'static str,
    code: &'static str,
    severity: &'static str,
    message: &'a str,
    help: &'a str,
    file: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    pointer: &'a str,
    owasp: String,
    owasp_title: &'static str,
    cwe: Vec<String>,
    fingerprint: &'a str,
}

#[derive(serde::Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    info: usize,
    suppressed: usize,
    baselined: usize,
}

/// Serialised from borrowing structs (not a `serde_json::Value` built per finding): the
/// key order below is the documented one. Large reports serialise their findings in parallel
/// chunks, spliced into the document with the indentation `to_string_pretty` gives them (a
/// JSON string holds no raw line break, so indenting each line is exact); the output is the
/// same bytes either way.
pub fn render(r: &RunReport<'_>) -> String {
    let findings: Vec<JsonFinding<'_>> = r.findings().map(|(_, f)| json_finding(f)).collect();
    let summary = Summary {
        files: r.files.len(),
        errors: r.count(crate::rule::Severity::Error),
        warnings: r.count(crate::rule::Severity::Warning),
        info: r.count(crate::rule::Severity::Info),
        suppressed: r.files.iter().map(|f| f.suppressed).sum(),
        baselined: r.files.iter().map(|f| f.baselined).sum(),
    };
    let tool = || Tool {
        name: "specguard",
        version: env!("CARGO_PKG_VERSION"),
    };
    if findings.len() < PARALLEL_FROM {
        let out = Output {
            version: JSON_VERSION,
            tool: tool(),
            findings,
            summary,
        };
        return serde_json::to_string_pretty(&out).unwrap_or_default() + "\n";
    }
    let skeleton = serde_json::to_string_pretty(&Output {
        version: JSON_VERSION,
        tool: tool(),
        findings: Vec::new(),
        summary,
    })
    .unwrap_or_default();
    let chunks: Vec<String> = findings
        .par_chunks(PARALLEL_FROM / 2)
        .map(|chunk| {
            let mut out = String::with_capacity(chunk.len() * 800);
            for (i, f) in chunk.iter().enumerate() {
                if i > 0 {
                    out.push_str(",\n");
                }
                for (j, line) in serde_json::to_string_pretty(f)
                    .unwrap_or_default()
                    .split('\n')
                    .enumerate()
                {
                    if j > 0 {
                        out.push('\n');
                    }
                    out.push_str("    ");
                    out.push_str(line);
                }
            }
            out
        })
        .collect();
    let body = format!("\"findings\": [\n{}\n  ],", chunks.join(",\n"));
    skeleton.replacen("\"findings\": [],", &body, 1) + "\n"
}

/// Reports with at least this many findings are serialised in parallel.
const PARALLEL_FROM: usize = 512;

fn json_finding(f: &crate::finding::Finding) -> JsonFinding<'_> {
    JsonFinding {
        rule: f.rule.name,
        code: f.rule.code,
        severity: f.severity.as_str(),
        message: &f.message,
        help: &f.help,
        file: &f.file,
        line: f.start.line,
        column: f.start.column,
        end_line: f.end.line,
        end_column: f.end.column,
        pointer: &f.pointer,
        owasp: format!("{}:2023", f.rule.owasp.id()),
        owasp_title: f.rule.owasp.title(),
        cwe: f.rule.cwe.iter().map(|c| format!("CWE-{c}")).collect(),
        fingerprint: &f.fingerprint,
    }
}
