//! lower: spec → IR. Fallible; every security decision is taken here, and every problem is
//! collected (with its `file:line:col` and how to fix it) instead of stopping at the first.

mod backref;
mod lookaround;
pub mod pattern;
pub mod schema;

use crate::ir::{
    Api, ApiKeyIn, Auth, Body, BodyKind, Checks, Hook, HookCall, Operation, Param, ParamAlt,
    ParamIn, Principals, PrincipalsVariant, Read, Response, ResponseHeader, Route, SchemeDef,
    SchemeKind, SegmentSplit, Ty, TypeDef,
};
use crate::naming::{Case, Namer};
use crate::{Diagnostic, Settings};
use schema::{Nominal, Side};
use specguard_spec::Document;
use specguard_spec::sensitive::SensitiveWords;
use specguard_spec::tree::{NodeId, Tree};
use specguard_spec::view::{self, SchemaSides, Security, Views};
use std::collections::{BTreeSet, HashMap, VecDeque};

/// The lint rule that explains why an operation without security fails generation.
pub const RULE_OPERATION_WITHOUT_SECURITY: &str = "operation-without-security";

pub struct Ctx<'d> {
    pub doc: &'d Document,
    pub t: &'d Tree,
    pub errors: Vec<Diagnostic>,
    pub warnings: Vec<Diagnostic>,
    pub types: Vec<TypeDef>,
    pub nominal_kinds: Vec<Nominal>,
    pub type_names: Namer,
    pub by_key: HashMap<(NodeId, Option<Side>), usize>,
    pub queue: VecDeque<(NodeId, Side, usize, Nominal, bool)>,
    pub patterns: Vec<crate::ir::Pattern>,
    pub pattern_ids: HashMap<crate::ir::Pattern, usize>,
    /// Each `pattern` text translated so far: its index in `patterns`, or why it cannot be
    /// enforced (a document repeats its patterns, and translating one the lookaround
    /// automaton runs means compiling it: a quarter of a second for AWS FSx's ARN).
    pub translated: HashMap<String, Result<usize, String>>,
    pub sensitive_memo: HashMap<NodeId, bool>,
    pub inline_stack: Vec<NodeId>,
    pub known_names: BTreeSet<String>,
    pub words: SensitiveWords,
    pub schema_sides: SchemaSides,
    /// Objects read in `simple` style (path, header): where, and their type, checked once
    /// every type is lowered.
    pub simple_objects: Vec<(NodeId, String, Ty)>,
}

