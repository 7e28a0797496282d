//! The positioned tree: every node of every loaded file, in one arena.
//!
//! Nodes keep their file and byte span; JSON pointers are built on demand from parent links
//! (building a pointer for each of GitHub's 250 000 nodes up front costs more than loading).

use crate::source::{FileId, LineCol, SourceFile, Span};

/// Index of a node in the arena.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(pub u32);

/// Text of keys, strings and numbers: stored inline up to 24 bytes, so the keys and short
/// values that make up most of a document cost no allocation of their own.
pub type Str = compact_str::CompactString;

/// The value of a node.
#[derive(Debug, Clone)]
pub enum Value {
    Null,
    Bool(bool),
    /// A number, kept as its source text (normalised to decimal for YAML hex/octal) so that
    /// integers beyond 64 bits survive.
    Number(Str),
    String(Str),
    Array(Vec<NodeId>),
    Object(Vec<Member>),
}

/// One member of an object.
#[derive(Debug, Clone)]
pub struct Member {
    pub key: Str,
    /// Span of the key (diagnostics about a member point at its key).
    pub key_span: Span,
    pub value: NodeId,
    /// [`key_tag`] of `key`: lookups compare this first and the text only when it matches.
    /// It fills what was padding, so a member stays 40 bytes.
    tag: u32,
}

impl Member {
    /// [`key_tag`] of the key: two keys with different tags differ.
    pub(crate) fn tag(&self) -> u32 {
        self.tag
    }

    pub fn new(key: Str, key_span: Span, value: NodeId) -> Self {
        let tag = key_tag(&key);
        Member {
            key,
            key_span,
            value,
            tag,
        }
    }
}

/// A cheap fingerprint of a key: its length and its first, second and last bytes. Keys that
/// differ in any of these (`type`/`title`, `minLength`/`maxLength`, `example`/`examples`)
/// are told apart without reading their text.
#[inline]
pub fn key_tag(key: &str) -> u32 {
    let b = key.as_bytes();
    let at = |i: usize| u32::from(b.get(i).copied().unwrap_or(0));
    let last = b.last().map_or(0, |&c| u32::from(c));
    ((b.len() as u32 & 0xff) << 24) | (at(0) << 16) | (at(1) << 8) | last
}

#[derive(Debug, Clone)]
pub struct Node {
    /// Read it freely; replace it with [`Node::set_value`] (the key filter follows the value).
    pub value: Value,
    pub span: Span,
    pub file: FileId,
    /// Parent node (`u32::MAX`: none) and the index of this node inside it.
    up: (u32, u32),
    /// For an object, a one-hash Bloom filter of its keys ([`key_bit`]): a lookup of a key
    /// whose bit is not set is answered without reading the members. It fills what was
    /// padding (a node stays 56 bytes).
    keys: u32,
}

impl Node {
    pub(crate) fn new(value: Value, span: Span, file: FileId) -> Self {
        let keys = key_bits(&value);
        Node {
            value,
            span,
            file,
            up: (u32::MAX, 0),
            keys,
        }
    }

    /// Parent node and the index of this node inside it.
    pub fn parent(&self) -> Option<(NodeId, u32)> {
        (self.up.0 != u32::MAX).then_some((NodeId(self.up.0), self.up.1))
    }

    pub(crate) fn set_parent(&mut self, parent: NodeId, index: u32) {
        self.up = (parent.0, index);
    }

    /// Replace the value (the key filter follows).
    pub fn set_value(&mut self, value: Value) {
        self.keys = key_bits(&value);
        self.value = value;
    }
}

/// The bit of a key in [`Node`]'s key filter.
#[inline]
fn key_bit(tag: u32) -> u32 {
    1 << (tag.wrapping_mul(0x9E37_79B1) >> 27)
}

fn key_bits(value: &Value) -> u32 {
    match value {
        Value::Object(members) => members.iter().fold(0, |b, m| b | key_bit(m.tag)),
        _ => 0,
    }
}

/// Several keys at once, for [`Tree::may_have_any`].
#[derive(Debug, Clone, Copy)]
pub struct KeyFilter(u32);

impl KeyFilter {
    pub fn new(keys: &[&str]) -> KeyFilter {
        KeyFilter(keys.iter().fold(0, |b, k| b | key_bit(key_tag(k))))
    }
}

/// All files and nodes of one loaded document.
#[derive(Debug, Default)]
pub struct Tree {
    pub files: Vec<SourceFile>,
    pub nodes: Vec<Node>,
    /// Root node of each file, by file index.
    pub roots: Vec<NodeId>,
}

