//! The loaded tree as a JSON instance for the `jsonschema` crate (its `json::Json` family of
//! traits), so the structural check reads our nodes directly instead of a serde_json copy of
//! the whole document: no second parse, no second tree in memory.
//!
//! A `$ref` object listed in [`Instance::follow`] reads as its target, so that fragments in
//! other files are checked as what they are used as (the map is acyclic: see
//! `validate::external_refs`).

use crate::tree::{Member, NodeId, Tree, Value, json_number};
use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object};
use jsonschema::types::JsonType;
use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;

/// Marker type naming this representation.
pub struct TreeJson;

/// The tree as the structural check sees it.
pub struct Instance<'a> {
    pub tree: &'a Tree,
    /// `$ref` object → the node it reads as.
    pub follow: HashMap<NodeId, NodeId>,
}

impl<'a> Instance<'a> {
    /// The node `id` reads as.
    pub fn node(&'a self, id: NodeId) -> TreeNode<'a> {
        TreeNode::At(self, self.follow.get(&id).copied().unwrap_or(id))
    }
}

/// A node of the tree, or a bare string (object keys, checked by `propertyNames`).
#[derive(Clone, Copy)]
pub enum TreeNode<'a> {
    At(&'a Instance<'a>, NodeId),
    Name(&'a str),
}

impl<'a> TreeNode<'a> {
    fn value(&self) -> Option<&'a Value> {
        match *self {
            TreeNode::At(i, id) => Some(i.tree.value(id)),
            TreeNode::Name(_) => None,
        }
    }
}

impl Json for TreeJson {
    type Node<'a> = TreeNode<'a>;
    type PreparedKey = String;
    type StringBuffer = ();
    const ACYCLIC: bool = true;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>((): &mut (), string: &str, f: impl FnOnce(TreeNode<'_>) -> T) -> T {
        f(TreeNode::Name(string))
    }
}

/// A number as written in the document.
pub struct TreeNumber<'a>(&'a str);

impl JsonNumber for TreeNumber<'_> {
    fn as_u64(&self) -> Option<u64> {
        self.0.parse().ok()
    }
    fn as_i64(&self) -> Option<i64> {
        self.0.parse().ok()
    }
    fn as_f64(&self) -> Option<f64> {
        self.to_number().as_f64()
    }
    fn as_str(&self) -> Cow<'_, str> {
        Cow::Borrowed(self.0)
    }
    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        match json_number(self.0) {
            serde_json::Value::Number(n) => Cow::Owned(n),
            _ => Cow::Owned(serde_json::Number::from(0)),
        }
    }
}

impl<'a> Node<'a, TreeJson> for TreeNode<'a> {
    type Object = TreeObject<'a>;
    type Array = TreeArray<'a>;
    type Number = TreeNumber<'a>;

    fn as_object(&self) -> Option<TreeObject<'a>> {
        match (*self, self.value()) {
            (TreeNode::At(inst, _), Some(Value::Object(members))) => {
                Some(TreeObject { inst, members })
            }
            _ => None,
        }
    }
    fn as_array(&self) -> Option<TreeArray<'a>> {
        match (*self, self.value()) {
            (TreeNode::At(inst, _), Some(Value::Array(items))) => Some(TreeArray { inst, items }),
            _ => None,
        }
    }
    fn as_string(&self) -> Option<Cow<'a, str>> {
        match (*self, self.value()) {
            (TreeNode::Name(s), _) => Some(Cow::Borrowed(s)),
            (_, Some(Value::String(s))) => Some(Cow::Borrowed(s.as_str())),
            _ => None,
        }
    }
    fn as_number(&self) -> Option<TreeNumber<'a>> {
        match self.value() {
            Some(Value::Number(n)) => Some(TreeNumber(n.as_str())),
            _ => None,
        }
    }
    fn as_boolean(&self) -> Option<bool> {
        match self.value() {
            Some(Value::Bool(b)) => Some(*b),
            _ => None,
        }
    }
    fn is_null(&self) -> bool {
        matches!(self.value(), Some(Value::Null))
    }
    fn json_type(&self) -> JsonType {
        match self.value() {
            None | Some(Value::String(_)) => JsonType::String,
            Some(Value::Null) => JsonType::Null,
            Some(Value::Bool(_)) => JsonType::Boolean,
            Some(Value::Number(_)) => JsonType::Number,
            Some(Value::Array(_)) => JsonType::Array,
            Some(Value::Object(_)) => JsonType::Object,
        }
    }
    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        match *self {
            TreeNode::At(i, id) => Cow::Owned(i.tree.to_json(id)),
            TreeNode::Name(s) => Cow::Owned(serde_json::Value::String(s.to_owned())),
        }
    }
    fn identity(&self) -> Option<NodeIdentity> {
        match *self {
            TreeNode::At(_, id) => Some(NodeIdentity::new(id.0 as usize)),
            TreeNode::Name(_) => None,
        }
    }
}

/// The members of an object node.
pub struct TreeObject<'a> {
    inst: &'a Instance<'a>,
    members: &'a [Member],
}

/// The items of an array node.
pub struct TreeArray<'a> {
    inst: &'a Instance<'a>,
    items: &'a [NodeId],
}

pub struct Members<'a> {
    inst: &'a Instance<'a>,
    inner: std::slice::Iter<'a, Member>,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, TreeNode<'a>);
    fn next(&mut self) -> Option<Self::Item> {
        self.inner
            .next()
            .map(|m| (m.key.as_str(), self.inst.node(m.value)))
    }
}

pub struct Items<'a> {
    inst: &'a Instance<'a>,
    inner: std::slice::Iter<'a, NodeId>,
}

impl<'a> Iterator for Items<'a> {
    type Item = TreeNode<'a>;
    fn next(&mut self) -> Option<Self::Item> {
        self.inner.next().map(|&id| self.inst.node(id))
    }
}

impl<'a> Object<'a, TreeJson> for TreeObject<'a> {
    type Node = TreeNode<'a>;
    type MemberName = &'a str;
    type MembersIter = Members<'a>;

    fn len(&self) -> usize {
        self.members.len()
    }
    fn get(&self, key: &String) -> Option<TreeNode<'a>> {
        self.members
            .iter()
            .find(|m| m.key == key.as_str())
            .map(|m| self.inst.node(m.value))
    }
    fn members(&self) -> Members<'a> {
        Members {
            inst: self.inst,
            inner: self.members.iter(),
        }
    }
}

impl<'a> Array<'a, TreeJson> for TreeArray<'a> {
    type Node = TreeNode<'a>;
    type ElementsIter = Items<'a>;

    fn len(&self) -> usize {
        self.items.len()
    }
    fn elements(&self) -> Items<'a> {
        Items {
            inst: self.inst,
            inner: self.items.iter(),
        }
    }
}
