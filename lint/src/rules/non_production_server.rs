use crate::prelude::*;

pub struct NonProductionServer;

static META: RuleMeta = RuleMeta {
    code: "SG083",
    name: "non-production-server",
    severity: Severity::Warning,
    owasp: Owasp::Api9,
    cwe: &[1059],
    peers: &["owasp:api9:2023-inventory-environment"],
    summary: "Server URL names a development, staging, test or sandbox host",
    docs: r#"## What it does
Reports server URLs (top level, path item and operation `servers`) whose host name has a label
or label part naming a non-production environment: `dev`, `develop`, `development`, `staging`,
`stage`, `stg`, `test`, `testing`, `qa`, `uat`, `sandbox`, `preprod` (`api.staging.shop.example`,
`shop-dev.example`, `sandbox-api.pay.example`). Loopback hosts are not reported (nobody else can
reach them), nor are servers marked `x-internal: true`, which bundlers strip from published
documents.

## Why is this bad?
Non-production environments are the forgotten doors of an API: older builds, debug switches
left on, test accounts with known passwords, copies of production data and weaker monitoring.
Publishing their host names in the contract invites attackers to try them (OWASP API9:2023
Improper Inventory Management). Keep them in an internal variant of the document, or mark them
`x-internal: true`.

Spectral's `inventory-environment` asks every server `description` to name its environment;
specguard reports the risk itself — a non-production host in the published contract — and
leaves undeclared audiences to `server-audience-undeclared`. A payment provider's documented
public sandbox is reported too: if it is meant to be public, say so with an ignore and a reason.

## Example
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers:
  - url: https://api.shop.example
  - url: https://api.staging.shop.example
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
servers:
  - url: https://api.shop.example
  - url: https://api.staging.shop.example
    x-internal: true
paths: {}
```

## References
- OWASP API9:2023 Improper Inventory Management
- CWE-1059: Insufficient Technical Documentation
"#,
};

const ENV_WORDS: [&str; 13] = [
    "dev",
    "develop",
    "development",
    "staging",
    "stage",
    "stg",
    "test",
    "testing",
    "qa",
    "uat",
    "sandbox",
    "preprod",
    "preproduction",
];

/// The host of a URL (no scheme, user info or port), lower-case.
fn host_of(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let rest = lower.split_once("://").map(|x| x.1).unwrap_or(&lower);
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    if let Some(h) = host.strip_prefix('[') {
        return h.split(']').next().unwrap_or("").to_string();
    }
    host.split(':').next().unwrap_or("").to_string()
}

fn environment(host: &str) -> Option<&'static str> {
    if matches!(host, "localhost" | "127.0.0.1" | "::1" | "0.0.0.0") || host.ends_with(".localhost")
    {
        return None;
    }
    for label in host.split('.') {
        for part in label.split(['-', '_']) {
            if let Some(w) = ENV_WORDS.iter().find(|w| **w == part) {
                return Some(w);
            }
            // `dev1`, `qa2`, `staging3`
            let stem = part.trim_end_matches(|c: char| c.is_ascii_digit());
            if stem != part
                && let Some(w) = ENV_WORDS.iter().find(|w| **w == stem)
            {
                return Some(w);
            }
        }
    }
    None
}

impl Rule for NonProductionServer {
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
                if t.get_bool(s, "x-internal") == Some(true) {
                    continue;
                }
                let Some(url_node) = t.get(s, "url") else {
                    continue;
                };
                let Some(url) = t.str(url_node) else { continue };
                // Server variables: check the defaults and enum values too.
                let mut hosts = vec![host_of(url)];
                if let Some(vars) = t.get(s, "variables") {
                    for v in t.members(vars) {
                        let mut vals: Vec<&str> =
                            t.get_str(v.value, "default").into_iter().collect();
                        if let Some(e) = t.get(v.value, "enum") {
                            vals.extend(t.items(e).iter().filter_map(|&i| t.str(i)));
                        }
                        for val in vals {
                            let expanded = url.replace(&format!("{{{}}}", v.key), val);
                            hosts.push(host_of(&expanded));
                        }
                    }
                }
                if let Some((host, env)) = hosts
                    .iter()
                    .find_map(|h| environment(h).map(|e| (h.clone(), e)))
                {
                    out.push(Report {
                        node: url_node,
                        message: format!("server host `{host}` names a non-production environment (`{env}`)"),
                        help: "publish production servers only; keep other environments in an internal document or mark them `x-internal: true`".into(),
                    });
                }
            }
        }
    }
}
