use crate::prelude::*;
use specguard_spec::Value;

pub struct IgnoreWithoutReason;

pub const NAME: &str = "ignore-without-reason";

static META: RuleMeta = RuleMeta {
    code: "SG900",
    name: NAME,
    severity: Severity::Warning,
    owasp: Owasp::Api9,
    cwe: &[],
    peers: &[],
    summary: "x-specguard-ignore entry gives no reason (runs with --require-reason)",
    docs: r#"## What it does
With `--require-reason` (or `require-reason = true` in `specguard.toml`), reports
`x-specguard-ignore` entries written as a bare rule name instead of `{rule: ..., reason: ...}`.

## Why is this bad?
A suppression without a reason cannot be reviewed: a year later nobody knows whether the risk was
accepted on purpose or silenced to make CI pass.

## Example
```yaml
openapi: 3.0.3
info: {title: Status, version: "1"}
paths:
  /status:
    get:
      x-specguard-ignore: [operation-without-security]
      responses:
        "200": {description: up}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Status, version: "1"}
paths:
  /status:
    get:
      x-specguard-ignore:
        - rule: operation-without-security
          reason: load balancer health probe, returns no data
      responses:
        "200": {description: up}
```

## References
- OWASP API9:2023 Improper Inventory Management
"#,
};

impl Rule for IgnoreWithoutReason {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for (i, n) in t.nodes.iter().enumerate() {
            let Value::Object(members) = &n.value else {
                continue;
            };
            let Some(m) = members.iter().find(|m| &*m.key == "x-specguard-ignore") else {
                continue;
            };
            let entries: Vec<NodeId> = match t.value(m.value) {
                Value::Array(a) => a.clone(),
                _ => vec![m.value],
            };
            for e in entries {
                let reason = t.get_str(e, "reason").map(str::trim).unwrap_or("");
                if reason.is_empty() {
                    let rule = t.str(e).or_else(|| t.get_str(e, "rule")).unwrap_or("?");
                    out.push(Report {
                        node: e,
                        message: format!("`{rule}` is ignored without a reason"),
                        help: format!(
                            "write it as `{{rule: {rule}, reason: \"why this is acceptable\"}}`"
                        ),
                    });
                }
            }
            let _ = i;
        }
    }
}
