use crate::prelude::*;
use crate::rules::input_schemas::{
    input_schemas, is_container, is_non_text_scalar, is_password_like, property_flag,
};

pub struct PasswordNotWriteOnly;

static META: RuleMeta = RuleMeta {
    code: "SG042",
    name: "password-not-write-only",
    severity: Severity::Error,
    owasp: Owasp::Api3,
    cwe: &[200],
    peers: &[],
    summary: "Password field of a schema used for both input and output is not writeOnly",
    docs: r##"## What it does
Reports password fields (`password`, `passwd`, `passphrase`, `pwd`, `password_hash`; the words
come from the configured sensitive-word list) without `writeOnly: true` in schemas that are used
both for input (a request body or parameter) and in a response. The field is reported once,
where the schema declares it. Schemas used only for input are not reported: a password there is
expected, and `writeOnly` would change nothing. Response-only schemas are reported by
`password-in-response`.

## Why is this bad?
One schema for "the user" on both sides is convenient, but without `writeOnly` it says the
password comes back in every response that returns the user: generated servers serialise it,
generated clients show it, and it ends up in logs and caches (OWASP API3:2023 Broken Object
Property Level Authorization, CWE-200). `writeOnly: true` keeps the field on the way in only.

## Example
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /users:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
components:
  schemas:
    User:
      type: object
      properties:
        username: {type: string, maxLength: 64}
        password: {type: string, maxLength: 128}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /users:
    post:
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/User"}
      responses:
        "201":
          description: created
          content:
            application/json:
              schema: {$ref: "#/components/schemas/User"}
components:
  schemas:
    User:
      type: object
      properties:
        username: {type: string, maxLength: 64}
        password: {type: string, maxLength: 128, writeOnly: true}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
"##,
};

impl Rule for PasswordNotWriteOnly {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for s in input_schemas(cx) {
            if !cx.views.schema_sides.get(&s).is_some_and(|x| x.response) {
                continue;
            }
            let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) else {
                continue;
            };
            for m in t.members(props) {
                if !is_password_like(cx, &m.key) || property_flag(cx, m.value, "writeOnly") {
                    continue;
                }
                let ps = cx.resolve(m.value);
                if is_non_text_scalar(t, ps) || is_container(t, ps) {
                    continue;
                }
                out.push(Report {
                    node: m.value,
                    message: format!(
                        "`{}` is accepted as input and, not being writeOnly, returned in responses",
                        m.key
                    ),
                    help: "add `writeOnly: true` to the field (or use separate request and response schemas)".into(),
                });
            }
        }
    }
}