/// The type name of a value as the JSON Schema vocabulary says it.
pub fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if !n.contains(['.', 'e', 'E']) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

impl Tree {
    pub fn node(&self, id: NodeId) -> &Node {
        // ok: NodeIds are only created by this arena, so the index is always in range.
        &self.nodes[id.0 as usize]
    }

    pub fn value(&self, id: NodeId) -> &Value {
        &self.node(id).value
    }

    pub fn file(&self, id: FileId) -> &SourceFile {
        // ok: FileIds are only created by this arena.
        &self.files[id.0 as usize]
    }

    pub fn root(&self, file: FileId) -> Option<NodeId> {
        self.roots.get(file.0 as usize).copied()
    }

    /// Members of an object node (empty for anything else).
    pub fn members(&self, id: NodeId) -> &[Member] {
        match self.value(id) {
            Value::Object(m) => m,
            _ => &[],
        }
    }

    /// Items of an array node (empty for anything else).
    pub fn items(&self, id: NodeId) -> &[NodeId] {
        match self.value(id) {
            Value::Array(a) => a,
            _ => &[],
        }
    }

    pub fn is_object(&self, id: NodeId) -> bool {
        matches!(self.value(id), Value::Object(_))
    }

    /// The member `key` of an object node.
    pub fn get(&self, id: NodeId, key: &str) -> Option<NodeId> {
        self.get_member(id, key).map(|m| m.value)
    }

    /// Whether the object `id` may have a member named by one of the keys of `filter` (from
    /// [`KeyFilter::new`]): `false` is certain, `true` means look. Answers for most objects from
    /// the node alone, where asking [`Tree::get`] for each key would hash each one.
    pub fn may_have_any(&self, id: NodeId, filter: KeyFilter) -> bool {
        self.node(id).keys & filter.0 != 0
    }

    /// The member `key`, with its key span.
    pub fn get_member(&self, id: NodeId, key: &str) -> Option<&Member> {
        let tag = key_tag(key);
        let node = self.node(id);
        if node.keys & key_bit(tag) == 0 {
            return None;
        }
        match &node.value {
            Value::Object(m) => m.iter().find(|m| m.tag == tag && &*m.key == key),
            _ => None,
        }
    }

