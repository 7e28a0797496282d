use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::inventory::is_id_like;
use specguard_spec::sensitive::words;

pub struct NumericIdPathParameter;

static META: RuleMeta = RuleMeta {
    code: "SG010",
    name: "numeric-id-path-parameter",
    severity: Severity::Warning,
    owasp: Owasp::Api1,
    cwe: &[639],
    peers: &["owasp:api1:2023-no-numeric-ids", "owasp-no-numeric-ids"],
    summary: "Object identifier in the path is a plain integer that can be enumerated",
    docs: r#"## What it does
Reports path parameters whose name designates an identifier (`id`, `userId`, `order_id`,
`slug`, `key` …) and whose schema is an `integer`. Human-facing sequence numbers
(`issue_number`, `invoice-number`) are sequential by design and are not reported. A parameter
shared by several operations is reported once, at the parameter.

## Why is this bad?
Sequential integers tell an attacker which other objects exist: if `/invoices/1041` is theirs,
`/invoices/1040` is somebody else's. Every missing object-level authorization check then becomes
a data leak that a loop can harvest (OWASP API1:2023 Broken Object Level Authorization,
CWE-639). Opaque, random identifiers (UUIDs) do not replace authorization checks, but they stop
enumeration and make a forgotten check far harder to exploit.

Spectral's and vacuum's `no-numeric-ids` match names ending in `id` by pattern, in any
parameter location (vacuum also flags names that merely end in the letters `id`, such as
`notanid`); specguard looks at path parameters, where an id addresses an object, splits names
into words, also treats `key` and `slug` identifiers as ids, and leaves out `…_number`
parameters.

## Example
```yaml
openapi: 3.0.3
info: {title: Billing, version: "1"}
paths:
  /invoices/{invoiceId}:
    get:
      parameters:
        - {name: invoiceId, in: path, required: true, schema: {type: integer, format: int64}}
      responses:
        "200": {description: the invoice}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Billing, version: "1"}
paths:
  /invoices/{invoiceId}:
    get:
      parameters:
        - {name: invoiceId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: the invoice}
```

## References
- OWASP API1:2023 Broken Object Level Authorization
- CWE-639: Authorization Bypass Through User-Controlled Key
"#,
};

/// `type: integer`, or a 3.1 type list that contains `integer`.
fn is_integer(t: &specguard_spec::Tree, s: NodeId) -> bool {
    match t.get(s, "type") {
        Some(ty) => match t.str(ty) {
            Some(x) => x == "integer",
            None => t.items(ty).iter().any(|&i| t.str(i) == Some("integer")),
        },
        None => false,
    }
}

impl Rule for NumericIdPathParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut seen = HashSet::default();
        for op in cx.operations() {
            for p in &op.parameters {
                if p.location != ParamIn::Path || !is_id_like(&p.name) {
                    continue;
                }
                // `issue_number`, `invoice_number`: human-facing sequence numbers, sequential
                // by design; an opaque id is not an alternative there.
                if words(&p.name).last().is_some_and(|w| w == "number") {
                    continue;
                }
                let Some(s) = p.schema else { continue };
                if !is_integer(t, s) || !seen.insert(p.node) {
                    continue;
                }
                out.push(Report {
                    node: p.node,
                    message: format!(
                        "path parameter `{}` is an integer identifier that can be enumerated",
                        p.name
                    ),
                    help: "use opaque random identifiers (`type: string, format: uuid`), and check in every handler that the caller may access the object".into(),
                });
            }
        }
    }
}
