//! Pre-digested views of a loaded document for rules, inventory and the generator:
//! operations with their effective security and merged parameters, and every schema reached
//! with the side (request or response) it is used on.

use crate::load::Document;
use crate::tree::NodeId;
use crate::walk::{HTTP_METHODS, Kind};

/// One requirement of a security alternative: a scheme and the scopes it needs.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct SchemeRef {
    pub scheme: String,
    pub scopes: Vec<String>,
}

/// The security that applies to an operation.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Security {
    /// No security at any level and no explicit public marker.
    None,
    /// Explicitly public: `security: []` or `x-specguard-public: true`.
    Public { marker: PublicMarker },
    /// Alternatives (OR), each a set of schemes that must all pass (AND). An empty
    /// alternative (`{}`) means anonymous access is one of the options.
    Required { any_of: Vec<Vec<SchemeRef>> },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum PublicMarker {
    EmptySecurity,
    Extension,
}

impl Security {
    /// Whether a request without credentials is accepted.
    pub fn allows_anonymous(&self) -> bool {
        match self {
            Security::None | Security::Public { .. } => true,
            Security::Required { any_of } => any_of.iter().any(Vec::is_empty),
        }
    }

    /// `none`, `public`, or `a AND b(scope) OR c`.
    pub fn display(&self) -> String {
        match self {
            Security::None => "none".into(),
            Security::Public { .. } => "public".into(),
            Security::Required { any_of } => any_of
                .iter()
                .map(|alt| {
                    if alt.is_empty() {
                        return "anonymous".to_string();
                    }
                    alt.iter()
                        .map(|s| {
                            if s.scopes.is_empty() {
                                s.scheme.clone()
                            } else {
                                format!("{}({})", s.scheme, s.scopes.join(" "))
                            }
                        })
                        .collect::<Vec<_>>()
                        .join(" AND ")
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        }
    }
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ParamIn {
    Path,
    Query,
    Header,
    Cookie,
}

impl ParamIn {
    pub fn parse(s: &str) -> Option<ParamIn> {
        Some(match s {
            "path" => ParamIn::Path,
            "query" => ParamIn::Query,
            "header" => ParamIn::Header,
            "cookie" => ParamIn::Cookie,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
            ParamIn::Cookie => "cookie",
        }
    }
}

/// A parameter as it applies to one operation (path-level ones merged in).
#[derive(Clone, Debug)]
pub struct Param {
    /// The Parameter Object (refs resolved).
    pub node: NodeId,
    /// The node where the operation or path item lists it (a `$ref` or the object itself).
    pub used_at: NodeId,
    pub name: String,
    pub location: ParamIn,
    pub required: bool,
    /// The schema (refs resolved), from `schema` or the first `content` entry.
    pub schema: Option<NodeId>,
}

/// One operation.
#[derive(Clone, Debug)]
pub struct Operation {
    pub node: NodeId,
    pub path_item: NodeId,
    /// The path template (or webhook name).
    pub path: String,
    pub method: &'static str,
    pub operation_id: Option<String>,
    pub security: Security,
    /// The node that decides the security (operation `security`, root `security`, the marker).
    pub security_node: Option<NodeId>,
    pub deprecated: bool,
    pub parameters: Vec<Param>,
    /// The Request Body Object, refs resolved.
    pub request_body: Option<NodeId>,
    /// Status code (or `default`, `2XX`) → Response Object, refs resolved.
    pub responses: Vec<(String, NodeId)>,
    pub webhook: bool,
}

impl Operation {
    pub fn is_write(&self) -> bool {
        matches!(self.method, "post" | "put" | "patch" | "delete")
    }
    pub fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }
}

/// Which side of the exchange a schema is used on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sides {
    pub request: bool,
    pub response: bool,
}

/// Where each Schema Object reached is used, by node (a dense table: one lookup per schema
/// is in the hot loop of several rules).
#[derive(Clone, Debug, Default)]
pub struct SchemaSides {
    by_node: Vec<Sides>,
}

impl SchemaSides {
    /// The sides a schema (refs resolved) is used on; `None` for a schema no operation uses.
    pub fn get(&self, id: &NodeId) -> Option<&Sides> {
        self.by_node
            .get(id.0 as usize)
            .filter(|s| s.request || s.response)
    }

    fn slot(&mut self, id: NodeId) -> Option<&mut Sides> {
        self.by_node.get_mut(id.0 as usize)
    }
}

/// Views over a document, computed once.
#[derive(Debug)]
pub struct Views {
    pub operations: Vec<Operation>,
    /// Every Schema Object reached (refs resolved) → where it is used.
    pub schema_sides: SchemaSides,
    /// Every Schema Object in walk order (refs resolved; a node once).
    pub schemas: Vec<NodeId>,
}

impl Views {
    pub fn new(doc: &Document) -> Views {
        let operations = operations(doc);
        let mut schemas = Vec::new();
        let mut seen = vec![false; doc.tree.nodes.len()];
        for &(id, kind) in &doc.objects {
            if kind == Kind::Schema
                && let Some(s) = seen.get_mut(id.0 as usize)
                && !*s
            {
                *s = true;
                schemas.push(id);
            }
        }
        let schema_sides = sides(doc, &operations);
        Views {
            operations,
            schema_sides,
            schemas,
        }
    }
}

fn security_of(doc: &Document, op: NodeId) -> (Security, Option<NodeId>) {
    let t = &doc.tree;
    if let Some(m) = t.get(op, "x-specguard-public")
        && t.bool(m) == Some(true)
    {
        return (
            Security::Public {
                marker: PublicMarker::Extension,
            },
            Some(m),
        );
    }
    let node = t
        .get(op, "security")
        .or_else(|| t.get(doc.root, "security"));
    let Some(node) = node else {
        return (Security::None, None);
    };
    let items = t.items(node);
    if items.is_empty() {
        return (
            Security::Public {
                marker: PublicMarker::EmptySecurity,
            },
            Some(node),
        );
    }
    let any_of = items
        .iter()
        .map(|&alt| {
            t.members(alt)
                .iter()
                .map(|m| SchemeRef {
                    scheme: m.key.to_string(),
                    scopes: t
                        .items(m.value)
                        .iter()
                        .filter_map(|&s| t.str(s).map(str::to_string))
                        .collect(),
                })
                .collect()
        })
        .collect();
    (Security::Required { any_of }, Some(node))
}

fn params_of(doc: &Document, list: Option<NodeId>, out: &mut Vec<Param>) {
    let t = &doc.tree;
    let Some(list) = list else { return };
    for &used_at in t.items(list) {
        let node = doc.resolve(used_at);
        let (Some(name), Some(location)) = (
            t.get_str(node, "name"),
            t.get_str(node, "in").and_then(ParamIn::parse),
        ) else {
            continue;
        };
        let schema = t
            .get(node, "schema")
            .or_else(|| {
                t.get(node, "content")
                    .and_then(|c| t.members(c).first().map(|m| m.value))
                    .and_then(|mt| t.get(mt, "schema"))
            })
            .map(|s| doc.resolve(s));
        let p = Param {
            node,
            used_at,
            name: name.to_string(),
            location,
            required: t.get_bool(node, "required").unwrap_or(false),
            schema,
        };
        // Operation-level parameters override path-level ones with the same name and place.
        if let Some(existing) = out.iter_mut().find(|e| {
            e.location == p.location
                && (e.name == p.name
                    || (p.location == ParamIn::Header && e.name.eq_ignore_ascii_case(&p.name)))
        }) {
            *existing = p;
        } else {
            out.push(p);
        }
    }
}

fn operations(doc: &Document) -> Vec<Operation> {
    let t = &doc.tree;
    let mut ops = Vec::new();
    let mut items: Vec<(String, NodeId, bool)> = Vec::new();
    if let Some(paths) = t.get(doc.root, "paths").map(|p| doc.resolve(p)) {
        for m in t.members(paths) {
            if m.key.starts_with('/') {
                items.push((m.key.to_string(), m.value, false));
            }
        }
    }
    if let Some(hooks) = t.get(doc.root, "webhooks") {
        for m in t.members(hooks) {
            items.push((m.key.to_string(), m.value, true));
        }
    }
    for (path, item, webhook) in items {
        let item = doc.resolve(item);
        for m in t.members(item) {
            let Some(&method) = HTTP_METHODS.iter().find(|h| **h == &*m.key) else {
                continue;
            };
            let node = doc.resolve(m.value);
            if !t.is_object(node) {
                continue;
            }
            let (security, security_node) = security_of(doc, node);
            let mut parameters = Vec::new();
            params_of(
                doc,
                t.get(item, "parameters").map(|p| doc.resolve(p)),
                &mut parameters,
            );
            params_of(
                doc,
                t.get(node, "parameters").map(|p| doc.resolve(p)),
                &mut parameters,
            );
            let responses = t
                .get(node, "responses")
                .map(|r| {
                    t.members(r)
                        .iter()
                        .filter(|m| !m.key.starts_with("x-"))
                        .map(|m| (m.key.to_string(), doc.resolve(m.value)))
                        .collect()
                })
                .unwrap_or_default();
            ops.push(Operation {
                node,
                path_item: item,
                path: path.clone(),
                method,
                operation_id: t.get_str(node, "operationId").map(str::to_string),
                security,
                security_node,
                deprecated: t.get_bool(node, "deprecated").unwrap_or(false),
                parameters,
                request_body: t.get(node, "requestBody").map(|b| doc.resolve(b)),
                responses,
                webhook,
            });
        }
    }
    ops
}

/// Schemas directly under a Request Body, Response, Parameter or Header object.
pub fn media_schemas(doc: &Document, holder: NodeId) -> Vec<(String, NodeId)> {
    let mut out = Vec::new();
    for_each_media_schema(doc, holder, |media, s| {
        out.push((media.map(|m| m.to_string()).unwrap_or_default(), s));
    });
    out
}

/// [`media_schemas`] without allocating: `f(media type or None for `schema`, schema)`.
pub fn for_each_media_schema<'d>(
    doc: &'d Document,
    holder: NodeId,
    mut f: impl FnMut(Option<&'d str>, NodeId),
) {
    let t = &doc.tree;
    if let Some(s) = t.get(holder, "schema") {
        f(None, doc.resolve(s));
    }
    if let Some(c) = t.get(holder, "content").map(|c| doc.resolve(c)) {
        for m in t.members(c) {
            if let Some(s) = t.get(m.value, "schema") {
                f(Some(&m.key), doc.resolve(s));
            }
        }
    }
}

/// The direct sub-schemas of a schema (refs resolved).
pub fn subschemas(doc: &Document, schema: NodeId) -> Vec<NodeId> {
    let mut out = Vec::new();
    for_each_subschema(doc, schema, |s| out.push(s));
    out
}

/// [`subschemas`] without allocating.
pub fn for_each_subschema(doc: &Document, schema: NodeId, mut f: impl FnMut(NodeId)) {
    let t = &doc.tree;
    for m in t.members(schema) {
        match crate::walk::child(Kind::Schema, &m.key) {
            Some(crate::walk::Shape::One(_)) => f(doc.resolve(m.value)),
            Some(crate::walk::Shape::Map(_)) => {
                let map = doc.resolve(m.value);
                for x in t.members(map) {
                    f(doc.resolve(x.value));
                }
            }
            Some(crate::walk::Shape::List(_)) => {
                for &x in t.items(m.value) {
                    f(doc.resolve(x));
                }
            }
            Some(crate::walk::Shape::OneOrList(_)) => match t.value(m.value) {
                crate::tree::Value::Array(a) => {
                    for &x in a {
                        f(doc.resolve(x));
                    }
                }
                _ => f(doc.resolve(m.value)),
            },
            None => {}
        }
    }
}

fn sides(doc: &Document, ops: &[Operation]) -> SchemaSides {
    let t = &doc.tree;
    let mut req_roots = Vec::new();
    let mut resp_roots = Vec::new();
    for op in ops {
        for p in &op.parameters {
            for_each_media_schema(doc, p.node, |_, s| req_roots.push(s));
        }
        if let Some(b) = op.request_body {
            for_each_media_schema(doc, b, |_, s| req_roots.push(s));
        }
        for (_, r) in &op.responses {
            for_each_media_schema(doc, *r, |_, s| resp_roots.push(s));
            if let Some(h) = t.get(*r, "headers") {
                for m in t.members(h) {
                    let hn = doc.resolve(m.value);
                    for_each_media_schema(doc, hn, |_, s| resp_roots.push(s));
                }
            }
        }
    }
    let mut out = SchemaSides {
        by_node: vec![Sides::default(); t.nodes.len()],
    };
    for (roots, request) in [(req_roots, true), (resp_roots, false)] {
        let mut stack = roots;
        while let Some(s) = stack.pop() {
            let Some(e) = out.slot(s) else { continue };
            // Each schema once per side.
            if request {
                if e.request {
                    continue;
                }
                e.request = true;
            } else {
                if e.response {
                    continue;
                }
                e.response = true;
            }
            for_each_subschema(doc, s, |x| stack.push(x));
        }
    }
    out
}
