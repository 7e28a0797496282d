//! JUnit XML for CI test-report views: one `<testsuite>` per spec file, one `<testcase>` per
//! finding with a `<failure>`, and one passing `<testcase>` for a file without findings. No
//! times or timestamps, so the same input gives byte-identical output; see
//! docs/output-formats.md.

use super::RunReport;
use crate::finding::Finding;

pub fn render(r: &RunReport<'_>) -> String {
    let total: usize = r.files.iter().map(|f| f.findings.len().max(1)).sum();
    let failures: usize = r.files.iter().map(|f| f.findings.len()).sum();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"specguard\" tests=\"{total}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
    ));
    for file in &r.files {
        let name = file.doc.tree.file(file.doc.root_file).display.as_str();
        let n = file.findings.len();
        out.push_str(&format!(
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{n}\" errors=\"0\" skipped=\"0\">\n",
            attr(name),
            n.max(1)
        ));
        if file.suppressed > 0 || file.baselined > 0 {
            out.push_str(&format!(
                "    <properties>\n      <property name=\"suppressed\" value=\"{}\"/>\n      <property name=\"baselined\" value=\"{}\"/>\n    </properties>\n",
                file.suppressed, file.baselined
            ));
        }
        if file.findings.is_empty() {
            out.push_str(&format!(
                "    <testcase name=\"no findings\" classname=\"{}\"/>\n",
                attr(name)
            ));
        }
        for f in file.findings {
            testcase(&mut out, f);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn testcase(out: &mut String, f: &Finding) {
    let pointer = if f.pointer.is_empty() {
        "#"
    } else {
        f.pointer.as_str()
    };
    let name = format!("{} {}", f.rule.name, pointer);
    let cwe: Vec<String> = f.rule.cwe.iter().map(|c| format!("CWE-{c}")).collect();
    let body = format!(
        "{}[{}] {}\n  --> {}:{}:{}\n  at {}\n  help: {}\n  {}:2023 {}{}\n  {}",
        f.severity.as_str(),
        f.rule.name,
        f.message,
        f.file,
        f.start.line,
        f.start.column,
        pointer,
        f.help,
        f.rule.owasp.id(),
        f.rule.owasp.title(),
        if cwe.is_empty() {
            String::new()
        } else {
            format!("; {}", cwe.join(", "))
        },
        f.rule.doc_url()
    );
    out.push_str(&format!(
        "    <testcase name=\"{}\" classname=\"{}\" file=\"{}\" line=\"{}\">\n",
        attr(&name),
        attr(&f.file),
        attr(&f.file),
        f.start.line
    ));
    out.push_str(&format!(
        "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
        attr(&f.message),
        f.severity.as_str(),
        text(&body)
    ));
    out.push_str("    </testcase>\n");
}

/// Escapes an attribute value (double-quoted). Tabs and line breaks become character
/// references so attribute-value normalisation keeps them.
pub fn attr(s: &str) -> String {
    escape(s, true)
}

/// Escapes character data.
pub fn text(s: &str) -> String {
    escape(s, false)
}

fn escape(s: &str, in_attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if in_attr => out.push_str("&quot;"),
            '\'' if in_attr => out.push_str("&apos;"),
            '\t' if in_attr => out.push_str("&#9;"),
            '\n' if in_attr => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if allowed(c) => out.push(c),
            // XML 1.0 cannot carry these at all, not even as character references: keep them
            // visible as a Rust-style escape.
            c => out.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
        }
    }
    out
}

/// XML 1.0 `Char`: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}
