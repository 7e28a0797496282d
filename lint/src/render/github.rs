//! GitHub Actions workflow commands: one `::error`/`::warning`/`::notice` annotation per
//! finding, then the summary as plain text; see docs/output-formats.md.

use super::RunReport;
use crate::finding::Finding;
use crate::rule::Severity;

pub fn render(r: &RunReport<'_>) -> String {
    let mut out = String::new();
    for (_, f) in r.findings() {
        out.push_str(&command(f));
        out.push('\n');
    }
    out.push_str(&r.summary_line());
    out.push('\n');
    out
}

/// The workflow command of one finding.
pub fn command(f: &Finding) -> String {
    let name = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut file = f.file.replace('\\', "/");
    while let Some(rest) = file.strip_prefix("./") {
        file = rest.to_string();
    }
    let mut props: Vec<(&str, String)> = vec![("file", file), ("line", f.start.line.to_string())];
    // The runner drops `col` and `endColumn` from annotations that span several lines, so
    // they are only given for one-line spans. `endColumn` is the column just past the span,
    // as in the JSON and SARIF output.
    if f.end.line == f.start.line {
        props.push(("col", f.start.column.to_string()));
        props.push(("endLine", f.end.line.to_string()));
        props.push(("endColumn", f.end.column.to_string()));
    } else {
        props.push(("endLine", f.end.line.to_string()));
    }
    props.push(("title", format!("{} ({})", f.rule.name, f.rule.code)));
    let props: Vec<String> = props
        .into_iter()
        .map(|(k, v)| format!("{k}={}", escape_property(&v)))
        .collect();
    let message = format!(
        "{}\nhelp: {}\n{}:2023 {} - {}",
        f.message,
        f.help,
        f.rule.owasp.id(),
        f.rule.owasp.title(),
        f.rule.doc_url()
    );
    format!("::{name} {}::{}", props.join(","), escape_data(&message))
}

/// Escapes a command's message as the runner unescapes it: `%`, CR and LF. Other control
/// characters (ESC could restyle the log) have no escape there and are spelled out as
/// `\u{1b}`.
pub fn escape_data(s: &str) -> String {
    escape(s, false)
}

/// Escapes a property value: as the message, plus `:` and `,` (which end a value).
pub fn escape_property(s: &str) -> String {
    escape(s, true)
}

fn escape(s: &str, property: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            ':' if property => out.push_str("%3A"),
            ',' if property => out.push_str("%2C"),
            '\t' => out.push(c),
            c if c.is_control() => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}
