//! A strict JSON reader (RFC 8259) that records byte spans, keeps number text, and builds the
//! tree iteratively.
//!
//! Why our own and not jsonc-parser: we need the spans in our own arena, an explicit depth cap
//! before any recursion can overflow the stack, duplicate-key detection and big integers kept
//! as text; converting another crate's AST would double the work on 20 MB documents.

use crate::build::Builder;
use crate::diag::LoadError;
use crate::source::Span;
use crate::tree::{Str, Value};

struct Reader<'a, 'b, 't> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    b: &'b mut Builder<'t>,
}

/// Read `text` as JSON into the builder's tree.
pub(crate) fn read(text: &str, b: &mut Builder<'_>) -> Result<(), LoadError> {
    let mut r = Reader {
        text,
        src: text.as_bytes(),
        pos: 0,
        b,
    };
    r.document()
}

enum Expect {
    Value,
    /// After a value inside an array or object: `,` or the closer.
    After,
    /// After `{` or `,` in an object: a key (or `}` directly after `{`).
    Key {
        allow_close: bool,
    },
    /// After `[`: a value or `]`.
    FirstItem,
}

impl Reader<'_, '_, '_> {
    fn err(&self, at: usize, msg: impl Into<String>) -> LoadError {
        let end = (at + 1).min(self.src.len()).max(at);
        LoadError::new("json-syntax", format!("invalid JSON: {}", msg.into())).at(
            self.b.file,
            Span::new(at, end),
            "here",
        )
    }

    fn ws(&mut self) {
        const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
        let src = self.src;
        let mut p = self.pos;
        loop {
            // Pretty-printed documents are half indentation (GitHub's: 6 of its 13 MB):
            // skip runs of spaces eight at a time.
            while let Some(chunk) = src.get(p..p + 8)
                && let Ok(bytes) = <[u8; 8]>::try_from(chunk)
                && u64::from_ne_bytes(bytes) == SPACES
            {
                p += 8;
            }
            match src.get(p) {
                Some(b' ' | b'\t' | b'\n' | b'\r') => p += 1,
                _ => break,
            }
        }
        self.pos = p;
    }

    fn found(&self) -> String {
        match self.src.get(self.pos) {
            None => "the end of the file".into(),
            Some(_) => {
                let s = std::str::from_utf8(&self.src[self.pos..]).unwrap_or("");
                let c = s.chars().next().unwrap_or('?');
                format!("`{c}`")
            }
        }
    }

    fn document(&mut self) -> Result<(), LoadError> {
        // A UTF-8 byte-order mark is tolerated at the very start.
        if self.src.starts_with(&[0xEF, 0xBB, 0xBF]) {
            self.pos = 3;
        }
        let mut expect = Expect::Value;
        loop {
            self.ws();
            match expect {
                Expect::Key { allow_close } => match self.src.get(self.pos) {
                    Some(b'"') => {
                        let start = self.pos;
                        let key = self.string()?;
                        let kspan = Span::new(start, self.pos);
                        self.ws();
                        if self.src.get(self.pos) != Some(&b':') {
                            return Err(self.err(
                                self.pos,
                                format!("expected `:` after an object key, found {}", self.found()),
                            ));
                        }
                        self.pos += 1;
                        self.b.key(key, kspan);
                        expect = Expect::Value;
                    }
                    Some(b'}') if allow_close => {
                        self.pos += 1;
                        self.b.end(self.pos)?;
                        expect = Expect::After;
                    }
                    _ => {
                        return Err(self.err(
                            self.pos,
                            format!("expected a string key, found {}", self.found()),
                        ));
                    }
                },
                Expect::FirstItem if self.src.get(self.pos) == Some(&b']') => {
                    self.pos += 1;
                    self.b.end(self.pos)?;
                    expect = Expect::After;
                }
                Expect::Value | Expect::FirstItem => {
                    expect = self.value()?;
                }
                Expect::After => {
                    if self.b.depth() == 0 {
                        if self.pos < self.src.len() {
                            return Err(self.err(
                                self.pos,
                                format!("unexpected {} after the document", self.found()),
                            ));
                        }
                        return Ok(());
                    }
                    let in_object = self.b.open_object_id().is_some();
                    match (self.src.get(self.pos), in_object) {
                        (Some(b','), true) => {
                            self.pos += 1;
                            expect = Expect::Key { allow_close: false };
                        }
                        (Some(b','), false) => {
                            self.pos += 1;
                            expect = Expect::Value;
                        }
                        (Some(b'}'), true) | (Some(b']'), false) => {
                            self.pos += 1;
                            self.b.end(self.pos)?;
                        }
                        _ => {
                            let want = if in_object {
                                "`,` or `}`"
                            } else {
                                "`,` or `]`"
                            };
                            return Err(self.err(
                                self.pos,
                                format!("expected {want}, found {}", self.found()),
                            ));
                        }
                    }
                }
            }
        }
    }

    fn value(&mut self) -> Result<Expect, LoadError> {
        let start = self.pos;
        match self.src.get(self.pos) {
            Some(b'{') => {
                self.b.begin_object(start)?;
                self.pos += 1;
                Ok(Expect::Key { allow_close: true })
            }
            Some(b'[') => {
                self.b.begin_array(start)?;
                self.pos += 1;
                Ok(Expect::FirstItem)
            }
            Some(b'"') => {
                let s = self.string()?;
                self.b
                    .scalar(Value::String(s), Span::new(start, self.pos))?;
                Ok(Expect::After)
            }
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => {
                self.number()?;
                let text = self.text.get(start..self.pos).unwrap_or("0");
                self.b
                    .scalar(Value::Number(text.into()), Span::new(start, self.pos))?;
                Ok(Expect::After)
            }
            _ => Err(self.err(
                self.pos,
                format!("expected a value, found {}", self.found()),
            )),
        }
    }

    fn literal(&mut self, word: &[u8], v: Value) -> Result<Expect, LoadError> {
        let start = self.pos;
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            self.b.scalar(v, Span::new(start, self.pos))?;
            Ok(Expect::After)
        } else {
            Err(self.err(start, format!("expected a value, found {}", self.found())))
        }
    }

    fn digits(&mut self) -> usize {
        let s = self.pos;
        while matches!(self.src.get(self.pos), Some(b'0'..=b'9')) {
            self.pos += 1;
        }
        self.pos - s
    }

    fn number(&mut self) -> Result<(), LoadError> {
        let start = self.pos;
        if self.src.get(self.pos) == Some(&b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = self.digits();
        if n == 0 {
            return Err(self.err(self.pos, "a number needs digits"));
        }
        if n > 1 && self.src.get(int_start) == Some(&b'0') {
            return Err(self.err(int_start, "numbers may not have leading zeros"));
        }
        if self.src.get(self.pos) == Some(&b'.') {
            self.pos += 1;
            if self.digits() == 0 {
                return Err(self.err(self.pos, "expected digits after the decimal point"));
            }
        }
        if matches!(self.src.get(self.pos), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.src.get(self.pos), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if self.digits() == 0 {
                return Err(self.err(self.pos, "expected digits in the exponent"));
            }
        }
        let _ = start;
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, LoadError> {
        let mut v = 0u32;
        for _ in 0..4 {
            let c = self.src.get(self.pos).copied();
            let d = match c {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.err(self.pos, "expected 4 hex digits after `\\u`")),
            };
            v = v * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(v)
    }

    fn string(&mut self) -> Result<Str, LoadError> {
        let open = self.pos;
        let body = open + 1;
        // Most strings hold no escape: find the closing quote at memory speed and copy the
        // text once, at its exact size.
        let rest = self.src.get(body..).unwrap_or_default();
        if let Some(i) = memchr::memchr2(b'"', b'\\', rest)
            && rest[i] == b'"'
            && !rest[..i].iter().any(|&c| c < 0x20)
            && let Some(plain) = self.text.get(body..body + i)
        {
            self.pos = body + i + 1;
            return Ok(plain.into());
        }
        self.pos = body;
        let mut out = String::new();
        loop {
            // Copy a run of plain bytes at once.
            let run_start = self.pos;
            while let Some(&c) = self.src.get(self.pos) {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            if self.pos > run_start {
                // Runs start and stop at ASCII bytes, so they are character boundaries.
                out.push_str(self.text.get(run_start..self.pos).unwrap_or_default());
            }
            match self.src.get(self.pos) {
                None => return Err(self.err(open, "unterminated string")),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out.into());
                }
                Some(b'\\') => {
                    self.pos += 1;
                    let c = self.src.get(self.pos).copied();
                    self.pos += 1;
                    match c {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => {
                            let at = self.pos - 2;
                            let hi = self.hex4()?;
                            let cp = if (0xD800..0xDC00).contains(&hi) {
                                if self.src.get(self.pos) == Some(&b'\\')
                                    && self.src.get(self.pos + 1) == Some(&b'u')
                                {
                                    self.pos += 2;
                                    let lo = self.hex4()?;
                                    if !(0xDC00..0xE000).contains(&lo) {
                                        return Err(self.err(at, "invalid UTF-16 surrogate pair"));
                                    }
                                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                                } else {
                                    return Err(self.err(at, "lone UTF-16 surrogate"));
                                }
                            } else {
                                hi
                            };
                            match char::from_u32(cp) {
                                Some(ch) => out.push(ch),
                                None => return Err(self.err(at, "invalid unicode escape")),
                            }
                        }
                        _ => return Err(self.err(self.pos - 2, "invalid escape sequence")),
                    }
                }
                Some(_) => {
                    return Err(self.err(
                        self.pos,
                        "control characters must be escaped inside strings",
                    ));
                }
            }
        }
    }
}