impl<'d> Ctx<'d> {
    fn new(doc: &'d Document, schema_sides: SchemaSides) -> Ctx<'d> {
        Ctx {
            doc,
            t: &doc.tree,
            errors: Vec::new(),
            warnings: Vec::new(),
            types: Vec::new(),
            nominal_kinds: Vec::new(),
            type_names: Namer::reserving(crate::naming::PRELUDE),
            by_key: HashMap::new(),
            queue: VecDeque::new(),
            patterns: Vec::new(),
            pattern_ids: HashMap::new(),
            translated: HashMap::new(),
            sensitive_memo: HashMap::new(),
            inline_stack: Vec::new(),
            known_names: BTreeSet::new(),
            simple_objects: Vec::new(),
            words: SensitiveWords::default(),
            schema_sides,
        }
    }

    fn diag(&self, node: NodeId, message: String, help: Option<&str>) -> Diagnostic {
        Diagnostic {
            location: self.doc.display_location(node),
            message,
            help: help.map(str::to_string),
            rule: None,
        }
    }

    pub fn error(&mut self, node: NodeId, message: impl Into<String>, help: Option<&str>) {
        let d = self.diag(node, message.into(), help);
        self.errors.push(d);
    }

    pub fn warn(&mut self, node: NodeId, message: impl Into<String>, help: Option<&str>) {
        let d = self.diag(node, message.into(), help);
        self.warnings.push(d);
    }
}

/// What lowering produced: the IR and the warnings.
pub struct Lowered {
    pub api: Api,
    pub warnings: Vec<Diagnostic>,
}

/// Lower a document. Errors: every problem found.
pub fn lower(doc: &Document, settings: &Settings) -> Result<Lowered, Vec<Diagnostic>> {
    let views = Views::new(doc);
    let mut cx = Ctx::new(doc, views.schema_sides.clone());
    let t = &doc.tree;

    let info = t.get(doc.root, "info");
    let title = info.and_then(|i| t.get_str(i, "title")).unwrap_or("");
    let base = match &settings.trait_name {
        Some(n) => n.clone(),
        None => {
            let b = crate::naming::base(title, Case::Type, "");
            let b = b.strip_suffix("Api").unwrap_or(&b).to_string();
            if b.is_empty() {
                "Service".to_string()
            } else {
                b
            }
        }
    };
    let trait_name = cx.type_names.name(
        &if settings.trait_name.is_some() {
            base.clone()
        } else {
            format!("{base} Api")
        },
        Case::Type,
        "ServiceApi",
    );
    let auth_trait_name = cx
        .type_names
        .name(&format!("{base} Auth"), Case::Type, "ServiceAuth");
    let mut doc_lines = Vec::new();
    if !title.is_empty() {
        doc_lines.push(format!(
            " The operations of `{}`.",
            crate::docs::inline(title)
        ));
    }
    if let Some(d) = info.and_then(|i| t.get_str(i, "description")) {
        doc_lines.push(String::new());
        doc_lines.extend(crate::docs::block(d));
    }

    let mut schemes = Schemes::new(doc);
    let mut operations: Vec<Operation> = Vec::new();
    let mut method_names = Namer::new();
    let mut hook_keys: Vec<(String, Ty)> = Vec::new();
    let mut op_hooks: Vec<Vec<(usize, String)>> = Vec::new();
    let mut routes: Vec<Route> = Vec::new();

    for op in &views.operations {
        if op.webhook {
            cx.warn(
                op.node,
                format!(
                    "webhook `{}` is a call this API makes, not an operation it serves; no code is generated for it",
                    crate::docs::inline(&op.path)
                ),
                None,
            );
            continue;
        }
        let label = crate::docs::inline(&op.label());
        // Security first: every operation is authenticated unless the spec says otherwise.
        let auth = match &op.security {
            Security::None => {
                let what = match &op.operation_id {
                    Some(id) => format!("operation `{}` ({label})", crate::docs::inline(id)),
                    None => format!("operation {label}"),
                };
                let mut d = cx.diag(
                    op.node,
                    format!("{what} has no security requirement [{RULE_OPERATION_WITHOUT_SECURITY}]"),
                    Some("add `security` to the operation (or at the root), or mark it public explicitly with `security: []` or `x-specguard-public: true`; run `specguard rule operation-without-security` for details"),
                );
                d.rule = Some(RULE_OPERATION_WITHOUT_SECURITY);
                if settings.allow_unauthenticated {
                    d.message
                        .push_str("; generated without authentication (allow_unauthenticated)");
                    cx.warnings.push(d);
                    Auth::Public
                } else {
                    cx.errors.push(d);
                    Auth::Public
                }
            }
            Security::Public { .. } => Auth::Public,
            Security::Required { any_of } => {
                let at = op.security_node.unwrap_or(op.node);
                let mut alts = Vec::new();
                let mut anonymous = false;
                for alt in any_of {
                    if alt.is_empty() {
                        anonymous = true;
                        continue;
                    }
                    let mut reqs = Vec::new();
                    for r in alt {
                        if let Some(i) = schemes.get(&mut cx, &r.scheme, at) {
                            reqs.push((i, r.scopes.clone()));
                        }
                    }
                    alts.push(reqs);
                }
                if alts.is_empty() {
                    Auth::Public
                } else if anonymous {
                    Auth::Optional(alts)
                } else {
                    Auth::Required(alts)
                }
            }
        };

        let raw_name = match &op.operation_id {
            Some(id) if !id.trim().is_empty() => id.clone(),
            _ => format!("{} {}", op.method, op.path),
        };
        let method_name = method_names.name(&raw_name, Case::Value, "operation");
        let key = method_name.trim_start_matches("r#").to_string();
        let type_base = crate::naming::base(&raw_name, Case::Type, "Operation");

        // Path template → route. A segment that mixes text and parameters
        // (`/compare/{base}...{head}`) is captured whole and split by the handler.
        // A query string in the path key (`/export?filename={filename}`) is no part of an
        // OpenAPI path; its `key={name}` pairs are read as what they say: query parameters.
        let (path_only, query_vars, query_fixed) = match op.path.split_once('?') {
            None => (op.path.as_str(), Vec::new(), Vec::new()),
            Some((path_only, query)) => match query_template(query) {
                Some((vars, fixed)) => {
                    let listed: Vec<String> = vars
                        .iter()
                        .map(|(k, _)| format!("`{}`", crate::docs::inline(k)))
                        .chain(fixed.iter().map(|(k, v)| {
                            format!(
                                "`{}` always `{}`",
                                crate::docs::inline(k),
                                crate::docs::inline(v)
                            )
                        }))
                        .collect();
                    cx.warn(
                        op.path_item,
                        format!(
                            "path `{}` carries a query string, which an OpenAPI path cannot: its parameters are read from the query ({})",
                            crate::docs::inline(&op.path),
                            listed.join(", ")
                        ),
                        Some("remove the query string from the path and declare its parameters with `in: query`"),
                    );
                    (path_only, vars, fixed)
                }
                None => {
                    cx.error(
                        op.path_item,
                        format!(
                            "path `{}` carries a query string that is not a list of `key={{name}}` pairs",
                            crate::docs::inline(&op.path)
                        ),
                        Some("remove the query string from the path and declare its parameters with `in: query`"),
                    );
                    (path_only, Vec::new(), Vec::new())
                }
            },
        };
        let segments: Vec<&str> = path_only.split('/').skip(1).collect();
        let mut route_segments = Vec::new();
        // (parameter name, capture name)
        let mut captures: Vec<(String, String)> = Vec::new();
        let mut splits: Vec<SegmentSplit> = Vec::new();
        let mut n_captures = 0usize;
        // Path parameters written into the path as their only possible value.
        let mut fixed_in_path: Vec<String> = Vec::new();
        for seg in &segments {
            if !seg.contains(['{', '}']) {
                route_segments.push(seg.to_string());
                continue;
            }
            let mut parsed = parse_segment(seg);
            if parsed.is_none() {
                // `{id}{mediaTypeExtension}` with `enum: [".json"]`: two parameters without
                // text between them cannot be split, unless one has a single possible value,
                // which is then the text (`{id}.json`).
                let mut text = seg.to_string();
                let mut used = Vec::new();
                for p in &op.parameters {
                    let placeholder = format!("{{{}}}", p.name);
                    if p.location == view::ParamIn::Path
                        && text.contains(&placeholder)
                        && let Some(value) = one_value(t, p.schema)
                    {
                        text = text.replace(&placeholder, &value);
                        used.push((p.name.clone(), value));
                    }
                }
                if !used.is_empty()
                    && let Some(ok) = parse_segment(&text)
                {
                    cx.warn(
                        op.path_item,
                        format!(
                            "path `{}`: the segment `{}` puts two parameters side by side; {} can only be {}, so the segment is read as `{}`",
                            crate::docs::inline(&op.path),
                            crate::docs::inline(seg),
                            used.iter()
                                .map(|(n, _)| format!("`{}`", crate::docs::inline(n)))
                                .collect::<Vec<_>>()
                                .join(", "),
                            used.iter()
                                .map(|(_, v)| format!("`{}`", crate::docs::inline(v)))
                                .collect::<Vec<_>>()
                                .join(", "),
                            crate::docs::inline(&text)
                        ),
                        Some("write the fixed text into the path (`{id}.json`)"),
                    );
                    fixed_in_path.extend(used.into_iter().map(|(n, _)| n));
                    parsed = Some(ok);
                }
            }
            let Some((literals, names)) = parsed else {
                cx.error(
                    op.path_item,
                    format!(
                        "path `{}`: the segment `{}` is not a valid template (parameters are `{{name}}`, separated by text)",
                        crate::docs::inline(&op.path),
                        crate::docs::inline(seg)
                    ),
                    Some("write each parameter as `{name}` and put literal text between two parameters"),
                );
                route_segments.push(format!("{{p{n_captures}}}"));
                n_captures += 1;
                continue;
            };
            let capture = format!("p{n_captures}");
            n_captures += 1;
            route_segments.push(format!("{{{capture}}}"));
            let whole = literals.iter().all(String::is_empty) && names.len() == 1;
            let mut parts = Vec::new();
            for (j, name) in names.iter().enumerate() {
                if captures.iter().any(|(c, _)| c == name) {
                    cx.error(
                        op.path_item,
                        format!(
                            "path `{}` uses the parameter `{}` twice",
                            crate::docs::inline(&op.path),
                            crate::docs::inline(name)
                        ),
                        None,
                    );
                }
                let part = if whole {
                    capture.clone()
                } else {
                    format!("{capture}_{j}")
                };
                parts.push(part.clone());
                captures.push((name.clone(), part));
            }
            if !whole {
                splits.push(SegmentSplit {
                    capture,
                    literals,
                    parts,
                });
            }
        }
        let route_path = format!("/{}", route_segments.join("/"));

        // Parameters.
        let mut params = Vec::new();
        let mut field_names = Namer::new();
        for p in &op.parameters {
            if p.location == view::ParamIn::Path && fixed_in_path.contains(&p.name) {
                continue;
            }
            // A path parameter named in the path's query string is a query parameter.
            let moved;
            let p = match query_vars.iter().find(|(_, name)| *name == p.name) {
                Some((key, _)) if p.location == view::ParamIn::Path => {
                    moved = view::Param {
                        name: key.clone(),
                        location: view::ParamIn::Query,
                        ..p.clone()
                    };
                    &moved
                }
                _ => p,
            };
            if p.location == view::ParamIn::Header
                && ["accept", "content-type", "authorization"]
                    .contains(&p.name.to_ascii_lowercase().as_str())
            {
                cx.warn(
                    p.used_at,
                    format!(
                        "header parameter `{}` is ignored (OpenAPI defines it through other fields)",
                        crate::docs::inline(&p.name)
                    ),
                    None,
                );
                continue;
            }
            if let Some(param) = lower_param(&mut cx, p, &method_name, &captures, &mut field_names)
            {
                params.push(param);
            }
        }
        for (key, name) in &query_vars {
            if !op.parameters.iter().any(|p| {
                (p.location == view::ParamIn::Path && p.name == *name)
                    || (p.location == view::ParamIn::Query && (p.name == *name || p.name == *key))
            }) {
                cx.warn(
                    op.node,
                    format!(
                        "{label}: the query parameter `{}` of the path's query string is not defined in `parameters`: it is read as a required string",
                        crate::docs::inline(key)
                    ),
                    Some("declare it with `in: query` and a schema"),
                );
                params.push(undeclared(
                    &mut field_names,
                    key,
                    ParamIn::Query,
                    String::new(),
                ));
            }
        }
        // `?method=flickr.groups.getInfo`: the operation serves only that value (which also
        // tells operations on the same path apart).
        for (key, value) in &query_fixed {
            if !op
                .parameters
                .iter()
                .any(|p| p.location == view::ParamIn::Query && p.name == *key)
            {
                let mut fixed = undeclared(&mut field_names, key, ParamIn::Query, String::new());
                fixed.checks.enum_json =
                    Some(vec![serde_json::Value::from(value.as_str()).to_string()]);
                fixed.doc = vec![format!(
                    " Fixed by the path's query string: always `{}`.",
                    crate::docs::inline(value)
                )];
                params.push(fixed);
            }
        }
        for (c, capture) in &captures {
            if !op
                .parameters
                .iter()
                .any(|p| p.location == view::ParamIn::Path && p.name == *c)
            {
                cx.warn(
                    op.node,
                    format!(
                        "{label}: the path parameter `{}` is not defined in `parameters`: it is read as a string",
                        crate::docs::inline(c)
                    ),
                    Some("add a parameter with `in: path`, `required: true` and a schema"),
                );
                params.push(undeclared(
                    &mut field_names,
                    c,
                    ParamIn::Path,
                    capture.clone(),
                ));
            }
        }

        // Object-level authorization hooks for identifier-like path parameters.
        let mut hooks = Vec::new();
        for p in &params {
            if p.location == ParamIn::Path
                && matches!(p.read, Read::Scalar | Read::Json)
                && specguard_spec::inventory::is_id_like(&p.name)
            {
                let resource = resource_name(&p.name, &segments);
                let key = (resource, p.scalar.clone());
                let idx = match hook_keys.iter().position(|k| *k == key) {
                    Some(i) => i,
                    None => {
                        hook_keys.push(key);
                        hook_keys.len() - 1
                    }
                };
                hooks.push((idx, p.field.clone()));
            }
        }
        op_hooks.push(hooks);

        let body = op
            .request_body
            .and_then(|b| lower_body(&mut cx, b, op.node, &type_base, settings));

        // Responses.
        let mut responses = Vec::new();
        let mut variant_names = Namer::new();
        let mut produces: Vec<String> = Vec::new();
        for (code, resp) in &op.responses {
            let Some((status, range, raw)) = parse_status(code) else {
                cx.error(
                    *resp,
                    format!(
                        "{label}: `{}` is not a response status (100-599, `1XX`-`5XX` or `default`)",
                        crate::docs::inline(code)
                    ),
                    None,
                );
                continue;
            };
            let variant = variant_names.name(&raw, Case::Type, "Status");
            let resp = cx.doc.resolve(*resp);
            let mut body = None;
            let mut body_checks = Default::default();
            if let Some((mt, kind, schema)) = choose_media(&cx, resp) {
                let (ty, checks) = match kind {
                    BodyKind::Json => match schema {
                        Some(s) => {
                            let l =
                                cx.schema(s, Side::Response, &format!("{type_base} {raw} body"));
                            (l.full_ty(), l.checks)
                        }
                        None => (Ty::Json, Default::default()),
                    },
                    BodyKind::Text => (Ty::String, Default::default()),
                    // `choose_media` picks no form for responses.
                    BodyKind::Bytes | BodyKind::Form | BodyKind::Multipart => {
                        (Ty::Bytes, Default::default())
                    }
                };
                if !produces.contains(&mt) {
                    produces.push(mt.clone());
                }
                body = Some((kind, ty, mt));
                body_checks = checks;
            }
            let headers = lower_response_headers(&mut cx, resp, &type_base, &raw, &label, code);
            let headers_type = (!headers.is_empty()).then(|| {
                cx.type_names
                    .name(&format!("{type_base} {raw} headers"), Case::Type, "Headers")
            });
            let mut doc = vec![format!(" `{}`", crate::docs::inline(code))];
            if let Some(d) = t.get_str(resp, "description") {
                doc.extend(crate::docs::block(d));
            }
            responses.push(Response {
                variant,
                status,
                range,
                body,
                body_checks,
                headers_type,
                headers,
                doc,
            });
        }

        // Routes: one per path template, methods in spec order.
        let op_index = operations.len();
        match routes.iter_mut().find(|r| r.path == route_path) {
            Some(r) => {
                // Two operations may share a route and method when their paths differ inside a
                // segment (`/compare/{basehead}` and `/compare/{base}...{head}`): the router
                // dispatches on the segment's shape, most specific template first.
                let same: Vec<usize> = r
                    .methods
                    .iter()
                    .filter(|(m, _)| m == op.method)
                    .map(|(_, i)| *i)
                    .collect();
                let distinct = same.iter().all(|&i| {
                    operations.get(i).is_some_and(|other| {
                        (!other.splits.is_empty() || !splits.is_empty())
                            && !same_templates(&other.splits, &splits)
                    })
                }) && same
                    .iter()
                    .filter(|&&i| operations.get(i).is_some_and(|o| o.splits.is_empty()))
                    .count()
                    + usize::from(splits.is_empty())
                    <= 1;
                if !same.is_empty() && !distinct {
                    // OpenAPI forbids templated paths that differ only in parameter names;
                    // real APIs (Google's, Xero's) tell them apart by their parameters
                    // (`{AttachmentID}` a uuid, `{FileName}` any text). The router tries them
                    // in document order and serves the first whose parameters fit.
                    let others: Vec<String> = same
                        .iter()
                        .filter_map(|&i| operations.get(i))
                        .map(|o| format!("{} {}", o.http_method, o.path))
                        .collect();
                    cx.warn(
                        op.node,
                        format!(
                            "{label}: {} serves this method on an equivalent path (paths that differ only in parameter names are the same path, which OpenAPI forbids); a request goes to the first of them, in document order, whose parameters it satisfies (types, formats, patterns, enums, required parameters), and to this one only when the earlier ones reject it",
                            others.join(" and ")
                        ),
                        Some("give the operations distinct paths, or make their parameters exclude each other (`format: uuid` against a `pattern`)"),
                    );
                }
                r.methods.push((op.method.to_string(), op_index));
            }
            None => routes.push(Route {
                path: route_path,
                methods: vec![(op.method.to_string(), op_index)],
            }),
        }

        let mut doc = vec![format!(" `{label}`")];
        if let Some(s) = t.get_str(op.node, "summary") {
            doc.push(String::new());
            doc.extend(crate::docs::block(s));
        }
        if let Some(d) = t.get_str(op.node, "description") {
            doc.push(String::new());
            doc.extend(crate::docs::block(d));
        }
        doc.push(String::new());
        doc.push(format!(
            " Security: {}",
            crate::docs::inline(&op.security.display())
        ));
        if op.deprecated {
            doc.push(" Deprecated in the contract.".into());
        }

        let principals = match &auth {
            Auth::Required(alts) | Auth::Optional(alts) if alts.iter().any(|a| a.len() > 1) => {
                Some(principals(&mut cx, alts, &schemes.defs, &type_base))
            }
            _ => None,
        };
        let params_type = (!params.is_empty()).then(|| {
            cx.type_names
                .name(&format!("{type_base} params"), Case::Type, "Params")
        });
        let response_type =
            cx.type_names
                .name(&format!("{type_base} response"), Case::Type, "Response");
        operations.push(Operation {
            method_name,
            operation_id: op.operation_id.clone().unwrap_or_else(|| key.clone()),
            http_method: op.method.to_ascii_uppercase(),
            path: op.path.clone(),
            auth,
            principals,
            params,
            params_type,
            body,
            response_type,
            responses,
            produces,
            hooks: Vec::new(),
            doc,
            key,
            splits,
        });
    }

    // Hooks are named after every operation, so operation names never depend on them.
    let hooks: Vec<Hook> = hook_keys
        .into_iter()
        .map(|(resource, id_ty)| Hook {
            method: method_names.name(&format!("authorize {resource}"), Case::Value, "authorize"),
            resource,
            id_ty,
        })
        .collect();
    for (op, calls) in operations.iter_mut().zip(op_hooks) {
        op.hooks = calls
            .into_iter()
            .map(|(hook, field)| HookCall { hook, field })
            .collect();
    }

    cx.drain();
    // `simple` style has no syntax for nested objects or arrays: such a property can never be
    // sent, so a value that needs it is always refused.
    for (node, name, ty) in std::mem::take(&mut cx.simple_objects) {
        let nested: Vec<String> = match &ty {
            Ty::Named(i) => match cx.types.get(*i).map(|d| &d.kind) {
                Some(crate::ir::TypeKind::Struct { fields, .. }) => fields
                    .iter()
                    .filter(|f| {
                        let mut t = &f.ty;
                        while let Ty::Option(inner) | Ty::Boxed(inner) = t {
                            t = inner;
                        }
                        !scalar_ok(&cx, t)
                    })
                    .map(|f| f.wire.clone())
                    .collect(),
                _ => Vec::new(),
            },
            _ => Vec::new(),
        };
        if !nested.is_empty() {
            cx.warn(
                node,
                format!(
                    "parameter `{}`: style `simple` cannot carry the structured properties {}: a value with them is always refused (400)",
                    crate::docs::inline(&name),
                    nested
                        .iter()
                        .map(|n| format!("`{}`", crate::docs::inline(n)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some("move the parameter into the request body, or make those properties scalars"),
            );
        }
    }
    box_recursion(&mut cx.types);
    propagate_sides(&mut cx.types);
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let known_names = cx.known_names.into_iter().collect();
    let checked = checked_types(&cx.types);
    Ok(Lowered {
        api: Api {
            trait_name,
            auth_trait_name,
            doc: doc_lines,
            types: cx.types,
            schemes: schemes.defs,
            operations,
            hooks,
            routes,
            patterns: cx.patterns,
            known_names,
            checked,
        },
        warnings: cx.warnings,
    })
}

/// The security schemes operations refer to, lowered on first use.
struct Schemes {
    declared: Vec<(String, NodeId)>,
    by_name: HashMap<String, Option<usize>>,
    defs: Vec<SchemeDef>,
    consts: Namer,
}

impl Schemes {
    fn new(doc: &Document) -> Schemes {
        let t = &doc.tree;
        let declared = t
            .get(doc.root, "components")
            .map(|c| doc.resolve(c))
            .and_then(|c| t.get(c, "securitySchemes"))
            .map(|s| doc.resolve(s))
            .map(|s| {
                t.members(s)
                    .iter()
                    .map(|m| (m.key.to_string(), doc.resolve(m.value)))
                    .collect()
            })
            .unwrap_or_default();
        Schemes {
            declared,
            by_name: HashMap::new(),
            defs: Vec::new(),
            consts: Namer::new(),
        }
    }

    fn get(&mut self, cx: &mut Ctx<'_>, name: &str, used_at: NodeId) -> Option<usize> {
        if let Some(r) = self.by_name.get(name) {
            return *r;
        }
        let r = self.lower(cx, name, used_at);
        self.by_name.insert(name.to_string(), r);
        r
    }

    fn lower(&mut self, cx: &mut Ctx<'_>, name: &str, used_at: NodeId) -> Option<usize> {
        let t = cx.t;
        let shown = crate::docs::inline(name);
        let Some(&(_, node)) = self.declared.iter().find(|(n, _)| n == name) else {
            cx.error(
                used_at,
                format!("security scheme `{shown}` is not declared in components.securitySchemes"),
                Some("declare the scheme, or fix the name in the security requirement"),
            );
            return None;
        };
        let ty = t.get_str(node, "type").unwrap_or("");
        let kind = match ty {
            "apiKey" => {
                let key_name = t.get_str(node, "name").unwrap_or("");
                let location = match t.get_str(node, "in") {
                    Some("header") => ApiKeyIn::Header,
                    Some("query") => ApiKeyIn::Query,
                    Some("cookie") => ApiKeyIn::Cookie,
                    _ => {
                        cx.error(
                            node,
                            format!(
                                "apiKey scheme `{shown}` needs `in: header`, `query` or `cookie`"
                            ),
                            None,
                        );
                        return None;
                    }
                };
                let valid = !key_name.is_empty()
                    && match location {
                        ApiKeyIn::Header => key_name
                            .bytes()
                            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)),
                        ApiKeyIn::Cookie => key_name
                            .bytes()
                            .all(|b| b.is_ascii_graphic() && !b"()<>@,;:\\\"/[]?={}".contains(&b)),
                        ApiKeyIn::Query => true,
                    };
                if !valid {
                    cx.error(
                        node,
                        format!("apiKey scheme `{shown}`: `name` must be a valid, non-empty header or cookie name"),
                        None,
                    );
                    return None;
                }
                SchemeKind::ApiKey {
                    location,
                    name: key_name.to_string(),
                }
            }
            "http" => match t
                .get_str(node, "scheme")
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("basic") => SchemeKind::Basic,
                Some("bearer") => SchemeKind::Bearer,
                // Any other scheme: `Authorization: <scheme> <credentials>`, verified whole by
                // the user's `HttpAuth` (a vendor's signature, `Digest`, `Mutual`, …), which
                // also gives a challenge-response scheme's 401 challenge.
                Some(_) => match t.get_str(node, "scheme") {
                    Some(scheme) if is_token(scheme) => SchemeKind::Http(scheme.to_string()),
                    other => {
                        cx.error(
                            node,
                            format!(
                                "security scheme `{shown}`: `{}` is not an HTTP authentication scheme name",
                                crate::docs::inline(other.unwrap_or_default())
                            ),
                            Some("an HTTP authentication scheme is a token (letters, digits and `!#$%&'*+-.^_`|~`), as in `Authorization: <scheme> <credentials>`"),
                        );
                        return None;
                    }
                },
                None => {
                    cx.error(
                        node,
                        format!("security scheme `{shown}`: `type: http` needs a `scheme`"),
                        Some("`scheme: bearer`, `scheme: basic`, or the name of the scheme the `Authorization` header carries"),
                    );
                    return None;
                }
            },
            "oauth2" => SchemeKind::OAuth2,
            "openIdConnect" => SchemeKind::OpenIdConnect,
            "mutualTLS" => {
                cx.error(
                    node,
                    format!("security scheme `{shown}` (mutualTLS) cannot be enforced by the generated router"),
                    Some("terminate mutual TLS in front of the service and describe what it forwards (for example an apiKey header set by the proxy), or remove the scheme"),
                );
                return None;
            }
            other => {
                cx.error(
                    node,
                    format!(
                        "security scheme `{shown}` has type `{}`, which the generator does not support",
                        crate::docs::inline(other)
                    ),
                    None,
                );
                return None;
            }
        };
        let i = self.defs.len();
        self.defs.push(SchemeDef {
            name: name.to_string(),
            const_name: self.consts.name(name, Case::Const, "SCHEME"),
            kind,
        });
        Some(i)
    }
}

/// Whether a parameter or header can be this type: a string, number, boolean or string enum.
fn scalar_ok(cx: &Ctx<'_>, ty: &Ty) -> bool {
    match ty {
        Ty::String | Ty::Binary | Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64 => true,
        Ty::Named(i) => cx.nominal_kinds.get(*i) == Some(&Nominal::Enum),
        _ => false,
    }
}

/// An RFC 9110 token (a valid header name).
fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// Headers the server sets itself (framing and connection management): a handler never does.
const SERVER_HEADERS: [&str; 8] = [
    "content-length",
    "transfer-encoding",
    "connection",
    "keep-alive",
    "upgrade",
    "te",
    "trailer",
    "proxy-connection",
];

/// The headers a response documents, each typed: a string, number, boolean or string enum, or
/// a comma-separated list of them (`style: simple`). `Content-Type` is ignored (OpenAPI
/// defines it through `content`), like framing headers the server sets; other shapes are
/// warnings (the header is not generated), invalid or duplicated names errors.
fn lower_response_headers(
    cx: &mut Ctx<'_>,
    resp: NodeId,
    type_base: &str,
    raw: &str,
    label: &str,
    code: &str,
) -> Vec<ResponseHeader> {
    let t = cx.t;
    let Some(hs) = t.get(resp, "headers").map(|h| cx.doc.resolve(h)) else {
        return Vec::new();
    };
    let code = crate::docs::inline(code);
    let mut out: Vec<ResponseHeader> = Vec::new();
    let mut fields = Namer::new();
    for m in t.members(hs) {
        let name = m.key.to_string();
        let wire = name.to_ascii_lowercase();
        let shown = crate::docs::inline(&name);
        let at = m.value;
        let h = cx.doc.resolve(m.value);
        if !is_token(&name) {
            cx.error(
                at,
                format!("{label}: response header `{shown}` ({code}) is not a valid header name"),
                Some("header names are RFC 9110 tokens: letters, digits and !#$%&'*+-.^_`|~"),
            );
            continue;
        }
        if wire == "content-type" {
            cx.warn(
                at,
                format!("{label}: response header `{shown}` ({code}) is ignored: OpenAPI defines the response's Content-Type through `content`"),
                None,
            );
            continue;
        }
        if SERVER_HEADERS.contains(&wire.as_str()) {
            cx.warn(
                at,
                format!("{label}: response header `{shown}` ({code}) is set by the server, not by handlers; it is not generated"),
                None,
            );
            continue;
        }
        if out.iter().any(|o| o.wire == wire) {
            cx.error(
                at,
                format!("{label}: response header `{shown}` ({code}) is documented twice (header names are case-insensitive)"),
                None,
            );
            continue;
        }
        let unsupported = |cx: &mut Ctx<'_>, why: &str| {
            cx.warn(
                at,
                format!("{label}: response header `{shown}` ({code}) is not generated: {why}; handlers cannot set it"),
                Some("describe the header with a `schema` of a string, number, boolean, string enum or array of them"),
            );
        };
        let Some(schema) = t.get(h, "schema") else {
            unsupported(
                cx,
                "it has no `schema` (`content` headers are not supported)",
            );
            continue;
        };
        if let Some(style) = t.get_str(h, "style")
            && style != "simple"
        {
            unsupported(cx, "only `style: simple` is supported");
            continue;
        }
        let l = cx.schema(schema, Side::Response, &format!("{type_base} {raw} {name}"));
        let (scalar, list) = match &l.ty {
            ty if scalar_ok(cx, ty) => (ty.clone(), false),
            Ty::Vec(inner) if scalar_ok(cx, inner) => ((**inner).clone(), true),
            _ => {
                unsupported(cx, "its schema is not a scalar or an array of scalars");
                continue;
            }
        };
        let mut doc = vec![format!(" `{shown}`")];
        if let Some(d) = t.get_str(h, "description") {
            doc.extend(crate::docs::block(d));
        }
        out.push(ResponseHeader {
            field: fields.name(&name, Case::Value, "header"),
            name,
            wire,
            required: t.get_bool(h, "required") == Some(true),
            scalar,
            list,
            checks: l.checks,
            doc,
        });
    }
    out
}

