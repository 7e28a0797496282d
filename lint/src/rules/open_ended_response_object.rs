use crate::prelude::*;
use crate::rules::input_schemas::is_object_schema;

pub struct OpenEndedResponseObject;

static META: RuleMeta = RuleMeta {
    code: "SG005",
    name: "open-ended-response-object",
    severity: Severity::Warning,
    owasp: Owasp::Api3,
    cwe: &[213],
    peers: &[
        "owasp:api3:2023-no-additionalProperties",
        "owasp-no-additionalProperties",
        "owasp:api3:2023-constrained-additionalProperties",
        "owasp-constrained-additionalProperties",
        "owasp:api3:2023-no-unevaluatedProperties",
        "owasp:api3:2023-constrained-unevaluatedProperties",
    ],
    summary: "Response object schema lists no properties or allows arbitrary extra ones",
    docs: r#"## What it does
Reports object schemas used in responses that do not say what they contain: `additionalProperties:
true` or `{}`, (3.1) `unevaluatedProperties: true` or `{}` without a closed
`additionalProperties`, or an object with no `properties`, `patternProperties`,
`additionalProperties` or `unevaluatedProperties` (a free-form object). Typed maps
(`additionalProperties: {type: string}`) are fine, and so are inline `allOf`/`anyOf`/`oneOf`
members, which must stay open for the other members' properties. A shared schema is reported
once, at the schema.

## Why is this bad?
When the contract does not list a response's fields, nothing stops the implementation from
returning everything the database row holds — password hashes, internal flags, other users'
data (OWASP API3:2023 Broken Object Property Level Authorization). A closed list of properties
is an allowlist that reviewers, tests and generated code can enforce.

Spectral's `no-additionalProperties` / `no-unevaluatedProperties` flag every open object, in
requests and unused schemas too, and the `constrained-*` rules want `maxProperties` on every map;
specguard looks at responses here (request bodies that accept unknown fields are reported by
`request-accepts-unknown-properties`), accepts typed maps without `maxProperties` (a response is
not client input), and also catches objects with no properties at all.

## Example
```yaml
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /me:
    get:
      responses:
        "200":
          description: the user
          content:
            application/json:
              schema: {type: object, additionalProperties: true}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Users, version: "1"}
paths:
  /me:
    get:
      responses:
        "200":
          description: the user
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                properties:
                  id: {type: string, format: uuid}
                  name: {type: string, maxLength: 100}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-213: Exposure of Sensitive Information Due to Incompatible Policies
"#,
};

impl Rule for OpenEndedResponseObject {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let open = |n: NodeId| {
            let n = cx.resolve(n);
            t.bool(n) == Some(true) || (t.is_object(n) && t.members(n).is_empty())
        };
        for &s in &cx.views.schemas {
            let Some(sides) = cx.views.schema_sides.get(&s) else {
                continue;
            };
            if !sides.response || !t.is_object(s) || !is_object_schema(t, s) {
                continue;
            }
            // An inline allOf/anyOf/oneOf member must stay open for the other members.
            let in_composition = t
                .node(s)
                .parent()
                .and_then(|(list, _)| t.key_of(list))
                .is_some_and(|k| matches!(k, "allOf" | "anyOf" | "oneOf"));
            if in_composition {
                continue;
            }
            let says = [
                "allOf",
                "oneOf",
                "anyOf",
                "$ref",
                "patternProperties",
                "additionalProperties",
                "unevaluatedProperties",
            ]
            .iter()
            .any(|k| t.get(s, k).is_some());
            let ap = t.get(s, "additionalProperties");
            let up = t.get(s, "unevaluatedProperties");
            let has_props = t
                .get(s, "properties")
                .is_some_and(|p| !t.members(cx.resolve(p)).is_empty());
            let opened = match (ap, up) {
                (Some(a), _) if open(a) => Some(("additionalProperties", a)),
                (None, Some(u)) if open(u) => Some(("unevaluatedProperties", u)),
                _ => None,
            };
            if let Some((key, node)) = opened {
                out.push(Report {
                    node,
                    message: format!("response object allows arbitrary additional properties (`{key}` is open)"),
                    help: "list the fields the client needs under `properties` and set `additionalProperties: false`".into(),
                });
            } else if !has_props && !says {
                out.push(Report {
                    node: s,
                    message: "response object lists no properties (free-form)".into(),
                    help: "describe the fields the client needs under `properties` and set `additionalProperties: false`".into(),
                });
            }
        }
    }
}
