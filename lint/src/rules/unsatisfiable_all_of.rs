use crate::prelude::*;
use std::collections::BTreeSet;

pub struct UnsatisfiableAllOf;

static META: RuleMeta = RuleMeta {
    code: "SG088",
    name: "unsatisfiable-all-of",
    severity: Severity::Warning,
    owasp: Owasp::Api8,
    cwe: &[436],
    peers: &[],
    summary: "allOf member forbids additional properties that another member adds",
    docs: r##"## What it does
Reports `allOf` compositions where one member — or the composing schema itself — says
`additionalProperties: false` while another member declares properties it does not list.
`additionalProperties` only sees the `properties` next to it, so those properties are rejected:
if another member *requires* one, no value satisfies the schema at all. Members with
`patternProperties` are not judged.

## Why is this bad?
Code generators merge the members of an `allOf` into one type with all the fields, while
validators apply each member on its own and reject the extension. The server's validation, the
generated client and the documentation each accept a different language: requests that the
contract promises to accept fail, or validation is switched off to make them pass (CWE-436
Interpretation Conflict; OWASP API8:2023 Security Misconfiguration). Close the composed schema
with `unevaluatedProperties: false` (OpenAPI 3.1) instead, or list every property in the closed
member.

## Example
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Dog"}
      responses:
        "201": {description: created}
components:
  schemas:
    Pet:
      type: object
      additionalProperties: false
      properties:
        name: {type: string}
    Dog:
      allOf:
        - $ref: "#/components/schemas/Pet"
        - type: object
          required: [breed]
          properties:
            breed: {type: string}
```

## Use instead
```yaml
openapi: 3.1.0
info: {title: Pets, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Dog"}
      responses:
        "201": {description: created}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
    Dog:
      allOf:
        - $ref: "#/components/schemas/Pet"
        - type: object
          required: [breed]
          properties:
            breed: {type: string}
      unevaluatedProperties: false
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-436: Interpretation Conflict
"##,
};

fn is_closed(cx: &Context<'_>, s: NodeId) -> bool {
    let t = cx.tree();
    t.get(s, "patternProperties").is_none()
        && t.get(s, "additionalProperties")
            .is_some_and(|a| t.bool(cx.resolve(a)) == Some(false))
}

/// Property names and required names a schema contributes, following nested `allOf`.
fn contributes(
    cx: &Context<'_>,
    s: NodeId,
    depth: usize,
    props: &mut BTreeSet<String>,
    required: &mut BTreeSet<String>,
) {
    let t = cx.tree();
    if depth > 8 {
        return;
    }
    if let Some(p) = t.get(s, "properties") {
        props.extend(t.members(cx.resolve(p)).iter().map(|m| m.key.to_string()));
    }
    if let Some(r) = t.get(s, "required") {
        required.extend(
            t.items(r)
                .iter()
                .filter_map(|&i| t.str(i).map(str::to_string)),
        );
    }
    if let Some(all) = t.get(s, "allOf") {
        for &m in t.items(all) {
            contributes(cx, cx.resolve(m), depth + 1, props, required);
        }
    }
}

fn name_of(cx: &Context<'_>, item: NodeId, index: usize) -> String {
    match cx.doc.ref_of(item) {
        Some(r) => format!("`{}`", r.rsplit('/').next().unwrap_or(r)),
        None => format!("member {}", index + 1),
    }
}

impl Rule for UnsatisfiableAllOf {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for &s in &cx.views.schemas {
            let Some(all) = t.get(s, "allOf") else {
                continue;
            };
            let items: Vec<NodeId> = t.items(all).to_vec();
            if items.is_empty() {
                continue;
            }
            // Each participant: (label, resolved schema); the composing schema itself first.
            let mut parts: Vec<(String, NodeId, bool)> =
                vec![("the schema itself".into(), s, true)];
            for (i, &it) in items.iter().enumerate() {
                parts.push((name_of(cx, it, i), cx.resolve(it), false));
            }
            let mut reported = false;
            for (ci, (cname, c, is_self)) in parts.iter().enumerate() {
                if reported || !is_closed(cx, *c) {
                    continue;
                }
                let allowed: BTreeSet<String> = t
                    .get(*c, "properties")
                    .map(|p| {
                        t.members(cx.resolve(p))
                            .iter()
                            .map(|m| m.key.to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                let mut extra_req: BTreeSet<String> = BTreeSet::new();
                let mut extra: BTreeSet<String> = BTreeSet::new();
                for (oi, (_, o, _)) in parts.iter().enumerate() {
                    if oi == ci || (*is_self && oi == 0) {
                        continue;
                    }
                    let mut props = BTreeSet::new();
                    let mut req = BTreeSet::new();
                    if oi == 0 {
                        // The composing schema's own properties (not its allOf).
                        if let Some(p) = t.get(*o, "properties") {
                            props
                                .extend(t.members(cx.resolve(p)).iter().map(|m| m.key.to_string()));
                        }
                        if let Some(r) = t.get(*o, "required") {
                            req.extend(
                                t.items(r)
                                    .iter()
                                    .filter_map(|&i| t.str(i).map(str::to_string)),
                            );
                        }
                    } else {
                        contributes(cx, *o, 0, &mut props, &mut req);
                    }
                    extra.extend(props.into_iter().filter(|p| !allowed.contains(p)));
                    extra_req.extend(req.into_iter().filter(|p| !allowed.contains(p)));
                }
                if extra.is_empty() && extra_req.is_empty() {
                    continue;
                }
                let list = |set: &BTreeSet<String>| {
                    set.iter()
                        .map(|p| format!("`{p}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                let message = if !extra_req.is_empty() {
                    format!(
                        "no value satisfies this allOf: {cname} forbids additional properties but {} {} required",
                        list(&extra_req),
                        if extra_req.len() == 1 { "is" } else { "are" }
                    )
                } else {
                    format!(
                        "{cname} forbids additional properties, so {} added by other allOf members can never be sent",
                        list(&extra)
                    )
                };
                out.push(Report {
                    node: all,
                    message,
                    help: "drop `additionalProperties: false` from the member and close the composed schema with `unevaluatedProperties: false` (OpenAPI 3.1), or list every property in the closed schema".into(),
                });
                reported = true;
            }
        }
    }
}
