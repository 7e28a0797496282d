//! Tree construction shared by the JSON and YAML readers: an explicit stack (no recursion),
//! a depth cap, a node budget, and duplicate-key detection.

use crate::diag::LoadError;
use crate::source::{FileId, Span};
use crate::tree::{Member, Node, NodeId, Str, Tree, Value};

/// Limits applied while reading one file.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Deepest nesting of arrays and objects accepted (real specs nest about 31 levels).
    pub max_depth: usize,
    /// Most nodes one file may produce, aliases expanded.
    pub max_nodes: usize,
    /// Most nodes YAML alias expansion may add to one file (bounds alias bombs long before
    /// `max_nodes`: a 9×9 bomb would otherwise build 20 million nodes, over a gigabyte).
    pub max_alias_nodes: usize,
}

impl Default for ReadLimits {
    fn default() -> Self {
        ReadLimits {
            max_depth: 128,
            max_nodes: 20_000_000,
            max_alias_nodes: 1_000_000,
        }
    }
}

/// An open array or object. Its children sit on the builder's shared scratch stacks from
/// `base` on until it closes; then they move into one exactly-sized vector (no regrowing
/// per container, which was a large share of the allocations on big documents).
enum Frame {
    Array {
        id: NodeId,
        base: usize,
    },
    Object {
        id: NodeId,
        base: usize,
        key: Option<(Str, Span)>,
    },
}

pub(crate) struct Builder<'t> {
    pub tree: &'t mut Tree,
    pub file: FileId,
    stack: Vec<Frame>,
    items: Vec<NodeId>,
    members: Vec<Member>,
    /// Scratch space of the duplicate-key check.
    order: Vec<u32>,
    pub limits: ReadLimits,
    created: usize,
    /// Nodes added by alias expansion so far.
    aliased: usize,
    /// Deepest nesting seen since [`Builder::reset_max_depth`].
    deepest: usize,
    pub root: Option<NodeId>,
}

impl<'t> Builder<'t> {
    pub fn new(tree: &'t mut Tree, file: FileId, limits: ReadLimits) -> Self {
        Builder {
            tree,
            file,
            stack: Vec::new(),
            items: Vec::new(),
            members: Vec::new(),
            order: Vec::new(),
            limits,
            created: 0,
            aliased: 0,
            deepest: 0,
            root: None,
        }
    }

    pub fn depth(&self) -> usize {
        self.stack.len()
    }

    fn too_many(&self, span: Span) -> LoadError {
        LoadError::new(
            "too-many-nodes",
            format!(
                "the document expands to more than {} nodes (an alias bomb or a runaway file)",
                self.limits.max_nodes
            ),
        )
        .at(self.file, span, "expansion stopped here")
        .help("remove the repeated aliases; real OpenAPI documents stay far below this limit")
    }

    fn new_node(&mut self, value: Value, span: Span) -> Result<NodeId, LoadError> {
        self.created += 1;
        if self.created > self.limits.max_nodes {
            return Err(self.too_many(span));
        }
        let id = NodeId(u32::try_from(self.tree.nodes.len()).map_err(|_| self.too_many(span))?);
        self.tree.nodes.push(Node::new(value, span, self.file));
        Ok(id)
    }

