//! Load diagnostics and their rendering (rustc-style code frames and JSON).

use crate::source::{FileId, SourceFile, Span};
use annotate_snippets::{
    Annotation, AnnotationKind, Element, Group, Level, Origin, Renderer, Snippet,
};

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
    /// Set when the window starts inside its first line (a very long line, as in minified
    /// JSON, is cut around the span): the line and 1-based column of the span's start, which
    /// a renderer cannot count from the cut text.
    pub origin: Option<(usize, usize)>,
}

/// Bytes of a long line kept before the span (the code frame itself shows less: it trims
/// a line to the terminal's width around the span).
const KEEP_BEFORE: usize = 256;
/// An excerpt is cut when it would run longer than this many bytes past the span's start.
const KEEP_AFTER: usize = 1024;

/// Cut the lines a span covers (at most `max_lines`) out of a file. Lines are found through
/// the file's line index, and a window on a very long line is cut to a few hundred bytes
/// around the span: a minified document is one line of megabytes, and a report of thousands
/// of findings must not copy or scan it once per finding.
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
    // One position lookup: the widened start lies on the span's line.
    let at = file.line_col(u32::try_from(start).unwrap_or(u32::MAX));
    let first_line = at.line as usize;
    let line_start = file.line_bounds(at.line).map_or(0, |r| r.start).min(start);
    // The end of the window: the end of the span's last line (before its `\n`), capped at
    // `max_lines` lines.
    let mut window_end = text.len();
    for (n, line) in (1..=max_lines.max(1)).zip(at.line..) {
        let Some(r) = file.line_bounds(line) else {
            break;
        };
        let next = if text[r.clone()].ends_with('\n') {
            r.end - 1
        } else {
            r.end
        };
        window_end = next;
        if next >= end || n >= max_lines || next >= text.len() {
            break;
        }
    }
    let mut from = line_start;
    let mut origin = None;
    if start - line_start > KEEP_BEFORE {
        from = start - KEEP_BEFORE;
        while !text.is_char_boundary(from) {
            from += 1;
        }
        origin = Some((first_line, at.column as usize));
    }
    if window_end.saturating_sub(start) > KEEP_AFTER {
        window_end = start + KEEP_AFTER;
        while !text.is_char_boundary(window_end) {
            window_end += 1;
        }
    }
    let mut s = start - from;
    let mut e = end.min(window_end) - from;
    let text = &text[from..window_end];
    s = s.min(text.len());
    if e == s {
        // An empty span (end of file): point at one column (one whole character).
        e = s + text[s..].chars().next().map_or(1, char::len_utf8);
    }
    Excerpt {
        text,
        first_line,
        span: s..e,
        origin,
    }
}

/// The renderer marks a code frame that has no path of its own, after an [`Origin`] header,
/// with a bare `:::` line (as for a second file); [`frame`]s of cut excerpts are such frames.
/// Drop that line (ANSI styling ignored) so they look like every other frame.
pub fn drop_bare_origin_marker(rendered: String) -> String {
    // The line without its styling and surrounding spaces is exactly `:::`.
    let bare = |line: &str| {
        let mut in_escape = false;
        let mut visible = line.chars().filter(|&c| {
            let shown = !in_escape && c != '\u{1b}';
            in_escape = (in_escape || c == '\u{1b}') && c != 'm';
            shown && !c.is_whitespace()
        });
        visible.by_ref().take(3).eq(":::".chars()) && visible.next().is_none()
    };
    let Some((start, len)) = rendered
        .split_inclusive('\n')
        .scan(0, |pos, line| {
            let here = *pos;
            *pos += line.len();
            Some((here, line))
        })
        .find(|(_, line)| bare(line))
        .map(|(here, line)| (here, line.len()))
    else {
        return rendered;
    };
    let mut out = rendered;
    out.replace_range(start..start + len, "");
    out
}

