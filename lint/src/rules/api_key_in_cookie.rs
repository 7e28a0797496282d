use crate::prelude::*;

pub struct ApiKeyInCookie;

static META: RuleMeta = RuleMeta {
    code: "SG026",
    name: "api-key-in-cookie",
    severity: Severity::Warning,
    owasp: Owasp::Api2,
    cwe: &[352],
    peers: &[],
    summary: "API key security scheme is sent in a cookie, which browsers attach automatically",
    docs: r#"## What it does
Reports `apiKey` security schemes with `in: cookie`. Keys in the query string are reported by
`api-key-in-query`.

## Why is this bad?
Browsers attach cookies to every request to the API's origin, including requests a malicious
page triggers. Unless every state-changing operation also checks a CSRF token or the cookie is
`SameSite=Strict`, a visitor's session can be used against them (cross-site request forgery,
CWE-352; OWASP API2:2023 Broken Authentication). A header credential is only sent by code that
chose to send it.

## Example
```yaml
openapi: 3.0.3
info: {title: Portal, version: "1"}
components:
  securitySchemes:
    session: {type: apiKey, in: cookie, name: SESSION}
security:
  - session: []
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Portal, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
security:
  - key: []
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-352: Cross-Site Request Forgery (CSRF)
- OWASP Cross-Site Request Forgery Prevention Cheat Sheet
"#,
};

impl Rule for ApiKeyInCookie {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for (name, node) in cx.distinct_security_schemes() {
            if !t
                .get_str(node, "type")
                .is_some_and(|ty| ty.eq_ignore_ascii_case("apiKey"))
            {
                continue;
            }
            let Some(at) = t.get(node, "in") else {
                continue;
            };
            if t.str(at) == Some("cookie") {
                out.push(Report {
                    node: at,
                    message: format!(
                        "security scheme `{name}` sends its credential in a cookie (CSRF-exposed)"
                    ),
                    help: "send the credential in a header; if a cookie is required, set `SameSite=Strict` and require a CSRF token on state-changing operations".into(),
                });
            }
        }
    }
}
