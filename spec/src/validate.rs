//! Structural validation of the root document against the official OpenAPI JSON Schemas
//! (vendored from npm @seriousme/openapi-schema-validator 2.11.0, MIT: see schemas/README.md).
//!
//! Every error is placed at the offending node. `oneOf`/`anyOf` failures (Reference-or-Object
//! alternatives everywhere in the OpenAPI schema) are narrowed to the alternative that matched
//! best, so a parameter without `in` reads "`in` is a required property", not "not valid under
//! any of the given schemas".

use crate::diag::LoadError;
use crate::instance::{Instance, TreeJson};
use crate::load::Version;
use crate::tree::{NodeId, Tree};
use jsonschema::error::ValidationErrorKind;
use jsonschema::{ValidationError, Validator};
use rustc_hash::FxHashMap as HashMap;
use std::sync::OnceLock;

const OAS_30: &str = include_str!("../schemas/oas-3.0.json");
const OAS_31: &str = include_str!("../schemas/oas-3.1.json");

type TreeValidator = Validator<TreeJson>;

/// Compile the OpenAPI schema of `version` now (it is compiled on first use otherwise): the
/// loader does it on its second thread while it walks the document.
pub(crate) fn prepare(version: Version) {
    validator(version);
}

fn validator(version: Version) -> Option<&'static TreeValidator> {
    static V30: OnceLock<Option<TreeValidator>> = OnceLock::new();
    static V31: OnceLock<Option<TreeValidator>> = OnceLock::new();
    let (cell, text) = match version {
        Version::V30 => (&V30, OAS_30),
        Version::V31 => (&V31, OAS_31),
    };
    cell.get_or_init(|| {
        let _ph = crate::timing::phase("compile-oas-schema");
        let mut schema: serde_json::Value = serde_json::from_str(text).ok()?;
        match version {
            Version::V31 => check_31_schema_objects(&mut schema)?,
            Version::V30 => check_30_component_names(&mut schema)?,
        }
        jsonschema::options_for::<TreeJson>().build(&schema).ok()
    })
    .as_ref()
}

/// The 3.0 schema checks a component only when its name matches the specification's
/// `^[a-zA-Z0-9\.\-_]+$` (`patternProperties`); any other name — `%key`, `Foo<Bar>` — let an
/// object through unchecked (found by fuzzing: a security scheme without `in` loaded cleanly,
/// then did not fit the typed model). Check every entry against the same schema; the name
/// itself gets a warning ([`odd_component_names`]), as the 3.1 schema's `propertyNames` gives.
fn check_30_component_names(schema: &mut serde_json::Value) -> Option<()> {
    const NAME: &str = "^[a-zA-Z0-9\\.\\-_]+$";
    let maps = schema
        .get_mut("definitions")?
        .get_mut("Components")?
        .get_mut("properties")?
        .as_object_mut()?;
    for map in maps.values_mut() {
        let Some(entry) = map
            .get("patternProperties")
            .and_then(|p| p.get(NAME))
            .cloned()
        else {
            continue;
        };
        let map = map.as_object_mut()?;
        map.insert("additionalProperties".into(), entry);
    }
    Some(())
}

/// Component names outside `^[a-zA-Z0-9\.\-_]+$` in a 3.0 document: the 3.0 schema is draft 4,
/// which has no `propertyNames` to say so (the 3.1 schema has); a warning at each.
fn odd_component_names(tree: &Tree, root: NodeId) -> Vec<Flat> {
    let Some(components) = tree.get(root, "components") else {
        return Vec::new();
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_');
    let mut out = Vec::new();
    for map in tree.members(components) {
        if map.key.starts_with("x-") {
            continue;
        }
        for entry in tree.members(map.value) {
            if entry.key.is_empty() || !entry.key.chars().all(allowed) {
                out.push(Flat {
                    path: format!(
                        "/components/{}/{}",
                        crate::pointer::escape(&map.key),
                        crate::pointer::escape(&entry.key)
                    ),
                    msg: format!(
                        "the name `{}` is outside `^[a-zA-Z0-9.\\-_]+$`, the names the specification allows for components",
                        entry.key
                    ),
                    fatal: false,
                });
            }
        }
    }
    out
}

/// The vendored 3.1 schema is the variant that accepts any object as a Schema Object; point
/// its Schema Object at the JSON Schema 2020-12 meta-schema (bundled with `jsonschema`, no
/// network), as the official `schema-base` variant does with the OpenAPI dialect, so that a
/// `maximum: "100"` or `pattern: 1` is caught here (as the 3.0 schema catches it) instead of
/// being ignored by whatever reads the bound.
fn check_31_schema_objects(schema: &mut serde_json::Value) -> Option<()> {
    let slot = schema.get_mut("$defs")?.get_mut("schema")?;
    // The OpenAPI vocabulary's own keywords (https://spec.openapis.org/oas/3.1/meta/base),
    // which the JSON Schema meta-schema does not know.
    *slot = serde_json::json!({
        "$comment": "https://spec.openapis.org/oas/v3.1#schema-object",
        "$dynamicAnchor": "meta",
        "$ref": "https://json-schema.org/draft/2020-12/schema",
        "properties": {
            "discriminator": {
                "type": "object",
                "required": ["propertyName"],
                "properties": {
                    "propertyName": {"type": "string"},
                    "mapping": {"type": "object", "additionalProperties": {"type": "string"}}
                }
            },
            "xml": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "namespace": {"type": "string"},
                    "prefix": {"type": "string"},
                    "attribute": {"type": "boolean"},
                    "wrapped": {"type": "boolean"}
                }
            },
            "externalDocs": {
                "type": "object",
                "required": ["url"],
                "properties": {"url": {"type": "string"}, "description": {"type": "string"}}
            }
        }
    });
    Some(())
}

