//! Code frames with the spec's own lines, rule, message, help and OWASP reference.

use super::RunReport;
use crate::rule::Severity;
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};
use specguard_spec::diag::excerpt;

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
            Group::with_title(level.primary_title(f.message.as_str()).id(id.as_str())).element(
                Snippet::source(ex.text)
                    .line_start(ex.first_line)
                    .path(f.file.as_str())
                    .annotation(
                        AnnotationKind::Primary
                            .span(ex.span.clone())
                            .label(f.pointer.as_str()),
                    ),
            ),
            Group::with_title(Level::HELP.secondary_title(f.help.as_str())),
            Group::with_title(Level::NOTE.secondary_title(owasp.as_str())),
        ];
        out.push_str(&renderer.render(&report));
        out.push_str("\n\n");
    }
    out.push_str(&r.summary_line());
    out.push('\n');
    out
}
