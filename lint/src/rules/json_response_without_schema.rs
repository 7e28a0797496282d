use crate::prelude::*;

pub struct JsonResponseWithoutSchema;

static META: RuleMeta = RuleMeta {
    code: "SG040",
    name: "json-response-without-schema",
    severity: Severity::Warning,
    owasp: Owasp::Api3,
    cwe: &[213],
    peers: &[],
    summary: "Successful JSON response declares no schema",
    docs: r#"## What it does
Reports success (`2xx`, `2XX`) responses of operations whose JSON media types (`application/json`,
`application/problem+json`, any `+json`) have no `schema`, or an empty one (`schema: {}`). A
shared response component is reported once. Responses without `content` (`204`) are fine.

## Why is this bad?
Without a schema the contract does not say which fields the operation returns, so nothing —
review, contract tests, generated serialisers — keeps the implementation from returning the
whole record: internal flags, other users' data, secrets (OWASP API3:2023 Broken Object Property
Level Authorization). A schema is the allowlist of what may leave the server.

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: the order
          content:
            application/json: {}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders/{id}:
    get:
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200":
          description: the order
          content:
            application/json:
              schema:
                type: object
                properties:
                  id: {type: string, format: uuid}
                  total: {type: integer, format: int64}
```

## References
- OWASP API3:2023 Broken Object Property Level Authorization
- CWE-213: Exposure of Sensitive Information Due to Incompatible Policies
"#,
};

fn is_json(media: &str) -> bool {
    let m = media
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    m == "application/json" || m == "text/json" || m.ends_with("+json") || m == "*/*+json"
}

impl Rule for JsonResponseWithoutSchema {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for op in cx.operations() {
            if op.webhook {
                continue;
            }
            for (code, resp) in &op.responses {
                if !code.starts_with('2') {
                    continue;
                }
                let Some(content) = t.get(*resp, "content") else {
                    continue;
                };
                for m in t.members(cx.resolve(content)) {
                    if !is_json(&m.key) {
                        continue;
                    }
                    let schema = t.get(m.value, "schema").map(|s| cx.resolve(s));
                    let empty = match schema {
                        None => true,
                        Some(s) => t.is_object(s) && t.members(s).is_empty(),
                    };
                    if empty {
                        out.push(Report {
                            node: m.value,
                            message: format!("{code} response `{}` has no schema", m.key),
                            help: "describe the returned fields with a `schema` (an object with `properties`)".into(),
                        });
                    }
                }
            }
        }
    }
}
