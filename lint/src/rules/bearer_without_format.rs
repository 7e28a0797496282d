use crate::prelude::*;

pub struct BearerWithoutFormat;

static META: RuleMeta = RuleMeta {
    code: "SG030",
    name: "bearer-without-format",
    severity: Severity::Info,
    owasp: Owasp::Api2,
    cwe: &[1059],
    peers: &[],
    summary: "HTTP bearer security scheme does not say what its tokens are (bearerFormat)",
    docs: r#"## What it does
Reports `http` security schemes with `scheme: bearer` that have no `bearerFormat`.

## Why is this bad?
How a bearer token must be validated depends on what it is: a JWT needs its signature,
algorithm, issuer, audience and expiry checked; an opaque token needs introspection or a
lookup. When the contract does not say which, implementations and reviewers guess, and a JWT
accepted without full validation is a forged identity (OWASP API2:2023 Broken Authentication).
`bearerFormat` is documentation only, hence `info`; `jwt-without-best-practices` then asks JWT
schemes to state how they are validated.

## Example
```yaml
openapi: 3.0.3
info: {title: Tasks, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer}
security:
  - bearer: []
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Tasks, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: opaque}
security:
  - bearer: []
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-1059: Insufficient Technical Documentation
- OpenAPI Specification: Security Scheme Object, `bearerFormat`
"#,
};

impl Rule for BearerWithoutFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for (name, node) in cx.distinct_security_schemes() {
            if !t
                .get_str(node, "type")
                .is_some_and(|ty| ty.eq_ignore_ascii_case("http"))
            {
                continue;
            }
            let Some(at) = t.get(node, "scheme") else {
                continue;
            };
            if !t.str(at).is_some_and(|s| s.eq_ignore_ascii_case("bearer"))
                || t.get(node, "bearerFormat").is_some()
            {
                continue;
            }
            out.push(Report {
                node: at,
                message: format!("bearer scheme `{name}` does not declare a `bearerFormat`"),
                help: "say what the tokens are, e.g. `bearerFormat: JWT` (then document its validation) or `bearerFormat: opaque`".into(),
            });
        }
    }
}
