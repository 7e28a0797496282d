use crate::prelude::*;
use crate::rules::input_schemas::{
    input_schemas, is_container, is_non_text_scalar, is_password_like, property_flag,
};
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::sensitive::Category;

pub struct SecretFieldInResponse;

static META: RuleMeta = RuleMeta {
    code: "SG043",
    name: "secret-field-in-response",
    severity: Severity::Warning,
    owasp: Owasp::Api3,
    cwe: &[200, 522],
    peers: &[],
    summary: "Response schema returns a token, key or other secret",
    docs: r#"## What it does
Reports fields whose names look like secrets (`token`, `access_token`, `api_key`,
`client_secret`, `private_key`, `cvv`, `pin`, `otp`, `session_id`, ...: the `secret` words of the
configured sensitive-word list) declared in schemas used in responses and not marked
`writeOnly: true`. Passwords are reported by `password-in-response` and
`password-not-write-only`. Flags, counts and nested objects (`token: {type: object}`, whose own
fields are checked) are not reported, nor is a language model's `token` next to a `logprob`.
Each field is reported once, where its schema declares it.

## Why is this bad?
A secret in a response reaches every client, proxy, log and cache that sees the response, and
whoever can call the operation — or exploit a broken object-level check on it — collects
working credentials (OWASP API3:2023 Broken Object Property Level Authorization). Returning a
credential is sometimes the point (an endpoint that issues a token, a key shown once on
creation); then make sure only that operation returns it, and ignore the finding with a reason.
It is a warning for that reason: well-designed APIs such as GitHub's and Stripe's return issued
tokens and client secrets on purpose.

## Example
```yaml
openapi: 3.0.3
info: {title: Integrations, version: "1"}
paths:
  /integrations:
    get:
      responses:
        "200":
          description: the integrations
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties:
                    name: {type: string}
                    api_key: {type: string}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Integrations, version: "1"}
paths:
  /integrations:
    get:
      responses:
        "200":
          description: the integrations
          content:
            application/json:
              schema:
                type: array
                items:
                  type: object
                  properties:
                    name: {type: string}
                    api_key_last4: {type: string, maxLength: 4}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-200: Exposure of Sensitive Information to an Unauthorized Actor
- CWE-522: Insufficiently Protected Credentials
"#,
};

impl Rule for SecretFieldInResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let input: HashSet<NodeId> = input_schemas(cx).into_iter().collect();
        for &s in &cx.views.schemas {
            if !cx.views.schema_sides.get(&s).is_some_and(|x| x.response) {
                continue;
            }
            let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) else {
                continue;
            };
            // A language model's `token` sits next to its `logprob`: text, not a credential.
            let llm = t.get(props, "logprob").is_some();
            for m in t.members(props) {
                if llm && &*m.key == "token" {
                    continue;
                }
                if cx.sensitive.classify(&m.key) != Some(Category::Secret)
                    || is_password_like(cx, &m.key)
                    || property_flag(cx, m.value, "writeOnly")
                {
                    continue;
                }
                let ps = cx.resolve(m.value);
                if is_non_text_scalar(t, ps) || is_container(t, ps) {
                    continue;
                }
                let (message, help) = if input.contains(&s) {
                    (
                        format!(
                            "secret-looking field `{}` is accepted as input and, not being writeOnly, returned in responses",
                            m.key
                        ),
                        "add `writeOnly: true` if the server never returns it",
                    )
                } else {
                    (
                        format!("response returns the secret-looking field `{}`", m.key),
                        "return secrets only from the operation that issues them, or return a masked hint (`last4`) instead",
                    )
                };
                out.push(Report {
                    node: m.value,
                    message,
                    help: help.into(),
                });
            }
        }
    }
}
