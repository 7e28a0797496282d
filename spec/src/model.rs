//! The typed model: openapiv3's 3.0 structs for code that wants types (the generator).
//!
//! The positioned tree is turned into one self-contained 3.0-shaped JSON value:
//! - every `$ref` whose target is not `#/components/<section>/<name>` of the root file (a file
//!   fragment, a `$defs` entry, an inline object) is hoisted into `components/<section>` under a
//!   unique name and the reference rewritten, so openapiv3 only ever sees local component refs;
//! - 3.1 schemas are normalised into 3.0's shape: `type: [T, "null"]` → `type: T` +
//!   `nullable: true`, `const` → one-value `enum`, numeric `exclusiveMinimum/Maximum` →
//!   `minimum/maximum` + boolean, `examples` → `example`, boolean schemas → `{}` / `{not: {}}`.
//!
//! What has no 3.0 equivalent (webhooks, `$defs`, `unevaluatedProperties`, `pathItems`) stays
//! reachable in the positioned tree ([`crate::Document::tree`]), not in this model.

use crate::load::{Document, Version};
use crate::tree::{NodeId, Value};
use crate::walk::Kind;
use serde_json::{Map, Value as J};
use std::collections::{BTreeMap, HashMap, VecDeque};

/// The typed model could not be built. Should not happen for a document that loaded without
/// warnings; one that loaded with structural warnings (a parameter with neither `schema` nor
/// `content`) may not fit openapiv3's types.
#[derive(Debug, thiserror::Error)]
#[error("the document does not fit the OpenAPI 3.0 model at `{path}`: {message}")]
pub struct ModelError {
    pub path: String,
    pub message: String,
}

/// The document as one 3.0-shaped JSON value (refs bundled, 3.1 normalised).
pub fn bundled_json(doc: &Document) -> J {
    Bundler::new(doc).run()
}

/// The typed openapiv3 model of the document.
pub fn typed(doc: &Document) -> Result<openapiv3::OpenAPI, ModelError> {
    let json = bundled_json(doc);
    let mut track = serde_path_to_error::Track::new();
    let de = serde_path_to_error::Deserializer::new(&json, &mut track);
    serde::Deserialize::deserialize(de).map_err(|e: serde_json::Error| ModelError {
        path: track.path().to_string(),
        message: e.to_string(),
    })
}

struct Bundler<'d> {
    doc: &'d Document,
    kinds: HashMap<NodeId, Kind>,
    /// Target node → (section, name) in the bundled components.
    names: HashMap<NodeId, (&'static str, String)>,
    taken: HashMap<&'static str, std::collections::HashSet<String>>,
    pending: VecDeque<NodeId>,
    /// Guards inlining of kinds without a components section (path items) against cycles.
    inlining: Vec<NodeId>,
}

impl<'d> Bundler<'d> {
    fn new(doc: &'d Document) -> Self {
        let mut kinds: HashMap<NodeId, Kind> = doc.objects.iter().copied().collect();
        for (&r, &t) in &doc.refs {
            if let Some(&k) = kinds.get(&t) {
                kinds.entry(r).or_insert(k);
            }
        }
        let mut taken: HashMap<&'static str, std::collections::HashSet<String>> = HashMap::new();
        // Names already used by the root's own components.
        if let Some(c) = doc.tree.get(doc.root, "components") {
            for m in doc.tree.members(c) {
                let set: std::collections::HashSet<String> = doc
                    .tree
                    .members(m.value)
                    .iter()
                    .map(|x| x.key.to_string())
                    .collect();
                if let Some(sec) = SECTIONS.iter().find(|s| **s == &*m.key) {
                    taken.insert(sec, set);
                }
            }
        }
        Bundler {
            doc,
            kinds,
            names: HashMap::new(),
            taken,
            pending: VecDeque::new(),
            inlining: Vec::new(),
        }
    }

