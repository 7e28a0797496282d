//! A finding as every output format sees it.

use crate::rule::{Owasp, RuleMeta, Severity};
use specguard_spec::{FileId, LineCol, NodeId, Span};

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub message: String,
    pub help: String,
    pub file_id: FileId,
    /// The file as shown to users.
    pub file: String,
    pub span: Span,
    pub start: LineCol,
    pub end: LineCol,
    /// JSON pointer of the offending node inside its file.
    pub pointer: String,
    pub node: NodeId,
    /// Stable across unrelated edits: rule, file, pointer and a hash of the node's own content.
    pub fingerprint: String,
}

impl Finding {
    pub fn owasp(&self) -> Owasp {
        self.rule.owasp
    }
}

/// Findings of one run over one document, with what renderers need besides.
#[derive(Debug)]
pub struct LintResult {
    pub findings: Vec<Finding>,
    /// The loaded document (for code frames).
    pub doc: specguard_spec::Document,
    /// Findings hidden by the baseline.
    pub baselined: usize,
    /// Findings hidden by `x-specguard-ignore`.
    pub suppressed: usize,
}
