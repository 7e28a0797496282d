use crate::prelude::*;

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
    ],
    summary: "Response object schema lists no properties or allows arbitrary extra ones",
    docs: r#"## What it does
Reports object schemas used in responses that do not say what they contain: `additionalProperties:
true` or `{}`, or an object with no `properties` and no `additionalProperties` schema (a
free-form object). Typed maps (`additionalProperties: {type: string}`) are fine. A shared schema
is reported once, at the schema.

## Why is this bad?
When the contract does not list a response's fields, nothing stops the implementation from
returning everything the database row holds — password hashes, internal flags, other users'
data (OWASP API3:2023 Broken Object Property Level Authorization). A closed list of properties
is an allowlist that reviewers, tests and generated code can enforce.

Spectral's `no-additionalProperties` flags every `additionalProperties: true`, in requests too;
specguard looks at responses here (request bodies that accept unknown fields are a mass-assignment
question) and also catches objects with no properties at all.

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
        for &s in &cx.views.schemas {
            let Some(sides) = cx.views.schema_sides.get(&s) else {
                continue;
            };
            if !sides.response || !t.is_object(s) {
                continue;
            }
            let is_object =
                t.get_str(s, "type") == Some("object") || t.get(s, "properties").is_some();
            if !is_object {
                continue;
            }
            let composed = ["allOf", "oneOf", "anyOf", "$ref"]
                .iter()
                .any(|k| t.get(s, k).is_some());
            let ap = t.get(s, "additionalProperties");
            let ap_open = ap.is_some_and(|a| {
                let a = cx.resolve(a);
                t.bool(a) == Some(true) || (t.is_object(a) && t.members(a).is_empty())
            });
            let has_props = t
                .get(s, "properties")
                .is_some_and(|p| !t.members(cx.resolve(p)).is_empty());
            if ap_open {
                let node = ap.unwrap_or(s);
                out.push(Report {
                    node,
                    message: "response object allows arbitrary additional properties".into(),
                    help: "list the fields the client needs under `properties` and set `additionalProperties: false`".into(),
                });
            } else if !has_props && ap.is_none() && !composed {
                out.push(Report {
                    node: s,
                    message: "response object lists no properties (free-form)".into(),
                    help: "describe the fields the client needs under `properties` and set `additionalProperties: false`".into(),
                });
            }
        }
    }
}
