//! A strict JSON reader (RFC 8259) that records byte spans, keeps number text, and builds the
//! tree iteratively.
//!
//! Why our own and not jsonc-parser: we need the spans in our own arena, an explicit depth cap
//! before any recursion can overflow the stack, duplicate-key detection and big integers kept
//! as text; converting another crate's AST would double the work on 20 MB documents.

use crate::build::{Builder, ReadLimits};
use crate::diag::LoadError;
use crate::source::Span;
use crate::tree::{NodeId, Str, Tree, Value};
use std::sync::atomic::{AtomicBool, Ordering};

struct Reader<'a, 'b, 't> {
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    b: &'b mut Builder<'t>,
    /// Stop after one complete value instead of requiring the end of the text (the helper
    /// of a parallel read parses the containers of its half one at a time).
    one_value: bool,
    /// Containers of the second half already read by the helper thread.
    ahead: Ahead<'a>,
}

/// Documents at least this large are read by two threads (below it the thread costs more
/// than it saves).
const PARALLEL_FROM: usize = 1 << 20;

/// Read `text` as JSON into the builder's tree.
///
/// A large document is read by two threads. A raw line break never occurs inside a JSON
/// string, so right after the first line break past the middle a helper thread can tell the
/// tokens apart without knowing what came before; it reads every array and object that
/// opens at its outermost level there into a tree of its own. The main thread reads the
/// whole document as usual, and where it reaches a value the helper has read, it moves the
/// helper's nodes in (renumbered) and jumps to the value's end. Everything between those
/// values — keys, commas, closing brackets, scalars — is still read by the main thread, so the
/// grammar is checked exactly as in one pass; a problem inside a helper's value makes the
/// helper stop there, and the main thread reads the rest itself and reports it. The result,
/// errors included, is the same tree as a single-threaded read. Minified documents (no line
/// break) are read by one thread.
pub(crate) fn read(text: &str, b: &mut Builder<'_>) -> Result<(), LoadError> {
    let src = text.as_bytes();
    let split = (src.len() >= PARALLEL_FROM)
        .then(|| memchr::memchr(b'\n', src.get(src.len() / 2..)?).map(|i| src.len() / 2 + i + 1))
        .flatten();
    read_split(text, b, split, false)
}

/// Read `text`, with a helper thread from byte `split` on (which must follow a line break).
/// With `eager`, the helper's part is read first, on this thread, and always taken in (the
/// tests and the fuzz target check the joining, which a scheduling race could skip).
fn read_split(
    text: &str,
    b: &mut Builder<'_>,
    split: Option<usize>,
    eager: bool,
) -> Result<(), LoadError> {
    let Some(split) = split else {
        return Reader::new(text, b, Ahead::None).document();
    };
    let (file, mut limits) = (b.file, b.limits);
    // The helper holds at most half the node budget: on a runaway document it stops there
    // and the main thread meets the limit, so the two arenas stay within 1.5 budgets.
    limits.max_nodes /= 2;
    if eager {
        let pre = read_ahead(text, split, file, limits);
        return Reader::new(text, b, Ahead::Ready(pre)).document();
    }
    // The helper is a job on the thread pool (a thread of its own would start a heap of its
    // own in the allocator). Whoever comes first claims the second half: when this thread
    // reaches the split before any pool thread has taken the job up (a busy or one-thread
    // pool), it reads on alone and the job, run later, does nothing — never a wait for a job
    // that has not started.
    let claimed = AtomicBool::new(false);
    let (done, result) = std::sync::mpsc::sync_channel::<Prebuilt>(1);
    rayon::scope(|s| {
        let claimed = &claimed;
        s.spawn(move |_| {
            if !claimed.swap(true, Ordering::AcqRel) {
                // A helper that panicked leaves the rest to the main reader (the channel
                // closes unanswered).
                let pre = std::panic::catch_unwind(move || read_ahead(text, split, file, limits));
                if let Ok(pre) = pre {
                    let _ = done.send(pre);
                }
            }
        });
        let ahead = Ahead::Pending {
            split,
            claimed,
            result,
        };
        Reader::new(text, b, ahead).document()
    })
}

