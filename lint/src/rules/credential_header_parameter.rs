use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::sensitive::{Category, words};

pub struct CredentialHeaderParameter;

static META: RuleMeta = RuleMeta {
    code: "SG033",
    name: "credential-header-parameter",
    severity: Severity::Warning,
    owasp: Owasp::Api2,
    cwe: &[287],
    peers: &[],
    summary: "Authorization (or another credential) header is declared as a parameter, not a security scheme",
    docs: r#"## What it does
Reports header parameters named `Authorization` or `Proxy-Authorization`, and header
parameters whose name denotes a credential (`X-API-Key`, `X-Auth-Token`, `api_key`, the
secret words of the sensitive-name list). Anti-CSRF token headers (`X-CSRF-Token`,
`X-XSRF-Token`) are not credentials and are not reported. A parameter shared by several
operations is reported once, at the parameter.

## Why is this bad?
The OpenAPI specification says a header parameter named `Authorization` is ignored, and a
credential declared as an ordinary parameter is invisible to everything that reads
`security`: the operation looks unauthenticated to reviewers and linters, generated servers
wire no authentication middleware for it, and generated clients treat the secret as ordinary
data they may log (OWASP API2:2023 Broken Authentication, CWE-287).

## Example
```yaml
openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    get:
      parameters:
        - {name: Authorization, in: header, required: true, schema: {type: string, maxLength: 2048}}
      responses:
        "200": {description: the notes}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Notes, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
paths:
  /notes:
    get:
      security:
        - bearer: []
      parameters:
        - {name: X-CSRF-Token, in: header, schema: {type: string, maxLength: 128}}
      responses:
        "200": {description: the notes}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-287: Improper Authentication
- OpenAPI Specification: Parameter Object (`Authorization` header parameters are ignored)
"#,
};

impl Rule for CredentialHeaderParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let mut seen = HashSet::default();
        for op in cx.operations() {
            for p in &op.parameters {
                if p.location != ParamIn::Header {
                    continue;
                }
                let n = p.name.to_ascii_lowercase();
                let authorization = n == "authorization" || n == "proxy-authorization";
                let ws = words(&p.name);
                let csrf = ws.iter().any(|w| w == "csrf" || w == "xsrf");
                let credential = !csrf
                    && (cx.sensitive.classify(&p.name) == Some(Category::Secret)
                        || ws.last().is_some_and(|w| w == "auth"));
                if !(authorization || credential) || !seen.insert(p.node) {
                    continue;
                }
                let message = if authorization {
                    format!(
                        "`{}` header is declared as a parameter (OpenAPI ignores it) instead of a security scheme",
                        p.name
                    )
                } else {
                    format!(
                        "credential header `{}` is declared as a parameter instead of a security scheme",
                        p.name
                    )
                };
                out.push(Report {
                    node: p.node,
                    message,
                    help: "declare the credential under `components/securitySchemes` (`http` bearer/basic or `apiKey` in header) and require it with `security`".into(),
                });
            }
        }
    }
}
