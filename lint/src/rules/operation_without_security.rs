use crate::prelude::*;

pub struct OperationWithoutSecurity;

static META: RuleMeta = RuleMeta {
    code: "SG001",
    name: "operation-without-security",
    severity: Severity::Error,
    owasp: Owasp::Api2,
    cwe: &[306],
    peers: &[
        "owasp:api2:2023-read-restricted",
        "owasp:api2:2023-write-restricted",
        "owasp-protection-global-safe",
        "owasp-protection-global-unsafe",
        "owasp-protection-global-unsafe-strict",
    ],
    summary: "Operation has no security requirement and is not explicitly marked public",
    docs: r#"## What it does
Reports operations with no effective security: no `security` on the operation and none at the
document's top level, unless the operation is explicitly public (`security: []` or
`x-specguard-public: true`). In a document that declares no security scheme at all,
`no-security-schemes` reports the root cause once instead.

## Why is this bad?
An operation nobody decided to make public is usually one somebody forgot to protect. Such
endpoints answer anonymous requests and are how whole customer databases leak
(OWASP API2:2023 Broken Authentication). Making "public" an explicit decision in the contract
lets reviewers see it, and lets the generator refuse to build an unauthenticated handler by
accident.

Spectral's `read-restricted`/`write-restricted` and vacuum's `protection-global-*` rules report
the same gap but treat `security: []` as a violation too; specguard accepts it as the explicit
"this is public" marker and reports public *write* operations with `public-write-operation`.

## Example
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
  /orders/{id}:
    get:
      security:
        - bearer: []
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: one order}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearer: []
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
  /health:
    get:
      security: []
      responses:
        "200": {description: up}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-306: Missing Authentication for Critical Function
"#,
};

impl Rule for OperationWithoutSecurity {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        // No scheme at all: `no-security-schemes` reports the root cause once.
        if cx.security_schemes().is_empty() {
            return;
        }
        for op in cx.operations() {
            if op.webhook || op.security != Security::None {
                continue;
            }
            out.push(Report {
                node: op.node,
                message: format!("{} has no security requirement", op.label()),
                help: "add `security` (here or at the top level), or mark it public on purpose with `security: []` or `x-specguard-public: true`".into(),
            });
        }
    }
}
