use crate::prelude::*;
use specguard_spec::sensitive::words;

pub struct ServerAudienceUndeclared;

static META: RuleMeta = RuleMeta {
    code: "SG084",
    name: "server-audience-undeclared",
    severity: Severity::Info,
    owasp: Owasp::Api9,
    cwe: &[1059],
    peers: &["owasp:api9:2023-inventory-access"],
    summary: "Server does not declare who may use it (x-internal or an audience in its description)",
    docs: r#"## What it does
Reports top-level servers that neither carry an `x-internal` boolean nor have a `description`
naming an audience or environment (public, external, internal, private, partner, customer,
employee, production, live, sandbox, staging, development, test, local). Loopback servers are
not reported.

## Why is this bad?
An inventory of APIs has to say, for each host, who is meant to call it: the public, partners,
or only other services inside the network. Without that, internal hosts end up behind the
public gateway and nobody notices (OWASP API9:2023 Improper Inventory Management). This is
information to complete the inventory, not a vulnerability.

Spectral's `inventory-access` requires `x-internal` on `servers[0]` only; specguard checks every
top-level server and also accepts a description that names the audience, which is what most
published documents use.

## Example
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers:
  - url: https://api.shop.example
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers:
  - url: https://api.shop.example
    description: Production, public
  - url: https://orders.svc.shop.internal
    x-internal: true
paths: {}
```

## References
- OWASP API9:2023 Improper Inventory Management
- CWE-1059: Insufficient Technical Documentation
"#,
};

const AUDIENCE: [&str; 19] = [
    "public",
    "external",
    "internal",
    "private",
    "partner",
    "partners",
    "customer",
    "customers",
    "employee",
    "employees",
    "production",
    "prod",
    "live",
    "sandbox",
    "staging",
    "development",
    "dev",
    "test",
    "local",
];

fn is_loopback(url: &str) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = lower.split_once("://").map(|x| x.1).unwrap_or(&lower);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = match host.strip_prefix('[') {
        Some(h) => h.split(']').next().unwrap_or(""),
        None => host.split(':').next().unwrap_or(""),
    };
    matches!(host, "localhost" | "127.0.0.1" | "::1" | "0.0.0.0") || host.ends_with(".localhost")
}

impl Rule for ServerAudienceUndeclared {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let Some(servers) = t.get(cx.doc.root, "servers") else {
            return;
        };
        for &s in t.items(servers) {
            if t.get_bool(s, "x-internal").is_some() {
                continue;
            }
            let url = t.get_str(s, "url").unwrap_or("");
            if is_loopback(url) {
                continue;
            }
            let declared = t.get_str(s, "description").is_some_and(|d| {
                d.split(|c: char| !c.is_alphanumeric())
                    .flat_map(|p| words(p).to_vec())
                    .any(|w| AUDIENCE.contains(&w.as_str()))
            });
            if declared {
                continue;
            }
            out.push(Report {
                node: t.get(s, "url").unwrap_or(s),
                message: format!("server `{url}` does not say who may use it"),
                help: "add `x-internal: true|false`, or a description naming the audience and environment (e.g. \"Production, public\")".into(),
            });
        }
    }
}
