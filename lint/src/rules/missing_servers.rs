use crate::prelude::*;

pub struct MissingServers;

static META: RuleMeta = RuleMeta {
    code: "SG074",
    name: "missing-servers",
    severity: Severity::Info,
    owasp: Owasp::Api8,
    cwe: &[1059],
    peers: &[],
    summary: "Document declares no servers",
    docs: r#"## What it does
Reports documents with no `servers` anywhere: none at the top level (or an empty list) and none
on a path item or operation.

## Why is this bad?
Without `servers`, OpenAPI 3 assumes `/` on whatever host the document was fetched from, and
every tool guesses differently. Nobody reading the contract can tell which hosts serve the API,
whether they use TLS, or which environments exist — the first step of keeping an inventory of
exposed APIs (OWASP API8:2023 Security Misconfiguration, API9:2023 Improper Inventory
Management). Other rules (`plain-http-server`, `non-production-server`) can only check servers
that are declared.

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
servers:
  - url: https://api.orders.example/v1
    description: production, for customers
paths: {}
```

## References
- OWASP API8:2023 Security Misconfiguration
- OWASP API9:2023 Improper Inventory Management
- CWE-1059: Insufficient Technical Documentation
"#,
};

impl Rule for MissingServers {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let has = |n: NodeId| t.get(n, "servers").is_some_and(|s| !t.items(s).is_empty());
        if has(cx.doc.root) {
            return;
        }
        if cx
            .operations()
            .iter()
            .any(|op| has(op.node) || has(op.path_item))
        {
            return;
        }
        let node = t
            .get(cx.doc.root, "servers")
            .or_else(|| t.get(cx.doc.root, "openapi"))
            .unwrap_or(cx.doc.root);
        out.push(Report {
            node,
            message: "the document declares no servers".into(),
            help: "list the hosts that serve this API under `servers`, with a description of each environment".into(),
        });
    }
}
