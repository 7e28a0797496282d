use crate::prelude::*;

pub struct MissingServerErrorResponse;

static META: RuleMeta = RuleMeta {
    code: "SG077",
    name: "missing-server-error-response",
    severity: Severity::Info,
    owasp: Owasp::Api8,
    cwe: &[209, 755],
    peers: &[
        "owasp:api8:2023-define-error-responses-500",
        "owasp-define-error-responses-500",
    ],
    summary: "Operation documents no 500, 5XX or default error response",
    docs: r#"## What it does
Reports operations that document no server error: no `500`, `5XX` or `default` response. When
more than a fifth of the operations lack one — the document simply has no such convention — a
single finding at `paths` with the count replaces the per-operation ones; otherwise each
operation that departs from the convention is reported.

## Why is this bad?
A documented server error with a small error schema is the contract that unexpected failures
come back as a generic message and a correlation id — not as a stack trace, a SQL error or a
framework's debug page (OWASP API8:2023 Security Misconfiguration, CWE-209). Without it, what a
crashing handler returns is whatever the framework does by default.

Spectral's and vacuum's `define-error-responses-500` report every operation, which on a real API
means hundreds of identical findings for one decision; vacuum also requires `content` on the
`500`. specguard accepts `5XX` and `default`, reports once per document unless only a few
operations depart from the document's convention, and is information only. The leak itself is caught by
`error-response-exposes-internals`.

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
      responses:
        "200": {description: the orders}
        default:
          description: unexpected error
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                properties:
                  message: {type: string, maxLength: 200}
                  request_id: {type: string, format: uuid}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-209: Generation of Error Message Containing Sensitive Information
- CWE-755: Improper Handling of Exceptional Conditions
"#,
};

fn documents(op: &Operation) -> bool {
    op.responses
        .iter()
        .any(|(c, _)| c == "default" || c.eq_ignore_ascii_case("5XX") || c.starts_with('5'))
}

impl Rule for MissingServerErrorResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let ops: Vec<&Operation> = cx
            .operations()
            .iter()
            .filter(|op| !op.webhook && t.get(op.node, "responses").is_some())
            .collect();
        if ops.is_empty() {
            return;
        }
        let missing: Vec<&&Operation> = ops.iter().filter(|op| !documents(op)).collect();
        if missing.is_empty() {
            return;
        }
        // Per operation only where the document has the convention and a few deviate.
        if ops.len() > 1 && missing.len() * 5 > ops.len() {
            let node = t.get(cx.doc.root, "paths").unwrap_or(cx.doc.root);
            out.push(Report {
                node,
                message: format!(
                    "{} of {} operations document no 500 or default error response",
                    missing.len(),
                    ops.len()
                ),
                help: "document a `500` (or `default`) response with a minimal error schema — a message and a correlation id".into(),
            });
            return;
        }
        for op in missing {
            let node = t.get(op.node, "responses").unwrap_or(op.node);
            out.push(Report {
                node,
                message: format!("{} documents no 500 or default error response", op.label()),
                help: "document a `500` (or `default`) response with a minimal error schema — a message and a correlation id".into(),
            });
        }
    }
}
