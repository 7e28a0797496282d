use crate::prelude::*;

pub struct MissingOperationId;

static META: RuleMeta = RuleMeta {
    code: "SG085",
    name: "missing-operation-id",
    severity: Severity::Warning,
    owasp: Owasp::Api9,
    cwe: &[1059],
    peers: &[],
    summary: "Operation has no operationId",
    docs: r#"## What it does
Reports operations without an `operationId` (or with an empty one).

## Why is this bad?
The `operationId` is the stable name of an operation: inventories, gateways, audit logs,
generated clients and servers, and per-operation policies (rate limits, authorization rules)
refer to it. Without it, tools invent names from the path and method, which change whenever the
path does, and policies silently stop applying (OWASP API9:2023 Improper Inventory Management).

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    get:
      operationId: listOrders
      responses:
        "200": {description: the orders}
```

## References
- OWASP API9:2023 Improper Inventory Management
- CWE-1059: Insufficient Technical Documentation
"#,
};

impl Rule for MissingOperationId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for op in cx.operations() {
            if op
                .operation_id
                .as_deref()
                .is_some_and(|id| !id.trim().is_empty())
            {
                continue;
            }
            out.push(Report {
                node: t.get(op.node, "operationId").unwrap_or(op.node),
                message: format!("{} has no operationId", op.label()),
                help: "add a unique, stable `operationId` (e.g. `listOrders`)".into(),
            });
        }
    }
}
