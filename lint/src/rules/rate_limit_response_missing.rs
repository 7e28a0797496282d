use crate::prelude::*;
use crate::rules::input_schemas::documents_rate_limit;

pub struct RateLimitResponseMissing;

static META: RuleMeta = RuleMeta {
    code: "SG054",
    name: "rate-limit-response-missing",
    severity: Severity::Info,
    owasp: Owasp::Api4,
    cwe: &[770],
    peers: &[
        "owasp:api4:2023-rate-limit-responses-429",
        "owasp-define-error-responses-429",
        "owasp:api4:2023-rate-limit",
        "owasp-rate-limit",
    ],
    summary: "Operation lacks the 429 response or rate-limit headers most operations of the API document",
    docs: r##"## What it does
When most operations of a document (by default at least half) document rate limiting — a `429`
response, a rate-limit header (`X-RateLimit-*`, `RateLimit-*`, `RateLimit`, `Retry-After`, ...)
or an `x-ratelimit…` extension — reports the operations that do not. Documents where no or few
operations mention rate limiting are left to `rate-limit-undocumented`.

Options (`[options.rate-limit-response-missing]` in `specguard.toml`):
- `min-percent` (default 50): the share of operations that must document rate limiting before
  the others are reported; `0` reports every operation without it as soon as one documents it.

## Why is this bad?
When the API's convention is to document its limits, an operation without them is usually one
the limiter forgot — often a newer or internal endpoint that is then the cheapest to abuse
(OWASP API4:2023 Unrestricted Resource Consumption).

Spectral's `rate-limit-responses-429` and vacuum's `define-error-responses-429` want a `429` on
every operation regardless of convention; specguard reports deviations only, as information.

## Example
```yaml
openapi: 3.0.3
info: {title: Search, version: "1"}
components:
  responses:
    TooMany:
      description: too many requests
      headers:
        Retry-After: {schema: {type: integer, minimum: 1, maximum: 3600}}
paths:
  /search:
    get:
      responses:
        "200": {description: results}
        "429": {$ref: "#/components/responses/TooMany"}
  /suggest:
    get:
      responses:
        "200": {description: results}
        "429": {$ref: "#/components/responses/TooMany"}
  /export:
    get:
      responses:
        "200": {description: everything}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Search, version: "1"}
components:
  responses:
    TooMany:
      description: too many requests
      headers:
        Retry-After: {schema: {type: integer, minimum: 1, maximum: 3600}}
paths:
  /search:
    get:
      responses:
        "200": {description: results}
        "429": {$ref: "#/components/responses/TooMany"}
  /export:
    get:
      responses:
        "200": {description: everything}
        "429": {$ref: "#/components/responses/TooMany"}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
"##,
};

impl Rule for RateLimitResponseMissing {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let min = cx.option_int(META.name, "min-percent", 50).clamp(0, 100) as usize;
        let ops: Vec<&Operation> = cx.operations().iter().filter(|o| !o.webhook).collect();
        let missing: Vec<&&Operation> = ops
            .iter()
            .filter(|o| !documents_rate_limit(cx, o))
            .collect();
        let documented = ops.len() - missing.len();
        if documented == 0 || documented * 100 < min * ops.len() {
            return;
        }
        for op in missing {
            out.push(Report {
                node: op.node,
                message: format!(
                    "{} documents no rate limiting, unlike {documented} of the {} operations",
                    op.label(),
                    ops.len()
                ),
                help: "add the API's `429` response (with `Retry-After`) to this operation".into(),
            });
        }
    }
}
