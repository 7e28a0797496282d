use crate::prelude::*;

pub struct NoSecuritySchemes;

static META: RuleMeta = RuleMeta {
    code: "SG020",
    name: "no-security-schemes",
    severity: Severity::Error,
    owasp: Owasp::Api2,
    cwe: &[306],
    peers: &[],
    summary: "Document declares no security schemes although it has non-public operations",
    docs: r#"## What it does
Reports a document that declares no `components/securitySchemes` while at least one of its
operations is not explicitly public (`security: []` or `x-specguard-public: true`). It is
reported once, at `components` (or at `paths` when there are no components).

## Why is this bad?
Without security schemes the contract cannot say how a caller authenticates, so no operation
can require authentication and every generated server and client is unauthenticated by
construction (OWASP API2:2023 Broken Authentication). Either the API really is anonymous, and
its operations should say so, or the contract is missing its most important part.
This one finding stands for all of them: `operation-without-security` and
`anonymous-object-access` stay silent in such a document, so a contract that forgot
authentication altogether (GitHub's REST description declares no scheme) gets one error naming
the root cause, not one per operation.

## Example
```yaml
openapi: 3.0.3
info: {title: Payroll, version: "1"}
paths:
  /payslips:
    get:
      responses:
        "200": {description: the payslips}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Payroll, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearer: []
paths:
  /payslips:
    get:
      responses:
        "200": {description: the payslips}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-306: Missing Authentication for Critical Function
"#,
};

impl Rule for NoSecuritySchemes {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        if !cx.security_schemes().is_empty() {
            return;
        }
        let protected = cx
            .operations()
            .iter()
            .filter(|op| !op.webhook && !matches!(op.security, Security::Public { .. }))
            .count();
        if protected == 0 {
            return;
        }
        let t = cx.tree();
        let Some(node) = t
            .get(cx.doc.root, "components")
            .or_else(|| t.get(cx.doc.root, "paths"))
        else {
            return;
        };
        out.push(Report {
            node,
            message: format!(
                "no security schemes are declared, yet {protected} operation{} not marked public",
                if protected == 1 { " is" } else { "s are" }
            ),
            help: "declare how callers authenticate under `components/securitySchemes` and require it with `security`".into(),
        });
    }
}