    fn run(mut self) -> J {
        let tree = &self.doc.tree;
        let mut root = match self.conv(self.doc.root, None) {
            J::Object(m) => m,
            _ => Map::new(),
        };
        root.remove("webhooks");
        root.remove("jsonSchemaDialect");
        if self.doc.version == Version::V31 {
            root.insert("openapi".into(), J::String("3.0.3".into()));
        }
        root.entry("paths").or_insert_with(|| J::Object(Map::new()));
        let info = root.entry("info").or_insert_with(|| J::Object(Map::new()));
        if let J::Object(i) = info {
            i.entry("title").or_insert_with(|| J::String(String::new()));
            i.entry("version")
                .or_insert_with(|| J::String(String::new()));
        }
        // Hoisted components, in a stable order.
        let mut hoisted: BTreeMap<(&'static str, String), J> = BTreeMap::new();
        while let Some(t) = self.pending.pop_front() {
            let Some((sec, name)) = self.names.get(&t).cloned() else {
                continue;
            };
            let kind = self.kinds.get(&t).copied();
            let v = self.conv(t, kind);
            hoisted.insert((sec, name), v);
        }
        let comps = root
            .entry("components")
            .or_insert_with(|| J::Object(Map::new()));
        if let J::Object(c) = comps {
            c.remove("pathItems");
            for ((sec, name), v) in hoisted {
                if let J::Object(s) = c.entry(sec).or_insert_with(|| J::Object(Map::new())) {
                    s.insert(name, v);
                }
            }
        }
        let _ = tree;
        J::Object(root)
    }

    /// The local component name for a ref target, hoisting it when needed.
    fn component_ref(&mut self, target: NodeId, kind: Kind) -> Option<String> {
        let sec = kind.components_section()?;
        if sec == "pathItems" {
            return None;
        }
        let tree = &self.doc.tree;
        // Already a root component of the right section?
        if tree.node(target).file == self.doc.root_file
            && let Some((p1, _)) = tree.node(target).parent()
            && let Some((p2, _)) = tree.node(p1).parent()
            && p2
                == tree
                    .get(self.doc.root, "components")
                    .unwrap_or(NodeId(u32::MAX))
            && tree.key_of(p1) == Some(sec)
            && let Some(name) = tree.key_of(target)
        {
            return Some(format!(
                "#/components/{sec}/{}",
                crate::pointer::escape(name)
            ));
        }
        if let Some((s, n)) = self.names.get(&target) {
            return Some(format!("#/components/{s}/{}", crate::pointer::escape(n)));
        }
        let base = tree
            .key_of(target)
            .map(str::to_string)
            .filter(|k| !k.is_empty())
            .unwrap_or_else(|| {
                let f = tree.file(tree.node(target).file);
                f.path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Component".into())
            });
        let base: String = base
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let set = self.taken.entry(sec).or_default();
        let mut name = base.clone();
        let mut i = 2;
        while set.contains(&name) {
            name = format!("{base}{i}");
            i += 1;
        }
        set.insert(name.clone());
        self.names.insert(target, (sec, name.clone()));
        self.kinds.insert(target, kind);
        self.pending.push_back(target);
        Some(format!("#/components/{sec}/{name}"))
    }

    fn conv(&mut self, id: NodeId, kind: Option<Kind>) -> J {
        let kind = kind.or_else(|| self.kinds.get(&id).copied());
        let tree = &self.doc.tree;
        // References.
        if let Some(&target) = self.doc.refs.get(&id) {
            let is_plain_ref = tree.get_str(id, "$ref").is_some();
            match kind {
                Some(k) if is_plain_ref && k.allows_ref() => {
                    if let Some(r) = self.component_ref(target, k) {
                        return J::Object(Map::from_iter([("$ref".to_string(), J::String(r))]));
                    }
                    // No section (path items, operations): inline, once per chain.
                    if self.inlining.contains(&target) {
                        return J::Object(Map::new());
                    }
                    self.inlining.push(target);
                    let v = self.conv(target, Some(k));
                    self.inlining.pop();
                    return v;
                }
                _ => {
                    // A whole map given by `$ref`: inline it with the same kind context.
                    if self.inlining.contains(&target) {
                        return J::Object(Map::new());
                    }
                    self.inlining.push(target);
                    let v = self.conv_members(target, kind, true);
                    self.inlining.pop();
                    return v;
                }
            }
        }
        if kind == Some(Kind::Schema) {
            return self.conv_schema(id);
        }
        // A `$ref` where OpenAPI allows none (`description: {$ref: ...}`): not followed.
        if kind.is_none() && tree.get_str(id, "$ref").is_some() && tree.members(id).len() == 1 {
            return J::Null;
        }
        let mut v = self.conv_members(id, kind, false);
        // Fields openapiv3 requires that the loader only warns about.
        if let J::Object(m) = &mut v {
            match kind {
                Some(Kind::Operation) => {
                    m.entry("responses")
                        .or_insert_with(|| J::Object(Map::new()));
                }
                Some(Kind::Response) => {
                    m.entry("description")
                        .or_insert_with(|| J::String(String::new()));
                }
                _ => {}
            }
        }
        v
    }

    /// Convert an object's members (or any value), children with their own kinds.
    fn conv_members(&mut self, id: NodeId, _kind: Option<Kind>, map_of_ref: bool) -> J {
        let tree = &self.doc.tree;
        match tree.value(id) {
            Value::Object(members) => {
                let members: Vec<(crate::tree::Str, NodeId)> =
                    members.iter().map(|m| (m.key.clone(), m.value)).collect();
                let mut out = Map::new();
                for (k, v) in members {
                    let child_kind = self.kinds.get(&v).copied();
                    let _ = map_of_ref;
                    out.insert(k.to_string(), self.conv(v, child_kind));
                }
                J::Object(out)
            }
            Value::Array(items) => {
                let items = items.clone();
                J::Array(items.into_iter().map(|i| self.conv(i, None)).collect())
            }
            _ => tree.to_json(id),
        }
    }

    fn conv_schema(&mut self, id: NodeId) -> J {
        let tree = &self.doc.tree;
        match tree.value(id) {
            Value::Bool(true) => return J::Object(Map::new()),
            Value::Bool(false) => {
                return J::Object(Map::from_iter([("not".into(), J::Object(Map::new()))]));
            }
            Value::Object(_) => {}
            _ => return tree.to_json(id),
        }
        let mut out = match self.conv_members(id, Some(Kind::Schema), false) {
            J::Object(m) => m,
            other => return other,
        };
        // A `$ref` with siblings (3.1): keep the reference, drop what 3.0 cannot say beside it.
        if out.contains_key("$ref") {
            out.retain(|k, _| k == "$ref");
            return J::Object(out);
        }
        normalise_schema(&mut out);
        J::Object(out)
    }
}

const SECTIONS: [&str; 10] = [
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "examples",
    "links",
    "callbacks",
    "securitySchemes",
    "pathItems",
];

/// Rewrite 3.1 schema keywords into their 3.0 equivalents (no-op on 3.0 schemas).
fn normalise_schema(s: &mut Map<String, J>) {
    if let Some(J::Array(types)) = s.get("type").cloned() {
        let mut rest: Vec<J> = types.into_iter().filter(|t| t != "null").collect();
        let had_null = s
            .get("type")
            .and_then(J::as_array)
            .is_some_and(|a| a.len() > rest.len());
        if had_null {
            s.insert("nullable".into(), J::Bool(true));
        }
        match rest.len() {
            0 => {
                s.remove("type");
            }
            1 => {
                s.insert("type".into(), rest.remove(0));
            }
            _ => {
                s.remove("type");
                let alts: Vec<J> = rest
                    .into_iter()
                    .map(|t| J::Object(Map::from_iter([("type".into(), t)])))
                    .collect();
                s.entry("anyOf").or_insert(J::Array(alts));
            }
        }
    } else if s.get("type").and_then(J::as_str) == Some("null") {
        s.remove("type");
        s.insert("nullable".into(), J::Bool(true));
    }
    if let Some(c) = s.remove("const") {
        s.entry("enum").or_insert(J::Array(vec![c]));
    }
    for (ex, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(v @ J::Number(_)) = s.get(ex).cloned() {
            s.insert(bound.into(), v);
            s.insert(ex.into(), J::Bool(true));
        }
    }
    if let Some(J::Array(mut examples)) = s.remove("examples")
        && !examples.is_empty()
    {
        s.entry("example").or_insert(examples.remove(0));
    }
    if let Some(J::Array(mut items)) = s.get("items").cloned() {
        if items.is_empty() {
            s.remove("items");
        } else {
            s.insert("items".into(), items.remove(0));
        }
    }
    if let Some(J::Array(mut prefix)) = s.remove("prefixItems")
        && !s.contains_key("items")
        && !prefix.is_empty()
    {
        s.insert("items".into(), prefix.remove(0));
    }
    for k in [
        "$defs",
        "definitions",
        "$schema",
        "$id",
        "$anchor",
        "$dynamicAnchor",
        "$dynamicRef",
        "$comment",
        "unevaluatedProperties",
        "unevaluatedItems",
        "dependentSchemas",
        "dependentRequired",
        "patternProperties",
        "propertyNames",
        "contains",
        "minContains",
        "maxContains",
        "if",
        "then",
        "else",
        "contentMediaType",
        "contentEncoding",
        "contentSchema",
    ] {
        s.remove(k);
    }
    // 3.0 wants a boolean `nullable`; some 3.0 documents write a string. In 3.1 it is not a
    // keyword at all, so any value is allowed there: one that is not a flag means nothing.
    match s.get("nullable").cloned() {
        Some(J::String(v)) => {
            s.insert("nullable".into(), J::Bool(v == "true"));
        }
        Some(J::Bool(_)) | None => {}
        Some(_) => {
            s.remove("nullable");
        }
    }
}
