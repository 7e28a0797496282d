use crate::prelude::*;

pub struct DeprecatedOauthFlow;

static META: RuleMeta = RuleMeta {
    code: "SG028",
    name: "deprecated-oauth-flow",
    severity: Severity::Warning,
    owasp: Owasp::Api2,
    cwe: &[522, 598],
    peers: &[],
    summary: "OAuth2 scheme offers the implicit or resource-owner password flow",
    docs: r#"## What it does
Reports the `implicit` and `password` flows of `oauth2` security schemes.

## Why is this bad?
The OAuth 2.0 Security Best Current Practice (RFC 9700) says clients should not use the
implicit grant and must not use the resource owner password credentials grant:
- implicit returns the access token in the redirect URL, where browser history, logs and
  `Referer` headers leak it, and it cannot bind the token to the client;
- password hands the user's password to the client application, trains users to type it into
  third-party forms, and cannot support multi-factor authentication.

Both weaken authentication (OWASP API2:2023 Broken Authentication). The authorization code
flow with PKCE replaces both.

## Example
```yaml
openapi: 3.0.3
info: {title: Photos, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        implicit:
          authorizationUrl: https://auth.example/authorize
          scopes: {photos:read: read photos}
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Photos, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth.example/authorize
          tokenUrl: https://auth.example/token
          refreshUrl: https://auth.example/token
          scopes: {photos:read: read photos}
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- RFC 9700: Best Current Practice for OAuth 2.0 Security, sections 2.1.2 and 2.4
- CWE-522: Insufficiently Protected Credentials
- CWE-598: Use of GET Request Method With Sensitive Query Strings
"#,
};

impl Rule for DeprecatedOauthFlow {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for (name, node) in cx.distinct_security_schemes() {
            if t.get_str(node, "type") != Some("oauth2") {
                continue;
            }
            let Some(flows) = t.get(node, "flows") else {
                continue;
            };
            for f in t.members(flows) {
                let why = match &*f.key {
                    "implicit" => "the implicit flow returns tokens in the redirect URL",
                    "password" => "the password flow hands user passwords to the client",
                    _ => continue,
                };
                out.push(Report {
                    node: f.value,
                    message: format!("oauth2 scheme `{name}` offers a deprecated flow: {why}"),
                    help: "use the authorization code flow with PKCE (`authorizationCode`)".into(),
                });
            }
        }
    }
}
