use crate::prelude::*;

pub struct MissingAuthErrorResponses;

static META: RuleMeta = RuleMeta {
    code: "SG075",
    name: "missing-auth-error-responses",
    severity: Severity::Info,
    owasp: Owasp::Api8,
    cwe: &[755],
    peers: &[
        "owasp:api8:2023-define-error-responses-401",
        "owasp-define-error-responses-401",
    ],
    summary: "Secured operation documents no 401 response (or no 403 where scopes apply)",
    docs: r#"## What it does
Reports operations that require credentials but document no `401` response, and operations whose
security requires OAuth2/OpenID scopes but document no `403` response. A `4XX` range or a
`default` response counts as documenting them. Operations without security, or that also accept
anonymous requests, are not reported.

## Why is this bad?
How an API answers a missing, expired or under-privileged token is part of its security
behaviour. Undocumented, it varies by handler: some return `200` with an empty body, some a
`500` with a stack trace, some redirect to a login page — and clients, gateways and tests
cannot tell an authorization failure from a bug (OWASP API8:2023 Security Misconfiguration).

Spectral's and vacuum's `define-error-responses-401` report every operation, secured or not,
and vacuum also requires the `401` to have `content`. specguard asks for `401` only where
credentials are required (an open endpoint never answers 401), adds `403` where scopes can be
insufficient, and accepts `4XX` and `default` responses, which document the same answer.

Default severity is `info`: over the APIs.guru collection this rule fires in half of all
documents, tens of thousands of times (benches/results/corpus-rules.md): a documentation gap,
not a risk on its own. Raise it in `specguard.toml` where error responses are part of the
contract.

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
security:
  - bearer: []
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
security:
  - bearer: []
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
        "401": {description: missing or invalid token}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-755: Improper Handling of Exceptional Conditions
"#,
};

fn documents(op: &Operation, code: &str) -> bool {
    let range = format!("{}XX", &code[..1]);
    op.responses
        .iter()
        .any(|(c, _)| c == code || c.eq_ignore_ascii_case(&range) || c == "default")
}

impl Rule for MissingAuthErrorResponses {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for op in cx.operations() {
            if op.webhook || op.security.allows_anonymous() {
                continue;
            }
            let Security::Required { any_of } = &op.security else {
                continue;
            };
            if t.get(op.node, "responses").is_none() {
                continue;
            }
            let scoped = any_of
                .iter()
                .any(|alt| alt.iter().any(|s| !s.scopes.is_empty()));
            let mut missing = Vec::new();
            if !documents(op, "401") {
                missing.push("401");
            }
            if scoped && !documents(op, "403") {
                missing.push("403");
            }
            if missing.is_empty() {
                continue;
            }
            let node = t.get(op.node, "responses").unwrap_or(op.node);
            out.push(Report {
                node,
                message: format!(
                    "{} requires credentials but documents no {} response",
                    op.label(),
                    missing.join(" or ")
                ),
                help: "document `401` (missing or invalid credentials) and, where scopes apply, `403` (insufficient scope), ideally with an error schema".into(),
            });
        }
    }
}
