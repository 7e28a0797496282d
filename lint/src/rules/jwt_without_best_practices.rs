use crate::prelude::*;

pub struct JwtWithoutBestPractices;

static META: RuleMeta = RuleMeta {
    code: "SG031",
    name: "jwt-without-best-practices",
    severity: Severity::Info,
    owasp: Owasp::Api2,
    cwe: &[347],
    peers: &[
        "owasp:api2:2023-jwt-best-practices",
        "owasp-jwt-best-practices",
    ],
    summary: "JWT-based security scheme does not state that it follows RFC 8725 (JWT best practices)",
    docs: r#"## What it does
Reports security schemes whose tokens are, or usually are, JSON Web Tokens — `oauth2` and
`openIdConnect` schemes, and any scheme with `bearerFormat: JWT` (case-insensitive) — when their
`description` does not refer to RFC 8725 (`RFC 8725`, `RFC8725` or "JSON Web Token Best
Current Practices").

## Why is this bad?
Most JWT vulnerabilities are validation mistakes: accepting `alg: none`, confusing HMAC and RSA
keys, not checking `aud`, `iss` or `exp`, trusting a `kid` or `jku` header (OWASP API2:2023
Broken Authentication, CWE-347). RFC 8725 lists what a validator must do; a scheme description
that commits to it tells implementers and reviewers which checks to expect. This is a
documentation check, hence `info`.

Spectral's and vacuum's `jwt-best-practices` require the literal text `RFC8725` and do not look
at `openIdConnect` schemes (whose ID tokens are always JWTs); specguard also accepts the spaced
form and the RFC's title, and includes `openIdConnect`.

## Example
```yaml
openapi: 3.0.3
info: {title: Ledger, version: "1"}
components:
  securitySchemes:
    jwt:
      type: http
      scheme: bearer
      bearerFormat: JWT
      description: A signed token from the login endpoint.
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Ledger, version: "1"}
components:
  securitySchemes:
    jwt:
      type: http
      scheme: bearer
      bearerFormat: JWT
      description: >-
        ES256-signed tokens from the login endpoint, validated per RFC 8725: fixed algorithm,
        issuer, audience and expiry checked.
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-347: Improper Verification of Cryptographic Signature
- RFC 8725: JSON Web Token Best Current Practices
"#,
};

fn cites_rfc8725(description: &str) -> bool {
    let squashed: String = description
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect();
    squashed.contains("rfc8725") || squashed.contains("jsonwebtokenbestcurrentpractice")
}

impl Rule for JwtWithoutBestPractices {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for (name, node) in cx.distinct_security_schemes() {
            let ty = t.get_str(node, "type").unwrap_or("");
            let jwt_format = t
                .get_str(node, "bearerFormat")
                .is_some_and(|f| f.eq_ignore_ascii_case("jwt"));
            let what = if jwt_format {
                "JWT bearer"
            } else if ty == "oauth2" {
                "oauth2"
            } else if ty == "openIdConnect" {
                "openIdConnect"
            } else {
                continue;
            };
            let description = t.get(node, "description");
            if description
                .and_then(|d| t.str(d))
                .is_some_and(cites_rfc8725)
            {
                continue;
            }
            let at = description.unwrap_or(node);
            out.push(Report {
                node: at,
                message: format!(
                    "{what} scheme `{name}` does not say its tokens are validated per RFC 8725"
                ),
                help: "state in the scheme's `description` that tokens follow RFC 8725 (JWT Best Current Practices) and which algorithm, issuer and audience are enforced".into(),
            });
        }
    }
}
