use crate::prelude::*;
use specguard_spec::sensitive::words;

pub struct AuthEndpointWithoutRateLimit;

static META: RuleMeta = RuleMeta {
    code: "SG034",
    name: "auth-endpoint-without-rate-limit",
    severity: Severity::Warning,
    owasp: Owasp::Api2,
    cwe: &[307],
    peers: &[],
    summary: "Login, token, one-time-code or password-reset operation declares no 429 response",
    docs: r#"## What it does
Recognises operations that check or issue credentials by the words of their literal path
segments and `operationId`: login (`login`, `logon`, `signin`, `sign-in`, `authenticate`),
one-time codes and second factors (`otp`, `mfa`, `2fa`, `totp`, `two-factor`), passwords
(`password`, `forgot`) and sign-up (`signup`, `register`); and, when it is the final path
segment, `token` (`/oauth/token`, `/refresh-token`, not `/registration-token`) and `verify`
(`/verify`, `/verify-email`). Among the `post`,
`put` and `patch` ones, it reports those that declare no `429 Too Many Requests` response and
no rate-limit header (`RateLimit*`, `X-RateLimit-*`, `Retry-After`) on any response.

## Why is this bad?
These endpoints are what credential stuffing, password spraying and one-time-code guessing
hit: a six-digit code falls to a million requests, a leaked password list to a few thousand per
account (OWASP API2:2023 Broken Authentication, CWE-307). The contract should say that the API
throttles them, so clients handle it and reviewers can see it is designed in.

The peers `define-error-responses-429` and `rate-limit` (OWASP API4) ask for 429 responses and
rate-limit headers on every operation; this rule asks only where throttling protects
credentials.

## Example
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /auth/login:
    post:
      security: []
      responses:
        "200": {description: logged in}
        "401": {description: wrong credentials}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Accounts, version: "1"}
paths:
  /auth/login:
    post:
      security: []
      responses:
        "200": {description: logged in}
        "401": {description: wrong credentials}
        "429":
          description: too many attempts
          headers:
            Retry-After: {schema: {type: integer, minimum: 1, maximum: 86400}}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-307: Improper Restriction of Excessive Authentication Attempts
- OWASP Authentication Cheat Sheet: protect against automated attacks
"#,
};

/// Words of a path's literal segments or of an operationId (`signIn`, `sign-in`, `users/login`).
fn word_list(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .flat_map(|p| words(p).to_vec())
        .collect()
}

/// Words that name a credential check wherever they appear.
fn strong(ws: &[String]) -> Option<&'static str> {
    let has = |w: &str| ws.iter().any(|x| x == w);
    let pair = |a: &str, b: &str| ws.windows(2).any(|p| p[0] == a && p[1] == b);
    if ["login", "logon", "signin", "authenticate"]
        .iter()
        .any(|w| has(w))
        || pair("sign", "in")
        || pair("log", "in")
    {
        return Some("login");
    }
    if ["otp", "mfa", "2fa", "totp"].iter().any(|w| has(w)) || pair("two", "factor") {
        return Some("one-time code");
    }
    if ["password", "passwd", "forgot"].iter().any(|w| has(w)) {
        return Some("password");
    }
    if ["signup", "register"].iter().any(|w| has(w)) || pair("sign", "up") {
        return Some("sign-up");
    }
    None
}

/// Words that name a credential check only as the final path segment (`/oauth/token`,
/// `/access-token`, `/bank_accounts/{id}/verify`), not inside a resource name
/// (`verification_sessions`, `access_tokens`, `registration-token`).
fn weak(ws: &[String]) -> Option<&'static str> {
    if ws.iter().any(|w| w == "verify") {
        return Some("verification");
    }
    let token = match ws {
        [t] => t == "token",
        [q, t] => {
            t == "token"
                && [
                    "access", "refresh", "id", "auth", "oauth", "bearer", "session",
                ]
                .contains(&q.as_str())
        }
        _ => false,
    };
    token.then_some("token")
}

/// What kind of credential-checking endpoint an operation is, judged by its path's literal
/// segments and its operationId.
pub(crate) fn auth_endpoint_kind(op: &Operation) -> Option<&'static str> {
    let literal: Vec<&str> = op
        .path
        .split('/')
        .filter(|s| !s.is_empty() && !s.contains('{'))
        .collect();
    let last = op.path.split('/').rfind(|s| !s.is_empty()).unwrap_or("");
    strong(&word_list(&literal.join("/")))
        .or_else(|| {
            op.operation_id
                .as_deref()
                .and_then(|id| strong(&word_list(id)))
        })
        .or_else(|| {
            if last.contains('{') {
                None
            } else {
                weak(&word_list(last))
            }
        })
}

fn is_rate_limit_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("ratelimit")
        || n.starts_with("x-ratelimit")
        || n.starts_with("x-rate-limit")
        || n == "retry-after"
}

impl Rule for AuthEndpointWithoutRateLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for op in cx.operations() {
            if op.webhook || !matches!(op.method, "post" | "put" | "patch") {
                continue;
            }
            let Some(kind) = auth_endpoint_kind(op) else {
                continue;
            };
            let throttled = op.responses.iter().any(|(code, r)| {
                code == "429"
                    || t.get(*r, "headers")
                        .is_some_and(|h| t.members(h).iter().any(|m| is_rate_limit_header(&m.key)))
            });
            if throttled {
                continue;
            }
            out.push(Report {
                node: op.node,
                message: format!(
                    "{kind} operation {} declares no 429 response or rate-limit header",
                    op.label()
                ),
                help: "throttle attempts per account and per client, and declare a `429` response (with `Retry-After`)".into(),
            });
        }
    }
}
