use crate::prelude::*;

pub struct OauthFlowWithoutRefreshUrl;

static META: RuleMeta = RuleMeta {
    code: "SG032",
    name: "oauth-flow-without-refresh-url",
    severity: Severity::Info,
    owasp: Owasp::Api2,
    cwe: &[613],
    peers: &["owasp:api2:2023-short-lived-access-tokens"],
    summary: "OAuth2 user flow has no refreshUrl, suggesting long-lived access tokens",
    docs: r#"## What it does
Reports `authorizationCode` and `password` flows of `oauth2` security schemes that have no
`refreshUrl`. `clientCredentials` flows are not reported: a client holding its own credentials
simply requests a new token (RFC 6749 says no refresh token should be issued there), and
`implicit` flows cannot refresh (they are reported by `deprecated-oauth-flow`).

## Why is this bad?
Access tokens are bearer credentials: whoever holds one is the user until it expires. Short
lifetimes bound the damage of a leaked token, and they are only practical when clients can
refresh silently (OWASP API2:2023 Broken Authentication, CWE-613). A flow with no refresh
endpoint suggests that access tokens live long enough to never need one. Many servers refresh
at the `tokenUrl`; stating it as `refreshUrl` documents that they do. Hence `info`.

Spectral's `short-lived-access-tokens` requires `refreshUrl` on every flow, including
`clientCredentials` and `implicit`, which do not use refresh tokens.

## Example
```yaml
openapi: 3.0.3
info: {title: Calendar, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth.example/authorize
          tokenUrl: https://auth.example/token
          scopes: {events:read: read events}
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Calendar, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: https://auth.example/authorize
          tokenUrl: https://auth.example/token
          refreshUrl: https://auth.example/token
          scopes: {events:read: read events}
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-613: Insufficient Session Expiration
- RFC 9700: Best Current Practice for OAuth 2.0 Security, section 2.2.2
"#,
};

impl Rule for OauthFlowWithoutRefreshUrl {
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
                if !matches!(&*f.key, "authorizationCode" | "password")
                    || t.get(f.value, "refreshUrl").is_some()
                {
                    continue;
                }
                out.push(Report {
                    node: f.value,
                    message: format!(
                        "`{}` flow of oauth2 scheme `{name}` has no `refreshUrl`",
                        f.key
                    ),
                    help: "issue short-lived access tokens with refresh tokens, and declare the refresh endpoint as `refreshUrl`".into(),
                });
            }
        }
    }
}
