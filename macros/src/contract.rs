//! What a schema of the document allows on one side of the exchange, read from the
//! positioned tree (so every answer has a `file:line:col`): its properties (through `allOf`),
//! which are required, `readOnly`/`writeOnly`, and what JSON each property holds.

use crate::rust_type::Shape;
use specguard_spec::tree::{NodeId, Value};
use specguard_spec::{Document, tree::type_name};
use std::collections::BTreeSet;

/// Which way the data goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Sent by the server (serialised): `writeOnly` properties may not appear.
    Response,
    /// Received by the server (deserialised): `readOnly` properties may not be bound.
    Request,
}

/// The JSON types a schema allows; `None` = any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Types(pub Option<BTreeSet<&'static str>>);

impl Types {
    pub fn allows(&self, t: &str) -> bool {
        match &self.0 {
            None => true,
            Some(s) => s.contains(t),
        }
    }
    pub fn nullable(&self) -> bool {
        self.allows("null")
    }
    pub fn describe(&self) -> String {
        match &self.0 {
            None => "any JSON value".into(),
            Some(s) if s.is_empty() => "nothing (no value is valid)".into(),
            Some(s) => {
                let v: Vec<&str> = s.iter().copied().collect();
                format!("`{}`", v.join(" | "))
            }
        }
    }
}

fn json_type(s: &str) -> Option<&'static str> {
    Some(match s {
        "string" => "string",
        "integer" => "integer",
        "number" => "number",
        "boolean" => "boolean",
        "array" => "array",
        "object" => "object",
        "null" => "null",
        _ => return None,
    })
}

const MAX_DEPTH: usize = 64;

/// The JSON types a schema node (refs followed) allows.
pub fn types(doc: &Document, node: NodeId) -> Types {
    types_at(doc, doc.resolve(node), 0)
}

fn types_at(doc: &Document, node: NodeId, depth: usize) -> Types {
    let t = &doc.tree;
    if depth > MAX_DEPTH || !t.is_object(node) {
        // `true`/`{}` and anything we cannot read: any value.
        return Types(None);
    }
    let mut set: BTreeSet<&'static str> = BTreeSet::new();
    let nullable = t.get_bool(node, "nullable") == Some(true);
    if let Some(ty) = t.get(node, "type") {
        match t.value(ty) {
            Value::String(s) => set.extend(json_type(s)),
            Value::Array(items) => {
                for &i in items {
                    if let Some(s) = t.str(i) {
                        set.extend(json_type(s));
                    }
                }
            }
            _ => return Types(None),
        }
    } else if let Some(e) = t.get(node, "enum") {
        for &v in t.items(e) {
            set.insert(type_name(t.value(v)));
        }
    } else if let Some(c) = t.get(node, "const") {
        set.insert(type_name(t.value(c)));
    } else if ["properties", "additionalProperties", "required"]
        .iter()
        .any(|k| t.get(node, k).is_some())
    {
        set.insert("object");
    } else if t.get(node, "items").is_some() {
        set.insert("array");
    } else if let Some(all) = t.get(node, "allOf") {
        // The intersection of what the parts allow.
        let mut acc: Option<BTreeSet<&'static str>> = None;
        for &p in t.items(all) {
            if let Types(Some(s)) = types_at(doc, doc.resolve(p), depth + 1) {
                acc = Some(match acc {
                    None => s,
                    Some(a) => a.intersection(&s).copied().collect(),
                });
            }
        }
        match acc {
            Some(s) => set = s,
            None => return Types(None),
        }
    } else if let Some(alts) = t.get(node, "oneOf").or_else(|| t.get(node, "anyOf")) {
        for &p in t.items(alts) {
            match types_at(doc, doc.resolve(p), depth + 1) {
                Types(Some(s)) => set.extend(s),
                Types(None) => return Types(None),
            }
        }
    } else {
        return Types(None);
    }
    if nullable {
        set.insert("null");
    }
    Types(Some(set))
}

/// One property of the schema.
#[derive(Clone, Debug)]
pub struct Property {
    pub name: String,
    pub location: String,
    /// The property's schema, refs resolved.
    pub schema: NodeId,
    pub read_only: bool,
    pub write_only: bool,
}

/// Keys beyond the listed properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Additional {
    /// Not allowed, or not declared (the contract lists no other key: an allowlist).
    No,
    Any,
    Schema(NodeId),
}

