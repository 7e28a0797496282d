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
/// key order below is the documented one. The findings are serialised in parallel chunks of
/// [`CHUNK`], each written with the indentation `to_string_pretty` gives them inside the
/// document (a JSON string holds no raw line break, so indenting after each line break is
/// exact), then spliced into the rest of the document: the same bytes as one
/// `to_string_pretty`; [`render_to`] writes the chunks out as they are, without joining
/// them (large reports: MS Graph's 42 000 findings are 32 MB).
pub fn render(r: &RunReport<'_>) -> String {
    let mut out = Vec::new();
    // Writing to memory does not fail; serde_json writes UTF-8 only.
    let _ = render_to(r, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`render`], written to `out` chunk by chunk (the report is never held whole).
pub fn render_to(r: &RunReport<'_>, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let summary = Summary {
        files: r.files.len(),
        errors: r.count(crate::rule::Severity::Error),
        warnings: r.count(crate::rule::Severity::Warning),
        info: r.count(crate::rule::Severity::Info),
        suppressed: r.files.iter().map(|f| f.suppressed).sum(),
        baselined: r.files.iter().map(|f| f.baselined).sum(),
    };
    let skeleton = serde_json::to_string_pretty(&Output {
        version: JSON_VERSION,
        tool: Tool {
            name: "specguard",
            version: env!("CARGO_PKG_VERSION"),
        },
        findings: Vec::new(),
        summary,
    })
    .unwrap_or_default();
    const EMPTY: &str = "\"findings\": []";
    let all: Vec<&crate::finding::Finding> = r.findings().map(|(_, f)| f).collect();
    let (Some(at), false) = (skeleton.find(EMPTY), all.is_empty()) else {
        out.write_all(skeleton.as_bytes())?;
        return out.write_all(b"\n");
    };
    let chunks: Vec<Vec<u8>> = all
        .par_chunks(CHUNK)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() * 768);
            let mut one = Vec::with_capacity(1024);
            for (i, f) in chunk.iter().enumerate() {
                out.extend_from_slice(if i == 0 { b"    " } else { b",\n    " });
                one.clear();
                // Writing to memory fails only when serde_json's own output would (it does not).
                let _ = serde_json::to_writer_pretty(&mut one, &json_finding(f));
                super::indent_into(&mut out, &one, b"    ");
            }
            out
        })
        .collect();
    out.write_all(&skeleton.as_bytes()[..at])?;
    out.write_all(b"\"findings\": [\n")?;
    for (i, chunk) in chunks.iter().enumerate() {
        if i > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(chunk)?;
    }
    out.write_all(b"\n  ]")?;
    out.write_all(&skeleton.as_bytes()[at + EMPTY.len()..])?;
    out.write_all(b"\n")
}

/// Findings serialised per parallel task.
pub(super) const CHUNK: usize = 256;

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