/// The principals enum of an operation whose security requirement ANDs schemes.
fn principals(
    cx: &mut Ctx<'_>,
    alts: &[Vec<(usize, Vec<String>)>],
    schemes: &[SchemeDef],
    type_base: &str,
) -> Principals {
    let type_name =
        cx.type_names
            .name(&format!("{type_base} principals"), Case::Type, "Principals");
    let mut variant_names = Namer::new();
    let variants = alts
        .iter()
        .map(|alt| {
            let scheme_name =
                |i: usize| schemes.get(i).map(|s| s.name.as_str()).unwrap_or("scheme");
            let joined = alt
                .iter()
                .map(|(i, _)| scheme_name(*i))
                .collect::<Vec<_>>()
                .join(" and ");
            let mut field_names = Namer::new();
            PrincipalsVariant {
                name: variant_names.name(&joined, Case::Type, "Alternative"),
                fields: alt
                    .iter()
                    .map(|(i, _)| (field_names.name(scheme_name(*i), Case::Value, "scheme"), *i))
                    .collect(),
            }
        })
        .collect();
    Principals {
        type_name,
        variants,
    }
}

/// A `style: deepObject` query parameter: any schema, read from `name[key]=value` pairs the
/// way form bodies are (`runtime::form`).
fn lower_deep_param(
    cx: &mut Ctx<'_>,
    p: &view::Param,
    method_name: &str,
    field_names: &mut Namer,
) -> Option<Param> {
    let l = match p.schema {
        Some(s) => cx.schema(s, Side::Request, &format!("{method_name} {}", p.name)),
        None => {
            cx.error(
                p.used_at,
                format!(
                    "parameter `{}`: a `deepObject` parameter needs a `schema`",
                    crate::docs::inline(&p.name)
                ),
                None,
            );
            return None;
        }
    };
    Some(structured_query_param(cx, p, l, true, field_names))
}

