//! `inventory`: the attack surface at a glance, as data (the CLI renders it).

use crate::load::Document;
use crate::sensitive::{Category, SensitiveWords};
use crate::tree::NodeId;
use crate::view::{ParamIn, Security, Views, media_schemas};
use std::collections::{BTreeSet, HashSet};

/// Version of the JSON shape below; bumped on any incompatible change.
pub const INVENTORY_SCHEMA_VERSION: u32 = 1;

#[derive(Debug, serde::Serialize)]
pub struct Inventory {
    pub schema_version: u32,
    pub file: String,
    pub title: String,
    pub openapi: String,
    pub operations: Vec<InventoryOperation>,
    pub summary: Summary,
}

#[derive(Debug, serde::Serialize)]
pub struct InventoryOperation {
    pub method: String,
    pub path: String,
    #[serde(rename = "operationId")]
    pub operation_id: Option<String>,
    pub security: Security,
    /// `none`, `public`, or the requirements written as `a AND b(scope) OR c`.
    pub security_text: String,
    pub deprecated: bool,
    pub webhook: bool,
    pub id_parameters: Vec<IdParameter>,
    pub request_media_types: Vec<String>,
    pub response_codes: Vec<String>,
    pub sensitive_fields: Vec<SensitiveField>,
    /// `file:line:col` of the operation.
    pub location: String,
}

#[derive(Debug, serde::Serialize)]
pub struct IdParameter {
    pub name: String,
    #[serde(rename = "in")]
    pub location: ParamIn,
    /// `integer`, `string`, … (`?` when no schema says).
    pub r#type: String,
    pub format: Option<String>,
    /// Bounds as written: `1..1000`, `maxLength 36`, `pattern`, or `unbounded`.
    pub bounds: String,
}

#[derive(Debug, serde::Serialize, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SensitiveField {
    /// Dotted path from the response body (`user.email`, `items[].token`).
    pub field: String,
    pub category: Category,
}

#[derive(Debug, serde::Serialize, Default)]
pub struct Summary {
    pub operations: usize,
    /// No security at any level and not marked public.
    pub unauthenticated: usize,
    pub public: usize,
    /// Accepts anonymous requests as one alternative (`security: [{}, …]`).
    pub optional_auth: usize,
    pub deprecated: usize,
    pub returning_sensitive: usize,
    pub servers: Vec<Server>,
}

#[derive(Debug, serde::Serialize)]
pub struct Server {
    pub url: String,
    /// `https`, `http`, `wss`, … or `relative`.
    pub scheme: String,
}

/// Whether a parameter name designates an identifier.
pub fn is_id_like(name: &str) -> bool {
    let ws = crate::sensitive::words(name);
    matches!(
        ws.last().map(String::as_str),
        Some("id" | "ids" | "uuid" | "guid" | "key" | "slug" | "number")
    ) && !(ws.len() > 1 && ws.first().map(String::as_str) == Some("api"))
}

pub fn bounds_text(doc: &Document, schema: Option<NodeId>) -> (String, Option<String>, String) {
    let t = &doc.tree;
    let Some(s) = schema else {
        return ("?".into(), None, "unbounded".into());
    };
    let ty = t.get_str(s, "type").unwrap_or("?").to_string();
    let format = t.get_str(s, "format").map(str::to_string);
    let mut b = Vec::new();
    let (min, max) = (t.get_number(s, "minimum"), t.get_number(s, "maximum"));
    if min.is_some() || max.is_some() {
        b.push(format!(
            "{}..{}",
            min.map(fmt_num).unwrap_or_default(),
            max.map(fmt_num).unwrap_or_default()
        ));
    }
    if let Some(m) = t.get_number(s, "maxLength") {
        b.push(format!("maxLength {}", fmt_num(m)));
    }
    if t.get(s, "pattern").is_some() {
        b.push("pattern".into());
    }
    if t.get(s, "enum").is_some() {
        b.push("enum".into());
    }
    let bounds = if b.is_empty() {
        "unbounded".into()
    } else {
        b.join(", ")
    };
    (ty, format, bounds)
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// Sensitive-looking fields under a response schema (writeOnly ones excluded).
pub fn sensitive_fields(
    doc: &Document,
    words: &SensitiveWords,
    root: NodeId,
) -> Vec<SensitiveField> {
    sensitive_fields_cached(doc, words, root, &mut std::collections::HashMap::new())
}

/// As [`sensitive_fields`], with a cache of name classifications shared across calls (property
/// names repeat across an API's schemas).
fn sensitive_fields_cached<'d>(
    doc: &'d Document,
    words: &SensitiveWords,
    root: NodeId,
    names: &mut std::collections::HashMap<&'d str, Option<Category>>,
) -> Vec<SensitiveField> {
    let t = &doc.tree;
    let mut out = BTreeSet::new();
    let mut seen = HashSet::new();
    let mut stack = vec![(root, String::new(), 0usize)];
    while let Some((s, path, depth)) = stack.pop() {
        if depth > 12 || !seen.insert(s) {
            continue;
        }
        if let Some(props) = t.get(s, "properties").map(|p| doc.resolve(p)) {
            for m in t.members(props) {
                let ps = doc.resolve(m.value);
                if t.get_bool(ps, "writeOnly") == Some(true) {
                    continue;
                }
                let field = if path.is_empty() {
                    m.key.to_string()
                } else {
                    format!("{path}.{}", m.key)
                };
                let category = *names
                    .entry(&m.key)
                    .or_insert_with(|| words.classify(&m.key));
                if let Some(category) = category {
                    // A boolean or a count named after sensitive data is not the data.
                    let ty = t.get_str(ps, "type");
                    if !matches!(ty, Some("boolean" | "integer" | "number")) {
                        out.insert(SensitiveField {
                            field: field.clone(),
                            category,
                        });
                    }
                }
                stack.push((ps, field, depth + 1));
            }
        }
        if let Some(items) = t.get(s, "items").map(|i| doc.resolve(i)) {
            stack.push((items, format!("{path}[]"), depth + 1));
        }
        for key in ["allOf", "oneOf", "anyOf"] {
            if let Some(list) = t.get(s, key) {
                for &x in t.items(list) {
                    stack.push((doc.resolve(x), path.clone(), depth + 1));
                }
            }
        }
        if let Some(ap) = t.get(s, "additionalProperties").map(|a| doc.resolve(a))
            && t.is_object(ap)
        {
            stack.push((ap, format!("{path}{{*}}"), depth + 1));
        }
    }
    out.into_iter().collect()
}

