use crate::prelude::*;
use rustc_hash::FxHashMap as HashMap;

pub struct DuplicateOperationId;

static META: RuleMeta = RuleMeta {
    code: "SG086",
    name: "duplicate-operation-id",
    severity: Severity::Error,
    owasp: Owasp::Api9,
    cwe: &[694],
    peers: &[],
    summary: "Several operations share one operationId",
    docs: r#"## What it does
Reports every operation whose `operationId` was already used by an earlier operation of the
document (webhooks included), naming the first one.

## Why is this bad?
The OpenAPI specification requires `operationId`s to be unique. Tools that key on them — code
generators, gateways applying per-operation policies, inventories — silently keep one operation
and drop or overwrite the other, so an authorization or rate-limit rule meant for one endpoint
ends up on another, or on none (OWASP API9:2023 Improper Inventory Management, CWE-694).

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    get:
      operationId: getOrders
      responses:
        "200": {description: the orders}
  /admin/orders:
    get:
      operationId: getOrders
      responses:
        "200": {description: all orders}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    get:
      operationId: listMyOrders
      responses:
        "200": {description: the orders}
  /admin/orders:
    get:
      operationId: listAllOrders
      responses:
        "200": {description: all orders}
```

## References
- OWASP API9:2023 Improper Inventory Management
- CWE-694: Use of Multiple Resources with Duplicate Identifier
"#,
};

impl Rule for DuplicateOperationId {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut first: HashMap<&str, &Operation> = HashMap::default();
        let mut seen_nodes = std::collections::HashSet::new();
        for op in cx.operations() {
            // The same operation object reached through two `$ref`s is one operation.
            if !seen_nodes.insert(op.node) {
                continue;
            }
            let Some(id) = op.operation_id.as_deref() else {
                continue;
            };
            if id.trim().is_empty() {
                continue;
            }
            match first.get(id) {
                Some(prev) => out.push(Report {
                    node: t.get(op.node, "operationId").unwrap_or(op.node),
                    message: format!(
                        "operationId `{id}` of {} is already used by {}",
                        op.label(),
                        prev.label()
                    ),
                    help: "give every operation its own `operationId`".into(),
                }),
                None => {
                    first.insert(id, op);
                }
            }
        }
    }
}
