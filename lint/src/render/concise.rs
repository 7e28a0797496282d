//! `file:line:col: severity[rule] message`, one line each, then the summary.

use super::RunReport;

pub fn render(r: &RunReport<'_>) -> String {
    let mut out = String::new();
    for (_, f) in r.findings() {
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            f.file,
            f.start.line,
            f.start.column,
            f.severity.as_str(),
            f.rule.name,
            f.message
        ));
    }
    out.push_str(&r.summary_line());
    out.push('\n');
    out
}
