use crate::prelude::*;
use crate::rules::input_schemas::{has_type, input_schemas, is_enumerated, schema_name};
use specguard_spec::inventory::is_id_like;
use specguard_spec::sensitive::words;

pub struct UnboundedNumberInput;

static META: RuleMeta = RuleMeta {
    code: "SG048",
    name: "unbounded-number-input",
    severity: Severity::Info,
    owasp: Owasp::Api4,
    cwe: &[770, 1284],
    peers: &[
        "owasp:api4:2023-integer-limit",
        "owasp:api4:2023-integer-limit-legacy",
        "owasp-integer-limit",
    ],
    summary: "Integer or number accepted from clients lacks a minimum or a maximum",
    docs: r#"## What it does
Reports integer and number schemas used in parameters and request bodies that lack a lower
bound (`minimum`, or a 3.1 numeric `exclusiveMinimum`) or an upper bound (`maximum`, or a 3.1
numeric `exclusiveMaximum`), unless an `enum` or `const` fixes the value. Numbers whose value
selects rather than sizes work are not reported: identifiers (`id`, `repo_id`, `issue_number`:
see `unbounded-id-parameter`), points in time (`created_at`, `expires_at`, `date`, `year`,
`since`, `before`) and range-filter operators (`gt`, `gte`, `lt`, `lte`). A schema shared by
several operations is reported once, at the schema. Response-only, `readOnly` and
webhook-payload numbers are not client input and are not reported.

Options (`[options.unbounded-number-input]` in `specguard.toml`):
- `require-minimum` (default true): set to false to report only a missing upper bound.

## Why is this bad?
Numbers drive work: `limit=1000000` makes the server read a million rows, `retries=99999`
loops, `quantity=-5` turns a charge into a refund, and in several databases `LIMIT -1` means
no limit at all (OWASP API4:2023 Unrestricted Resource Consumption). Bounds in the contract
become validation in generated code. A `format` (`int32`) is not a bound: it allows two billion.

Spectral's `integer-limit` (and vacuum's) check every integer, responses included, and treat a
schema giving both `minimum` and `exclusiveMinimum` as invalid; specguard checks only input,
covers `number` too, and accepts either keyword as the bound.

Default severity is `info`: unbounded numbers are everywhere in real contracts (GitHub's REST
description has hundreds), so as warnings they would drown the findings that matter. Teams that
enforce bounds raise it in `specguard.toml` (`[rules] API4 = "warning"`, or this rule alone).

## Example
```yaml
openapi: 3.0.3
info: {title: Search, version: "1"}
paths:
  /search:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer, format: int32}
      responses:
        "200": {description: results}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Search, version: "1"}
paths:
  /search:
    get:
      parameters:
        - name: limit
          in: query
          schema: {type: integer, format: int32, minimum: 1, maximum: 100}
      responses:
        "200": {description: results}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
- CWE-1284: Improper Validation of Specified Quantity in Input
"#,
};

/// Names whose value selects something rather than sizing work: identifiers, points in time,
/// range-filter operators, cursors.
fn selects(name: &str) -> bool {
    if is_id_like(name) {
        return true;
    }
    let ws = words(name);
    matches!(&ws[..], [w] if matches!(w.as_str(), "gt" | "gte" | "lt" | "lte"))
        || ws.last().is_some_and(|w| {
            matches!(
                w.as_str(),
                "at" | "date"
                    | "time"
                    | "timestamp"
                    | "year"
                    | "month"
                    | "day"
                    | "since"
                    | "until"
                    | "before"
                    | "after"
            )
        })
}

impl Rule for UnboundedNumberInput {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let require_min = cx.option_bool(META.name, "require-minimum", true);
        for s in input_schemas(cx) {
            let kind = if has_type(t, s, "integer") {
                "integer"
            } else if has_type(t, s, "number") {
                "number"
            } else {
                continue;
            };
            if is_enumerated(t, s) || schema_name(cx, s).is_some_and(selects) {
                continue;
            }
            // 3.0 writes `exclusiveMaximum: true` next to `maximum`; 3.1 makes it the number.
            let lower = t.get_number(s, "minimum").is_some()
                || t.get_number(s, "exclusiveMinimum").is_some();
            let upper = t.get_number(s, "maximum").is_some()
                || t.get_number(s, "exclusiveMaximum").is_some();
            let missing = match (lower || !require_min, upper) {
                (true, true) => continue,
                (true, false) => "maximum",
                (false, true) => "minimum",
                (false, false) => "minimum or maximum",
            };
            out.push(Report {
                node: s,
                message: format!("{kind} input has no {missing}"),
                help: "add `minimum` and `maximum` with the range the operation really accepts"
                    .into(),
            });
        }
    }
}
