use super::anonymous_object_access::object_id_param;
use crate::prelude::*;

pub struct PublicObjectAccess;

static META: RuleMeta = RuleMeta {
    code: "SG013",
    name: "public-object-access",
    severity: Severity::Info,
    owasp: Owasp::Api1,
    cwe: &[639],
    peers: &[],
    summary: "Operation on an object addressed by id is explicitly public",
    docs: r#"## What it does
Reports operations on a single object addressed by an identifier in the path (as in
`/products/{productId}` or `/products/{productId}/reviews`) that are explicitly public
(`security: []` or `x-specguard-public: true`). Operations with no security at all, or with an
optional `{}` alternative, are reported by `anonymous-object-access` instead.

## Why is this bad?
Marking an object endpoint public is a decision that every object of that type, whoever owns
it, may be read (or changed) by anyone who has its identifier (OWASP API1:2023 Broken Object
Level Authorization). That is right for a product catalogue and wrong for almost everything
else, so the decision deserves a second look; once reviewed, suppress the finding with a reason.

## Example
```yaml
openapi: 3.0.3
info: {title: Clinic, version: "1"}
paths:
  /appointments/{appointmentId}:
    get:
      security: []
      parameters:
        - {name: appointmentId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: the appointment}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Clinic, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
paths:
  /appointments/{appointmentId}:
    get:
      security:
        - bearer: []
      parameters:
        - {name: appointmentId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: the appointment}
```

## References
- OWASP API1:2023 Broken Object Level Authorization
- CWE-639: Authorization Bypass Through User-Controlled Key
"#,
};

impl Rule for PublicObjectAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        for op in cx.operations() {
            if op.webhook || !matches!(op.security, Security::Public { .. }) {
                continue;
            }
            let Some(id) = object_id_param(&op.path) else {
                continue;
            };
            out.push(Report {
                node: op.node,
                message: format!(
                    "{} is public: anyone can access the object identified by `{id}`",
                    op.label()
                ),
                help: "make sure every such object is meant to be public; otherwise require authentication and check ownership".into(),
            });
        }
    }
}
