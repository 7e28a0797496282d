use crate::prelude::*;
use crate::rules::input_schemas::{documents_rate_limit, has_rate_limit_extension};

pub struct RateLimitUndocumented;

static META: RuleMeta = RuleMeta {
    code: "SG052",
    name: "rate-limit-undocumented",
    severity: Severity::Warning,
    owasp: Owasp::Api4,
    cwe: &[770, 799],
    peers: &[
        "owasp:api4:2023-rate-limit",
        "owasp-rate-limit",
        "owasp:api4:2023-rate-limit-responses-429",
        "owasp-define-error-responses-429",
    ],
    summary: "No operation documents rate limiting (429 response or rate-limit headers)",
    docs: r#"## What it does
Reports a document, once, when none of its operations documents rate limiting: no `429`
response, no rate-limit header on any response (`X-RateLimit-*`, `X-Rate-Limit-*`,
`RateLimit-*`, `RateLimit`, `RateLimit-Policy`, `Retry-After`), and no `x-ratelimit…` /
`x-rate-limit…` extension on an operation or the document. The finding points at `paths`.

Options (`[options.rate-limit-undocumented]` in `specguard.toml`):
- `per-operation` (default false): report every operation that documents no rate limiting
  instead, as Spectral does.

## Why is this bad?
Without rate limiting one client can exhaust the API — brute-force logins, scrape every record,
run up costs (OWASP API4:2023 Unrestricted Resource Consumption, CWE-770). A contract that never
mentions a limit usually means none was designed: clients do not know to back off, and
implementers do not know one is required.

Spectral's `rate-limit` (and vacuum's) require rate-limit headers on every 2xx and 4xx response,
and `rate-limit-responses-429` a `429` on every operation: thousands of findings on well-designed
APIs that document their limits once. specguard reports the document once when rate limiting is
absent altogether; `rate-limit-response-missing` reports the operations that break a
documented convention, and `rate-limit-response-without-retry-after` incomplete `429`s.

## Example
```yaml
openapi: 3.0.3
info: {title: Search, version: "1"}
paths:
  /search:
    get:
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
      responses:
        "200": {description: results}
        "429":
          description: too many requests
          headers:
            Retry-After:
              schema: {type: integer, minimum: 1, maximum: 3600}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
- CWE-799: Improper Control of Interaction Frequency
"#,
};

impl Rule for RateLimitUndocumented {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let per_op = cx.option_bool(META.name, "per-operation", false);
        let ops: Vec<&Operation> = cx.operations().iter().filter(|o| !o.webhook).collect();
        if ops.is_empty() || has_rate_limit_extension(t, cx.doc.root) {
            return;
        }
        let missing: Vec<&&Operation> = ops
            .iter()
            .filter(|o| !documents_rate_limit(cx, o))
            .collect();
        if per_op {
            for op in missing {
                out.push(Report {
                    node: op.node,
                    message: format!("{} documents no rate limiting", op.label()),
                    help: "add a `429` response with a `Retry-After` header".into(),
                });
            }
            return;
        }
        if missing.len() < ops.len() {
            return;
        }
        let node = t.get(cx.doc.root, "paths").unwrap_or(cx.doc.root);
        out.push(Report {
            node,
            message: format!(
                "none of the {} operations documents rate limiting (no 429 response, no rate-limit headers)",
                ops.len()
            ),
            help: "document the limits: a `429` response with `Retry-After` (a shared `components/responses` entry), and `RateLimit`/`X-RateLimit-*` headers".into(),
        });
    }
}
