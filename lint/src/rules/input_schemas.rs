//! Shared by the API3/API4 rules (not a rule): which schemas describe what clients send, and
//! small schema predicates that read both 3.0 and 3.1 shapes.

use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::view::media_schemas;
use specguard_spec::walk::{Kind, Shape, child};
use specguard_spec::{Tree, Value};

/// Whether the schema's `type` is `name` or (3.1) a list containing `name`.
pub fn has_type(t: &Tree, s: NodeId, name: &str) -> bool {
    match t.get(s, "type") {
        Some(ty) => match t.str(ty) {
            Some(x) => x == name,
            None => t.items(ty).iter().any(|&i| t.str(i) == Some(name)),
        },
        None => false,
    }
}

/// Whether the schema says it is an object: `type: object` (or a list with it), or `properties`.
pub fn is_object_schema(t: &Tree, s: NodeId) -> bool {
    has_type(t, s, "object") || (t.get(s, "type").is_none() && t.get(s, "properties").is_some())
}

fn is_read_only(t: &Tree, s: NodeId) -> bool {
    t.get_bool(s, "readOnly") == Some(true)
}

/// Whether a value is fixed by `enum` or `const`.
pub fn is_enumerated(t: &Tree, s: NodeId) -> bool {
    t.get(s, "enum").is_some() || t.get(s, "const").is_some()
}

/// A property's flag as written where the property is declared (a 3.1 `$ref` sibling, an
/// `allOf` member) or on the schema it points to.
pub fn property_flag(cx: &Context<'_>, prop: NodeId, flag: &str) -> bool {
    let t = cx.tree();
    let on = |n: NodeId| t.get_bool(n, flag) == Some(true);
    if on(prop) {
        return true;
    }
    let r = cx.resolve(prop);
    if on(r) {
        return true;
    }
    t.get(r, "allOf")
        .is_some_and(|l| t.items(l).iter().any(|&x| on(x) || on(cx.resolve(x))))
}

/// The direct sub-schemas of a schema as written (a `$ref` node is not resolved), with the
/// property name for members of `properties`.
fn raw_children<'t>(t: &'t Tree, s: NodeId, out: &mut Vec<(Option<&'t str>, NodeId)>) {
    for m in t.members(s) {
        // `not` describes what is rejected, not what is accepted.
        if &*m.key == "not" {
            continue;
        }
        match child(Kind::Schema, &m.key) {
            Some(Shape::One(_)) => out.push((None, m.value)),
            Some(Shape::Map(_)) => {
                let named = &*m.key == "properties";
                out.extend(
                    t.members(m.value)
                        .iter()
                        .map(|x| (named.then_some(&*x.key), x.value)),
                );
            }
            Some(Shape::List(_) | Shape::OneOrList(_)) => match t.value(m.value) {
                Value::Array(a) => out.extend(a.iter().map(|&x| (None, x))),
                _ => out.push((None, m.value)),
            },
            None => {}
        }
    }
}

/// Every schema (refs resolved, each once, in document walk order) that describes client
/// input: parameters and request bodies of path operations. Webhook payloads are sent by the
/// API, not to it, and are left out; so are `readOnly` schemas and everything under them.
/// Computed once per document (rules running in parallel share it).
pub fn input_schemas(cx: &Context<'_>) -> Vec<NodeId> {
    cx.input_schemas
        .get_or_init(|| input_schemas_pruned(cx, |_| false))
        .clone()
}

/// [`input_schemas`], also leaving out the properties whose name `prune` accepts and
/// everything under them.
pub fn input_schemas_pruned(cx: &Context<'_>, prune: impl Fn(&str) -> bool) -> Vec<NodeId> {
    let t = cx.tree();
    let mut stack: Vec<(Option<&str>, NodeId)> = Vec::new();
    for op in cx.operations() {
        if op.webhook {
            continue;
        }
        for p in &op.parameters {
            if let Some(s) = t.get(p.node, "schema") {
                stack.push((None, s));
            }
            if let Some(c) = t.get(p.node, "content") {
                for m in t.members(cx.resolve(c)) {
                    stack.extend(t.get(m.value, "schema").map(|s| (None, s)));
                }
            }
        }
        if let Some(b) = op.request_body {
            stack.extend(media_schemas(cx.doc, b).into_iter().map(|x| (None, x.1)));
        }
    }
    let mut seen = HashSet::default();
    while let Some((name, raw)) = stack.pop() {
        if is_read_only(t, raw) || name.is_some_and(&prune) {
            continue;
        }
        let s = cx.resolve(raw);
        if is_read_only(t, s) || !seen.insert(s) {
            continue;
        }
        raw_children(t, s, &mut stack);
    }
    let mut out: Vec<NodeId> = cx
        .views
        .schemas
        .iter()
        .copied()
        .filter(|s| seen.remove(s))
        .collect();
    let mut rest: Vec<NodeId> = seen.into_iter().collect();
    rest.sort();
    out.extend(rest);
    out
}