    pub fn str(&self, id: NodeId) -> Option<&str> {
        match self.value(id) {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn bool(&self, id: NodeId) -> Option<bool> {
        match self.value(id) {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn number(&self, id: NodeId) -> Option<f64> {
        match self.value(id) {
            Value::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    pub fn get_str(&self, id: NodeId, key: &str) -> Option<&str> {
        self.get(id, key).and_then(|v| self.str(v))
    }

    pub fn get_bool(&self, id: NodeId, key: &str) -> Option<bool> {
        self.get(id, key).and_then(|v| self.bool(v))
    }

    pub fn get_number(&self, id: NodeId, key: &str) -> Option<f64> {
        self.get(id, key).and_then(|v| self.number(v))
    }

    /// The key under which this node sits in its parent object, if any.
    pub fn key_of(&self, id: NodeId) -> Option<&str> {
        let (parent, idx) = self.node(id).parent()?;
        match self.value(parent) {
            Value::Object(m) => m.get(idx as usize).map(|m| &*m.key),
            _ => None,
        }
    }

    /// The span users should see for this node: the key for an object member, the node otherwise.
    pub fn report_span(&self, id: NodeId) -> Span {
        if let Some((parent, idx)) = self.node(id).parent()
            && let Value::Object(m) = self.value(parent)
            && let Some(m) = m.get(idx as usize)
        {
            return m.key_span;
        }
        self.node(id).span
    }

    /// RFC 6901 pointer of a node inside its own file (`""` for a file's root).
    pub fn pointer(&self, id: NodeId) -> String {
        let mut segments: Vec<std::borrow::Cow<'_, str>> = Vec::new();
        let mut cur = id;
        while let Some((parent, idx)) = self.node(cur).parent() {
            match self.value(parent) {
                Value::Object(m) => {
                    if let Some(m) = m.get(idx as usize) {
                        segments.push(std::borrow::Cow::Borrowed(&m.key));
                    }
                }
                _ => segments.push(std::borrow::Cow::Owned(idx.to_string())),
            }
            cur = parent;
        }
        let mut out = String::new();
        for s in segments.iter().rev() {
            out.push('/');
            crate::pointer::escape_into(s, &mut out);
        }
        out
    }

    /// `file:line:col` of a node (the key for members).
    pub fn location(&self, id: NodeId) -> (FileId, LineCol) {
        let n = self.node(id);
        let span = self.report_span(id);
        (n.file, self.file(n.file).line_col(span.start))
    }

    /// Follow an RFC 6901 pointer (already split and unescaped) from a node.
    pub fn walk_pointer<'a>(
        &self,
        from: NodeId,
        segments: impl IntoIterator<Item = &'a str>,
    ) -> Option<NodeId> {
        let mut cur = from;
        for seg in segments {
            cur = match self.value(cur) {
                // By tag first, as `get` does: `#/components/schemas/X` scans a thousand keys.
                Value::Object(_) => self.get_member(cur, seg)?.value,
                Value::Array(a) => {
                    if seg.len() > 1 && seg.starts_with('0') {
                        return None;
                    }
                    *a.get(seg.parse::<usize>().ok()?)?
                }
                _ => return None,
            };
        }
        Some(cur)
    }
}

impl Tree {
    /// The subtree under `id` as a JSON value, as written (no `$ref` resolution).
    /// Depth is bounded by the reader's depth cap, so recursion here is safe.
    pub fn to_json(&self, id: NodeId) -> serde_json::Value {
        use serde_json::Value as J;
        match self.value(id) {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Number(n) => json_number(n),
            Value::String(s) => J::String(s.to_string()),
            Value::Array(items) => J::Array(items.iter().map(|&i| self.to_json(i)).collect()),
            Value::Object(members) => J::Object(
                members
                    .iter()
                    .map(|m| (m.key.to_string(), self.to_json(m.value)))
                    .collect(),
            ),
        }
    }
}

/// A JSON number from its text; integers beyond 64 bits fall back to the nearest float, and
/// numbers beyond the float range (`1e400`) to the largest finite one of their sign.
pub fn json_number(n: &str) -> serde_json::Value {
    if let Ok(i) = n.parse::<i64>() {
        return serde_json::Value::from(i);
    }
    if let Ok(u) = n.parse::<u64>() {
        return serde_json::Value::from(u);
    }
    let finite = |f: f64| {
        if f.is_infinite() {
            f64::MAX.copysign(f)
        } else {
            f
        }
    };
    match n
        .parse::<f64>()
        .ok()
        .map(finite)
        .and_then(serde_json::Number::from_f64)
    {
        Some(f) => serde_json::Value::Number(f),
        None => serde_json::Value::String(n.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_tag_and_filter_cost_no_memory() {
        assert_eq!(std::mem::size_of::<Member>(), 40);
        assert_eq!(std::mem::size_of::<Node>(), 56);
    }

    #[test]
    fn lookups_tell_keys_with_the_same_tag_apart() {
        // `abXb` and `abYb` share length, first, second and last bytes.
        assert_eq!(key_tag("abXb"), key_tag("abYb"));
        assert_ne!(key_tag("type"), key_tag("title"));
        let mut tree = Tree::default();
        let mut b = crate::build::Builder::new(
            &mut tree,
            crate::source::FileId(0),
            crate::build::ReadLimits::default(),
        );
        crate::json::read(r#"{"abXb": 1, "abYb": 2, "type": 3, "": 4}"#, &mut b).unwrap();
        let root = b.root.unwrap();
        let num = |k: &str| tree.get(root, k).and_then(|n| tree.number(n));
        assert_eq!(num("abXb"), Some(1.0));
        assert_eq!(num("abYb"), Some(2.0));
        assert_eq!(num("type"), Some(3.0));
        assert_eq!(num(""), Some(4.0));
        assert_eq!(num("abZb"), None);
        assert_eq!(num("title"), None);
    }

    #[test]
    fn copies_of_yaml_aliases_answer_lookups() {
        // A copied object gets its key filter from its copied members.
        let mut tree = Tree::default();
        let mut b = crate::build::Builder::new(
            &mut tree,
            crate::source::FileId(0),
            crate::build::ReadLimits::default(),
        );
        crate::yaml::read("a: &x {k: 1, j: [2]}\nb: *x\n", &mut b).unwrap();
        let root = b.root.unwrap();
        let copy = tree.get(root, "b").unwrap();
        assert_ne!(Some(copy), tree.get(root, "a"));
        assert_eq!(tree.get(copy, "k").and_then(|n| tree.number(n)), Some(1.0));
        assert!(tree.get(copy, "j").is_some());
        assert_eq!(tree.get(copy, "a"), None);
    }
}
