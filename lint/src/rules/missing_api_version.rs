use crate::prelude::*;

pub struct MissingApiVersion;

static META: RuleMeta = RuleMeta {
    code: "SG087",
    name: "missing-api-version",
    severity: Severity::Warning,
    owasp: Owasp::Api9,
    cwe: &[1059],
    peers: &[],
    summary: "info.version is missing or empty",
    docs: r#"## What it does
Reports documents whose `info.version` is missing, empty or only blanks.

## Why is this bad?
`info.version` is how an inventory tells one revision of the contract from the next: which
version is deployed where, which clients were generated from what, and whether an old version is
still exposed (OWASP API9:2023 Improper Inventory Management). The OpenAPI specification
requires it.

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: ""}
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "2.3.0"}
paths: {}
```

## References
- OWASP API9:2023 Improper Inventory Management
- CWE-1059: Insufficient Technical Documentation
"#,
};

impl Rule for MissingApiVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let Some(info) = t.get(cx.doc.root, "info") else {
            return;
        };
        let node = t.get(info, "version");
        let empty = match node {
            None => true,
            Some(v) => match t.str(v) {
                Some(s) => s.trim().is_empty(),
                None => matches!(t.value(v), specguard_spec::Value::Null),
            },
        };
        if empty {
            out.push(Report {
                node: node.unwrap_or(info),
                message: "info.version is missing or empty".into(),
                help: "set `info.version` to the revision of this contract (e.g. \"2.3.0\")".into(),
            });
        }
    }
}