/// Build the inventory of a document.
pub fn inventory(doc: &Document, views: &Views, words: &SensitiveWords) -> Inventory {
    let t = &doc.tree;
    let mut summary = Summary::default();
    let mut operations = Vec::new();
    // Operations share response schemas (`$ref`s to components): walk each root once.
    let mut memo: std::collections::HashMap<NodeId, Vec<SensitiveField>> =
        std::collections::HashMap::new();
    let mut names = std::collections::HashMap::new();
    for op in &views.operations {
        let id_parameters: Vec<IdParameter> = op
            .parameters
            .iter()
            .filter(|p| matches!(p.location, ParamIn::Path | ParamIn::Query) && is_id_like(&p.name))
            .map(|p| {
                let (ty, format, bounds) = bounds_text(doc, p.schema);
                IdParameter {
                    name: p.name.clone(),
                    location: p.location,
                    r#type: ty,
                    format,
                    bounds,
                }
            })
            .collect();
        let request_media_types = op
            .request_body
            .and_then(|b| t.get(b, "content"))
            .map(|c| t.members(c).iter().map(|m| m.key.to_string()).collect())
            .unwrap_or_default();
        let response_codes = op.responses.iter().map(|(c, _)| c.clone()).collect();
        let mut sensitive = BTreeSet::new();
        for (code, resp) in &op.responses {
            if !(code.starts_with('2') || code == "default") {
                continue;
            }
            for (_, schema) in media_schemas(doc, *resp) {
                let fields = memo
                    .entry(schema)
                    .or_insert_with(|| sensitive_fields_cached(doc, words, schema, &mut names));
                sensitive.extend(fields.iter().cloned());
            }
        }
        summary.operations += 1;
        match &op.security {
            Security::None => summary.unauthenticated += 1,
            Security::Public { .. } => summary.public += 1,
            s if s.allows_anonymous() => summary.optional_auth += 1,
            _ => {}
        }
        if op.deprecated {
            summary.deprecated += 1;
        }
        if !sensitive.is_empty() {
            summary.returning_sensitive += 1;
        }
        operations.push(InventoryOperation {
            method: op.method.to_uppercase(),
            path: op.path.clone(),
            operation_id: op.operation_id.clone(),
            security_text: op.security.display(),
            security: op.security.clone(),
            deprecated: op.deprecated,
            webhook: op.webhook,
            id_parameters,
            request_media_types,
            response_codes,
            sensitive_fields: sensitive.into_iter().collect(),
            location: doc.display_location(op.node),
        });
    }
    if let Some(servers) = t.get(doc.root, "servers") {
        for &s in t.items(servers) {
            if let Some(url) = t.get_str(s, "url") {
                let scheme = match url.split_once("://") {
                    Some((sch, _)) => sch.to_ascii_lowercase(),
                    None => "relative".into(),
                };
                summary.servers.push(Server {
                    url: url.to_string(),
                    scheme,
                });
            }
        }
    }
    let info = t.get(doc.root, "info");
    Inventory {
        schema_version: INVENTORY_SCHEMA_VERSION,
        file: t.file(doc.root_file).display.clone(),
        title: info
            .and_then(|i| t.get_str(i, "title"))
            .unwrap_or("")
            .to_string(),
        openapi: doc.openapi.clone(),
        operations,
        summary,
    }
}