/// At most this many structural errors are reported.
const MAX_ERRORS: usize = 50;

/// Validate the root document. Returns the errors that stop processing (a value of the wrong
/// type, a missing field code relies on) and the departures that do not (warnings). Problems
/// at a `$ref` the loader resolved (a referenced operation, a path item with a `$ref` and
/// siblings) are not reported: the target is checked where it is.
pub fn validate(
    tree: &Tree,
    root: NodeId,
    version: Version,
    refs: &HashMap<NodeId, NodeId>,
) -> (Vec<LoadError>, Vec<LoadError>) {
    let flat = check(tree, root, version, refs);
    place(tree, root, refs, flat)
}

/// The structural problems of the document under `root`, by pointer (through the references
/// into other files: [`external_refs`]). Runs on its own thread while the caller lints.
pub(crate) fn check(
    tree: &Tree,
    root: NodeId,
    version: Version,
    refs: &HashMap<NodeId, NodeId>,
) -> Result<Vec<Flat>, LoadError> {
    let inst = Instance {
        tree,
        follow: external_refs(tree, root, refs),
    };
    let instance = inst.node(root);
    let Some(v) = validator(version) else {
        return Err(LoadError::new(
            "internal",
            "the bundled OpenAPI JSON Schema failed to compile",
        ));
    };
    let mut flat = if version == Version::V30 {
        odd_component_names(tree, root)
    } else {
        Vec::new()
    };
    if v.is_valid(instance) {
        return Ok(flat);
    }
    for e in v.iter_errors(instance) {
        narrow(&e, &mut flat);
    }
    // One problem per location, in document order of pointers.
    flat.sort_by(|a, b| a.path.cmp(&b.path).then(a.msg.cmp(&b.msg)));
    flat.dedup_by(|a, b| a.path == b.path);
    Ok(flat)
}

/// The `$ref`s the check reads as their targets: those whose target is in another file than
/// the root document (the root file's own components are checked where they are; a fragment
/// file is checked only through what refers to it). Each target is read once, at its first
/// reference in document order, and never inside itself, so the instance stays a finite tree
/// whatever cycles the references make.
fn external_refs(
    tree: &Tree,
    root: NodeId,
    refs: &HashMap<NodeId, NodeId>,
) -> HashMap<NodeId, NodeId> {
    let root_file = tree.node(root).file;
    let mut follow = HashMap::default();
    if !refs.values().any(|t| tree.node(*t).file != root_file) {
        return follow;
    }
    let mut expanded = rustc_hash::FxHashSet::default();
    let mut stack = vec![root];
    while let Some(id) = stack.pop() {
        let id = match refs.get(&id) {
            Some(&t) if tree.node(t).file != root_file => {
                if !expanded.insert(t) {
                    continue;
                }
                follow.insert(id, t);
                t
            }
            _ => id,
        };
        match tree.value(id) {
            crate::tree::Value::Object(m) => stack.extend(m.iter().rev().map(|m| m.value)),
            crate::tree::Value::Array(a) => stack.extend(a.iter().rev()),
            _ => {}
        }
    }
    follow
}

/// Place the problems at their nodes: errors that stop processing, and warnings.
pub(crate) fn place(
    tree: &Tree,
    root: NodeId,
    refs: &HashMap<NodeId, NodeId>,
    flat: Result<Vec<Flat>, LoadError>,
) -> (Vec<LoadError>, Vec<LoadError>) {
    let flat = match flat {
        Ok(f) => f,
        Err(e) => return (vec![e], Vec::new()),
    };
    let (mut errors, mut warnings) = (Vec::new(), Vec::new());
    let follow = if flat.is_empty() {
        HashMap::default()
    } else {
        external_refs(tree, root, refs)
    };
    for f in flat {
        let segs = crate::pointer::parse_pointer(&f.path).unwrap_or_default();
        let node = walk_followed(tree, root, &segs, &follow).unwrap_or(root);
        let at_ref = refs.contains_key(&node)
            || tree
                .node(node)
                .parent()
                .is_some_and(|(p, _)| refs.contains_key(&p));
        if at_ref {
            continue;
        }
        // `description: {$ref: ...}` and the like: not OpenAPI, but harmless to what we check.
        let stray_ref = tree.get_str(node, "$ref").is_some();
        let mut e = to_load_error(tree, node, &f.path, f.msg);
        if stray_ref {
            e = e.help("`$ref` is not allowed at this place by the OpenAPI specification; specguard does not follow it");
        }
        if f.fatal && !stray_ref {
            if errors.len() < MAX_ERRORS {
                errors.push(e);
            }
        } else if warnings.len() < MAX_ERRORS {
            warnings.push(e);
        }
    }
    (errors, warnings)
}

