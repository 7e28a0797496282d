use crate::prelude::*;

pub struct MissingValidationErrorResponse;

static META: RuleMeta = RuleMeta {
    code: "SG076",
    name: "missing-validation-error-response",
    severity: Severity::Info,
    owasp: Owasp::Api8,
    cwe: &[755],
    peers: &[
        "owasp:api8:2023-define-error-validation",
        "owasp-define-error-validation",
    ],
    summary: "Operation takes a body or required parameters but documents no 400 or 422 response",
    docs: r#"## What it does
Reports operations that take input that must be validated — a request body, or a required
query, header or cookie parameter — and document no validation error: no `400`, `422`, `4XX`
or `default` response. Optional query parameters (paging, filters) and path parameters (a
`404` matter) alone do not count.

## Why is this bad?
If the contract does not say how invalid input is rejected, implementations tend to let it
through to deeper layers, where it surfaces as a `500`, a database error or silently stored
garbage (OWASP API8:2023 Security Misconfiguration). A documented `400`/`422` with an error schema
is the promise that input is validated and the shape clients can rely on when it is not.

Spectral's and vacuum's `define-error-validation` report every operation, including those that
take no input at all and cannot fail validation; specguard reports only operations with a body
or required parameters, and also accepts a `default` response. It is information, not a warning: a missing error
response is a documentation gap, not an exploitable flaw by itself.

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    get:
      parameters:
        - {name: customer, in: query, required: true, schema: {type: integer, maximum: 100000}}
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
      parameters:
        - {name: customer, in: query, required: true, schema: {type: integer, maximum: 100000}}
      responses:
        "200": {description: the orders}
        "400": {description: invalid query parameter}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-755: Improper Handling of Exceptional Conditions
"#,
};

impl Rule for MissingValidationErrorResponse {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for op in cx.operations() {
            let required_input = op
                .parameters
                .iter()
                .any(|p| p.required && p.location != ParamIn::Path);
            if op.webhook || (op.request_body.is_none() && !required_input) {
                continue;
            }
            let Some(responses) = t.get(op.node, "responses") else {
                continue;
            };
            let ok = op.responses.iter().any(|(c, _)| {
                c == "400" || c == "422" || c.eq_ignore_ascii_case("4XX") || c == "default"
            });
            if ok {
                continue;
            }
            out.push(Report {
                node: responses,
                message: format!("{} takes input but documents no 400/422 response", op.label()),
                help: "document how invalid input is rejected: a `400` or `422` response with an error schema".into(),
            });
        }
    }
}