    /// Whether the next value read is an object key.
    pub fn expecting_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame::Object { key: None, .. }))
    }

    /// Set the key for the next value of the open object.
    pub fn key(&mut self, key: Str, span: Span) {
        if let Some(Frame::Object { key: k, .. }) = self.stack.last_mut() {
            *k = Some((key, span));
        }
    }

    fn attach(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            Some(Frame::Array { id: p, base }) => {
                let idx = u32::try_from(self.items.len() - *base).unwrap_or(u32::MAX);
                self.items.push(id);
                let p = *p;
                self.tree.nodes[id.0 as usize].set_parent(p, idx);
            }
            Some(Frame::Object { id: p, base, key }) => {
                let (k, ks) = key.take().unwrap_or_default();
                let idx = u32::try_from(self.members.len() - *base).unwrap_or(u32::MAX);
                self.members.push(Member::new(k, ks, id));
                let p = *p;
                self.tree.nodes[id.0 as usize].set_parent(p, idx);
            }
            None => self.root = Some(id),
        }
    }

    pub fn scalar(&mut self, value: Value, span: Span) -> Result<NodeId, LoadError> {
        let id = self.new_node(value, span)?;
        self.attach(id);
        Ok(id)
    }

    fn check_depth(&self, span: Span) -> Result<(), LoadError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(LoadError::new(
                "too-deep",
                format!(
                    "nesting deeper than {} levels (real OpenAPI documents nest about 30)",
                    self.limits.max_depth
                ),
            )
            .at(self.file, span, "too deep here"));
        }
        Ok(())
    }

    pub fn begin_array(&mut self, start: usize) -> Result<NodeId, LoadError> {
        self.check_depth(Span::new(start, start + 1))?;
        let id = self.new_node(Value::Null, Span::new(start, start))?;
        self.attach(id);
        self.stack.push(Frame::Array {
            id,
            base: self.items.len(),
        });
        self.deepest = self.deepest.max(self.stack.len());
        Ok(id)
    }

    pub fn begin_object(&mut self, start: usize) -> Result<NodeId, LoadError> {
        self.check_depth(Span::new(start, start + 1))?;
        let id = self.new_node(Value::Null, Span::new(start, start))?;
        self.attach(id);
        self.stack.push(Frame::Object {
            id,
            base: self.members.len(),
            key: None,
        });
        self.deepest = self.deepest.max(self.stack.len());
        Ok(id)
    }

    pub fn reset_max_depth(&mut self) {
        self.deepest = 0;
    }

    /// Deepest nesting since [`Builder::reset_max_depth`] (a lone container counts 1).
    pub fn max_depth(&self) -> usize {
        self.deepest
    }

    /// Move the complete value `root` — nodes `root..last` of `other`, read by another
    /// thread from the same file — in as the next value, renumbering its nodes. Returns
    /// `false`, changing nothing, when the value would break a limit here (deeper than
    /// `max_depth` from the current nesting, or over the node budget): then the caller reads
    /// it itself and meets the error at the right place.
    pub fn graft(
        &mut self,
        other: &mut Tree,
        root: NodeId,
        last: u32,
        depth: usize,
        start: usize,
    ) -> Result<bool, LoadError> {
        let here = self.tree.nodes.len();
        let count = (last as usize).saturating_sub(root.0 as usize);
        let fits = self.stack.len() + depth <= self.limits.max_depth
            && self.created + count <= self.limits.max_nodes
            && (root.0 as usize) <= here
            && u32::try_from(here + count).is_ok();
        let Some(moved) = other.nodes.get_mut(root.0 as usize..last as usize) else {
            return Ok(false);
        };
        if !fits || count == 0 {
            return Ok(false);
        }
        // `here >= root` and `here + count` fits in u32 (checked above): no overflow.
        let delta = (here - root.0 as usize) as u32;
        let blank = || Node::new(Value::Null, Span::new(start, start), self.file);
        self.tree.nodes.reserve(count);
        for slot in moved {
            let mut n = std::mem::replace(slot, blank());
            match &mut n.value {
                Value::Array(items) => items.iter_mut().for_each(|i| i.0 += delta),
                Value::Object(members) => members.iter_mut().for_each(|m| m.value.0 += delta),
                _ => {}
            }
            if let Some((p, i)) = n.parent() {
                n.set_parent(NodeId(p.0 + delta), i);
            }
            self.tree.nodes.push(n);
        }
        self.created += count;
        self.attach(NodeId(root.0 + delta));
        Ok(true)
    }

    /// Close the innermost array or object, ending at byte `end`.
    pub fn end(&mut self, end: usize) -> Result<(), LoadError> {
        match self.stack.pop() {
            Some(Frame::Array { id, base }) => {
                let items = self.items.split_off(base);
                let n = &mut self.tree.nodes[id.0 as usize];
                n.set_value(Value::Array(items));
                n.span.end = u32::try_from(end).unwrap_or(u32::MAX).max(n.span.start);
            }
            Some(Frame::Object { id, base, .. }) => {
                let members = self.members.split_off(base);
                check_duplicates(self.file, &members, &mut self.order)?;
                let n = &mut self.tree.nodes[id.0 as usize];
                n.set_value(Value::Object(members));
                n.span.end = u32::try_from(end).unwrap_or(u32::MAX).max(n.span.start);
            }
            None => {}
        }
        Ok(())
    }

    /// Copy the subtree under `src` (a YAML alias) as the next value, keeping the source spans.
    pub fn copy_subtree(&mut self, src: NodeId, at: Span) -> Result<NodeId, LoadError> {
        // Iterative: a work list of (source node, new parent frame index).
        let copy_root = self.copy_one(src, at)?;
        self.attach(copy_root);
        let base_depth = self.stack.len() + 1;
        let mut work = vec![(src, copy_root, base_depth)];
        while let Some((from, to, depth)) = work.pop() {
            if depth > self.limits.max_depth {
                return Err(LoadError::new(
                    "too-deep",
                    format!(
                        "the alias expands to nesting deeper than {} levels",
                        self.limits.max_depth
                    ),
                )
                .at(self.file, at, "expanded here"));
            }
            let value = self.tree.nodes[from.0 as usize].value.clone();
            let new_value = match value {
                Value::Array(items) => {
                    let mut out = Vec::with_capacity(items.len());
                    for (i, c) in items.into_iter().enumerate() {
                        let n = self.copy_one(c, at)?;
                        self.tree.nodes[n.0 as usize]
                            .set_parent(to, u32::try_from(i).unwrap_or(u32::MAX));
                        out.push(n);
                        work.push((c, n, depth + 1));
                    }
                    Value::Array(out)
                }
                Value::Object(members) => {
                    let mut out = Vec::with_capacity(members.len());
                    for (i, m) in members.into_iter().enumerate() {
                        let n = self.copy_one(m.value, at)?;
                        self.tree.nodes[n.0 as usize]
                            .set_parent(to, u32::try_from(i).unwrap_or(u32::MAX));
                        out.push(Member::new(m.key, m.key_span, n));
                        work.push((m.value, n, depth + 1));
                    }
                    Value::Object(out)
                }
                _ => continue,
            };
            self.tree.nodes[to.0 as usize].set_value(new_value);
        }
        Ok(copy_root)
    }

    fn copy_one(&mut self, src: NodeId, at: Span) -> Result<NodeId, LoadError> {
        self.aliased += 1;
        if self.aliased > self.limits.max_alias_nodes {
            return Err(LoadError::new(
                "too-many-nodes",
                format!(
                    "YAML aliases expand to more than {} nodes (an alias bomb)",
                    self.limits.max_alias_nodes
                ),
            )
            .at(self.file, at, "expansion stopped here")
            .help("repeat the content or use `$ref` instead of nesting aliases of aliases"));
        }
        let n = &self.tree.nodes[src.0 as usize];
        let (value, span) = match &n.value {
            Value::Array(_) | Value::Object(_) => (Value::Null, n.span),
            v => (v.clone(), n.span),
        };
        let _ = at;
        self.new_node(value, span).map_err(|e| {
            let mut e = e;
            if let Some(p) = e.primary.as_mut() {
                p.span = at;
            }
            e
        })
    }

    pub fn open_object_id(&self) -> Option<NodeId> {
        match self.stack.last() {
            Some(Frame::Object { id, .. }) => Some(*id),
            _ => None,
        }
    }
}

