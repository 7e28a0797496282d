use crate::prelude::*;

pub struct ApiKeyInQuery;

static META: RuleMeta = RuleMeta {
    code: "SG002",
    name: "api-key-in-query",
    severity: Severity::Error,
    owasp: Owasp::Api2,
    cwe: &[598],
    peers: &[
        "owasp:api2:2023-no-api-keys-in-url",
        "owasp-no-api-keys-in-url",
    ],
    summary: "API key security scheme sent in the query string",
    docs: r#"## What it does
Reports `apiKey` security schemes whose key travels in the URL (`in: query`; also the invalid
`in: path`, which documents use to mean the same). Keys in cookies
are reported by `api-key-in-cookie`; credentials in ordinary parameters by `credential-in-url`.

## Why is this bad?
URLs are written to server and proxy access logs, browser history and `Referer` headers. A key in
the URL leaks to everyone who can read those (OWASP API2:2023, CWE-598).

## Example
```yaml
openapi: 3.0.3
info: {title: Maps, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: query, name: api_key}
security:
  - key: []
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Maps, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
security:
  - key: []
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-598: Use of GET Request Method With Sensitive Query Strings
"#,
};

impl Rule for ApiKeyInQuery {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for (name, node) in cx.security_schemes() {
            if t.get_str(node, "type") != Some("apiKey") {
                continue;
            }
            let Some(at) = t.get(node, "in") else {
                continue;
            };
            let place = t.str(at).unwrap_or("");
            // `in: path` is not valid OpenAPI for apiKey, but documents that say it mean the URL.
            if place == "query" || place == "path" {
                out.push(Report {
                    node: at,
                    message: format!("security scheme `{name}` sends the API key in the {place}"),
                    help: "send the key in a header (`in: header`, e.g. `X-API-Key`) so it stays out of logs and browser history".into(),
                });
            }
        }
    }
}
