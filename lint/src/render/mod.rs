//! Output formats, one per file. Each takes the whole run and returns the text to print.

pub mod concise;
pub mod full;
pub mod github;
pub mod json;
pub mod junit;
pub mod sarif;

use crate::finding::Finding;
use crate::rule::Severity;
use specguard_spec::Document;
use std::time::Duration;

/// The findings of one document.
pub struct FileReport<'a> {
    pub doc: &'a Document,
    pub findings: &'a [Finding],
    pub suppressed: usize,
    pub baselined: usize,
}

/// Everything a renderer may show.
pub struct RunReport<'a> {
    pub files: Vec<FileReport<'a>>,
    pub elapsed: Duration,
    pub color: bool,
}

impl RunReport<'_> {
    pub fn findings(&self) -> impl Iterator<Item = (&Document, &Finding)> {
        self.files
            .iter()
            .flat_map(|f| f.findings.iter().map(move |x| (f.doc, x)))
    }
    pub fn count(&self, s: Severity) -> usize {
        self.findings().filter(|(_, f)| f.severity == s).count()
    }
    /// `3 errors, 1 warning, 0 info in 2 files (0.12s); 4 ignored inline, 10 in baseline`.
    pub fn summary_line(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let suppressed: usize = self.files.iter().map(|f| f.suppressed).sum();
        let baselined: usize = self.files.iter().map(|f| f.baselined).sum();
        let mut s = format!(
            "{}, {}, {} info in {} ({:.2}s)",
            plural(self.count(Severity::Error), "error"),
            plural(self.count(Severity::Warning), "warning"),
            self.count(Severity::Info),
            plural(self.files.len(), "file"),
            self.elapsed.as_secs_f64()
        );
        if suppressed > 0 {
            s.push_str(&format!("; {suppressed} ignored inline"));
        }
        if baselined > 0 {
            s.push_str(&format!("; {baselined} in baseline"));
        }
        s
    }
}

/// The output formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Full,
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
}

impl Format {
    pub fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "full" => Format::Full,
            "concise" => Format::Concise,
            "json" => Format::Json,
            "sarif" => Format::Sarif,
            "github" => Format::Github,
            "junit" => Format::Junit,
            _ => return None,
        })
    }
}

/// [`render`] written to `out`; the JSON report is written in parts, never held whole.
pub fn render_to(
    format: Format,
    r: &RunReport<'_>,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    match format {
        Format::Json => json::render_to(r, out),
        other => out.write_all(render(other, r).as_bytes()),
    }
}

pub fn render(format: Format, r: &RunReport<'_>) -> String {
    match format {
        Format::Full => full::render(r),
        Format::Concise => concise::render(r),
        Format::Json => json::render(r),
        Format::Sarif => sarif::render(r),
        Format::Github => github::render(r),
        Format::Junit => junit::render(r),
    }
}

/// Append `text`, every line after the first indented by `indent`: a value pretty-printed on
/// its own, placed at its depth in a larger document. A JSON string holds no raw line break,
/// so this gives the bytes `to_string_pretty` of the whole document would. (serde_json's
/// pretty printer writes token by token; indenting while it wrote cost a line-break search per
/// token: 35 M instructions on GitHub's 2 680 findings.)
fn indent_into(out: &mut Vec<u8>, text: &[u8], indent: &[u8]) {
    let mut from = 0;
    for i in memchr::memchr_iter(b'\n', text) {
        out.extend_from_slice(&text[from..=i]);
        out.extend_from_slice(indent);
        from = i + 1;
    }
    out.extend_from_slice(&text[from..]);
}
