use crate::prelude::*;

pub struct PlainHttpAuthUrl;

static META: RuleMeta = RuleMeta {
    code: "SG029",
    name: "plain-http-auth-url",
    severity: Severity::Error,
    owasp: Owasp::Api2,
    cwe: &[319],
    peers: &[],
    summary: "OAuth2 or OpenID Connect endpoint URL uses plain http",
    docs: r#"## What it does
Reports `authorizationUrl`, `tokenUrl` and `refreshUrl` of `oauth2` flows and the
`openIdConnectUrl` of `openIdConnect` schemes that use `http://`. Loopback hosts (`localhost`,
`127.0.0.1`, `[::1]`) are accepted; relative URLs are not checked.

## Why is this bad?
These endpoints exchange passwords, authorization codes, client secrets and tokens. Over plain
HTTP anyone on the network path reads them, and a tampered OpenID Connect discovery document
points clients at an attacker's keys and endpoints (OWASP API2:2023 Broken Authentication,
CWE-319). OAuth 2.0 requires TLS for all of them.

## Example
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: http://auth.example/token
          scopes: {}
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example/token
          scopes: {}
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-319: Cleartext Transmission of Sensitive Information
- RFC 6749 section 3.1 and 3.2 (TLS required at authorization and token endpoints)
"#,
};

fn is_loopback(rest: &str) -> bool {
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| h.trim_start_matches('['))
            .unwrap_or("")
    } else {
        host.split(':').next().unwrap_or("")
    };
    matches!(host, "localhost" | "127.0.0.1" | "::1") || host.ends_with(".localhost")
}

impl Rule for PlainHttpAuthUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for (name, node) in cx.distinct_security_schemes() {
            let mut urls = Vec::new();
            match t.get_str(node, "type") {
                Some("oauth2") => {
                    if let Some(flows) = t.get(node, "flows") {
                        for f in t.members(flows) {
                            for key in ["authorizationUrl", "tokenUrl", "refreshUrl"] {
                                if let Some(u) = t.get(f.value, key) {
                                    urls.push((key, u));
                                }
                            }
                        }
                    }
                }
                Some("openIdConnect") => {
                    if let Some(u) = t.get(node, "openIdConnectUrl") {
                        urls.push(("openIdConnectUrl", u));
                    }
                }
                _ => continue,
            }
            for (key, u) in urls {
                let Some(url) = t.str(u) else { continue };
                let lower = url.trim().to_ascii_lowercase();
                let Some(rest) = lower.strip_prefix("http://") else {
                    continue;
                };
                if is_loopback(rest) {
                    continue;
                }
                out.push(Report {
                    node: u,
                    message: format!(
                        "`{key}` of security scheme `{name}` uses plain http: `{url}`"
                    ),
                    help: "serve authorization, token and discovery endpoints over https".into(),
                });
            }
        }
    }
}