/// A query parameter of any schema read as a form tree: `deepObject` (`deep`), or an object
/// with `style: form, explode: true`.
fn structured_query_param(
    cx: &Ctx<'_>,
    p: &view::Param,
    l: schema::Lowered,
    deep: bool,
    field_names: &mut Namer,
) -> Param {
    let read = if deep { Read::Deep } else { Read::Exploded };
    declared(
        cx.t,
        p,
        field_names,
        ParamIn::Query,
        String::new(),
        l.ty,
        read,
        l.checks,
    )
}

/// A parameter the operation declares, read from `location` as `read` into `scalar`.
#[allow(clippy::too_many_arguments)]
fn declared(
    t: &Tree,
    p: &view::Param,
    field_names: &mut Namer,
    location: ParamIn,
    capture: String,
    scalar: Ty,
    read: Read,
    checks: Checks,
) -> Param {
    Param {
        field: field_names.name(&p.name, Case::Value, "param"),
        name: p.name.clone(),
        location,
        capture,
        required: p.required || location == ParamIn::Path,
        scalar,
        read,
        checks,
        alternatives: Vec::new(),
        doc: t
            .get_str(p.node, "description")
            .map(crate::docs::block)
            .unwrap_or_default(),
    }
}

/// The alternatives of a path, header or cookie parameter without those that are an object
/// with nothing declared in it (`{type: object, nullable: true}`, which some converters add to
/// every union): no value of such a parameter can be one, so they are left out, with a warning.
/// All of them are kept when nothing else would remain.
fn without_empty_objects(
    cx: &mut Ctx<'_>,
    p: &view::Param,
    location: ParamIn,
    alts: Vec<NodeId>,
) -> Vec<NodeId> {
    if location == ParamIn::Query {
        return alts;
    }
    let t = cx.t;
    let empty = |n: NodeId| {
        let n = cx.doc.resolve(n);
        t.get_str(n, "type") == Some("object")
            && [
                "properties",
                "additionalProperties",
                "allOf",
                "anyOf",
                "oneOf",
                "patternProperties",
            ]
            .iter()
            .all(|k| t.get(n, k).is_none())
    };
    let (kept, dropped): (Vec<NodeId>, Vec<NodeId>) = alts.iter().partition(|n| !empty(**n));
    if kept.is_empty() || dropped.is_empty() {
        return alts;
    }
    cx.warn(
        p.used_at,
        format!(
            "parameter `{}`: an alternative that is an object with no properties cannot be a {} value; it is left out",
            crate::docs::inline(&p.name),
            location.as_str()
        ),
        None,
    );
    kept
}

