use crate::prelude::*;
use crate::rules::input_schemas::input_schemas;
use specguard_spec::inventory::is_id_like;

pub struct UnboundedStringInput;

static META: RuleMeta = RuleMeta {
    code: "SG004",
    name: "unbounded-string-input",
    severity: Severity::Info,
    owasp: Owasp::Api4,
    cwe: &[770, 1284],
    peers: &[
        "owasp:api4:2023-string-limit",
        "owasp-string-limit",
        "owasp:api4:2023-string-restricted",
        "owasp-string-restricted",
    ],
    summary: "String accepted from clients has no maxLength, enum or bounded format",
    docs: r#"## What it does
Reports string schemas used on the request side (parameters and request bodies) that have no
`maxLength`, no `enum`/`const`, and no format that bounds the length (`date`, `date-time`,
`time`, `uuid`, `ipv4`, `ipv6`). A schema shared by several operations is reported once, at the
schema. Response-only strings, `readOnly` ones (and everything under a `readOnly` schema) and
webhook payloads are not client input and are not reported; file contents (`format: binary`,
`contentMediaType`) are left to `upload-without-size-limit`, and identifier path and query
parameters (`id`, `user_id`, `slug`) to `unbounded-id-parameter`.

Options (`[options.unbounded-string-input]` in `specguard.toml`):
- `max-length` (default 0 = any): a `maxLength` above this still counts as unbounded.
- `pattern-bounds` (default false): accept an anchored `pattern` as a bound.

## Why is this bad?
A string without a limit lets a client send megabytes where a name was expected: memory, CPU
(regular expressions, parsing) and storage are consumed without bound (OWASP API4:2023
Unrestricted Resource Consumption). Bounds in the contract become validation in generated code.

Spectral's `string-limit` and `string-restricted` (and vacuum's equivalents) also flag response
strings; specguard checks only input, so a spec is not drowned in findings about data the server
itself produces.

Default severity is `info`: unbounded strings are everywhere in real contracts (GitHub's REST
description has hundreds), so as warnings they would drown the findings that matter. Teams that
enforce bounds raise it in `specguard.toml` (`[rules] API4 = "warning"`, or this rule alone).

## Example
```yaml
openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                text: {type: string}
      responses:
        "201": {description: created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Notes, version: "1"}
paths:
  /notes:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                text: {type: string, maxLength: 10000}
      responses:
        "201": {description: created}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
- CWE-1284: Improper Validation of Specified Quantity in Input
"#,
};

const BOUNDED_FORMATS: [&str; 8] = [
    "date",
    "date-time",
    "time",
    "uuid",
    "ipv4",
    "ipv6",
    "int32",
    "int64",
];

fn is_string(t: &specguard_spec::Tree, s: NodeId) -> bool {
    match t.get(s, "type") {
        Some(ty) => match t.str(ty) {
            Some(x) => x == "string",
            None => t.items(ty).iter().any(|&i| t.str(i) == Some("string")),
        },
        None => false,
    }
}

impl Rule for UnboundedStringInput {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let limit = cx.option_int(META.name, "max-length", 0);
        let pattern_bounds = cx.option_bool(META.name, "pattern-bounds", false);
        for s in input_schemas(cx) {
            if !is_string(t, s) {
                continue;
            }
            // Identifier parameters are judged by `unbounded-id-parameter`.
            if t.node(s).parent().is_some_and(|(p, _)| {
                matches!(t.get_str(p, "in"), Some("path" | "query"))
                    && t.get_str(p, "name").is_some_and(is_id_like)
            }) {
                continue;
            }
            // File contents: sized by `upload-without-size-limit`.
            if t.get_str(s, "format") == Some("binary") || t.get(s, "contentMediaType").is_some() {
                continue;
            }
            if t.get(s, "enum").is_some() || t.get(s, "const").is_some() {
                continue;
            }
            if t.get_str(s, "format")
                .is_some_and(|f| BOUNDED_FORMATS.contains(&f))
            {
                continue;
            }
            if pattern_bounds
                && t.get_str(s, "pattern")
                    .is_some_and(|p| p.starts_with('^') && p.ends_with('$'))
            {
                continue;
            }
            let max = t.get_number(s, "maxLength");
            let message = match max {
                Some(m) if limit > 0 && m > limit as f64 => format!(
                    "string input allows {m} characters, over the configured limit of {limit}"
                ),
                Some(_) => continue,
                None => "string input has no maxLength".to_string(),
            };
            out.push(Report {
                node: s,
                message,
                help: "add `maxLength` (or an `enum`, or a bounded `format` such as `uuid` or `date-time`)".into(),
            });
        }
    }
}
