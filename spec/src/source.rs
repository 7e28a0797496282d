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

/// A file's text: owned, or a large regular file mapped read-only (see
/// [`crate::LoadOptions::map_large_files`]). Either way it dereferences to `str`, checked as
/// UTF-8 once when made.
pub struct Text(Repr);

enum Repr {
    Owned(String),
    Mapped(memmap2::Mmap),
}

impl Text {
    /// Text of a file mapped into memory, when its bytes are UTF-8 (else the map back).
    pub(crate) fn mapped(map: memmap2::Mmap) -> Result<Text, (memmap2::Mmap, std::str::Utf8Error)> {
        match std::str::from_utf8(&map) {
            Ok(_) => Ok(Text(Repr::Mapped(map))),
            Err(e) => Err((map, e)),
        }
    }

    /// Whether the text is a mapped file rather than a copy in memory.
    pub fn is_mapped(&self) -> bool {
        matches!(self.0, Repr::Mapped(_))
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        match &self.0 {
            Repr::Owned(s) => s,
            // ok: checked as UTF-8 in `Text::mapped`; a mapping is never written through
            // (read-only). What another process writes to the file meanwhile is the trade
            // `map_large_files` documents.
            #[allow(unsafe_code)]
            Repr::Mapped(m) => unsafe { std::str::from_utf8_unchecked(m) },
        }
    }
}

impl From<String> for Text {
    fn from(s: String) -> Text {
        Text(Repr::Owned(s))
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text(Repr::Owned(s.to_owned()))
    }
}

impl Default for Text {
    fn default() -> Text {
        Text(Repr::Owned(String::new()))
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let how = if self.is_mapped() { "mapped" } else { "owned" };
        write!(f, "Text({how}, {} bytes)", self.len())
    }
}

/// One file that took part in loading a document.
#[derive(Debug)]
pub struct SourceFile {
    /// The path as given or as resolved from a `$ref` (what users see in diagnostics).
    pub path: PathBuf,
    /// The path shown to users (relative where possible).
    pub display: String,
    pub text: Text,
    lines: OnceLock<Vec<u32>>,
    /// Every `CHECKPOINT` bytes: (byte offset at a char boundary, chars since its line start);
    /// empty when the text is ASCII.
    /// Minified JSON is one 20 MB line: columns must not count from the line start each time.
    checkpoints: OnceLock<Vec<(u32, u32)>>,
}

const CHECKPOINT: usize = 4096;

impl SourceFile {
    pub fn new(path: PathBuf, display: String, text: impl Into<Text>) -> SourceFile {
        SourceFile {
            path,
            display,
            text: text.into(),
            lines: OnceLock::new(),
            checkpoints: OnceLock::new(),
        }
    }

    fn checkpoints(&self) -> &[(u32, u32)] {
        self.checkpoints.get_or_init(|| {
            // Empty for ASCII text (columns are byte distances); otherwise starts at (0, 0).
            let mut out = Vec::new();
            if self.text.is_ascii() {
                return out;
            }
            out.push((0, 0));
            let bytes = self.text.as_bytes();
            let (mut at, mut col) = (0usize, 0usize);
            loop {
                let mut next = at + CHECKPOINT;
                while next < bytes.len() && !self.text.is_char_boundary(next) {
                    next += 1;
                }
                if next >= bytes.len() {
                    break;
                }
                let seg = &bytes[at..next];
                col = match memchr::memrchr(b'\n', seg) {
                    Some(nl) => count_chars(&seg[nl + 1..]),
                    None => col + count_chars(seg),
                };
                out.push((clamp(next), clamp(col)));
                at = next;
            }
            out
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn line_starts(&self) -> &[u32] {
        self.lines.get_or_init(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', self.text.as_bytes()).map(|i| clamp(i + 1)))
                .collect()
        })
    }

    /// Build the line index [`SourceFile::line_col`] uses now (it is built on first use
    /// otherwise): on a large file that is a pass over its text, which a caller may rather
    /// run beside other work than in the middle of reporting. (The column checkpoints are
    /// only needed for positions more than 4 KiB into a line, as in minified JSON.)
    pub fn index_lines(&self) {
        self.line_starts();
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
        let column = if end - start <= CHECKPOINT {
            // A short way into the line (every line of a pretty-printed document): count its
            // characters directly, without the checkpoints (a pass over the whole text).
            self.text.get(start..end).map_or(0, |s| s.chars().count())
        } else if self.checkpoints().is_empty() {
            end - start
        } else {
            // Count from the nearest checkpoint on the same line, or from the line start.
            let cps = self.checkpoints();
            let i = cps.partition_point(|&(b, _)| b as usize <= end);
            match i.checked_sub(1).and_then(|i| cps.get(i)) {
                Some(&(b, c)) if b as usize >= start => {
                    c as usize
                        + self
                            .text
                            .get(b as usize..end)
                            .map_or(0, |s| s.chars().count())
                }
                _ => self.text.get(start..end).map_or(0, |s| s.chars().count()),
            }
        };
        LineCol {
            line: clamp(line + 1),
            column: clamp(column + 1),
        }
    }

    /// The byte range of a 1-based line, its line break included; `None` past the last line.
    /// (After a final line break there is one more, empty, line.)
    pub fn line_bounds(&self, line: u32) -> Option<std::ops::Range<usize>> {
        let starts = self.line_starts();
        let i = (line as usize).checked_sub(1)?;
        let s = *starts.get(i)? as usize;
        let e = starts.get(i + 1).map_or(self.text.len(), |&e| e as usize);
        Some(s..e)
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

/// Characters in UTF-8 bytes: every byte that is not a continuation byte starts one.
fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_on_long_and_short_lines() {
        let mut text = String::from("é");
        text.push_str(&"x".repeat(10_000));
        text.push_str("é\nab");
        let f = SourceFile::new("t".into(), "t".into(), text.clone());
        // After the first é (2 bytes) and 10 000 x: column 10 002, same as counting.
        let off = text.rfind('é').unwrap() as u32;
        assert_eq!(
            f.line_col(off),
            LineCol {
                line: 1,
                column: 10_002
            }
        );
        let b = text.rfind('b').unwrap() as u32;
        assert_eq!(f.line_col(b), LineCol { line: 2, column: 2 });
        for probe in [0u32, 1, 2, 3, 4097, 8193, off] {
            let p = probe as usize;
            let mut e = p;
            while !text.is_char_boundary(e) {
                e -= 1;
            }
            let expected = text[..e].chars().count() as u32 + 1;
            assert_eq!(f.line_col(probe).column, expected, "at {probe}");
        }
        // Line breaks and multi-byte characters on both sides of many checkpoints.
        let mut mixed = String::new();
        for i in 0..3000 {
            mixed.push_str(if i % 7 == 0 { "€x\n" } else { "aé" });
            if i % 500 == 0 {
                mixed.push_str(&"ü".repeat(3000));
            }
        }
        let f = SourceFile::new("m".into(), "m".into(), mixed.clone());
        for off in (0..mixed.len()).step_by(13) {
            let mut e = off;
            while !mixed.is_char_boundary(e) {
                e -= 1;
            }
            let line_start = mixed[..e].rfind('\n').map_or(0, |i| i + 1);
            let expected = LineCol {
                line: mixed[..e].matches('\n').count() as u32 + 1,
                column: mixed[line_start..e].chars().count() as u32 + 1,
            };
            assert_eq!(f.line_col(off as u32), expected, "at {off}");
        }
        let ascii = SourceFile::new("a".into(), "a".into(), "ab\ncd");
        assert_eq!(ascii.line_col(4), LineCol { line: 2, column: 2 });
    }
}
