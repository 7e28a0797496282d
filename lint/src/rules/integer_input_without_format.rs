use crate::prelude::*;
use crate::rules::input_schemas::{has_type, input_schemas, is_enumerated};

pub struct IntegerInputWithoutFormat;

static META: RuleMeta = RuleMeta {
    code: "SG049",
    name: "integer-input-without-format",
    severity: Severity::Info,
    owasp: Owasp::Api4,
    cwe: &[190, 1284],
    peers: &["owasp:api4:2023-integer-format", "owasp-integer-format"],
    summary: "Integer accepted from clients has neither an int32/int64 format nor a range",
    docs: r#"## What it does
Reports integer schemas used in parameters and request bodies with no size `format` (`int32`,
`int64`, or the registry's `int8`, `int16`, `uint8`, `uint16`, `uint32`, `uint64`) and no
complete range (`minimum` and `maximum`) or `enum`/`const`. A schema shared by several
operations is reported once, at the schema. Response-only, `readOnly` and webhook-payload
integers are not reported.

## Why is this bad?
JSON numbers have no size. When the contract does not say how wide an integer is, each layer
picks its own: a 64-bit parser upstream, a 32-bit column or a JavaScript double downstream. A
value that fits one and overflows or silently rounds in the next bypasses checks done earlier
(CWE-190 Integer Overflow; OWASP API4:2023).

Spectral's and vacuum's `integer-format` require a format on every integer, responses included,
even when `minimum` and `maximum` already pin the range; specguard checks only input and accepts a
full range instead of a format. It is informational: a range (`unbounded-number-input`) is what
really limits the work a value can cause.

## Example
```yaml
openapi: 3.0.3
info: {title: Cart, version: "1"}
paths:
  /cart/items:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                product_id: {type: integer, minimum: 1}
      responses:
        "201": {description: added}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Cart, version: "1"}
paths:
  /cart/items:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                product_id: {type: integer, format: int64, minimum: 1}
      responses:
        "201": {description: added}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-190: Integer Overflow or Wraparound
- CWE-1284: Improper Validation of Specified Quantity in Input
"#,
};

const SIZE_FORMATS: [&str; 8] = [
    "int32", "int64", "int8", "int16", "uint8", "uint16", "uint32", "uint64",
];

impl Rule for IntegerInputWithoutFormat {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for s in input_schemas(cx) {
            if !has_type(t, s, "integer") || is_enumerated(t, s) {
                continue;
            }
            let format = t.get_str(s, "format");
            if format.is_some_and(|f| SIZE_FORMATS.contains(&f)) {
                continue;
            }
            let ranged = (t.get_number(s, "minimum").is_some()
                || t.get_number(s, "exclusiveMinimum").is_some())
                && (t.get_number(s, "maximum").is_some()
                    || t.get_number(s, "exclusiveMaximum").is_some());
            if ranged {
                continue;
            }
            let message = match format {
                Some(f) => format!("integer input has format `{f}`, which does not give its size"),
                None => "integer input has no format (int32 or int64)".to_string(),
            };
            out.push(Report {
                node: s,
                message,
                help: "add `format: int32` or `format: int64` (or a `minimum` and `maximum`)"
                    .into(),
            });
        }
    }
}
