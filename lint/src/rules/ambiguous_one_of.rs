use crate::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

pub struct AmbiguousOneOf;

static META: RuleMeta = RuleMeta {
    code: "SG089",
    name: "ambiguous-one-of",
    severity: Severity::Info,
    owasp: Owasp::Api8,
    cwe: &[436],
    peers: &[],
    summary: "oneOf without discriminator has branches that accept the same values",
    docs: r#"## What it does
Reports `oneOf` schemas without a `discriminator` where two branches accept the same values:
- two object branches (members of nested `allOf` are merged) where no property tells them apart:
  none is required by one branch and undeclared by the other, and no shared property required
  by either has disjoint `const`/`enum` values, disjoint types, or different `format`s or
  `pattern`s in the two branches;
- two branches of the same primitive type (or `integer` and `number`) with no constraint at all
  (`enum`, `const`, `format`, `pattern`, lengths, bounds).
Branches without a `type` or `properties` are not judged. One finding per `oneOf`.

## Why is this bad?
`oneOf` means "exactly one": a value that matches two branches is *rejected* by a validator,
while generated clients and servers usually pick the first branch that deserializes. The same
payload is then valid for one component and invalid or differently typed for the next — the
kind of interpretation conflict that lets input slip past validation or breaks clients
(CWE-436; OWASP API8:2023 Security Misconfiguration). Add a `discriminator`, make a distinguishing
property required, or use `anyOf` if overlap is intended. A review hint: the overlap is judged
from declared properties, not proven.

## Example
```yaml
openapi: 3.0.3
info: {title: Payments, version: "1"}
paths:
  /payments:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  properties:
                    card_number: {type: string}
                - type: object
                  properties:
                    iban: {type: string}
      responses:
        "201": {description: created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Payments, version: "1"}
paths:
  /payments:
    post:
      requestBody:
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  required: [card_number]
                  properties:
                    card_number: {type: string}
                - type: object
                  required: [iban]
                  properties:
                    iban: {type: string}
      responses:
        "201": {description: created}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-436: Interpretation Conflict
"#,
};

#[derive(Default)]
struct Shape {
    object: bool,
    /// Primitive types (when not an object).
    types: BTreeSet<String>,
    /// Whether a primitive branch has any constraint.
    constrained: bool,
    props: BTreeMap<String, NodeId>,
    required: BTreeSet<String>,
    /// Neither object nor a known primitive.
    unknown: bool,
}

const CONSTRAINTS: [&str; 14] = [
    "enum",
    "const",
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "not",
    "oneOf",
    "anyOf",
];

fn types_of(t: &specguard_spec::Tree, s: NodeId) -> BTreeSet<String> {
    match t.get(s, "type") {
        Some(ty) => match t.str(ty) {
            Some(x) => [x.to_string()].into(),
            None => t
                .items(ty)
                .iter()
                .filter_map(|&i| t.str(i).map(str::to_string))
                .collect(),
        },
        None => BTreeSet::new(),
    }
}

fn merge(cx: &Context<'_>, s: NodeId, depth: usize, shape: &mut Shape) {
    let t = cx.tree();
    if depth > 8 {
        shape.unknown = true;
        return;
    }
    let ty = types_of(t, s);
    let has_props = t.get(s, "properties").is_some() || t.get(s, "required").is_some();
    if ty.contains("object") || has_props {
        shape.object = true;
    } else if !ty.is_empty() {
        shape.types.extend(ty.iter().cloned());
    }
    if ty.len() > 1 || t.get(s, "nullable").is_some() {
        // Mixed types: too fuzzy to judge.
        shape.unknown = true;
    }
    if CONSTRAINTS.iter().any(|k| t.get(s, k).is_some()) {
        shape.constrained = true;
    }
    if let Some(p) = t.get(s, "properties") {
        for m in t.members(cx.resolve(p)) {
            shape.props.insert(m.key.to_string(), cx.resolve(m.value));
        }
    }
    if let Some(r) = t.get(s, "required") {
        shape.required.extend(
            t.items(r)
                .iter()
                .filter_map(|&i| t.str(i).map(str::to_string)),
        );
    }
    if let Some(all) = t.get(s, "allOf") {
        for &m in t.items(all) {
            merge(cx, cx.resolve(m), depth + 1, shape);
        }
    }
    if t.get(s, "oneOf").is_some() || t.get(s, "anyOf").is_some() || t.get(s, "not").is_some() {
        shape.unknown = true;
    }
}

/// The values a property schema is pinned to (`const` or `enum`), as JSON text.
fn pinned(cx: &Context<'_>, s: NodeId) -> Option<BTreeSet<String>> {
    let t = cx.tree();
    if let Some(c) = t.get(s, "const") {
        return Some([t.to_json(c).to_string()].into());
    }
    t.get(s, "enum").map(|e| {
        t.items(e)
            .iter()
            .map(|&i| t.to_json(i).to_string())
            .collect()
    })
}

fn prop_types(t: &specguard_spec::Tree, s: NodeId) -> BTreeSet<String> {
    let mut ty = types_of(t, s);
    if ty.contains("number") {
        ty.insert("integer".into());
    }
    ty
}

/// Whether a property can tell two object branches apart.
fn distinguishes(cx: &Context<'_>, a: &Shape, b: &Shape) -> bool {
    let t = cx.tree();
    for (x, y) in [(a, b), (b, a)] {
        if x.required.iter().any(|p| !y.props.contains_key(p)) {
            return true;
        }
    }
    for (name, &pa) in &a.props {
        let Some(&pb) = b.props.get(name) else {
            continue;
        };
        if !(a.required.contains(name) || b.required.contains(name)) {
            continue;
        }
        if let (Some(va), Some(vb)) = (pinned(cx, pa), pinned(cx, pb))
            && va.is_disjoint(&vb)
        {
            return true;
        }
        // Different formats (`ipv4`/`ipv6`) or patterns are given the benefit of the doubt.
        for k in ["format", "pattern"] {
            if let (Some(x), Some(y)) = (t.get_str(pa, k), t.get_str(pb, k))
                && x != y
            {
                return true;
            }
        }
        let (ta, tb) = (prop_types(t, pa), prop_types(t, pb));
        if !ta.is_empty() && !tb.is_empty() && ta.is_disjoint(&tb) {
            return true;
        }
    }
    false
}

fn overlap(cx: &Context<'_>, a: &Shape, b: &Shape) -> bool {
    if a.unknown || b.unknown {
        return false;
    }
    match (a.object, b.object) {
        (true, true) => !distinguishes(cx, a, b),
        (false, false) => {
            if a.constrained || b.constrained || a.types.is_empty() || b.types.is_empty() {
                return false;
            }
            let widen = |s: &BTreeSet<String>| {
                let mut s = s.clone();
                if s.contains("number") {
                    s.insert("integer".into());
                }
                s
            };
            let (ta, tb) = (widen(&a.types), widen(&b.types));
            ta.iter()
                .any(|x| tb.contains(x) && x != "array" && x != "object")
        }
        _ => false,
    }
}

fn label(cx: &Context<'_>, item: NodeId, i: usize) -> String {
    match cx.doc.ref_of(item) {
        Some(r) => format!("{} (`{}`)", i + 1, r.rsplit('/').next().unwrap_or(r)),
        None => format!("{}", i + 1),
    }
}

impl Rule for AmbiguousOneOf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for &s in &cx.views.schemas {
            let Some(one) = t.get(s, "oneOf") else {
                continue;
            };
            if t.get(s, "discriminator").is_some() {
                continue;
            }
            let items: Vec<NodeId> = t.items(one).to_vec();
            if items.len() < 2 {
                continue;
            }
            let shapes: Vec<Shape> = items
                .iter()
                .map(|&i| {
                    let mut sh = Shape::default();
                    merge(cx, cx.resolve(i), 0, &mut sh);
                    sh
                })
                .collect();
            'pairs: for i in 0..shapes.len() {
                for j in i + 1..shapes.len() {
                    if overlap(cx, &shapes[i], &shapes[j]) {
                        let what = if shapes[i].object {
                            "no required property tells them apart"
                        } else {
                            "they have the same type and no constraint"
                        };
                        out.push(Report {
                            node: one,
                            message: format!(
                                "oneOf branches {} and {} accept the same values: {what}",
                                label(cx, items[i], i),
                                label(cx, items[j], j)
                            ),
                            help: "add a `discriminator`, require a property that only one branch has, or use `anyOf` if overlap is intended".into(),
                        });
                        break 'pairs;
                    }
                }
            }
        }
    }
}
