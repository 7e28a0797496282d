use crate::prelude::*;

pub struct HttpBasicAuth;

static META: RuleMeta = RuleMeta {
    code: "SG024",
    name: "http-basic-auth",
    severity: Severity::Warning,
    owasp: Owasp::Api2,
    cwe: &[522],
    peers: &["owasp:api2:2023-no-http-basic", "owasp-no-http-basic"],
    summary: "Security scheme uses HTTP Basic authentication",
    docs: r#"## What it does
Reports `http` security schemes with `scheme: basic` (case-insensitive). Digest, Negotiate and
OAuth 1.0 are reported by `insecure-http-auth-scheme`.

## Why is this bad?
Basic authentication sends a long-lived secret, often the user's own password, base64-encoded
(not encrypted) with every request. It cannot expire, carry scopes or be bound to a client, so
one leaked request log or proxy trace leaks the account; and password endpoints that accept it
on every route are ideal for credential stuffing (OWASP API2:2023 Broken Authentication,
CWE-522). Over TLS with a random API key as the username it is tolerable, hence a warning.

Spectral's and vacuum's `no-http-basic` are errors, and vacuum's also reports `negotiate`;
specguard keeps Basic at warning, matches the scheme in any letter case, and reports Negotiate
under `insecure-http-auth-scheme` (an error).

## Example
```yaml
openapi: 3.0.3
info: {title: Reports, version: "1"}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
security:
  - basic: []
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Reports, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearer: []
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-522: Insufficiently Protected Credentials
- RFC 7617: The 'Basic' HTTP Authentication Scheme (security considerations)
"#,
};

impl Rule for HttpBasicAuth {
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
            if t.str(at).is_some_and(|s| s.eq_ignore_ascii_case("basic")) {
                out.push(Report {
                    node: at,
                    message: format!("security scheme `{name}` uses HTTP Basic authentication"),
                    help: "prefer short-lived bearer tokens (OAuth 2.0 or signed tokens); if Basic must stay, accept only random API keys as credentials, never user passwords".into(),
                });
            }
        }
    }
}