/// Render a report whose code frames come from [`frame`]: `cut` when one of their excerpts
/// was cut ([`Excerpt::origin`]), so the renderer's bare `:::` line goes.
pub fn render_frames(renderer: &Renderer, report: &[Group<'_>], cut: bool) -> String {
    let rendered = renderer.render(report);
    if cut {
        drop_bare_origin_marker(rendered)
    } else {
        rendered
    }
}

/// The code frame of an excerpt, headed by `path:line:column`; render the report with
/// [`render_frames`].
pub fn frame<'a>(ex: &Excerpt<'a>, path: &'a str, annotation: Annotation<'a>) -> Vec<Element<'a>> {
    let snippet = Snippet::source(ex.text)
        .line_start(ex.first_line)
        .annotation(annotation);
    match ex.origin {
        // The cut text starts inside the line: the header's column comes from the file.
        Some((line, column)) => vec![
            Origin::path(path).line(line).char_column(column).into(),
            snippet.into(),
        ],
        None => vec![snippet.path(path).into()],
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
        group = group.elements(frame(
            ex,
            path.as_str(),
            kind.span(ex.span.clone()).label(*msg),
        ));
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
    render_frames(
        &renderer,
        &report,
        owned.iter().any(|(ex, ..)| ex.origin.is_some()),
    )
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

#[cfg(test)]
mod tests {
    use super::{KEEP_AFTER, KEEP_BEFORE, drop_bare_origin_marker, excerpt};
    use crate::source::{SourceFile, Span};
    use std::path::PathBuf;

    fn file(text: &str) -> SourceFile {
        SourceFile::new(PathBuf::from("f.json"), "f.json".into(), text.to_string())
    }

    #[test]
    fn an_excerpt_of_a_short_line_is_the_whole_line_from_its_start() {
        let f = file("a\n  \"key\": \"value\"\nz\n");
        let ex = excerpt(&f, Span::new(4, 9), 3);
        assert_eq!(ex.text, "  \"key\": \"value\"");
        assert_eq!(ex.first_line, 2);
        assert_eq!(ex.span, 2..7);
        assert_eq!(ex.origin, None);
        // A span over two lines shows both; at most `max_lines` of them.
        let ex = excerpt(&f, Span::new(2, 20), 3);
        assert_eq!(ex.text, "  \"key\": \"value\"\nz");
        let ex = excerpt(&f, Span::new(0, 20), 2);
        assert_eq!(ex.text, "a\n  \"key\": \"value\"");
        // The end of the file: one column.
        let ex = excerpt(&f, Span::new(22, 22), 3);
        assert_eq!((ex.text, ex.span), ("", 0..1));
    }

    #[test]
    fn an_excerpt_of_a_long_line_is_cut_around_the_span_with_its_true_column() {
        // One line of 2 MB, as a minified document: `é` before the span makes bytes and
        // characters differ, and the cut must not split it.
        let mut text = "é".repeat(300);
        text.push_str(&"x".repeat(1_000_000));
        let at = text.len();
        text.push_str("\"needle\"");
        text.push_str(&"y".repeat(1_000_000));
        let f = file(&text);
        let ex = excerpt(&f, Span::new(at, at + 8), 3);
        assert!(
            ex.text.len() <= KEEP_BEFORE + KEEP_AFTER + 4,
            "{}",
            ex.text.len()
        );
        assert_eq!(&ex.text[ex.span.clone()], "\"needle\"");
        assert_eq!(ex.first_line, 1);
        assert_eq!(ex.origin, Some((1, 300 + 1_000_000 + 1)));
        // Near the line's start nothing is cut before the span (the column needs no help),
        // but the rest of the line is.
        let ex = excerpt(&f, Span::new(2, 4), 3);
        assert_eq!(ex.origin, None);
        assert_eq!(ex.span, 2..4);
        assert!(ex.text.len() <= KEEP_AFTER + 4);
    }

    #[test]
    fn the_bare_origin_marker_line_is_dropped_styled_or_plain() {
        let plain = "t\n --> f:1:9\n  |\n ::: \n1 | x\n".to_string();
        assert_eq!(
            drop_bare_origin_marker(plain),
            "t\n --> f:1:9\n  |\n1 | x\n"
        );
        let styled = "t\n \u{1b}[1m\u{1b}[94m::: \u{1b}[0m\n1 | x\n".to_string();
        assert_eq!(drop_bare_origin_marker(styled), "t\n1 | x\n");
        // A marker naming a file is left alone.
        let other = "t\n ::: g:2:1\n".to_string();
        assert_eq!(drop_bare_origin_marker(other.clone()), other);
    }
}
