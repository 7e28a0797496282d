use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::sensitive::words;
use specguard_spec::view::{media_schemas, subschemas};

pub struct ErrorResponseExposesInternals;

static META: RuleMeta = RuleMeta {
    code: "SG078",
    name: "error-response-exposes-internals",
    severity: Severity::Warning,
    owasp: Owasp::Api8,
    cwe: &[209, 215],
    peers: &[],
    summary: "Error response schema has stack trace, exception, debug or SQL fields",
    docs: r#"## What it does
Reports properties of error response schemas (`4XX`, `5XX`, and `default` when the operation
also has a success response) whose names announce internals: `stack`, `stacktrace`,
`stack_trace`, `backtrace`, `trace`, `exception` (and `exception_*`), `debug` (and `debug_*`),
`sql` (and `sql_*`), and `query`. Correlation ids such as `trace_id` or `debug_id` are not
reported. Nested objects and `allOf`/`oneOf` members are followed; each property is reported
once however many responses share it.

## Why is this bad?
Stack traces, exception class names, SQL statements and debug dumps tell an attacker which
framework and versions run, how the code is laid out, and how queries are built — exactly what
is needed to craft the next attack (OWASP API8:2023 Security Misconfiguration, CWE-209). When
the contract reserves a field for them, the implementation fills it in production too.

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "1"}
paths:
  /orders:
    get:
      responses:
        "200": {description: the orders}
        "500":
          description: failure
          content:
            application/json:
              schema:
                type: object
                properties:
                  message: {type: string}
                  stackTrace: {type: string}
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
        "500":
          description: failure
          content:
            application/json:
              schema:
                type: object
                properties:
                  message: {type: string}
                  trace_id: {type: string}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-209: Generation of Error Message Containing Sensitive Information
- CWE-215: Insertion of Sensitive Information Into Debugging Code
"#,
};

/// Whether a property name announces internals.
fn leaks(name: &str) -> bool {
    let ws = words(name);
    let Some(last) = ws.last() else { return false };
    if matches!(
        last.as_str(),
        "id" | "ids" | "url" | "uri" | "link" | "code" | "enabled"
    ) {
        return false;
    }
    if ws.len() == 1 && matches!(last.as_str(), "trace" | "query" | "traces") {
        return true;
    }
    if ws.windows(2).any(|w| w[0] == "stack" && w[1] == "trace") {
        return true;
    }
    matches!(
        ws[0].as_str(),
        "stack" | "stacktrace" | "backtrace" | "exception" | "exceptions" | "debug" | "sql"
    )
}

impl Rule for ErrorResponseExposesInternals {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut roots = Vec::new();
        let mut seen_resp = HashSet::default();
        for op in cx.operations().iter().filter(|o| !o.webhook) {
            let has_success = op.responses.iter().any(|(c, _)| c.starts_with('2'));
            for (code, r) in &op.responses {
                let error = code.starts_with('4')
                    || code.starts_with('5')
                    || (code == "default" && has_success);
                if error && seen_resp.insert(*r) {
                    roots.extend(media_schemas(cx.doc, *r).into_iter().map(|x| x.1));
                }
            }
        }
        let mut seen = HashSet::default();
        let mut reported = HashSet::default();
        let mut stack: Vec<(NodeId, usize)> = roots.into_iter().map(|s| (s, 0)).collect();
        while let Some((s, depth)) = stack.pop() {
            if depth > 8 || !seen.insert(s) {
                continue;
            }
            if let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) {
                for m in t.members(props) {
                    if leaks(&m.key) && reported.insert(m.value) {
                        out.push(Report {
                            node: m.value,
                            message: format!("error response field `{}` exposes internals", m.key),
                            help: "return a generic message and a correlation id; keep stack traces, exceptions and queries in server logs".into(),
                        });
                    }
                }
            }
            stack.extend(subschemas(cx.doc, s).into_iter().map(|c| (c, depth + 1)));
        }
    }
}
