//! Source files and lazy line/column computation.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Index of a file inside a [`crate::Doc`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range inside one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: clamp(start),
            end: clamp(end.max(start)),
        }
    }
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

fn clamp(v: usize) -> u32 {
    u32::try_from(v).unwrap_or(u32::MAX)
}

/// A 1-based line and column (columns count characters, not bytes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

/// One file that took part in loading a document.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given or as resolved from a `$ref` (what users see in diagnostics).
    pub path: PathBuf,
    /// The path shown to users (relative where possible).
    pub display: String,
    pub text: String,
    lines: OnceLock<Vec<u32>>,
}

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: String) -> SourceFile {
        SourceFile {
            path,
            display,
            text,
            lines: OnceLock::new(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn line_starts(&self) -> &[u32] {
        self.lines.get_or_init(|| {
            let mut starts = vec![0u32];
            for (i, b) in self.text.bytes().enumerate() {
                if b == b'\n' {
                    starts.push(clamp(i + 1));
                }
            }
            starts
        })
    }

    /// Line and column of a byte offset (1-based; column counts characters).
    pub fn line_col(&self, offset: u32) -> LineCol {
        let starts = self.line_starts();
        let offset = offset.min(clamp(self.text.len()));
        let line = match starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = starts.get(line).copied().unwrap_or(0) as usize;
        let mut end = offset as usize;
        while end > start && !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let column = self.text.get(start..end).map_or(0, |s| s.chars().count());
        LineCol {
            line: clamp(line + 1),
            column: clamp(column + 1),
        }
    }

    /// The text of a 1-based line without its line break.
    pub fn line_text(&self, line: u32) -> &str {
        let starts = self.line_starts();
        let i = (line as usize).saturating_sub(1);
        let Some(&s) = starts.get(i) else { return "" };
        let e = starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        self.text
            .get(s as usize..e)
            .unwrap_or("")
            .trim_end_matches(['\n', '\r'])
    }
}
