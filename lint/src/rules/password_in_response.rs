use crate::prelude::*;
use crate::rules::input_schemas::{
    input_schemas, is_container, is_non_text_scalar, is_password_like, property_flag,
};
use rustc_hash::FxHashSet as HashSet;

pub struct PasswordInResponse;

static META: RuleMeta = RuleMeta {
    code: "SG041",
    name: "password-in-response",
    severity: Severity::Error,
    owasp: Owasp::Api3,
    cwe: &[200, 256],
    peers: &[],
    summary: "Response schema returns a password or password hash",
    docs: r#"## What it does
Reports password fields (`password`, `passwd`, `passphrase`, `pwd`, with a value suffix such as
`password_hash`; the words come from the configured sensitive-word list) declared in schemas that
are used in responses but not for input (request bodies and parameters), and not marked
`writeOnly: true`. The field is reported once, where
the schema declares it. Flags and counts (`has_password: boolean`) are not reported.
A schema used on both sides is reported by `password-not-write-only` instead.

## Why is this bad?
A password, or its hash, never needs to leave the server. Returning one hands it to every
client, log and cache on the way, and a hash can be cracked offline (OWASP API3:2023 Broken
Object Property Level Authorization, CWE-200). When the contract lists the field, generated
servers serialise it: the leak is designed in.

## Example
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /users/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: the user
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
                  password_hash: {type: string}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /users/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: the user
          content:
            application/json:
              schema:
                type: object
                properties:
                  name: {type: string}
                  has_password: {type: boolean}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
- CWE-256: Plaintext Storage of a Password
"#,
};

impl Rule for PasswordInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let input: HashSet<NodeId> = input_schemas(cx).into_iter().collect();
        for &s in &cx.views.schemas {
            let Some(sides) = cx.views.schema_sides.get(&s) else {
                continue;
            };
            if !sides.response || input.contains(&s) {
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
                    message: format!("response returns the password field `{}`", m.key),
                    help: "remove the field from the response schema (or mark it `writeOnly: true` if the schema is also used for input)".into(),
                });
            }
        }
    }
}
