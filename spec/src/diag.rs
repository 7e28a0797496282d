//! Load diagnostics and their rendering (rustc-style code frames and JSON).

use crate::source::{FileId, SourceFile, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// A place in a loaded file.
#[derive(Debug, Clone)]
pub struct Label {
    pub file: FileId,
    pub span: Span,
    pub message: String,
}

/// Why a document could not be loaded (one of possibly several problems).
#[derive(Debug, Clone)]
pub struct LoadError {
    /// A stable kebab-case code (`yaml-syntax`, `duplicate-key`, `ref-cycle`, ...).
    pub code: &'static str,
    pub message: String,
    /// Where it happened, when it happened inside a loaded file.
    pub primary: Option<Label>,
    /// JSON pointer of the offending node inside its file, when known.
    pub pointer: Option<String>,
    /// Other places involved (the first occurrence of a duplicate key, the links of a `$ref` chain).
    pub secondary: Vec<Label>,
    /// How to fix it.
    pub help: Option<String>,
}

impl LoadError {
    pub fn new(code: &'static str, message: impl Into<String>) -> LoadError {
        LoadError {
            code,
            message: message.into(),
            primary: None,
            pointer: None,
            secondary: Vec::new(),
            help: None,
        }
    }
    pub fn at(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.primary = Some(Label {
            file,
            span,
            message: label.into(),
        });
        self
    }
    pub fn pointer(mut self, p: impl Into<String>) -> Self {
        self.pointer = Some(p.into());
        self
    }
    pub fn also(mut self, file: FileId, span: Span, label: impl Into<String>) -> Self {
        self.secondary.push(Label {
            file,
            span,
            message: label.into(),
        });
        self
    }
    pub fn help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }
}

/// Loading failed: the errors, with the files read so far so they can be rendered.
#[derive(Debug)]
pub struct LoadFailure {
    pub files: Vec<SourceFile>,
    pub errors: Vec<LoadError>,
}

impl std::fmt::Display for LoadFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for e in &self.errors {
            writeln!(f, "{}", render_plain_line(&self.files, e))?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadFailure {}

/// `file:line:col` of a label.
pub fn label_location(files: &[SourceFile], l: &Label) -> Option<(String, u32, u32)> {
    let f = files.get(l.file.0 as usize)?;
    let lc = f.line_col(l.span.start);
    Some((f.display.clone(), lc.line, lc.column))
}

/// One line: `file:line:col: error[code]: message`.
pub fn render_plain_line(files: &[SourceFile], e: &LoadError) -> String {
    match e.primary.as_ref().and_then(|l| label_location(files, l)) {
        Some((f, l, c)) => format!("{f}:{l}:{c}: error[{}]: {}", e.code, e.message),
        None => format!("error[{}]: {}", e.code, e.message),
    }
}

/// A window of whole lines around a span, cut from a file, for a code frame.
pub struct Excerpt<'a> {
    pub text: &'a str,
    pub first_line: usize,
    /// The span relative to `text`.
    pub span: std::ops::Range<usize>,
}

/// Cut the lines a span covers (at most `max_lines`) out of a file.
pub fn excerpt(file: &SourceFile, span: Span, max_lines: u32) -> Excerpt<'_> {
    let text = &file.text;
    // Widen the span to whole characters: readers point at single bytes (`at..at + 1`), which
    // may fall inside a multi-byte character (an unexpected `é`, a U+FFFD replacing bad UTF-8).
    let mut start = (span.start as usize).min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end as usize).clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let first_line = file.line_col(span.start).line as usize;
    // The end of the window: the end of the span's last line, capped at `max_lines` lines.
    let mut window_end = line_start;
    let mut lines = 0;
    loop {
        let next = text[window_end..]
            .find('\n')
            .map_or(text.len(), |i| window_end + i);
        lines += 1;
        window_end = next;
        if next >= end || lines >= max_lines || next >= text.len() {
            break;
        }
        window_end = next + 1;
    }
    let mut s = start - line_start;
    let mut e = end.min(window_end) - line_start;
    let text = &text[line_start..window_end];
    s = s.min(text.len());
    if e == s {
        // An empty span (end of file): point at one column (one whole character).
        e = s + text[s..].chars().next().map_or(1, char::len_utf8);
    }
    Excerpt {
        text,
        first_line,
        span: s..e,
    }
}

/// Render a load error for a terminal, rustc style.
pub fn render_human(files: &[SourceFile], e: &LoadError, color: bool) -> String {
    render_at_level(files, e, color, Level::ERROR)
}

/// Render a load warning (a departure from the schema that did not stop loading).
pub fn render_warning(files: &[SourceFile], e: &LoadError, color: bool) -> String {
    render_at_level(files, e, color, Level::WARNING)
}

fn render_at_level(files: &[SourceFile], e: &LoadError, color: bool, level: Level<'_>) -> String {
    let title = format!("{} [{}]", e.message, e.code);
    let mut group = Group::with_title(level.primary_title(title.as_str()));
    let mut owned: Vec<(Excerpt<'_>, String, &str, bool)> = Vec::new();
    if let Some(p) = &e.primary
        && let Some(f) = files.get(p.file.0 as usize)
    {
        owned.push((
            excerpt(f, p.span, 3),
            f.display.clone(),
            p.message.as_str(),
            true,
        ));
    }
    for s in &e.secondary {
        if let Some(f) = files.get(s.file.0 as usize) {
            owned.push((
                excerpt(f, s.span, 3),
                f.display.clone(),
                s.message.as_str(),
                false,
            ));
        }
    }
    for (ex, path, msg, primary) in &owned {
        let kind = if *primary {
            AnnotationKind::Primary
        } else {
            AnnotationKind::Context
        };
        group = group.element(
            Snippet::source(ex.text)
                .line_start(ex.first_line)
                .path(path.as_str())
                .annotation(kind.span(ex.span.clone()).label(*msg)),
        );
    }
    let mut report = vec![group];
    let mut extra = String::new();
    if let Some(p) = &e.pointer {
        extra = format!("at JSON pointer `{}`", if p.is_empty() { "/" } else { p });
    }
    if !extra.is_empty() {
        report.push(Group::with_title(
            Level::NOTE.secondary_title(extra.as_str()),
        ));
    }
    if let Some(h) = &e.help {
        report.push(Group::with_title(Level::HELP.secondary_title(h.as_str())));
    }
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    renderer.render(&report)
}

/// A load error as a JSON object (the `--format json` shape for errors).
pub fn to_json(files: &[SourceFile], e: &LoadError) -> serde_json::Value {
    let loc = e.primary.as_ref().and_then(|l| {
        let f = files.get(l.file.0 as usize)?;
        let s = f.line_col(l.span.start);
        let en = f.line_col(l.span.end);
        Some(serde_json::json!({
            "file": f.display, "line": s.line, "column": s.column,
            "end_line": en.line, "end_column": en.column,
        }))
    });
    let secondary: Vec<_> = e
        .secondary
        .iter()
        .filter_map(|l| {
            let (file, line, column) = label_location(files, l)?;
            Some(serde_json::json!({"file": file, "line": line, "column": column, "message": l.message}))
        })
        .collect();
    let mut obj = serde_json::json!({
        "code": e.code,
        "message": e.message,
        "pointer": e.pointer,
        "help": e.help,
        "related": secondary,
    });
    if let (Some(loc), Some(o)) = (loc, obj.as_object_mut())
        && let Some(l) = loc.as_object()
    {
        for (k, v) in l {
            o.insert(k.clone(), v.clone());
        }
    }
    obj
}