fn lower_param(
    cx: &mut Ctx<'_>,
    p: &view::Param,
    method_name: &str,
    captures: &[(String, String)],
    field_names: &mut Namer,
) -> Option<Param> {
    let t = cx.t;
    let shown = crate::docs::inline(&p.name);
    let location = match p.location {
        view::ParamIn::Path => ParamIn::Path,
        view::ParamIn::Query => ParamIn::Query,
        view::ParamIn::Header => ParamIn::Header,
        view::ParamIn::Cookie => ParamIn::Cookie,
    };
    if location == ParamIn::Header && !is_token(&p.name) {
        cx.error(
            p.used_at,
            format!("header parameter `{shown}` is not a valid header name"),
            None,
        );
        return None;
    }
    let style = t.get_str(p.node, "style");
    let default_style = match location {
        ParamIn::Path | ParamIn::Header => "simple",
        ParamIn::Query | ParamIn::Cookie => "form",
    };
    if style == Some("deepObject") && location == ParamIn::Query {
        return lower_deep_param(cx, p, method_name, field_names);
    }
    // `spaceDelimited` / `pipeDelimited`: arrays in query, one value split at the delimiter
    // (exploded, they are repeated keys like `form`).
    let delimiter = match style {
        Some("spaceDelimited") if location == ParamIn::Query => ' ',
        Some("pipeDelimited") if location == ParamIn::Query => '|',
        _ => ',',
    };
    if let Some(s) = style
        && s != default_style
        && delimiter == ','
    {
        cx.error(
            p.used_at,
            format!(
                "parameter `{shown}`: style `{}` is not supported by the generator",
                crate::docs::inline(s)
            ),
            Some(
                "use the default style (`simple` for path and header, `form` for query and cookie), or `deepObject`, `spaceDelimited` or `pipeDelimited` in query",
            ),
        );
        return None;
    }
    let explode = t
        .get_bool(p.node, "explode")
        .unwrap_or(default_style == "form" && delimiter == ',');
    // `content` instead of `schema`: one media type, whose schema describes the value.
    let mut schema = p.schema;
    let mut json = false;
    if let Some(content) = t.get(p.node, "content")
        && t.get(p.node, "schema").is_none()
    {
        let [member] = t.members(content) else {
            cx.error(
                p.used_at,
                format!("parameter `{shown}`: `content` must list exactly one media type"),
                None,
            );
            return None;
        };
        let media_type: &str = &member.key;
        schema = t.get(member.value, "schema");
        json = is_json(media_type);
        if !json && !media_type.starts_with("text/plain") && media_type != "*/*" {
            cx.error(
                p.used_at,
                format!(
                    "parameter `{shown}` is described with `content` of type `{}`; only JSON and plain-text parameters are supported",
                    crate::docs::inline(media_type)
                ),
                Some("describe the parameter with `content: {application/json: …}` or a `schema`"),
            );
            return None;
        }
    }
    if json {
        let l = match schema {
            Some(s) => cx.schema(s, Side::Request, &format!("{method_name} {}", p.name)),
            None => schema::Lowered::plain(Ty::Json),
        };
        let capture = match location {
            ParamIn::Path => path_capture(cx, p, captures)?,
            _ => String::new(),
        };
        return Some(declared(
            t,
            p,
            field_names,
            location,
            capture,
            l.ty,
            Read::Json,
            l.checks,
        ));
    }
    let lists_ok = matches!(location, ParamIn::Query | ParamIn::Header | ParamIn::Path);
    let unsupported = |cx: &mut Ctx<'_>| {
        cx.error(
            p.used_at,
            format!(
                "parameter `{shown}`: in {}, only strings, numbers, booleans, string enums{}, and objects in `simple` style, are supported",
                location.as_str(),
                if lists_ok { " and arrays of them" } else { "" }
            ),
            Some("use a scalar schema, move the parameter into the query, or move structured input into the request body"),
        );
    };
    // `oneOf`/`anyOf` of scalars (and arrays of scalars): read as text, checked against each.
    let mut alternatives = Vec::new();
    if let Some(alts) = schema.and_then(|s| cx.param_alternatives(s)) {
        let alts = without_empty_objects(cx, p, location, alts);
        for (i, alt) in alts.into_iter().enumerate() {
            let l = cx.schema(
                alt,
                Side::Request,
                &format!("{method_name} {} {}", p.name, i + 1),
            );
            let ok = match &l.ty {
                ty if scalar_ok(cx, ty) => true,
                Ty::Vec(inner) => lists_ok && scalar_ok(cx, inner),
                _ => false,
            };
            if !ok && location == ParamIn::Query {
                // A union with structured alternatives: the whole schema, as brackets.
                let Some(s) = schema else {
                    unsupported(cx);
                    return None;
                };
                let l = cx.schema(s, Side::Request, &format!("{method_name} {}", p.name));
                return Some(structured_query_param(cx, p, l, true, field_names));
            }
            if !ok {
                unsupported(cx);
                return None;
            }
            alternatives.push(ParamAlt {
                ty: l.ty,
                checks: l.checks,
            });
        }
    }
    let l = match schema {
        _ if !alternatives.is_empty() => {
            let any_list = alternatives.iter().any(|a| matches!(a.ty, Ty::Vec(_)));
            // A plain string (or list of strings) alternative accepts every value.
            let text = if any_list {
                Ty::Vec(Box::new(Ty::String))
            } else {
                Ty::String
            };
            if alternatives
                .iter()
                .any(|a| a.ty == text && a.checks.is_empty())
            {
                alternatives.clear();
            }
            schema::Lowered {
                ty: text,
                checks: Default::default(),
                nullable: false,
            }
        }
        Some(s) => cx.schema(s, Side::Request, &format!("{method_name} {}", p.name)),
        None => schema::Lowered {
            ty: Ty::String,
            checks: Default::default(),
            nullable: false,
        },
    };
    // An object in query, `form` + `explode` (the defaults): one query key per property.
    let object = match &l.ty {
        Ty::Map(_) => true,
        Ty::Named(i) => cx.nominal_kinds.get(*i) == Some(&Nominal::Struct),
        _ => false,
    };
    if object && location == ParamIn::Query && explode && alternatives.is_empty() {
        return Some(structured_query_param(cx, p, l, false, field_names));
    }
    // An object in path or header, style `simple`: `k1,v1,k2,v2`, or `k1=v1,k2=v2` exploded.
    if object
        && matches!(location, ParamIn::Path | ParamIn::Header)
        && alternatives.is_empty()
        && delimiter == ','
    {
        let capture = match location {
            ParamIn::Path => path_capture(cx, p, captures)?,
            _ => String::new(),
        };
        cx.simple_objects
            .push((p.used_at, p.name.clone(), l.ty.clone()));
        return Some(declared(
            t,
            p,
            field_names,
            location,
            capture,
            l.ty,
            Read::SimpleObject { explode },
            l.checks,
        ));
    }
    let (scalar, read) = match &l.ty {
        ty if scalar_ok(cx, ty) => (ty.clone(), Read::Scalar),
        Ty::Vec(inner) if lists_ok && scalar_ok(cx, inner) => {
            ((**inner).clone(), Read::List { explode, delimiter })
        }
        // Anything else in query (a list of objects, a list of lists, a map of lists): OpenAPI
        // defines no serialization, so it is read as `deepObject` brackets
        // (`tags[0][key]=a&tags[0][value]=b`), the convention qs, Rails and Stripe use.
        // (Not an object with `explode: false`, `a=k,v`, nor `…Delimited`: those are
        // defined otherwise and not supported.)
        _ if location == ParamIn::Query
            && alternatives.is_empty()
            && (explode || !object)
            && delimiter == ',' =>
        {
            return Some(structured_query_param(cx, p, l, true, field_names));
        }
        _ if delimiter != ',' => {
            cx.error(
                p.used_at,
                format!(
                    "parameter `{shown}`: style `{}` is supported only for arrays of strings, numbers and booleans",
                    crate::docs::inline(style.unwrap_or_default())
                ),
                None,
            );
            return None;
        }
        _ => {
            unsupported(cx);
            return None;
        }
    };
    let capture = match location {
        ParamIn::Path => path_capture(cx, p, captures)?,
        _ => String::new(),
    };
    Some(Param {
        alternatives,
        ..declared(t, p, field_names, location, capture, scalar, read, l.checks)
    })
}