fn check_duplicates(
    file: FileId,
    members: &[Member],
    order: &mut Vec<u32>,
) -> Result<(), LoadError> {
    let dup = |first: &Member, second: &Member| {
        LoadError::new(
            "duplicate-key",
            format!("duplicate key `{}`", second.key),
        )
        .at(file, second.key_span, "defined again here")
        .also(file, first.key_span, "first defined here")
        .help("a key may appear once in an object; parsers disagree on which copy wins, so remove one")
    };
    if members.len() <= 16 {
        for (i, m) in members.iter().enumerate() {
            // Tags first: most pairs of keys differ in length or first or last bytes.
            if let Some(first) = members[..i]
                .iter()
                .find(|f| f.tag() == m.tag() && f.key == m.key)
            {
                return Err(dup(first, m));
            }
        }
        return Ok(());
    }
    // Larger objects: sort their indices by key (in one scratch vector reused for every
    // object, where a hash map per object cost an allocation each) and compare neighbours.
    // Report the repeated key whose second occurrence comes first, against its first
    // occurrence — the same pair as the scan above.
    let key = |i: u32| members.get(i as usize).map(|m| m.key.as_str());
    let tag = |i: u32| members.get(i as usize).map(Member::tag);
    order.clear();
    order.extend(0..u32::try_from(members.len()).unwrap_or(u32::MAX));
    // By tag first (equal keys have equal tags, so repeats still end up side by side): most
    // comparisons are then of two integers, not two strings (`components/schemas` and
    // `paths` have a thousand members each on GitHub's spec).
    order.sort_unstable_by(|&a, &b| {
        tag(a)
            .cmp(&tag(b))
            .then_with(|| key(a).cmp(&key(b)))
            .then(a.cmp(&b))
    });
    let mut pair: Option<(u32, u32)> = None;
    for w in order.windows(2) {
        if let [a, b] = *w
            && key(a) == key(b)
            && pair.is_none_or(|(_, second)| b < second)
        {
            pair = Some((a, b));
        }
    }
    match pair.and_then(|(a, b)| Some((members.get(a as usize)?, members.get(b as usize)?))) {
        Some((first, second)) => Err(dup(first, second)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_duplicate(json: &str) -> Option<(u32, u32)> {
        let mut tree = Tree::default();
        let mut b = Builder::new(&mut tree, FileId(0), ReadLimits::default());
        let e = crate::json::read(json, &mut b).err()?;
        Some((e.primary?.span.start, e.secondary.first()?.span.start))
    }

    #[test]
    fn large_objects_report_the_earliest_repeated_key_against_its_first_use() {
        // 20 members: k3 repeats at 15 and 19, k5 at 12. The first member that repeats an
        // earlier key is the one at 12 (`k5`), against `k5` at 5 — as for small objects.
        let keys: Vec<String> = (0..20)
            .map(|i| match i {
                12 => "k5".to_string(),
                15 | 19 => "k3".to_string(),
                i => format!("k{i}"),
            })
            .collect();
        let json = format!(
            "{{{}}}",
            keys.iter()
                .map(|k| format!("\"{k}\": 0"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let at = |i: usize| {
            let before: usize = keys[..i].iter().map(|k| k.len() + 7).sum();
            u32::try_from(1 + before).unwrap()
        };
        assert_eq!(first_duplicate(&json), Some((at(12), at(5))));
        // Without repeats, no error.
        let unique = format!(
            "{{{}}}",
            (0..40)
                .map(|i| format!("\"k{i}\": 0"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        assert_eq!(first_duplicate(&unique), None);
    }
}
