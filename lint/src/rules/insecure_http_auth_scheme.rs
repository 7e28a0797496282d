use crate::prelude::*;

pub struct InsecureHttpAuthScheme;

static META: RuleMeta = RuleMeta {
    code: "SG025",
    name: "insecure-http-auth-scheme",
    severity: Severity::Error,
    owasp: Owasp::Api2,
    cwe: &[327, 522],
    peers: &[
        "owasp:api2:2023-auth-insecure-schemes",
        "owasp-auth-insecure-schemes",
        "owasp-no-http-basic",
    ],
    summary: "Security scheme uses a weak HTTP authentication scheme (Digest, Negotiate/NTLM, OAuth 1.0)",
    docs: r#"## What it does
Reports `http` security schemes whose `scheme` (case-insensitive) is `digest`, `negotiate`,
`ntlm` or `oauth` (OAuth 1.0 signatures). HTTP Basic is reported by `http-basic-auth`.

## Why is this bad?
- Digest is built on MD5, makes the server store password equivalents, and is usually
  negotiated down to its weakest variant.
- Negotiate falls back to NTLM, whose challenge-response can be relayed and cracked offline.
- OAuth 1.0 is obsolete; its successor OAuth 2.0 with short-lived bearer tokens is what current
  clients and servers support.

All three protect credentials with broken or obsolete cryptography (OWASP API2:2023 Broken
Authentication, CWE-327, CWE-522).

Spectral's and vacuum's `auth-insecure-schemes` list only `negotiate` and `oauth`, matched
case-sensitively; specguard also reports `digest` and `ntlm`, in any letter case.

## Example
```yaml
openapi: 3.0.3
info: {title: Intranet, version: "1"}
components:
  securitySchemes:
    windows: {type: http, scheme: negotiate}
security:
  - windows: []
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Intranet, version: "1"}
components:
  securitySchemes:
    sso:
      type: openIdConnect
      openIdConnectUrl: https://login.example/.well-known/openid-configuration
security:
  - sso: []
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-327: Use of a Broken or Risky Cryptographic Algorithm
- CWE-522: Insufficiently Protected Credentials
"#,
};

const WEAK: [&str; 4] = ["digest", "negotiate", "ntlm", "oauth"];

impl Rule for InsecureHttpAuthScheme {
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
            let Some(scheme) = t.str(at) else { continue };
            let lower = scheme.to_ascii_lowercase();
            if !WEAK.contains(&lower.as_str()) {
                continue;
            }
            out.push(Report {
                node: at,
                message: format!(
                    "security scheme `{name}` uses the weak `{scheme}` HTTP authentication scheme"
                ),
                help: "use OAuth 2.0 / OpenID Connect bearer tokens (or mutual TLS) instead".into(),
            });
        }
    }
}