/// A schema's object shape.
#[derive(Clone, Debug)]
pub struct Contract {
    pub name: String,
    /// Where `components/schemas/<name>` is.
    pub location: String,
    pub properties: Vec<Property>,
    /// (property, location of its `required` entry)
    pub required: Vec<(String, String)>,
    pub additional: Additional,
}

impl Contract {
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.properties.iter().find(|p| p.name == name)
    }
}

/// Why a contract could not be read.
pub enum LookupError {
    NotFound { names: Vec<String> },
    NotAnObject { location: String, types: String },
    Union { location: String },
}

/// The object shape of `components/schemas/<name>` of the root document.
pub fn lookup(doc: &Document, name: &str) -> Result<Contract, LookupError> {
    let t = &doc.tree;
    let schemas = t
        .get(doc.root, "components")
        .map(|c| doc.resolve(c))
        .and_then(|c| t.get(c, "schemas"))
        .map(|s| doc.resolve(s));
    let Some(member) = schemas.and_then(|s| t.members(s).iter().find(|m| &*m.key == name)) else {
        return Err(LookupError::NotFound {
            names: schemas
                .map(|s| t.members(s).iter().map(|m| m.key.to_string()).collect())
                .unwrap_or_default(),
        });
    };
    let location = doc.display_location(member.value);
    let node = doc.resolve(member.value);
    let types = types(doc, node);
    if !types.allows("object") {
        return Err(LookupError::NotAnObject {
            location,
            types: types.describe(),
        });
    }
    let mut c = Contract {
        name: name.to_string(),
        location: location.clone(),
        properties: Vec::new(),
        required: Vec::new(),
        additional: Additional::No,
    };
    let mut seen = Vec::new();
    collect(doc, node, &mut c, &mut seen, 0);
    if c.properties.is_empty() && (t.get(node, "oneOf").is_some() || t.get(node, "anyOf").is_some())
    {
        return Err(LookupError::Union { location });
    }
    Ok(c)
}

fn flag(doc: &Document, written: NodeId, resolved: NodeId, key: &str) -> bool {
    let t = &doc.tree;
    t.get_bool(written, key) == Some(true) || t.get_bool(resolved, key) == Some(true)
}

fn collect(doc: &Document, node: NodeId, c: &mut Contract, seen: &mut Vec<NodeId>, depth: usize) {
    let t = &doc.tree;
    if depth > MAX_DEPTH || seen.contains(&node) {
        return;
    }
    seen.push(node);
    if let Some(props) = t.get(node, "properties").map(|p| doc.resolve(p)) {
        for m in t.members(props) {
            let resolved = doc.resolve(m.value);
            let read_only = flag(doc, m.value, resolved, "readOnly");
            let write_only = flag(doc, m.value, resolved, "writeOnly");
            if let Some(existing) = c.properties.iter_mut().find(|p| p.name == *m.key) {
                existing.read_only |= read_only;
                existing.write_only |= write_only;
                continue;
            }
            c.properties.push(Property {
                name: m.key.to_string(),
                location: doc.display_location(m.value),
                schema: resolved,
                read_only,
                write_only,
            });
        }
    }
    if let Some(req) = t.get(node, "required") {
        for &r in t.items(req) {
            if let Some(s) = t.str(r)
                && !c.required.iter().any(|x| x.0 == s)
            {
                c.required.push((s.to_string(), doc.display_location(r)));
            }
        }
    }
    if let Some(ap) = t.get(node, "additionalProperties") {
        let ap = doc.resolve(ap);
        match t.value(ap) {
            Value::Bool(true) => c.additional = Additional::Any,
            Value::Object(m) if m.is_empty() => c.additional = Additional::Any,
            Value::Object(_) => c.additional = Additional::Schema(ap),
            _ => {}
        }
    }
    if let Some(all) = t.get(node, "allOf") {
        for &p in t.items(all) {
            collect(doc, doc.resolve(p), c, seen, depth + 1);
        }
    }
}

