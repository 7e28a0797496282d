//! SARIF 2.1.0 for GitHub code scanning and other SARIF consumers; see docs/output-formats.md.
//!
//! One run; `tool.driver.rules` lists every registered rule (so `ruleIndex` is the rule's
//! position in the registry and stays the same whatever fired). Paths are relative URIs
//! against `%SRCROOT%`, columns count Unicode code points, and nothing depends on the clock,
//! so the same input gives byte-identical output.

use super::RunReport;
use crate::finding::Finding;
use crate::registry;
use crate::rule::{RuleMeta, Severity};
use rayon::prelude::*;
use serde_json::{Value, json};
use specguard_spec::SourceFile;

/// `$schema` of the log: the OASIS SARIF 2.1.0 schema (errata 01).
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Key of the fingerprint in `result.partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "specguardFingerprint/v1";
/// The base every relative artifact URI is resolved against.
pub const SRCROOT: &str = "%SRCROOT%";
const INFORMATION_URI: &str = "https://github.com/specguard/specguard";

pub fn render(r: &RunReport<'_>) -> String {
    let rules = registry::all();
    let descriptors: Vec<Value> = rules.iter().map(|rule| descriptor(rule.meta())).collect();
    let all: Vec<(&specguard_spec::Document, &Finding)> = r.findings().collect();
    let suppressed: usize = r.files.iter().map(|f| f.suppressed).sum();
    let baselined: usize = r.files.iter().map(|f| f.baselined).sum();
    let log = json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "specguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": descriptors,
                }
            },
            "originalUriBaseIds": {
                SRCROOT: {
                    "description": {
                        "text": "The directory specguard ran in; spec paths given relative to it are relative to this base."
                    }
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": [],
            "properties": {
                "files": r.files.len(),
                "suppressed": suppressed,
                "baselined": baselined,
            }
        }]
    });
    // The results are serialised one by one, in parallel chunks, and spliced into the rest of
    // the log at their depth (as `--format json` does): the same bytes as one
    // `to_string_pretty`, without holding every result as a `Value` at once (MS Graph's
    // 42 000 results took 630 MiB that way).
    let skeleton = serde_json::to_string_pretty(&log).unwrap_or_default();
    const EMPTY: &str = "\"results\": []";
    let (Some(at), false) = (skeleton.find(EMPTY), all.is_empty()) else {
        return skeleton + "\n";
    };
    const INDENT: &[u8] = b"        ";
    let chunks: Vec<Vec<u8>> = all
        .par_chunks(super::json::CHUNK)
        .map(|chunk| {
            let mut out = Vec::with_capacity(chunk.len() * 2048);
            let mut one = Vec::with_capacity(2048);
            for (i, (doc, f)) in chunk.iter().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                out.extend_from_slice(INDENT);
                let index = rules
                    .iter()
                    .position(|rule| rule.meta().name == f.rule.name);
                one.clear();
                // Writing to memory fails only when serde_json's own output would (it does not).
                let _ = serde_json::to_writer_pretty(
                    &mut one,
                    &result(f, index, doc.tree.file(f.file_id)),
                );
                super::indent_into(&mut out, &one, INDENT);
            }
            out
        })
        .collect();
    let mut out = Vec::with_capacity(skeleton.len() + chunks.iter().map(Vec::len).sum::<usize>());
    out.extend_from_slice(&skeleton.as_bytes()[..at]);
    out.extend_from_slice(b"\"results\": [\n");
    for (i, chunk) in chunks.iter().enumerate() {
        if i > 0 {
            out.extend_from_slice(b",\n");
        }
        out.extend_from_slice(chunk);
    }
    out.extend_from_slice(b"\n      ]");
    out.extend_from_slice(&skeleton.as_bytes()[at + EMPTY.len()..]);
    out.push(b'\n');
    String::from_utf8(out).unwrap_or_default()
}

/// SARIF `level` of a severity.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's `security-severity` (a CVSS-like score as a string): error is "high",
/// warning "medium", info "low".
pub fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "8.0",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

fn descriptor(m: &RuleMeta) -> Value {
    let mut tags: Vec<String> = vec!["security".into(), format!("OWASP-{}:2023", m.owasp.id())];
    tags.extend(m.cwe.iter().map(|c| format!("CWE-{c}")));
    tags.extend(m.cwe.iter().map(|c| format!("external/cwe/cwe-{c:03}")));
    let what = section(m.docs, "What it does").unwrap_or(m.summary);
    json!({
        "id": m.name,
        "name": pascal_case(m.name),
        "shortDescription": {"text": sentence(m.summary)},
        "fullDescription": {"text": what},
        "help": {"text": m.docs, "markdown": m.docs},
        "helpUri": m.doc_url(),
        "defaultConfiguration": {"level": level(m.severity)},
        "properties": {
            "code": m.code,
            "owasp": format!("{}:2023", m.owasp.id()),
            "owaspTitle": m.owasp.title(),
            "tags": tags,
            "security-severity": security_severity(m.severity),
            "precision": "high",
        }
    })
}

fn result(f: &Finding, index: Option<usize>, file: &SourceFile) -> Value {
    let mut region = json!({
        "startLine": f.start.line,
        "startColumn": f.start.column,
        "endLine": f.end.line,
        "endColumn": f.end.column,
    });
    if let Some(text) = file.text.get(f.span.range())
        && text.len() <= MAX_SNIPPET
        && let Some(r) = region.as_object_mut()
    {
        r.insert("snippet".into(), json!({ "text": text }));
    }
    let mut physical = json!({
        "artifactLocation": artifact_location(&f.file),
        "region": region,
    });
    if let Some(context) = context_region(file, f)
        && let Some(p) = physical.as_object_mut()
    {
        p.insert("contextRegion".into(), context);
    }
    let mut location = json!({ "physicalLocation": physical });
    // The JSON pointer of the node; a finding on a file's root has none to give.
    if !f.pointer.is_empty()
        && let Some(loc) = location.as_object_mut()
    {
        loc.insert(
            "logicalLocations".into(),
            json!([{"fullyQualifiedName": f.pointer, "kind": "member"}]),
        );
    }
    let mut v = json!({"ruleId": f.rule.name});
    if let Some(obj) = v.as_object_mut() {
        if let Some(i) = index {
            obj.insert("ruleIndex".into(), json!(i));
        }
        obj.insert("level".into(), json!(level(f.severity)));
        obj.insert(
            "message".into(),
            json!({"text": format!("{} Help: {}", sentence(&f.message), sentence(&f.help))}),
        );
        obj.insert("locations".into(), json!([location]));
        obj.insert(
            "partialFingerprints".into(),
            json!({ FINGERPRINT_KEY: f.fingerprint }),
        );
    }
    v
}

/// Longest region text copied into `snippet` (bytes); longer regions go without.
const MAX_SNIPPET: usize = 2000;
/// Whole lines shown around the region in `contextRegion`.
const CONTEXT_LINES: u32 = 2;

/// The whole lines of the region and up to [`CONTEXT_LINES`] on either side, with their text
/// as it is in the file (line breaks included, but not the last line's).
fn context_region(file: &SourceFile, f: &Finding) -> Option<Value> {
    let start = f.start.line.saturating_sub(CONTEXT_LINES).max(1);
    let want_end = f.end.line.saturating_add(CONTEXT_LINES);
    // Through the line index: a report of thousands of findings must not walk the file from
    // its start once per finding (nor copy a minified document's one line of megabytes).
    let first = file.line_bounds(start)?.start;
    let (mut end, mut stop) = (start, first);
    for n in start..=want_end {
        match file.line_bounds(n) {
            // The empty line after a final line break is not a line of the file here.
            Some(r) if r.start < file.text.len() => {
                end = n;
                stop = r.end;
            }
            _ => break,
        }
        if stop - first > MAX_SNIPPET * 2 + 2 {
            return None;
        }
    }
    let text = file.text.get(first..stop)?;
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if text.is_empty() || text.len() > MAX_SNIPPET * 2 {
        return None;
    }
    Some(json!({
        "startLine": start,
        "endLine": end,
        "snippet": { "text": text },
    }))
}

/// `artifactLocation` of a file as users see it: a relative URI against `%SRCROOT%`, or an
/// absolute `file:` URI when the file was given by an absolute path.
pub fn artifact_location(file: &str) -> Value {
    let mut p = file.replace('\\', "/");
    while let Some(rest) = p.strip_prefix("./") {
        p = rest.to_string();
    }
    let bytes = p.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if drive {
        // C:/x -> file:///C:/x (the drive colon stays as it is)
        let (d, rest) = p.split_at(2);
        json!({"uri": format!("file:///{d}{}", encode_path(rest))})
    } else if let Some(unc) = p.strip_prefix("//") {
        json!({"uri": format!("file://{}", encode_path(unc))})
    } else if p.starts_with('/') {
        json!({"uri": format!("file://{}", encode_path(&p))})
    } else {
        json!({"uri": encode_path(&p), "uriBaseId": SRCROOT})
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters and `/` (UTF-8 bytes for
/// anything outside ASCII), so `%`, `:`, `,`, spaces, `#` and `?` cannot change what the
/// URI means.
pub fn encode_path(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `operation-without-security` -> `OperationWithoutSecurity`.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

/// Ends the text with a full stop (SARIF messages are sentences).
fn sentence(s: &str) -> String {
    let mut out = s.trim().to_string();
    if !out.is_empty() && !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

/// The body of a `## heading` section of a rule's docs.
fn section<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let marker = format!("## {heading}\n");
    let start = docs.find(&marker)? + marker.len();
    let rest = &docs[start..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    let body = rest[..end].trim();
    (!body.is_empty()).then_some(body)
}
