//! Schemas → Rust types.
//!
//! Objects with properties, string enums and `oneOf`/`anyOf` become named types; everything else
//! (primitives, arrays, maps) is written inline with its bounds. A schema whose request and
//! response shapes differ (readOnly / writeOnly properties, free-form objects, transitively) is
//! generated twice: `Name` for responses and `NameInput` for requests, when used on both sides.

use super::Ctx;
use crate::ir::{Checks, Field, Format, Presence, Ty, TypeDef, TypeKind, Variant};
use crate::naming::Case;
use specguard_spec::sensitive::Category;
use specguard_spec::tree::{NodeId, Value};
use std::collections::HashSet;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    Request,
    Response,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nominal {
    Struct,
    Enum,
    OneOf,
}

/// A lowered schema: its type (without the `Option` of nullability) and bounds.
#[derive(Clone, Debug)]
pub struct Lowered {
    pub ty: Ty,
    pub checks: Checks,
    pub nullable: bool,
}

impl Lowered {
    pub(super) fn plain(ty: Ty) -> Lowered {
        Lowered {
            ty,
            checks: Checks::default(),
            nullable: false,
        }
    }
    /// The type with nullability as an `Option`.
    pub fn full_ty(&self) -> Ty {
        if self.nullable {
            self.ty.clone().option()
        } else {
            self.ty.clone()
        }
    }
}

/// A schema with its `allOf` members merged: members first, the schema itself last.
pub struct View {
    parts: Vec<NodeId>,
}

const MAX_ALLOF_DEPTH: usize = 32;