/// [`Tree::walk_pointer`] through the references the check followed.
fn walk_followed(
    tree: &Tree,
    root: NodeId,
    segs: &[String],
    follow: &HashMap<NodeId, NodeId>,
) -> Option<NodeId> {
    let hop = |id: NodeId| follow.get(&id).copied().unwrap_or(id);
    let mut cur = hop(root);
    for seg in segs {
        cur = hop(tree.walk_pointer(cur, [seg.as_str()])?);
    }
    Some(cur)
}

pub(crate) struct Flat {
    path: String,
    msg: String,
    fatal: bool,
}

/// Replace a oneOf/anyOf failure by the errors of its best alternative.
fn narrow(e: &ValidationError<'_>, out: &mut Vec<Flat>) {
    let path = e.instance_path().as_str().to_string();
    let branches = match e.kind() {
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            Some(context)
        }
        _ => None,
    };
    if let Some(branches) = branches {
        // The best alternative reached deepest into the instance with the fewest errors;
        // an alternative that only wants `$ref` is the Reference Object, a poor guess.
        let score = |errs: &&Vec<ValidationError<'static>>| {
            let wants_ref = errs.iter().any(|e| {
                matches!(e.kind(), ValidationErrorKind::Required { property } if property == "$ref")
            });
            // An alternative whose `type` is another one (a security scheme of `type: apiKey`
            // against the OpenID Connect alternative) is a poor guess too, however deep.
            let other_type = errs.iter().any(|e| {
                matches!(
                    e.kind(),
                    ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. }
                ) && e.instance_path().as_str().ends_with("/type")
            });
            let depth = errs
                .iter()
                .map(|e| e.instance_path().as_str().matches('/').count())
                .max()
                .unwrap_or(0);
            (!wants_ref, !other_type, depth, usize::MAX - errs.len())
        };
        if let Some(best) = branches.iter().filter(|b| !b.is_empty()).max_by_key(score) {
            for e in best {
                narrow(e, out);
            }
            return;
        }
    }
    out.push(Flat {
        path,
        msg: message(e),
        fatal: is_fatal(e),
    });
}

/// Where the JSON Schema 2020-12 meta-schemas live (bundled, never fetched).
const JSON_SCHEMA_META: &str = "https://json-schema.org/draft/2020-12/";

/// A wrong type or a missing field that identifies the object (`in`, `name`, `type` of a
/// security scheme ...) stops processing; the rest is reported and processing goes on.
fn is_fatal(e: &ValidationError<'_>) -> bool {
    // Inside a 3.1 Schema Object (the JSON Schema meta-schema found it): real documents break
    // it in ways whose intent is plain (OpenAI's `exclusiveMinimum: true`, 3.0 style;
    // `$recursiveAnchor: true`, 2019-09 style). Reported where it is; processing goes on.
    if e.absolute_keyword_location()
        .is_some_and(|u| u.as_str().starts_with(JSON_SCHEMA_META))
    {
        return false;
    }
    match e.kind() {
        ValidationErrorKind::Type { .. } => true,
        ValidationErrorKind::Required { property } => !matches!(
            property.as_str(),
            Some("responses" | "description" | "title" | "version" | "info" | "paths")
        ),
        ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. } => true,
        _ => false,
    }
}

fn message(e: &ValidationError<'_>) -> String {
    match e.kind() {
        ValidationErrorKind::Required { property } => {
            format!("`{}` is required here", property.as_str().unwrap_or("?"))
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => format!(
            "unexpected field{} {} (not allowed by the OpenAPI schema here)",
            if unexpected.len() == 1 { "" } else { "s" },
            unexpected
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        ValidationErrorKind::Type { kind } => format!("expected {}", type_kind(kind)),
        ValidationErrorKind::Enum { options } => format!("expected one of {options}"),
        ValidationErrorKind::Pattern { pattern } => format!("does not match `{pattern}`"),
        _ => e.to_string(),
    }
}

fn type_kind(k: &jsonschema::error::TypeKind) -> String {
    match k {
        jsonschema::error::TypeKind::Single(t) => format!("{t}"),
        jsonschema::error::TypeKind::Multiple(ts) => {
            let v: Vec<String> = ts.iter().map(|t| format!("{t}")).collect();
            v.join(" or ")
        }
    }
}

fn to_load_error(tree: &Tree, node: NodeId, path: &str, msg: String) -> LoadError {
    let n = tree.node(node);
    let found = crate::tree::type_name(&n.value);
    let msg = if msg.starts_with("expected ") && !msg.contains("one of") {
        format!("{msg}, found {found}")
    } else {
        msg
    };
    let where_ = if path.is_empty() {
        "the document root".to_string()
    } else {
        format!("`{path}`")
    };
    LoadError::new(
        "structure",
        format!("invalid OpenAPI structure at {where_}: {msg}"),
    )
    .at(n.file, tree.report_span(node), "here")
    .pointer(path.to_string())
}