/// A parameter the path template names but `parameters` does not declare: a required string,
/// without bounds.
fn undeclared(field_names: &mut Namer, name: &str, location: ParamIn, capture: String) -> Param {
    Param {
        field: field_names.name(name, Case::Value, "param"),
        name: name.to_string(),
        location,
        capture,
        required: true,
        scalar: Ty::String,
        read: Read::Scalar,
        checks: Checks::default(),
        alternatives: Vec::new(),
        doc: vec![" Not declared in the contract: the text as sent.".to_string()],
    }
}

/// The route capture a path parameter is read from.
fn path_capture(
    cx: &mut Ctx<'_>,
    p: &view::Param,
    captures: &[(String, String)],
) -> Option<String> {
    match captures.iter().find(|(c, _)| *c == p.name) {
        Some((_, capture)) => Some(capture.clone()),
        None => {
            // No request can carry it: the operation is generated without it.
            cx.warn(
                p.used_at,
                format!(
                    "path parameter `{}` does not appear in the path template: no request can carry it, so it is left out",
                    crate::docs::inline(&p.name)
                ),
                Some("remove the parameter, or name it in the path"),
            );
            None
        }
    }
}

fn is_json(mt: &str) -> bool {
    let e = mt
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    e == "application/json" || e.ends_with("+json") || e == "application/*"
}