impl Ctx<'_> {
    pub fn view(&self, node: NodeId) -> View {
        let mut parts = Vec::new();
        let mut seen = HashSet::new();
        self.flatten(node, 0, &mut seen, &mut parts);
        View { parts }
    }

    fn flatten(&self, n: NodeId, depth: usize, seen: &mut HashSet<NodeId>, out: &mut Vec<NodeId>) {
        if depth > MAX_ALLOF_DEPTH || !seen.insert(n) {
            return;
        }
        if let Some(all) = self.t.get(n, "allOf") {
            for &m in self.t.items(all) {
                let m = self.doc.resolve(m);
                self.flatten(m, depth + 1, seen, out);
            }
        }
        out.push(n);
    }

    /// The last part's value for `key`.
    pub fn vget(&self, v: &View, key: &str) -> Option<NodeId> {
        v.parts.iter().rev().find_map(|&p| self.t.get(p, key))
    }

    fn vnum(&self, v: &View, key: &str) -> Option<f64> {
        self.vget(v, key)
            .and_then(|n| self.t.number(n))
            .filter(|f| f.is_finite())
    }

    fn vcount(&self, v: &View, key: &str) -> Option<u64> {
        self.vnum(v, key).filter(|f| *f >= 0.0).map(|f| f as u64)
    }

    /// Properties of all parts (later parts replace earlier ones in place).
    /// The one string a schema allows (`const: x`, or `enum: [x]`).
    fn fixed_string(&self, schema: NodeId) -> Option<String> {
        let v = self.view(self.doc.resolve(schema));
        if let Some(c) = self.vget(&v, "const") {
            return self.t.str(c).map(str::to_string);
        }
        match self.vget(&v, "enum").map(|e| self.t.items(e)) {
            Some([only]) => self.t.str(*only).map(str::to_string),
            _ => None,
        }
    }

    pub fn props(&self, v: &View) -> Vec<(String, NodeId)> {
        let mut out: Vec<(String, NodeId)> = Vec::new();
        for &p in &v.parts {
            if let Some(props) = self.t.get(p, "properties").map(|x| self.doc.resolve(x)) {
                for m in self.t.members(props) {
                    match out.iter_mut().find(|(k, _)| **k == *m.key) {
                        Some(e) => e.1 = m.value,
                        None => out.push((m.key.to_string(), m.value)),
                    }
                }
            }
        }
        out
    }

    fn required(&self, v: &View) -> HashSet<String> {
        let mut out = HashSet::new();
        for &p in &v.parts {
            if let Some(r) = self.t.get(p, "required") {
                for &i in self.t.items(r) {
                    if let Some(s) = self.t.str(i) {
                        out.insert(s.to_string());
                    }
                }
            }
        }
        out
    }

    /// The `type` keyword: names (without "null") and whether "null" is among them.
    fn types(&self, v: &View) -> (Vec<String>, bool) {
        let Some(n) = self.vget(v, "type") else {
            return (Vec::new(), false);
        };
        let mut names = Vec::new();
        let mut null = false;
        let mut add = |s: &str| {
            if s == "null" {
                null = true;
            } else if !names.iter().any(|x| x == s) {
                names.push(s.to_string());
            }
        };
        match self.t.value(n) {
            Value::String(s) => add(s),
            Value::Array(items) => {
                for &i in items {
                    if let Some(s) = self.t.str(i) {
                        add(s);
                    }
                }
            }
            _ => {}
        }
        (names, null)
    }

    fn is_nullable(&self, v: &View) -> bool {
        let (_, null) = self.types(v);
        null || v
            .parts
            .iter()
            .any(|&p| self.t.get_bool(p, "nullable") == Some(true))
            || self.vget(v, "enum").is_some_and(|e| {
                self.t
                    .items(e)
                    .iter()
                    .any(|&i| matches!(self.t.value(i), Value::Null))
            })
    }

    /// `{type: null}` and the like: an alternative that only allows `null`.
    fn is_null_schema(&self, n: NodeId) -> bool {
        let n = self.doc.resolve(n);
        let v = self.view(n);
        let (names, null) = self.types(&v);
        (null && names.is_empty())
            || self.vget(&v, "enum").is_some_and(|e| {
                let items = self.t.items(e);
                !items.is_empty()
                    && items
                        .iter()
                        .all(|&i| matches!(self.t.value(i), Value::Null))
            })
    }

    fn alternatives(&self, v: &View) -> Option<(NodeId, Vec<NodeId>, bool)> {
        let list = self.vget(v, "oneOf").or_else(|| self.vget(v, "anyOf"))?;
        let all = self.t.items(list);
        let non_null: Vec<NodeId> = all
            .iter()
            .copied()
            .filter(|&a| !self.is_null_schema(a))
            .collect();
        let had_null = non_null.len() < all.len();
        Some((list, non_null, had_null))
    }

    fn string_enum_values(&self, v: &View) -> Option<Vec<String>> {
        let e = self.vget(v, "enum")?;
        let (names, _) = self.types(v);
        if !(names.is_empty() || names == ["string"]) {
            return None;
        }
        let mut out: Vec<String> = Vec::new();
        for &i in self.t.items(e) {
            match self.t.value(i) {
                Value::Null => {}
                Value::String(s) => {
                    if !out.iter().any(|x| **x == **s) {
                        out.push(s.to_string());
                    }
                }
                _ => return None,
            }
        }
        (!out.is_empty()).then_some(out)
    }

    fn additional(&self, v: &View) -> Additional {
        match self.vget(v, "additionalProperties") {
            None => Additional::Absent,
            Some(n) => {
                let r = self.doc.resolve(n);
                match self.t.value(r) {
                    Value::Bool(false) => Additional::Forbidden,
                    Value::Bool(true) => Additional::Any,
                    Value::Object(m) if m.is_empty() => Additional::Any,
                    Value::Object(_) => Additional::Schema(n),
                    _ => Additional::Absent,
                }
            }
        }
    }

    pub fn nominal(&self, v: &View) -> Option<Nominal> {
        if self.vget(v, "enum").is_some() {
            return self.string_enum_values(v).map(|_| Nominal::Enum);
        }
        if !self.props(v).is_empty() {
            return Some(Nominal::Struct);
        }
        if let Some((_, non_null, _)) = self.alternatives(v)
            && non_null.len() >= 2
        {
            return Some(Nominal::OneOf);
        }
        let (names, _) = self.types(v);
        if names == ["object"] && matches!(self.additional(v), Additional::Forbidden) {
            return Some(Nominal::Struct);
        }
        None
    }

    /// The component name of a schema reached by `$ref` (`Pet` for `#/components/schemas/Pet`).
    pub fn component_name(&self, target: NodeId) -> Option<String> {
        let parent = self.t.node(target).parent().map(|(p, _)| p);
        match parent.and_then(|p| self.t.key_of(p)) {
            Some("schemas" | "$defs" | "definitions") => self.t.key_of(target).map(str::to_string),
            _ => None,
        }
        .or_else(|| {
            // The root of a referenced file.
            let f = self.t.node(target).file;
            (self.t.root(f) == Some(target) && f != self.doc.root_file)
                .then(|| {
                    self.t
                        .file(f)
                        .path
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                })
                .flatten()
        })
    }

    /// Whether request and response types of this schema differ (transitively).
    fn side_sensitive(&mut self, root: NodeId) -> bool {
        if let Some(&b) = self.sensitive_memo.get(&root) {
            return b;
        }
        let mut seen = HashSet::new();
        let mut stack = vec![root];
        let mut found = false;
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                continue;
            }
            if let Some(&b) = self.sensitive_memo.get(&n) {
                if b {
                    found = true;
                    break;
                }
                continue;
            }
            if self.locally_side_sensitive(n) {
                found = true;
                break;
            }
            stack.extend(specguard_spec::view::subschemas(self.doc, n));
        }
        self.sensitive_memo.insert(root, found);
        found
    }

    fn locally_side_sensitive(&self, n: NodeId) -> bool {
        if let Some(props) = self.t.get(n, "properties").map(|p| self.doc.resolve(p)) {
            for m in self.t.members(props) {
                let r = self.doc.resolve(m.value);
                for node in [m.value, r] {
                    if self.t.get_bool(node, "readOnly") == Some(true)
                        || self.t.get_bool(node, "writeOnly") == Some(true)
                    {
                        return true;
                    }
                }
            }
        }
        // Free-form objects differ too: a plain map in requests, an allowlisted one in responses.
        let v = View { parts: vec![n] };
        let (names, _) = self.types(&v);
        let has_props = !self.props(&v).is_empty();
        match self.additional(&v) {
            Additional::Any => true,
            Additional::Absent => names == ["object"] && !has_props,
            _ => false,
        }
    }

    /// The non-null alternatives of a `oneOf`/`anyOf` schema without properties, when there
    /// are two or more (a parameter schema that admits several shapes).
    pub fn param_alternatives(&self, node: NodeId) -> Option<Vec<NodeId>> {
        let v = self.view(self.doc.resolve(node));
        if !self.props(&v).is_empty() {
            return None;
        }
        let (_, non_null, _) = self.alternatives(&v)?;
        (non_null.len() >= 2).then_some(non_null)
    }

    /// Lower the schema at `node` (a `$ref` or a Schema Object).
    pub fn schema(&mut self, node: NodeId, side: Side, hint: &str) -> Lowered {
        let target = self.doc.resolve(node);
        let name_base = self
            .component_name(target)
            .unwrap_or_else(|| hint.to_string());
        match self.t.value(target) {
            Value::Object(_) => {}
            Value::Bool(false) => {
                self.warn(
                    target,
                    "the schema `false` allows no value; it is generated as any JSON value",
                    None,
                );
                return Lowered::plain(Ty::Json);
            }
            _ => return Lowered::plain(Ty::Json),
        }
        // `allOf: [$ref]` with nothing else but annotations is the 3.0 way of writing a `$ref`
        // with siblings: the same type as its one member.
        if let Some(all) = self.t.get(target, "allOf")
            && let [only] = self.t.items(all)
            && self.t.members(target).iter().all(|m| {
                matches!(
                    &*m.key,
                    "allOf"
                        | "description"
                        | "title"
                        | "nullable"
                        | "example"
                        | "examples"
                        | "deprecated"
                        | "readOnly"
                        | "writeOnly"
                        | "default"
                        | "externalDocs"
                ) || m.key.starts_with("x-")
            })
            && !self.inline_stack.contains(&target)
        {
            let nullable = self.t.get_bool(target, "nullable") == Some(true);
            self.inline_stack.push(target);
            let mut l = self.schema(*only, side, hint);
            self.inline_stack.pop();
            l.nullable |= nullable;
            return l;
        }
        let v = self.view(target);
        let nullable = self.is_nullable(&v);
        if let Some(kind) = self.nominal(&v) {
            let id = self.named(target, side, &name_base, kind);
            // `oneOf: [A, B, {type: "null"}]` (3.1): null is one of the alternatives.
            let null_alternative = kind == Nominal::OneOf
                && self
                    .alternatives(&v)
                    .is_some_and(|(_, _, had_null)| had_null);
            return Lowered {
                ty: Ty::Named(id),
                checks: Checks::default(),
                nullable: nullable || null_alternative,
            };
        }
        if self.inline_stack.contains(&target) {
            self.warn(
                target,
                "this schema contains itself without an object in between; the inner occurrence is generated as any JSON value",
                Some("wrap the recursion in an object with properties"),
            );
            return Lowered::plain(Ty::Json);
        }
        self.inline_stack.push(target);
        let mut l = self.inline(&v, side, &name_base);
        self.inline_stack.pop();
        l.nullable |= nullable;
        l
    }

    fn named(&mut self, target: NodeId, side: Side, name_base: &str, kind: Nominal) -> usize {
        let split = kind != Nominal::Enum && self.side_sensitive(target);
        let key = (target, split.then_some(side));
        if let Some(&id) = self.by_key.get(&key) {
            if let Some(t) = self.types.get_mut(id) {
                match side {
                    Side::Request => t.request = true,
                    Side::Response => t.response = true,
                }
            }
            return id;
        }
        let sides = self.schema_sides.get(&target).copied().unwrap_or_default();
        let base = if split && side == Side::Request && sides.response {
            format!("{name_base} Input")
        } else {
            name_base.to_string()
        };
        let name = self.type_names.name(&base, Case::Type, "Type");
        let id = self.types.len();
        self.types.push(TypeDef {
            name,
            doc: Vec::new(),
            kind: TypeKind::Struct {
                fields: Vec::new(),
                deny_unknown: true,
                additional: None,
            },
            request: side == Side::Request,
            response: side == Side::Response,
        });
        self.nominal_kinds.push(kind);
        self.by_key.insert(key, id);
        self.queue.push_back((target, side, id, kind, split));
        id
    }

    /// Define every queued named type (iteratively: reference chains do not grow the stack).
    pub fn drain(&mut self) {
        while let Some((target, side, id, kind, split)) = self.queue.pop_front() {
            let mut doc = Vec::new();
            if let Some(d) = self.t.get_str(target, "description") {
                doc = crate::docs::block(d);
            }
            if split {
                doc.push(
                    match side {
                        Side::Request => " Request form: readOnly properties are not accepted.",
                        Side::Response => " Response form: writeOnly properties are never sent.",
                    }
                    .to_string(),
                );
            }
            let kind = match kind {
                Nominal::Struct => self.define_struct(target, side, id, split),
                Nominal::Enum => self.define_enum(target),
                Nominal::OneOf => self.define_one_of(target, side, id),
            };
            if let Some(t) = self.types.get_mut(id) {
                t.doc = doc;
                t.kind = kind;
            }
        }
    }

    fn define_struct(&mut self, target: NodeId, side: Side, id: usize, split: bool) -> TypeKind {
        let v = self.view(target);
        let type_name = self.types[id].name.clone();
        let required = self.required(&v);
        let sides = self.schema_sides.get(&target).copied().unwrap_or_default();
        let shown_in_responses = side == Side::Response || (!split && sides.response);
        let mut names = crate::naming::Namer::new();
        let mut fields = Vec::new();
        for (wire, pnode) in self.props(&v) {
            self.known_names.insert(wire.clone());
            let resolved = self.doc.resolve(pnode);
            let flag = |k: &str| {
                self.t.get_bool(pnode, k) == Some(true)
                    || self.t.get_bool(resolved, k) == Some(true)
            };
            let (read_only, write_only) = (flag("readOnly"), flag("writeOnly"));
            if (side == Side::Request && split && read_only)
                || (side == Side::Response && split && write_only)
            {
                continue;
            }
            let l = self.schema(pnode, side, &format!("{type_name} {wire}"));
            let presence = match (required.contains(&wire), l.nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::OptionalNullable,
            };
            let ty = match presence {
                Presence::Required => l.ty.clone(),
                Presence::RequiredNullable | Presence::Optional => l.ty.clone().option(),
                Presence::OptionalNullable => l.ty.clone().option().option(),
            };
            let mut doc = Vec::new();
            let description = self
                .t
                .get_str(pnode, "description")
                .or_else(|| self.t.get_str(resolved, "description"));
            if let Some(d) = description {
                doc.extend(crate::docs::block(d));
            }
            if read_only {
                doc.push(" readOnly: set by the server, never accepted in requests.".into());
            }
            if write_only {
                doc.push(" writeOnly: accepted in requests, never sent in responses.".into());
            }
            if let Some(d) = self.t.get(resolved, "default") {
                let text = self.t.to_json(d).to_string();
                doc.push(format!(" Default: {}", crate::docs::inline(&text)));
            }
            if shown_in_responses
                && !matches!(l.ty, Ty::Bool | Ty::I32 | Ty::I64 | Ty::F64)
                && let Some(cat) = self.words.classify(&wire)
            {
                doc.push(String::new());
                doc.push(match cat {
                    Category::Secret => format!(
                        " ⚠ specguard: `{}` looks like a secret (a credential) and is sent in responses. Remove it from the response schema or mark it `writeOnly`.",
                        crate::docs::inline(&wire)
                    ),
                    Category::Personal => format!(
                        " ⚠ specguard: `{}` looks like personal data and is sent in responses. Send it only to clients that need it.",
                        crate::docs::inline(&wire)
                    ),
                });
            }
            fields.push(Field {
                name: names.name(&wire, Case::Value, "field"),
                wire,
                ty,
                presence,
                checks: l.checks,
                doc,
            });
        }
        let (additional, deny_unknown) = match self.additional(&v) {
            Additional::Absent | Additional::Forbidden => (None, true),
            Additional::Any => {
                let ty = match side {
                    Side::Request => Ty::Map(Box::new(Ty::Json)),
                    Side::Response => Ty::Allowlisted,
                };
                (
                    Some(Box::new((
                        names.name("additional_properties", Case::Value, "additional"),
                        ty,
                        self.map_checks(&v, None),
                    ))),
                    false,
                )
            }
            Additional::Schema(n) => {
                let l = self.schema(n, side, &format!("{type_name} value"));
                let checks = self.map_checks(&v, Some(&l.checks));
                (
                    Some(Box::new((
                        names.name("additional_properties", Case::Value, "additional"),
                        Ty::Map(Box::new(l.full_ty())),
                        checks,
                    ))),
                    false,
                )
            }
        };
        TypeKind::Struct {
            fields,
            deny_unknown,
            additional,
        }
    }

    fn map_checks(&self, v: &View, values: Option<&Checks>) -> Checks {
        Checks {
            min_props: self.vcount(v, "minProperties"),
            max_props: self.vcount(v, "maxProperties"),
            values: values
                .filter(|c| !c.is_empty())
                .map(|c| Box::new(c.clone())),
            ..Checks::default()
        }
    }

    fn define_enum(&mut self, target: NodeId) -> TypeKind {
        let v = self.view(target);
        let values = self.string_enum_values(&v).unwrap_or_default();
        let mut names = crate::naming::Namer::new();
        TypeKind::StringEnum {
            variants: values
                .into_iter()
                .map(|val| {
                    let fallback = if val.is_empty() { "Empty" } else { "Value" };
                    (names.name(&val, Case::Type, fallback), val)
                })
                .collect(),
        }
    }

    fn define_one_of(&mut self, target: NodeId, side: Side, id: usize) -> TypeKind {
        let v = self.view(target);
        let type_name = self.types[id].name.clone();
        let Some((_, alts, _)) = self.alternatives(&v) else {
            return TypeKind::OneOf {
                variants: Vec::new(),
                discriminator: None,
            };
        };
        let disc = self.vget(&v, "discriminator");
        let mut prop = disc
            .and_then(|d| self.t.get_str(d, "propertyName"))
            .map(str::to_string);
        // A discriminator is a hint (OpenAPI 3.x): when an alternative cannot carry the tag
        // property (an array, a string …), dispatch on the tag is impossible. The alternatives
        // are then tried in order (untagged), each still checked against its own schema.
        if let (Some(p), Some(d)) = (&prop, disc)
            && alts.iter().any(|&alt| {
                let av = self.view(self.doc.resolve(alt));
                self.nominal(&av) != Some(Nominal::Struct)
            })
        {
            self.warn(
                d,
                format!(
                    "`{}`: the discriminator `{}` is ignored because an alternative is not an object; the alternatives are tried in order instead",
                    crate::docs::inline(&type_name),
                    crate::docs::inline(p)
                ),
                Some("make every alternative an object with the discriminator property, or remove the discriminator"),
            );
            prop = None;
        }
        let disc = if prop.is_some() { disc } else { None };
        // (value, the name it points at, the reference as written)
        let mapping: Vec<(String, String, String)> = disc
            .and_then(|d| self.t.get(d, "mapping"))
            .map(|m| {
                self.t
                    .members(m)
                    .iter()
                    .filter_map(|x| {
                        let target = self.t.str(x.value)?;
                        let name = target.rsplit('/').next().unwrap_or(target);
                        // `./Beverage.yaml`: a whole file, named like `component_name` names it.
                        let name = if target.contains('#') {
                            name
                        } else {
                            [".yaml", ".yml", ".json"]
                                .iter()
                                .find_map(|ext| name.strip_suffix(ext))
                                .unwrap_or(name)
                        };
                        let name = name.replace("~1", "/").replace("~0", "~");
                        Some((x.key.to_string(), name, target.to_string()))
                    })
                    .collect()
            })
            .unwrap_or_default();
        if prop.is_some() {
            self.known_names.insert(prop.clone().unwrap_or_default());
        }
        let mut names = crate::naming::Namer::new();
        let mut variants = Vec::new();
        // The first inline alternative that has no discriminator value.
        let mut untagged = None;
        for (i, alt) in alts.iter().copied().enumerate() {
            let resolved = self.doc.resolve(alt);
            let comp = self.component_name(resolved);
            let raw = comp.clone().unwrap_or_else(|| {
                let av = self.view(resolved);
                match self.types(&av).0.first().map(String::as_str) {
                    Some("string") => "String".into(),
                    Some("integer") => "Integer".into(),
                    Some("number") => "Number".into(),
                    Some("boolean") => "Boolean".into(),
                    Some("array") => "Array".into(),
                    Some("object") => "Object".into(),
                    _ => format!("Variant{}", i + 1),
                }
            });
            let l = self.schema(alt, side, &format!("{type_name} {raw}"));
            let mut tags = Vec::new();
            let mut strip_tag = false;
            if let Some(p) = &prop {
                // By the name the mapping points at, or by the very reference the alternative
                // writes (`models/domain_record_types.yml#/domain_record_a`: DigitalOcean).
                let written = self.t.get_str(alt, "$ref");
                tags = mapping
                    .iter()
                    .filter(|(_, n, r)| Some(n) == comp.as_ref() || Some(r.as_str()) == written)
                    .map(|(k, _, _)| k.clone())
                    .collect();
                if tags.is_empty()
                    && let Some(c) = &comp
                {
                    tags.push(c.clone());
                }
                // An inline alternative that fixes the property (`const: server_vad`, or a
                // one-value `enum`) says its own value.
                if tags.is_empty() {
                    let av = self.view(resolved);
                    if let Some(fixed) = self
                        .props(&av)
                        .iter()
                        .find(|(k, _)| k == p)
                        .and_then(|(_, node)| self.fixed_string(*node))
                    {
                        tags.push(fixed);
                    }
                }
                if tags.is_empty() && untagged.is_none() {
                    untagged = Some(alt);
                }
                let av = self.view(resolved);
                match self.nominal(&av) {
                    Some(Nominal::Struct) => {
                        strip_tag = !self.props(&av).iter().any(|(k, _)| k == p);
                    }
                    _ => self.error(
                        alt,
                        "a discriminated alternative must be an object with properties".to_string(),
                        Some("remove the discriminator or make every alternative an object"),
                    ),
                }
            }
            variants.push(Variant {
                name: names.name(&raw, Case::Type, "Variant"),
                ty: l.full_ty(),
                checks: l.checks,
                tags,
                strip_tag,
            });
        }
        // The discriminator cannot select an alternative it has no value for (OpenAPI's implicit
        // mapping uses component names, which inline schemas lack): the alternatives are told
        // apart by their shape instead, as without a discriminator.
        let prop = match untagged {
            Some(alt) => {
                self.warn(
                    alt,
                    format!(
                        "`{}` has a discriminator but this inline alternative has no discriminator value: the discriminator is ignored and the alternatives are matched by their shape",
                        crate::docs::inline(&type_name)
                    ),
                    Some("move the alternative to components/schemas, add a `mapping` entry for it, or fix its discriminator property with `const`"),
                );
                for v in &mut variants {
                    v.tags.clear();
                    v.strip_tag = false;
                }
                None
            }
            None => prop,
        };
        TypeKind::OneOf {
            variants,
            discriminator: prop,
        }
    }

    /// Primitives, arrays and maps.
    fn inline(&mut self, v: &View, side: Side, hint: &str) -> Lowered {
        if let Some((_, non_null, had_null)) = self.alternatives(v) {
            // `oneOf: [X, {type: null}]` is a nullable X.
            return match non_null.as_slice() {
                [one] => {
                    let mut l = self.schema(*one, side, hint);
                    l.nullable |= had_null;
                    l
                }
                _ => Lowered {
                    nullable: had_null,
                    ..Lowered::plain(Ty::Json)
                },
            };
        }
        let (names, _) = self.types(v);
        let mut checks = Checks::default();
        if let Some(e) = self.vget(v, "enum") {
            let values: Vec<String> = self
                .t
                .items(e)
                .iter()
                .filter(|&&i| !matches!(self.t.value(i), Value::Null))
                .map(|&i| self.t.to_json(i).to_string())
                .collect();
            checks.enum_json = Some(values);
        }
        let kind = match names.as_slice() {
            [one] => one.as_str(),
            [] if self.vget(v, "items").is_some() => "array",
            [] if self.vget(v, "additionalProperties").is_some() => "object",
            _ => "",
        };
        let format = self
            .vget(v, "format")
            .and_then(|f| self.t.str(f))
            .unwrap_or("");
        let ty = match kind {
            "string" => {
                checks.min_len = self.vcount(v, "minLength").filter(|n| *n > 0);
                checks.max_len = self.vcount(v, "maxLength");
                if let Some(p) = self.vget(v, "pattern")
                    && let Some(src) = self.t.str(p)
                {
                    checks.pattern = self.pattern(p, src);
                }
                checks.format = match format {
                    "uuid" => Some(Format::Uuid),
                    "date-time" => Some(Format::DateTime),
                    "date" => Some(Format::Date),
                    "byte" => Some(Format::Byte),
                    "email" => Some(Format::Email),
                    "ipv4" => Some(Format::Ipv4),
                    "ipv6" => Some(Format::Ipv6),
                    _ => None,
                };
                if format == "binary" {
                    Ty::Binary
                } else {
                    Ty::String
                }
            }
            "integer" => {
                self.int_checks(v, &mut checks);
                if format == "int32" { Ty::I32 } else { Ty::I64 }
            }
            "number" => {
                let (min, max) = self.bounds(v);
                checks.num_min = min;
                checks.num_max = max;
                checks.num_multiple = self.vnum(v, "multipleOf").filter(|m| *m > 0.0);
                // `format: float` too: the contract's bounds and multipleOf are decimals, and
                // an f32 widened for the check is off (0.3f32 > 0.3), as is its f64 text.
                Ty::F64
            }
            "boolean" => Ty::Bool,
            "array" => {
                checks.min_items = self.vcount(v, "minItems").filter(|n| *n > 0);
                checks.max_items = self.vcount(v, "maxItems");
                checks.unique = self
                    .vget(v, "uniqueItems")
                    .and_then(|u| self.t.bool(u))
                    .unwrap_or(false);
                match self.vget(v, "items") {
                    Some(items) => {
                        let l = self.schema(items, side, &format!("{hint} item"));
                        if !l.checks.is_empty() {
                            checks.items = Some(Box::new(l.checks.clone()));
                        }
                        Ty::Vec(Box::new(l.full_ty()))
                    }
                    None => Ty::Vec(Box::new(Ty::Json)),
                }
            }
            "object" => {
                let (ty, values) = match self.additional(v) {
                    Additional::Schema(n) => {
                        let l = self.schema(n, side, &format!("{hint} value"));
                        (Ty::Map(Box::new(l.full_ty())), Some(l.checks))
                    }
                    _ => (
                        match side {
                            Side::Request => Ty::Map(Box::new(Ty::Json)),
                            Side::Response => Ty::Allowlisted,
                        },
                        None,
                    ),
                };
                let m = self.map_checks(v, values.as_ref());
                checks.min_props = m.min_props;
                checks.max_props = m.max_props;
                checks.values = m.values;
                ty
            }
            _ => Ty::Json,
        };
        Lowered {
            ty,
            checks,
            nullable: false,
        }
    }

    /// (minimum, exclusive), (maximum, exclusive) in 3.0 and 3.1 spellings.
    fn bounds(&self, v: &View) -> (Bound, Bound) {
        let one = |plain: &str, excl: &str| {
            let b = self.vnum(v, plain);
            match self.vget(v, excl) {
                Some(e) if self.t.number(e).is_some_and(f64::is_finite) => {
                    self.t.number(e).map(|n| (n, true))
                }
                Some(e) if self.t.bool(e) == Some(true) => b.map(|n| (n, true)),
                _ => b.map(|n| (n, false)),
            }
        };
        (
            one("minimum", "exclusiveMinimum"),
            one("maximum", "exclusiveMaximum"),
        )
    }

    fn int_checks(&self, v: &View, checks: &mut Checks) {
        let clamp = |f: f64| {
            if f >= i64::MAX as f64 {
                i64::MAX
            } else if f <= i64::MIN as f64 {
                i64::MIN
            } else {
                f as i64
            }
        };
        let (min, max) = self.bounds(v);
        checks.int_min = min.map(|(m, ex)| clamp(if ex { m.floor() + 1.0 } else { m.ceil() }));
        checks.int_max = max.map(|(m, ex)| clamp(if ex { m.ceil() - 1.0 } else { m.floor() }));
        if let Some(m) = self.vnum(v, "multipleOf").filter(|m| *m > 0.0) {
            if m.fract() == 0.0 && m < i64::MAX as f64 {
                checks.int_multiple = Some(m as i64);
            } else {
                checks.num_multiple = Some(m);
            }
        }
    }

    fn pattern(&mut self, node: NodeId, src: &str) -> Option<usize> {
        let (src, notes) = super::pattern::java_classes(src);
        for note in notes {
            self.warn(
                node,
                note,
                Some(
                    "write the class in ECMA-262 syntax (`[ -~]` for `\\p{Print}`) to silence this",
                ),
            );
        }
        let translated = match self.translated.get(&src) {
            Some(known) => known.clone(),
            None => {
                let index = super::pattern::translate(&src).map(|re| {
                    if let Some(&i) = self.pattern_ids.get(&re) {
                        return i;
                    }
                    let i = self.patterns.len();
                    self.pattern_ids.insert(re.clone(), i);
                    self.patterns.push(re);
                    i
                });
                self.translated.insert(src, index.clone());
                index
            }
        };
        match translated {
            Ok(i) => Some(i),
            Err(why) => {
                self.error(
                    node,
                    why,
                    Some("rewrite the pattern in ECMA-262 syntax without backreferences and without lookaround inside an unbounded repetition (but a negative lookahead before the one character of each round, as in `^[a-z]((?!--)[a-z-])+$`, which is read as `^[a-z](?!.*--)[a-z-]+$`), or remove it and check the value in the handler"),
                );
                None
            }
        }
    }
}

/// (bound, exclusive)
type Bound = Option<(f64, bool)>;

enum Additional {
    Absent,
    Forbidden,
    Any,
    Schema(NodeId),
}
