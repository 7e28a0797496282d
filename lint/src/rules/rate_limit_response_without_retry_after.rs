use crate::prelude::*;

pub struct RateLimitResponseWithoutRetryAfter;

static META: RuleMeta = RuleMeta {
    code: "SG053",
    name: "rate-limit-response-without-retry-after",
    severity: Severity::Warning,
    owasp: Owasp::Api4,
    cwe: &[770],
    peers: &[
        "owasp:api4:2023-rate-limit-retry-after",
        "owasp-rate-limit-retry-after",
    ],
    summary: "429 response does not say when to retry (no Retry-After or rate-limit reset header)",
    docs: r#"## What it does
Reports `429 Too Many Requests` responses whose `headers` include neither `Retry-After` nor a
header giving the reset time (`RateLimit-Reset`, `X-RateLimit-Reset`, `X-Rate-Limit-Reset`, or
the structured `RateLimit` header). A shared response component is reported once.

## Why is this bad?
A client told "too many requests" but not when to come back can only guess, and most retry at
once — the retry storm keeps the API overloaded (OWASP API4:2023 Unrestricted Resource
Consumption). `Retry-After` (RFC 9110) lets well-behaved clients back off exactly as long as
needed.

Spectral's and vacuum's `rate-limit-retry-after` require `Retry-After` itself; specguard also
accepts a reset header, which carries the same information.

## Example
```yaml
openapi: 3.0.3
info: {title: Search, version: "1"}
paths:
  /search:
    get:
      responses:
        "200": {description: results}
        "429": {description: too many requests}
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
              description: seconds to wait
              schema: {type: integer, minimum: 1, maximum: 3600}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-770: Allocation of Resources Without Limits or Throttling
- RFC 9110 §10.2.3 Retry-After
"#,
};

fn tells_when(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    matches!(
        n.as_str(),
        "retry-after"
            | "ratelimit"
            | "ratelimit-reset"
            | "x-ratelimit-reset"
            | "x-rate-limit-reset"
    )
}

impl Rule for RateLimitResponseWithoutRetryAfter {
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
                if code != "429" {
                    continue;
                }
                let ok = t
                    .get(*resp, "headers")
                    .is_some_and(|h| t.members(cx.resolve(h)).iter().any(|m| tells_when(&m.key)));
                if !ok {
                    out.push(Report {
                        node: *resp,
                        message: "429 response has no Retry-After header".into(),
                        help: "add a `Retry-After` header (seconds or an HTTP date) to the 429 response".into(),
                    });
                }
            }
        }
    }
}
