use crate::prelude::*;
use crate::rules::input_schemas::{has_type, input_schemas};

pub struct UnboundedArrayInput;

static META: RuleMeta = RuleMeta {
    code: "SG047",
    name: "unbounded-array-input",
    severity: Severity::Info,
    owasp: Owasp::Api4,
    cwe: &[770, 1284],
    peers: &["owasp:api4:2023-array-limit", "owasp-array-limit"],
    summary: "Array accepted from clients has no maxItems",
    docs: r#"## What it does
Reports array schemas used in parameters and request bodies that have no `maxItems` (a 3.1
tuple closed with `items: false` is bounded by its `prefixItems`). A schema shared by several
operations is reported once, at the schema. Response-only, `readOnly` and webhook-payload arrays
are not client input and are not reported.

Options (`[options.unbounded-array-input]` in `specguard.toml`):
- `max-items` (default 0 = any): a `maxItems` above this still counts as unbounded.

## Why is this bad?
Every element of an array costs the server something: parsing, validation, a database row, a
downstream call. An unbounded array lets one request carry a million of them (OWASP API4:2023
Unrestricted Resource Consumption). A `maxItems` in the contract becomes a cheap check before
any of that work.

Spectral's `array-limit` checks every array, responses included; specguard (like vacuum) checks
only input, so that lists the server itself produces are not reported.

Default severity is `info`: unbounded arrays are everywhere in real contracts (GitHub's REST
description has hundreds), so as warnings they would drown the findings that matter. Teams that
enforce bounds raise it in `specguard.toml` (`[rules] API4 = "warning"`, or this rule alone).

## Example
```yaml
openapi: 3.0.3
info: {title: Mail, version: "1"}
paths:
  /messages:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                to:
                  type: array
                  items: {type: string, format: email, maxLength: 254}
      responses:
        "202": {description: queued}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Mail, version: "1"}
paths:
  /messages:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                to:
                  type: array
                  maxItems: 50
                  items: {type: string, format: email, maxLength: 254}
      responses:
        "202": {description: queued}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
- CWE-1284: Improper Validation of Specified Quantity in Input
"#,
};

impl Rule for UnboundedArrayInput {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let limit = cx.option_int(META.name, "max-items", 0);
        for s in input_schemas(cx) {
            let is_array = has_type(t, s, "array")
                || (t.get(s, "type").is_none() && t.get(s, "items").is_some());
            if !is_array || t.get(s, "enum").is_some() || t.get(s, "const").is_some() {
                continue;
            }
            if t.get(s, "prefixItems").is_some() && t.get_bool(s, "items") == Some(false) {
                continue;
            }
            let message = match t.get_number(s, "maxItems") {
                Some(m) if limit > 0 && m > limit as f64 => {
                    format!("array input allows {m} items, over the configured limit of {limit}")
                }
                Some(_) => continue,
                None => "array input has no maxItems".to_string(),
            };
            out.push(Report {
                node: s,
                message,
                help: "add `maxItems` with the largest number of elements a client may send".into(),
            });
        }
    }
}
