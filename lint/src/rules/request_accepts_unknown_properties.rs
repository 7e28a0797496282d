use crate::prelude::*;
use crate::rules::input_schemas::{input_schemas, is_object_schema};
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::view::media_schemas;

pub struct RequestAcceptsUnknownProperties;

static META: RuleMeta = RuleMeta {
    code: "SG046",
    name: "request-accepts-unknown-properties",
    severity: Severity::Warning,
    owasp: Owasp::Api3,
    cwe: &[915],
    peers: &[
        "owasp:api3:2023-no-additionalProperties",
        "owasp-no-additionalProperties",
        "owasp:api3:2023-no-unevaluatedProperties",
    ],
    summary: "Request body object explicitly accepts properties it does not declare",
    docs: r#"## What it does
Reports object schemas used for input (request bodies, parameters) that explicitly accept
undeclared properties — `additionalProperties: true` or `{}`, or (3.1) `unevaluatedProperties:
true` or `{}` — when the object also declares `properties` or is a whole request body. A nested
object with no declared properties (a free-form `metadata` bag) is not reported; typed maps
(`additionalProperties: {type: string, maxLength: 500}`) are not reported, nor are inline
`allOf`/`anyOf`/`oneOf` members, which must stay open for the other members' properties. A
shared schema is reported once, at the schema's keyword.

Options (`[options.request-accepts-unknown-properties]` in `specguard.toml`):
- `report-absent` (default false): also report objects with `properties` that say nothing
  about extra properties (JSON Schema then accepts them). Off by default: almost every real
  specification leaves it out, so it would report nearly every request body.

## Why is this bad?
A request object that accepts fields it does not list is how mass assignment reaches the
database: the contract shows `name` and `email`, the handler binds the whole body, and a client
adding `"is_admin": true` or `"owner_id": 7` changes fields nobody meant to expose (OWASP
API3:2023 Broken Object Property Level Authorization, CWE-915). `additionalProperties: false`
makes generated validators reject them.

Spectral's `no-additionalProperties` (and vacuum's) report every `additionalProperties: true`
in the document, responses and unused schemas included, and vacuum's also reports typed maps;
specguard reports request objects here and response objects with `open-ended-response-object`.

## Example
```yaml
openapi: 3.0.3
info: {title: Profiles, version: "1"}
paths:
  /me:
    patch:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: true
              properties:
                name: {type: string, maxLength: 100}
      responses:
        "204": {description: updated}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Profiles, version: "1"}
paths:
  /me:
    patch:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              additionalProperties: false
              properties:
                name: {type: string, maxLength: 100}
                labels:
                  type: object
                  additionalProperties: {type: string, maxLength: 50}
      responses:
        "204": {description: updated}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-915: Improperly Controlled Modification of Dynamically-Determined Object Attributes
"#,
};

/// Whether the schema is written inline as a member of `allOf`/`anyOf`/`oneOf`, where
/// `additionalProperties: false` would reject the other members' properties.
fn in_composition(t: &specguard_spec::Tree, s: NodeId) -> bool {
    t.node(s)
        .parent()
        .and_then(|(list, _)| t.key_of(list))
        .is_some_and(|k| matches!(k, "allOf" | "anyOf" | "oneOf"))
}

impl Rule for RequestAcceptsUnknownProperties {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let report_absent = cx.option_bool(META.name, "report-absent", false);
        let mut body_roots = HashSet::default();
        for op in cx.operations() {
            if let Some(b) = op.request_body.filter(|_| !op.webhook) {
                body_roots.extend(media_schemas(cx.doc, b).into_iter().map(|x| x.1));
            }
        }
        let open = |n: NodeId| {
            let n = cx.resolve(n);
            t.bool(n) == Some(true) || (t.is_object(n) && t.members(n).is_empty())
        };
        for s in input_schemas(cx) {
            if in_composition(t, s) {
                continue;
            }
            if !is_object_schema(t, s) && t.get(s, "additionalProperties").is_none() {
                continue;
            }
            let has_props = t
                .get(s, "properties")
                .is_some_and(|p| !t.members(cx.resolve(p)).is_empty());
            if !has_props && !body_roots.contains(&s) {
                continue;
            }
            let explicit = ["additionalProperties", "unevaluatedProperties"]
                .iter()
                .find_map(|k| t.get(s, k).filter(|&n| open(n)).map(|n| (*k, n)));
            if let Some((key, node)) = explicit {
                out.push(Report {
                    node,
                    message: format!("request object accepts undeclared properties (`{key}` is open)"),
                    help: "set `additionalProperties: false` and declare every field a client may send".into(),
                });
                continue;
            }
            let says = [
                "additionalProperties",
                "unevaluatedProperties",
                "allOf",
                "oneOf",
                "anyOf",
            ]
            .iter()
            .any(|k| t.get(s, k).is_some());
            if report_absent && has_props && !says {
                out.push(Report {
                    node: s,
                    message: "request object does not forbid undeclared properties".into(),
                    help: "add `additionalProperties: false`".into(),
                });
            }
        }
    }
}