/// Why a (non-`Option`) shape does not fit a schema: `None` when it fits.
pub fn mismatch(doc: &Document, shape: &Shape, schema: NodeId, depth: usize) -> Option<String> {
    if depth > MAX_DEPTH {
        return None;
    }
    let types = types(doc, schema);
    let t = &doc.tree;
    let schema = doc.resolve(schema);
    let kind_ok = match shape {
        Shape::Any | Shape::Unknown => return None,
        Shape::String => types.allows("string"),
        Shape::Integer => types.allows("integer") || types.allows("number"),
        Shape::Number => types.allows("number"),
        Shape::Bool => types.allows("boolean"),
        Shape::Null => types.allows("null"),
        Shape::Array(_) | Shape::Tuple => types.allows("array"),
        Shape::Map(_) => types.allows("object"),
        Shape::Option(inner) => {
            if !types.allows("null") {
                return Some(format!(
                    "it can be null, but the schema allows {}",
                    types.describe()
                ));
            }
            return mismatch(doc, inner, schema, depth + 1);
        }
    };
    if !kind_ok {
        let extra = if *shape == Shape::Number && types.allows("integer") {
            " (an integer schema: use an integer type)"
        } else {
            ""
        };
        return Some(format!(
            "it is {}, but the schema allows {}{extra}",
            shape.describe(),
            types.describe()
        ));
    }
    match shape {
        Shape::Array(inner) => {
            let items = t.get(schema, "items")?;
            if !t.is_object(doc.resolve(items)) {
                return None;
            }
            mismatch(doc, inner, items, depth + 1).map(|m| format!("its items: {m}"))
        }
        Shape::Map(inner) => {
            let has_props = t
                .get(schema, "properties")
                .is_some_and(|p| !t.members(doc.resolve(p)).is_empty());
            let ap = t
                .get(schema, "additionalProperties")
                .map(|a| doc.resolve(a));
            let closed = ap.is_some_and(|a| matches!(t.value(a), Value::Bool(false)));
            if closed || (has_props && ap.is_none()) {
                return Some(
                    "it is a map that can carry any key, but the schema lists its properties (an allowlist); use a struct with those fields".to_string(),
                );
            }
            match ap {
                Some(a) if t.is_object(a) && !t.members(a).is_empty() => {
                    mismatch(doc, inner, a, depth + 1).map(|m| format!("its values: {m}"))
                }
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use specguard_spec::{Input, LoadOptions};

    fn doc() -> Document {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/specs/shapes.yaml");
        specguard_spec::load(&Input::Path(path), &LoadOptions::default()).expect("loads")
    }

    fn shape(t: &str) -> Shape {
        crate::rust_type::shape(&syn::parse_str(t).expect("type"), &[])
    }

    #[test]
    fn all_of_merges_properties_required_and_flags() {
        let d = doc();
        let Ok(c) = lookup(&d, "Item") else {
            panic!("Item is an object")
        };
        let names: Vec<&str> = c.properties.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["id", "count", "note", "scores", "labels"]);
        let req: Vec<&str> = c.required.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(req, ["id", "count"]);
        assert!(
            c.property("id")
                .is_some_and(|p| p.read_only && !p.write_only)
        );
        assert!(
            c.location
                .starts_with(d.tree.file(d.root_file).display.as_str())
        );
    }

    #[test]
    fn non_objects_and_unions_are_refused() {
        let d = doc();
        assert!(matches!(
            lookup(&d, "Kind"),
            Err(LookupError::NotAnObject { .. })
        ));
        assert!(matches!(
            lookup(&d, "Either"),
            Err(LookupError::Union { .. })
        ));
        assert!(
            matches!(lookup(&d, "Nope"), Err(LookupError::NotFound { names }) if names.len() == 4)
        );
    }

    #[test]
    fn shapes_against_schemas() {
        let d = doc();
        let Ok(c) = lookup(&d, "Item") else {
            panic!("Item is an object")
        };
        let schema = |n: &str| c.property(n).map(|p| p.schema).expect("property");
        assert!(types(&d, schema("note")).nullable());
        assert!(!types(&d, schema("count")).nullable());
        assert_eq!(mismatch(&d, &shape("i64"), schema("count"), 0), None);
        assert!(mismatch(&d, &shape("f64"), schema("count"), 0).is_some());
        assert!(mismatch(&d, &shape("String"), schema("count"), 0).is_some());
        assert_eq!(mismatch(&d, &shape("Vec<f32>"), schema("scores"), 0), None);
        assert_eq!(mismatch(&d, &shape("Vec<u8>"), schema("scores"), 0), None);
        assert!(mismatch(&d, &shape("Vec<String>"), schema("scores"), 0).is_some());
        assert_eq!(
            mismatch(&d, &shape("HashMap<String, String>"), schema("labels"), 0),
            None
        );
        assert!(mismatch(&d, &shape("HashMap<String, bool>"), schema("labels"), 0).is_some());
        assert_eq!(
            mismatch(&d, &shape("Option<String>"), schema("note"), 0),
            None
        );
        assert!(mismatch(&d, &shape("Vec<Option<f64>>"), schema("scores"), 0).is_some());
        assert_eq!(mismatch(&d, &shape("MyType"), schema("count"), 0), None);
    }
}