fn kind_of(mt: &str) -> Option<BodyKind> {
    let e = mt
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if is_json(&e) {
        Some(BodyKind::Json)
    } else if e.starts_with("text/") {
        Some(BodyKind::Text)
    } else if e == "application/x-www-form-urlencoded" {
        Some(BodyKind::Form)
    } else if e == "multipart/form-data" {
        Some(BodyKind::Multipart)
    } else if e.starts_with("multipart/") {
        None
    } else {
        Some(BodyKind::Bytes)
    }
}

/// The media type a response is generated for: JSON first, then text, then binary.
fn choose_media(cx: &Ctx<'_>, holder: NodeId) -> Option<(String, BodyKind, Option<NodeId>)> {
    let t = cx.t;
    let content = t.get(holder, "content").map(|c| cx.doc.resolve(c))?;
    let entries: Vec<(String, Option<NodeId>)> = t
        .members(content)
        .iter()
        .map(|m| (m.key.to_string(), t.get(m.value, "schema")))
        .collect();
    for want in [BodyKind::Json, BodyKind::Text, BodyKind::Bytes] {
        if let Some((mt, s)) = entries.iter().find(|(mt, _)| kind_of(mt) == Some(want)) {
            return Some((mt.clone(), want, *s));
        }
    }
    None
}

