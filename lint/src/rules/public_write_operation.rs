use super::auth_endpoint_without_rate_limit::auth_endpoint_kind;
use crate::prelude::*;

pub struct PublicWriteOperation;

static META: RuleMeta = RuleMeta {
    code: "SG021",
    name: "public-write-operation",
    severity: Severity::Warning,
    owasp: Owasp::Api2,
    cwe: &[306],
    peers: &[
        "owasp:api2:2023-write-restricted",
        "owasp-protection-global-unsafe",
        "owasp-protection-global-unsafe-strict",
    ],
    summary: "Write operation (post, put, patch, delete) accepts anonymous requests",
    docs: r#"## What it does
Reports `post`, `put`, `patch` and `delete` operations that are explicitly public
(`security: []`, `x-specguard-public: true`) or whose security has an empty `{}` alternative.
Operations that check or issue credentials (login, sign-up, token, one-time code, password
reset — recognised as in `auth-endpoint-without-rate-limit`) must be reachable anonymously
and are not reported. Write operations with no security at all are reported by
`operation-without-security`.

## Why is this bad?
Anonymous writes let anyone create, change or delete data: spam, defacement, resource
exhaustion and, with predictable ids, other users' objects (OWASP API2:2023 Broken
Authentication). Some are intended (contact forms, public sign-ups); those deserve a
suppression with a reason, so the decision stays visible.

Spectral's `write-restricted` and vacuum's `protection-global-unsafe` also report write
operations with no security at all, which specguard leaves to `operation-without-security`;
vacuum's `-strict` variant flags `{}` alternatives, as this rule does.

## Example
```yaml
openapi: 3.0.3
info: {title: Blog, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearer: []
paths:
  /posts:
    post:
      security: []
      responses:
        "201": {description: created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Blog, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearer: []
paths:
  /posts:
    post:
      responses:
        "201": {description: created}
    get:
      security: []
      responses:
        "200": {description: the posts}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-306: Missing Authentication for Critical Function
"#,
};

impl Rule for PublicWriteOperation {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        for op in cx.operations() {
            if op.webhook || !op.is_write() {
                continue;
            }
            let how = match &op.security {
                Security::Public { .. } => "is explicitly public",
                Security::Required { any_of } if any_of.iter().any(Vec::is_empty) => {
                    "accepts anonymous requests (an empty `{}` security alternative)"
                }
                _ => continue,
            };
            if auth_endpoint_kind(op).is_some() {
                continue;
            }
            out.push(Report {
                node: op.node,
                message: format!("write operation {} {how}", op.label()),
                help: "require authentication; if anonymous writes are intended, suppress this finding with the reason".into(),
            });
        }
    }
}
