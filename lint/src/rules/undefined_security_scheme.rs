use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;

pub struct UndefinedSecurityScheme;

static META: RuleMeta = RuleMeta {
    code: "SG022",
    name: "undefined-security-scheme",
    severity: Severity::Error,
    owasp: Owasp::Api2,
    cwe: &[287],
    peers: &[],
    summary: "Security requirement names a scheme that components/securitySchemes does not declare",
    docs: r#"## What it does
Reports entries of `security` requirements (top level and per operation) whose name is not a
key of `components/securitySchemes`.

## Why is this bad?
The requirement cannot be enforced: tools that build middleware from the contract either fail
or, worse, skip the unknown scheme and leave the operation unauthenticated. A typo in a scheme
name is enough to open an endpoint (OWASP API2:2023 Broken Authentication, CWE-287).

## Example
```yaml
openapi: 3.0.3
info: {title: Inventory, version: "1"}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearer: []
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Inventory, version: "1"}
components:
  securitySchemes:
    bearerAuth: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearerAuth: []
paths: {}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-287: Improper Authentication
"#,
};

/// Every Security Requirement list of the document (top level and operations), each once.
pub(crate) fn requirement_lists(cx: &Context<'_>) -> Vec<NodeId> {
    let t = cx.tree();
    let mut lists: Vec<NodeId> = t.get(cx.doc.root, "security").into_iter().collect();
    for op in cx.operations() {
        if let Some(s) = t.get(op.node, "security") {
            lists.push(s);
        }
    }
    let mut seen = HashSet::default();
    lists.retain(|n| seen.insert(*n));
    lists
}

impl Rule for UndefinedSecurityScheme {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let declared: HashSet<String> = cx.security_schemes().into_iter().map(|s| s.0).collect();
        for list in requirement_lists(cx) {
            for &alt in t.items(list) {
                for m in t.members(alt) {
                    if declared.contains(&*m.key) {
                        continue;
                    }
                    out.push(Report {
                        node: m.value,
                        message: format!(
                            "security requirement names `{}`, which is not a declared security scheme",
                            m.key
                        ),
                        help: "use the name of a scheme under `components/securitySchemes`, or declare it there".into(),
                    });
                }
            }
        }
    }
}
