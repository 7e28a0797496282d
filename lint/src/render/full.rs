//! Code frames with the spec's own lines, rule, message, help and OWASP reference.

use super::RunReport;
use crate::rule::Severity;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer};
use specguard_spec::diag::{excerpt, frame, render_frames};

pub fn render(r: &RunReport<'_>) -> String {
    let renderer = if r.color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for (doc, f) in r.findings() {
        let file = doc.tree.file(f.file_id);
        let ex = excerpt(file, f.span, 3);
        let level = match f.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let owasp = format!(
            "{}:2023 {} — {}",
            f.rule.owasp.id(),
            f.rule.owasp.title(),
            f.rule.owasp.url()
        );
        let id = format!("{} {}", f.rule.code, f.rule.name);
        let report = [
            Group::with_title(level.primary_title(f.message.as_str()).id(id.as_str())).elements(
                frame(
                    &ex,
                    f.file.as_str(),
                    AnnotationKind::Primary
                        .span(ex.span.clone())
                        .label(f.pointer.as_str()),
                ),
            ),
            Group::with_title(Level::HELP.secondary_title(f.help.as_str())),
            Group::with_title(Level::NOTE.secondary_title(owasp.as_str())),
        ];
        out.push_str(&render_frames(&renderer, &report, ex.origin.is_some()));
        out.push_str("\n\n");
    }
    out.push_str(&r.summary_line());
    out.push('\n');
    out
}