/// What reading `text` gives with one thread, and with the helper starting after the first
/// line break at or after byte `from` — the tree (root and every node) or the error, as text.
/// The two must be equal; `None` when no line break follows `from`. For tests and the
/// `json_split` fuzz target (any split point, any size: `read` itself splits only large
/// documents, in the middle).
#[doc(hidden)]
pub fn split_read_outcomes(
    text: &str,
    from: usize,
    limits: ReadLimits,
) -> Option<(String, String)> {
    let rest = text.as_bytes().get(from..)?;
    let split = from + memchr::memchr(b'\n', rest)? + 1;
    let outcome = |split: Option<usize>| {
        let mut tree = Tree::default();
        let mut b = Builder::new(&mut tree, crate::source::FileId(0), limits);
        let r = read_split(text, &mut b, split, true);
        let root = b.root;
        match r {
            Ok(()) => format!("{root:?} {:?}", tree.nodes),
            Err(e) => format!("error {e:?}"),
        }
    };
    Some((outcome(None), outcome(Some(split))))
}

/// The containers the helper read: start and end byte of each, its root and the end of its
/// node range in the helper's tree, and how deep it nests.
#[derive(Default)]
struct Prebuilt {
    tree: Tree,
    values: Vec<(usize, usize, NodeId, u32, usize)>,
    /// Next entry of `values` the main thread may meet.
    next: usize,
}

enum Ahead<'a> {
    None,
    Pending {
        split: usize,
        claimed: &'a AtomicBool,
        result: std::sync::mpsc::Receiver<Prebuilt>,
    },
    Ready(Prebuilt),
}