/// The name a schema is known by: its property key, its parameter's name or its component's
/// key, looking through `items`, `additionalProperties` and `allOf`/`oneOf`/`anyOf` members.
pub fn schema_name<'a>(cx: &Context<'a>, s: NodeId) -> Option<&'a str> {
    let t = cx.tree();
    let mut cur = s;
    for _ in 0..8 {
        let (parent, idx) = t.node(cur).parent()?;
        match t.value(parent) {
            Value::Array(_) => cur = parent,
            Value::Object(m) => {
                let key = &*m.get(idx as usize)?.key;
                match key {
                    "schema" => return t.get_str(parent, "name"),
                    "items"
                    | "additionalProperties"
                    | "allOf"
                    | "oneOf"
                    | "anyOf"
                    | "prefixItems" => cur = parent,
                    _ => return Some(key),
                }
            }
            _ => return None,
        }
    }
    None
}

/// Whether a header name documents rate limiting (`X-RateLimit-*`, `X-Rate-Limit-*`,
/// `RateLimit-*`, `RateLimit`, `RateLimit-Policy`, `Retry-After`).
fn is_rate_limit_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "ratelimit"
        || n == "retry-after"
        || n.starts_with("ratelimit-")
        || n.starts_with("x-ratelimit-")
        || n.starts_with("x-rate-limit-")
}

/// Whether a field name designates a password (`password`, `newPassword`, `password_hash`,
/// `basic_auth_passwd`), per the configured sensitive words.
pub fn is_password_like(cx: &Context<'_>, name: &str) -> bool {
    if cx.sensitive.classify(name) != Some(specguard_spec::sensitive::Category::Secret) {
        return false;
    }
    let ws = specguard_spec::sensitive::words(name);
    ws.iter()
        .rev()
        .take(2)
        .any(|w| matches!(w.as_str(), "password" | "passwd" | "passphrase" | "pwd"))
}

/// Whether a schema holds a scalar that is not text (a flag or a count named after sensitive
/// data is not the data).
pub fn is_non_text_scalar(t: &Tree, s: NodeId) -> bool {
    ["boolean", "integer", "number"]
        .iter()
        .any(|ty| has_type(t, s, ty))
}

/// Whether a schema is a container (its fields are checked one by one).
pub fn is_container(t: &Tree, s: NodeId) -> bool {
    has_type(t, s, "array")
        || has_type(t, s, "object")
        || (t.get(s, "type").is_none()
            && (t.get(s, "properties").is_some() || t.get(s, "items").is_some()))
}

/// Whether an operation documents rate limiting: a `429` response, a rate-limit header on any
/// response, or an `x-ratelimit…`/`x-rate-limit…` extension.
pub fn documents_rate_limit(cx: &Context<'_>, op: &Operation) -> bool {
    let t = cx.tree();
    if has_rate_limit_extension(t, op.node) {
        return true;
    }
    op.responses.iter().any(|(code, r)| {
        code == "429"
            || t.get(*r, "headers").is_some_and(|h| {
                t.members(cx.resolve(h))
                    .iter()
                    .any(|m| is_rate_limit_header(&m.key))
            })
    })
}

/// Whether an object carries an `x-ratelimit…` or `x-rate-limit…` extension.
pub fn has_rate_limit_extension(t: &Tree, node: NodeId) -> bool {
    t.members(node).iter().any(|m| {
        let k = m.key.to_ascii_lowercase();
        k.starts_with("x-ratelimit") || k.starts_with("x-rate-limit")
    })
}
