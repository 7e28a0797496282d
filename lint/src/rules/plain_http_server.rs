use crate::prelude::*;

pub struct PlainHttpServer;

static META: RuleMeta = RuleMeta {
    code: "SG003",
    name: "plain-http-server",
    severity: Severity::Error,
    owasp: Owasp::Api8,
    cwe: &[319],
    peers: &[
        "owasp:api8:2023-no-server-http",
        "owasp-security-hosts-https-oas3",
        "owasp:api8:2023-no-scheme-http",
    ],
    summary: "Server URL uses plain http, ws or another scheme without TLS",
    docs: r#"## What it does
Reports server URLs (top level, path item and operation `servers`) that do not use TLS:
`http://`, `ws://`, and any other scheme than `https` and `wss` (`ftp://`, …).
Loopback hosts (`localhost`, `127.0.0.1`, `[::1]`) are accepted: they never leave the machine.

## Why is this bad?
Without TLS, credentials, tokens and personal data cross the network in clear text and can be
read or changed by anyone on the path (OWASP API8:2023 Security Misconfiguration, CWE-319).

Spectral's `no-server-http` also flags `http://localhost`; specguard does not, as a local
development server is not a transport risk. Spectral's `no-scheme-http` checks Swagger 2.0
`schemes`, which do not exist in OpenAPI 3: server URLs carry the scheme, so this rule covers it.

## Example
```yaml
openapi: 3.0.3
info: {title: Bank, version: "1"}
servers:
  - url: http://api.bank.example
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Bank, version: "1"}
servers:
  - url: https://api.bank.example
  - url: http://localhost:8080
paths: {}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-319: Cleartext Transmission of Sensitive Information
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
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "0.0.0.0") || host.ends_with(".localhost")
}

impl Rule for PlainHttpServer {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut holders = vec![cx.doc.root];
        for op in cx.operations() {
            holders.push(op.path_item);
            holders.push(op.node);
        }
        holders.sort();
        holders.dedup();
        for h in holders {
            let Some(servers) = t.get(h, "servers") else {
                continue;
            };
            for &s in t.items(servers) {
                let Some(url_node) = t.get(s, "url") else {
                    continue;
                };
                let Some(url) = t.str(url_node) else { continue };
                let lower = url.to_ascii_lowercase();
                let (scheme, rest) = match lower.split_once("://") {
                    Some(x) => x,
                    None => continue,
                };
                // Anything but TLS (http, ws, ftp, …); a `{scheme}` variable is left alone.
                let tls = scheme == "https" || scheme == "wss";
                if !tls && !scheme.contains('{') && !is_loopback(rest) {
                    out.push(Report {
                        node: url_node,
                        message: format!("server `{url}` uses plain {scheme}"),
                        help: format!(
                            "use {}:// so traffic is encrypted",
                            if scheme == "ws" { "wss" } else { "https" }
                        ),
                    });
                }
            }
        }
    }
}