/// The helper's work: from `split` on, every array or object at the outermost level.
fn read_ahead(
    text: &str,
    split: usize,
    file: crate::source::FileId,
    limits: ReadLimits,
) -> Prebuilt {
    let mut out = Prebuilt::default();
    // Same density as the main thread's arena (see `Loader::add_file`).
    out.tree
        .nodes
        .reserve((text.len().saturating_sub(split) / 48).min(limits.max_nodes));
    let mut b = Builder::new(&mut out.tree, file, limits);
    let mut values = Vec::new();
    let src = text.as_bytes();
    let mut pos = split;
    while let Some(&c) = src.get(pos) {
        match c {
            b'{' | b'[' => {
                let first = b.tree.nodes.len();
                let mut r = Reader::new(text, &mut b, Ahead::None);
                r.pos = pos;
                r.one_value = true;
                r.b.root = None;
                r.b.reset_max_depth();
                if r.document().is_err() {
                    break;
                }
                let end = r.pos;
                let (Some(root), Ok(last)) = (r.b.root, u32::try_from(r.b.tree.nodes.len())) else {
                    break;
                };
                if root.0 as usize != first {
                    break;
                }
                values.push((pos, end, root, last, r.b.max_depth()));
                pos = end;
            }
            b'"' => {
                // A key or a string value: skip it (the main thread reads it).
                let mut r = Reader::new(text, &mut b, Ahead::None);
                r.pos = pos;
                if r.string().is_err() {
                    break;
                }
                pos = r.pos;
            }
            _ => pos += 1,
        }
    }
    drop(b);
    out.values = values;
    out
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

impl<'a, 'b, 't> Reader<'a, 'b, 't> {
    fn new(text: &'a str, b: &'b mut Builder<'t>, ahead: Ahead<'a>) -> Self {
        Reader {
            text,
            src: text.as_bytes(),
            pos: 0,
            b,
            one_value: false,
            ahead,
        }
    }

    /// Take in the helper's copy of the container that opens here, if it read one: returns
    /// whether it did (then `pos` is past the container).
    fn take_ahead(&mut self) -> Result<bool, LoadError> {
        if let Ahead::Pending { split, .. } = &self.ahead {
            if self.pos < *split {
                return Ok(false);
            }
            let Ahead::Pending {
                claimed, result, ..
            } = std::mem::replace(&mut self.ahead, Ahead::None)
            else {
                return Ok(false);
            };
            // Claimed already: the helper is running (or done) on another thread, so waiting
            // for it ends. Otherwise this thread reads the rest itself.
            if claimed.swap(true, Ordering::AcqRel) {
                self.ahead = result.recv().map_or(Ahead::None, Ahead::Ready);
            }
        }
        let Ahead::Ready(pre) = &mut self.ahead else {
            return Ok(false);
        };
        while pre.values.get(pre.next).is_some_and(|v| v.0 < self.pos) {
            pre.next += 1;
        }
        let Some(&(start, end, root, last, depth)) = pre.values.get(pre.next) else {
            return Ok(false);
        };
        if start != self.pos || !self.b.graft(&mut pre.tree, root, last, depth, start)? {
            return Ok(false);
        }
        pre.next += 1;
        self.pos = end;
        Ok(true)
    }

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
        if self.pos == 0 && self.src.starts_with(&[0xEF, 0xBB, 0xBF]) {
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
                        if self.one_value {
                            return Ok(());
                        }
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
        if matches!(self.src.get(self.pos), Some(b'{' | b'[')) && self.take_ahead()? {
            return Ok(Expect::After);
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::FileId;

    /// Every line break of `text` as the split point gives what one thread gives.
    fn same_at_every_split(text: &str, limits: ReadLimits) -> usize {
        let mut n = 0;
        for (i, _) in text.match_indices('\n') {
            let (serial, split) = split_read_outcomes(text, i, limits).unwrap();
            assert_eq!(split, serial, "split after byte {i}");
            n += 1;
        }
        n
    }

    /// What one thread reads.
    fn outcome(text: &str) -> String {
        split_read_outcomes(text, 0, ReadLimits::default())
            .unwrap()
            .0
    }

    const DOC: &str = r##"{
  "openapi": "3.0.3",
  "info": {"title": "T \"quoted\" \u00e9\ud83d\ude00", "version": "1"},
  "paths": {
    "/a": {
      "get": {
        "parameters": [
          {"name": "x", "in": "query", "schema": {"type": "integer", "maximum": 1e3}},
          {"name": "y", "in": "query", "schema": {"type": "string", "enum": ["a", "b"]}}
        ],
        "responses": {"200": {"description": "ok", "content": {}}}
      }
    },
    "/b": [
      [],
      {},
      [1, -2.5, true, false, null, "s", [[]], {"k": {"k": [{}]}}]
    ]
  },
  "components": {
    "schemas": {
      "A": {"type": "object", "properties": {"id": {"type": "string"}}},
      "B": {"allOf": [{"$ref": "#/components/schemas/A"}]}
    }
  }
}
"##;

    #[test]
    fn a_split_read_builds_the_same_tree() {
        assert!(same_at_every_split(DOC, ReadLimits::default()) > 20);
    }

    #[test]
    fn a_split_read_reports_the_same_errors() {
        let broken = [
            // duplicate key late in the document
            DOC.replace(r#""B": {"allOf""#, r#""A": {"allOf""#),
            // a syntax error inside a container the helper reads
            DOC.replace(r#""k": {"k": [{}]}"#, r#""k": {"k": [{},]}"#),
            // a syntax error between containers
            DOC.replace("\"/b\": [", "\"/b\" ["),
            // unbalanced
            DOC.replace("\n    \"/b\"", "\n    }, \"/b\""),
            DOC.trim_end().trim_end_matches('}').to_string(),
            format!("{DOC} trailing"),
        ];
        for text in &broken {
            assert!(outcome(text).starts_with("error"));
            same_at_every_split(text, ReadLimits::default());
        }
    }

    #[test]
    fn a_split_read_keeps_the_limits() {
        // Deepest nesting in DOC is 8 (`/b` → … → `[{}]`): limits at and around it.
        for max_depth in [6, 7, 8, 9] {
            let limits = ReadLimits {
                max_depth,
                ..ReadLimits::default()
            };
            same_at_every_split(DOC, limits);
        }
        for max_nodes in [40, 80, 100, 1000] {
            let limits = ReadLimits {
                max_nodes,
                ..ReadLimits::default()
            };
            same_at_every_split(DOC, limits);
        }
    }

    #[test]
    fn large_documents_are_read_in_two_parts_with_the_same_result_on_any_pool() {
        let item = r#"    {"name": "n", "list": [1, 2, {"deep": {"deeper": ["x\ty"]}}], "flag": true},
"#;
        let mut text = String::from("{\n  \"items\": [\n");
        while text.len() < PARALLEL_FROM + 1000 {
            text.push_str(item);
        }
        text.push_str("    null\n  ]\n}\n");
        let serial = outcome(&text);
        let read_in = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                let mut tree = Tree::default();
                let mut b = Builder::new(&mut tree, FileId(0), ReadLimits::default());
                read(&text, &mut b).unwrap();
                let root = b.root;
                format!("{root:?} {:?}", tree.nodes)
            })
        };
        // On a one-thread pool nobody else can take the helper's job: the reader must not wait
        // for it (it claims the second half and reads on alone).
        assert_eq!(read_in(1), serial);
        for _ in 0..4 {
            assert_eq!(read_in(2), serial);
        }
        // From outside any pool (the global one).
        let mut tree = Tree::default();
        let mut b = Builder::new(&mut tree, FileId(0), ReadLimits::default());
        read(&text, &mut b).unwrap();
        let root = b.root;
        assert_eq!(format!("{root:?} {:?}", tree.nodes), serial);
    }
}