fn lower_body(
    cx: &mut Ctx<'_>,
    body: NodeId,
    op: NodeId,
    type_base: &str,
    settings: &Settings,
) -> Option<Body> {
    let t = cx.t;
    let content = t.get(body, "content").map(|c| cx.doc.resolve(c));
    let entries: Vec<(String, Option<NodeId>)> = content
        .map(|c| {
            t.members(c)
                .iter()
                .map(|m| {
                    (
                        m.key.to_string(),
                        t.get(m.value, "schema").map(|s| cx.doc.resolve(s)),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let mut chosen = None;
    for want in [
        BodyKind::Json,
        BodyKind::Form,
        BodyKind::Multipart,
        BodyKind::Text,
        BodyKind::Bytes,
    ] {
        if let Some(e) = entries.iter().find(|(mt, _)| kind_of(mt) == Some(want)) {
            chosen = Some((want, e.clone()));
            break;
        }
    }
    let Some((kind, (first_mt, schema))) = chosen else {
        if !entries.is_empty() {
            cx.error(
                body,
                format!(
                    "request body media types {} are not supported by the generator",
                    entries
                        .iter()
                        .map(|(m, _)| format!("`{}`", crate::docs::inline(m)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Some("accept `application/json`, `application/x-www-form-urlencoded` or `multipart/form-data`"),
            );
        }
        return None;
    };
    let mut media_types = Vec::new();
    for (mt, s) in &entries {
        let typed = matches!(kind, BodyKind::Json | BodyKind::Form | BodyKind::Multipart);
        if kind_of(mt) == Some(kind) && (*s == schema || !typed) {
            media_types.push(mt.clone());
        } else {
            cx.warn(
                body,
                format!(
                    "request body media type `{}` is not generated; requests with it get 415",
                    crate::docs::inline(mt)
                ),
                None,
            );
        }
    }
    if media_types.is_empty() {
        media_types.push(first_mt);
    }
    let ty = match kind {
        BodyKind::Json | BodyKind::Form | BodyKind::Multipart => match schema {
            Some(s) => cx
                .schema(s, Side::Request, &format!("{type_base} body"))
                .full_ty(),
            None => Ty::Json,
        },
        BodyKind::Text => Ty::String,
        BodyKind::Bytes => Ty::Bytes,
    };
    let limit = match t.get(op, "x-specguard-max-body-bytes") {
        None => settings.default_max_body_bytes,
        Some(n) => match t.number(n) {
            Some(v) if v >= 1.0 && v.fract() == 0.0 && v <= u32::MAX as f64 => v as u64,
            _ => {
                cx.error(
                    n,
                    "`x-specguard-max-body-bytes` must be a positive integer (bytes)",
                    None,
                );
                settings.default_max_body_bytes
            }
        },
    };
    Some(Body {
        kind,
        ty,
        required: t.get_bool(body, "required").unwrap_or(false),
        media_types,
        limit,
    })
}

/// Whether two operations split the same captures by the same texts.
fn same_templates(a: &[SegmentSplit], b: &[SegmentSplit]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(x, y)| x.capture == y.capture && x.literals == y.literals)
}

/// The pairs of a query string written into a path key: `key={name}` pairs as (key, name),
/// `key=value` pairs as (key, value); `None` when a pair is anything else (a bare name, a
/// templated key).
#[allow(clippy::type_complexity)]
fn query_template(query: &str) -> Option<(Vec<(String, String)>, Vec<(String, String)>)> {
    let ok = |s: &str| !s.is_empty() && !s.contains(['{', '}', '=', '?', '/', '&']);
    let (mut vars, mut fixed) = (Vec::new(), Vec::new());
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=')?;
        if !ok(key) {
            return None;
        }
        match value.strip_prefix('{').and_then(|v| v.strip_suffix('}')) {
            Some(name) if ok(name) => vars.push((key.to_string(), name.to_string())),
            Some(_) => return None,
            None if !value.contains(['{', '}']) => fixed.push((key.to_string(), value.to_string())),
            None => return None,
        }
    }
    Some((vars, fixed))
}

/// A path segment template: (literals, parameter names), `literals.len() == names.len() + 1`,
/// with non-empty text between two parameters. `None` when it is not a valid template.
/// The only value a parameter's schema allows (`enum` with one string), when it can be path
/// text.
fn one_value(t: &Tree, schema: Option<NodeId>) -> Option<String> {
    let e = t.get(schema?, "enum")?;
    match t.items(e) {
        [one] => t
            .str(*one)
            .filter(|v| !v.is_empty() && !v.contains(['{', '}', '/', '?']))
            .map(str::to_string),
        _ => None,
    }
}

fn parse_segment(seg: &str) -> Option<(Vec<String>, Vec<String>)> {
    let mut literals = vec![String::new()];
    let mut names = Vec::new();
    let mut rest = seg;
    while let Some(open) = rest.find('{') {
        let (text, after) = rest.split_at(open);
        if text.contains('}') {
            return None;
        }
        literals.last_mut()?.push_str(text);
        let close = after.find('}')?;
        let name = after.get(1..close)?;
        if name.is_empty() || name.contains('{') {
            return None;
        }
        names.push(name.to_string());
        literals.push(String::new());
        rest = after.get(close + 1..)?;
    }
    if rest.contains('}') {
        return None;
    }
    literals.last_mut()?.push_str(rest);
    let inner = literals
        .get(1..literals.len().saturating_sub(1))
        .unwrap_or(&[]);
    if inner.iter().any(String::is_empty) {
        return None;
    }
    Some((literals, names))
}

/// (fixed status, range class, raw variant name)
fn parse_status(code: &str) -> Option<(Option<u16>, Option<u16>, String)> {
    if code == "default" {
        return Some((None, None, "default".into()));
    }
    let b = code.as_bytes();
    if b.len() == 3 && (b'1'..=b'5').contains(&b[0]) && b[1..].eq_ignore_ascii_case(b"xx") {
        let class = u16::from(b[0] - b'0');
        return Some((None, Some(class), format!("status {class}xx")));
    }
    let n: u16 = code.parse().ok().filter(|n| (100..=599).contains(n))?;
    if code.len() != 3 {
        return None;
    }
    let raw = reason(n)
        .map(str::to_string)
        .unwrap_or_else(|| format!("status {n}"));
    Some((Some(n), None, raw))
}

fn reason(n: u16) -> Option<&'static str> {
    Some(match n {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "Ok",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "Uri Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "Im A Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "Http Version Not Supported",
        _ => return None,
    })
}

/// The resource an id parameter designates: `petId` → `pet`; a bare `id` takes the previous
/// path segment (`/pets/{id}` → `pets`).
fn resource_name(param: &str, segments: &[&str]) -> String {
    let mut ws = specguard_spec::sensitive::words(param).to_vec();
    ws.pop();
    if !ws.is_empty() {
        return ws.join("_");
    }
    let at = segments
        .iter()
        .position(|s| s.trim_start_matches('{').trim_end_matches('}') == param);
    let prev = at.and_then(|i| segments[..i].iter().rev().find(|s| !s.starts_with('{')));
    let base = prev
        .map(|s| crate::naming::base(s, Case::Value, ""))
        .unwrap_or_default();
    if base.is_empty() {
        "object".to_string()
    } else {
        base
    }
}

/// A type shared by both sides was defined once, from the side that reached it first: mark
/// every type a request (response) type contains as a request (response) type too, so that
/// each derives exactly the serde traits it needs.
fn propagate_sides(types: &mut [TypeDef]) {
    use crate::ir::TypeKind;
    fn named(ty: &Ty, out: &mut Vec<usize>) {
        match ty {
            Ty::Named(i) => out.push(*i),
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => named(t, out),
            _ => {}
        }
    }
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            match &t.kind {
                TypeKind::Struct {
                    fields, additional, ..
                } => {
                    for f in fields {
                        named(&f.ty, &mut out);
                    }
                    if let Some(a) = additional {
                        named(&a.1, &mut out);
                    }
                }
                TypeKind::OneOf { variants, .. } => {
                    for v in variants {
                        named(&v.ty, &mut out);
                    }
                }
                TypeKind::StringEnum { .. } => {}
            }
            out
        })
        .collect();
    for request in [true, false] {
        let side = |t: &TypeDef| if request { t.request } else { t.response };
        let mut stack: Vec<usize> = (0..types.len())
            .filter(|&i| types.get(i).is_some_and(side))
            .collect();
        while let Some(i) = stack.pop() {
            for &j in edges.get(i).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some(t) = types.get_mut(j)
                    && !side(t)
                {
                    if request {
                        t.request = true;
                    } else {
                        t.response = true;
                    }
                    stack.push(j);
                }
            }
        }
    }
}

/// Per type: whether validating a value of it checks anything (a bound of a field, variant or
/// additional property, or a contained type that checks something), to a fixpoint.
fn checked_types(types: &[TypeDef]) -> Vec<bool> {
    use crate::ir::TypeKind;
    fn refs(ty: &Ty, out: &mut Vec<usize>) {
        match ty {
            Ty::Named(i) => out.push(*i),
            Ty::Vec(t) | Ty::Map(t) | Ty::Option(t) | Ty::Boxed(t) => refs(t, out),
            _ => {}
        }
    }
    // (own bounds, contained types)
    let parts: Vec<(bool, Vec<usize>)> = types
        .iter()
        .map(|t| {
            let mut own = false;
            let mut out = Vec::new();
            match &t.kind {
                TypeKind::Struct {
                    fields, additional, ..
                } => {
                    for f in fields {
                        own |= !f.checks.is_empty();
                        refs(&f.ty, &mut out);
                    }
                    if let Some(a) = additional {
                        own |= !a.2.is_empty();
                        refs(&a.1, &mut out);
                    }
                }
                TypeKind::OneOf { variants, .. } => {
                    for v in variants {
                        own |= !v.checks.is_empty();
                        refs(&v.ty, &mut out);
                    }
                }
                // Enums are checked by their type.
                TypeKind::StringEnum { .. } => {}
            }
            (own, out)
        })
        .collect();
    let mut checked: Vec<bool> = parts.iter().map(|(own, _)| *own).collect();
    let mut changed = true;
    while changed {
        changed = false;
        for (i, (_, rs)) in parts.iter().enumerate() {
            if !checked[i] && rs.iter().any(|&j| checked.get(j).copied().unwrap_or(false)) {
                checked[i] = true;
                changed = true;
            }
        }
    }
    checked
}

/// Box named-type references that close a cycle of direct containment (Vec and map values are
/// already indirect).
fn box_recursion(types: &mut [TypeDef]) {
    use crate::ir::TypeKind;
    fn direct(ty: &Ty) -> Option<usize> {
        match ty {
            Ty::Named(i) => Some(*i),
            Ty::Option(inner) => direct(inner),
            _ => None,
        }
    }
    fn boxed(ty: &Ty) -> Ty {
        match ty {
            Ty::Named(i) => Ty::Boxed(Box::new(Ty::Named(*i))),
            Ty::Option(inner) => Ty::Option(Box::new(boxed(inner))),
            other => other.clone(),
        }
    }
    let n = types.len();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| match &t.kind {
            TypeKind::Struct { fields, .. } => {
                fields.iter().filter_map(|f| direct(&f.ty)).collect()
            }
            TypeKind::OneOf { variants, .. } => {
                variants.iter().filter_map(|v| direct(&v.ty)).collect()
            }
            TypeKind::StringEnum { .. } => Vec::new(),
        })
        .collect();
    let comp = scc(n, &edges);
    for (i, t) in types.iter_mut().enumerate() {
        let same = |ty: &Ty| direct(ty).is_some_and(|j| comp[j] == comp[i]);
        match &mut t.kind {
            TypeKind::Struct { fields, .. } => {
                for f in fields.iter_mut() {
                    if same(&f.ty) {
                        f.ty = boxed(&f.ty);
                    }
                }
            }
            TypeKind::OneOf { variants, .. } => {
                for v in variants.iter_mut() {
                    if same(&v.ty) {
                        v.ty = boxed(&v.ty);
                    }
                }
            }
            TypeKind::StringEnum { .. } => {}
        }
    }
}

/// Strongly connected components (iterative Kosaraju): component id per node.
fn scc(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    let mut order = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for s in 0..n {
        if visited[s] {
            continue;
        }
        let mut stack = vec![(s, 0usize)];
        visited[s] = true;
        while let Some((v, i)) = stack.pop() {
            if let Some(&w) = edges[v].get(i) {
                stack.push((v, i + 1));
                if w < n && !visited[w] {
                    visited[w] = true;
                    stack.push((w, 0));
                }
            } else {
                order.push(v);
            }
        }
    }
    let mut rev = vec![Vec::new(); n];
    for (v, es) in edges.iter().enumerate() {
        for &w in es {
            if w < n {
                rev[w].push(v);
            }
        }
    }
    let mut comp = vec![usize::MAX; n];
    let mut c = 0;
    for &s in order.iter().rev() {
        if comp[s] != usize::MAX {
            continue;
        }
        let mut stack = vec![s];
        comp[s] = c;
        while let Some(v) = stack.pop() {
            for &w in &rev[v] {
                if comp[w] == usize::MAX {
                    comp[w] = c;
                    stack.push(w);
                }
            }
        }
        c += 1;
    }
    comp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses() {
        assert_eq!(parse_status("200"), Some((Some(200), None, "Ok".into())));
        assert_eq!(
            parse_status("4XX"),
            Some((None, Some(4), "status 4xx".into()))
        );
        assert_eq!(parse_status("default").map(|s| s.2), Some("default".into()));
        assert_eq!(parse_status("600"), None);
        assert_eq!(parse_status("+20"), None);
    }

    #[test]
    fn segments() {
        let s = |t: &str| parse_segment(t);
        assert_eq!(
            s("{base}...{head}"),
            Some((
                vec!["".into(), "...".into(), "".into()],
                vec!["base".into(), "head".into()]
            ))
        );
        assert_eq!(
            s("v{n}.json"),
            Some((vec!["v".into(), ".json".into()], vec!["n".into()]))
        );
        assert_eq!(s("{a}{b}"), None, "adjacent parameters cannot be split");
        assert_eq!(s("{a"), None);
        assert_eq!(s("a}"), None);
        assert_eq!(s("{}"), None);
        assert_eq!(s("{{a}}"), None);
    }

    #[test]
    fn resources() {
        assert_eq!(resource_name("petId", &["pets", "{petId}"]), "pet");
        assert_eq!(resource_name("id", &["users", "{id}"]), "users");
        assert_eq!(resource_name("id", &["{id}"]), "object");
        assert_eq!(resource_name("order_number", &[]), "order");
    }

    #[test]
    fn cycles() {
        let c = scc(4, &[vec![1], vec![0], vec![2], vec![]]);
        assert_eq!(c[0], c[1]);
        assert_ne!(c[0], c[2]);
        assert_ne!(c[2], c[3]);
    }
}
