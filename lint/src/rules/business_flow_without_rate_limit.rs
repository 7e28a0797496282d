use crate::prelude::*;
use specguard_spec::sensitive::words;

pub struct BusinessFlowWithoutRateLimit;

static META: RuleMeta = RuleMeta {
    code: "SG072",
    name: "business-flow-without-rate-limit",
    severity: Severity::Info,
    owasp: Owasp::Api6,
    cwe: &[799, 837],
    peers: &[],
    summary: "Sensitive business flow documents no rate limit or anti-automation response",
    docs: r#"## What it does
A review hint. Reports creations and actions (`post`, `put`, `patch` on a path that does not end
in a path parameter, so `POST /transfers` and `POST /invoices/{id}/pay` but not
`PATCH /transfers/{id}`) that look like a sensitive
business flow — moving money, redeeming coupons, sending one-time passwords or messages,
creating accounts — judged by the words of the path, the `operationId` and the `summary`, when
the operation documents no rate limit and no anti-automation measure:
- no `429` response,
- no `RateLimit-*`, `X-RateLimit-*` or `Retry-After` response header,
- no `x-rate-limit*`, `x-ratelimit*` or `x-throttl*` extension on the operation,
- no mention of "rate limit", "throttl" or "captcha" in its description, and
- no parameter or body property named like a CAPTCHA (`captcha`, `recaptcha_token`, ...).

The default words: pay, payment, payout, transfer, withdraw, withdrawal, checkout, purchase,
refund, charge, deposit, topup, coupon, voucher, redeem, promo, giftcard, referral, otp, sms,
passcode, resend, invite, invitation, signup, register, and the phrases
"sign up", "create account", "gift card", "verification code", "send message", "send email".

Options (`[options.business-flow-without-rate-limit]` in `specguard.toml`):
- `words` (list of strings): replaces the default list; a phrase is written with spaces
  (`"book ticket"`) and matches consecutive words.

## Why is this bad?
Flows like these are abused by automation even when each request is perfectly authorized:
scalpers buy up stock, bots redeem every referral bonus, attackers send thousands of SMS
one-time codes at the operator's cost or enumerate them (OWASP API6:2023 Unrestricted Access to
Sensitive Business Flows). A contract that says nothing about limits usually means the
implementation has none. Because the words are a guess, this is information, not a verdict.

## Example
```yaml
openapi: 3.0.3
info: {title: Wallet, version: "1"}
paths:
  /transfers:
    post:
      operationId: createTransfer
      responses:
        "201": {description: transfer created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Wallet, version: "1"}
paths:
  /transfers:
    post:
      operationId: createTransfer
      responses:
        "201": {description: transfer created}
        "429":
          description: too many transfers, retry later
          headers:
            Retry-After:
              schema: {type: integer, minimum: 1, maximum: 86400}
```

## References
- OWASP API6:2023 Unrestricted Access to Sensitive Business Flows
- CWE-799: Improper Control of Interaction Frequency
- CWE-837: Improper Enforcement of a Single, Unique Action
"#,
};

const DEFAULT_WORDS: [&str; 32] = [
    "pay",
    "payment",
    "payout",
    "transfer",
    "withdraw",
    "withdrawal",
    "checkout",
    "purchase",
    "refund",
    "charge",
    "deposit",
    "topup",
    "coupon",
    "voucher",
    "redeem",
    "promo",
    "giftcard",
    "referral",
    "otp",
    "sms",
    "passcode",
    "resend",
    "invite",
    "invitation",
    "signup",
    "register",
    "sign up",
    "create account",
    "gift card",
    "verification code",
    "send message",
    "send email",
];

/// Singular form good enough for matching (`payments` → `payment`).
fn singular(w: &str) -> &str {
    if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        &w[..w.len() - 1]
    } else {
        w
    }
}

fn phrases(cx: &Context<'_>) -> Vec<Vec<String>> {
    let configured = cx
        .options
        .get(META.name)
        .and_then(|t| t.get("words"))
        .and_then(toml::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(toml::Value::as_str)
                .map(str::to_string)
                .collect::<Vec<_>>()
        });
    let list = configured.unwrap_or_else(|| DEFAULT_WORDS.iter().map(|s| s.to_string()).collect());
    list.iter()
        .map(|p| {
            p.split_whitespace()
                .flat_map(|p| words(p).to_vec())
                .map(|w| singular(&w).to_string())
                .collect::<Vec<_>>()
        })
        .filter(|p| !p.is_empty())
        .collect()
}

fn find_phrase(text_words: &[String], phrases: &[Vec<String>]) -> Option<String> {
    for p in phrases {
        if p.len() <= text_words.len() && text_words.windows(p.len()).any(|w| w == p.as_slice()) {
            return Some(p.join(" "));
        }
    }
    None
}

fn is_rate_header(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("ratelimit")
        || n.starts_with("x-ratelimit")
        || n.starts_with("x-rate-limit")
        || n == "retry-after"
}

fn mentions_limit(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    l.contains("rate limit")
        || l.contains("rate-limit")
        || l.contains("ratelimit")
        || l.contains("throttl")
        || l.contains("captcha")
}

fn is_captcha_name(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| w.contains("captcha") || w == "turnstile")
}

impl Rule for BusinessFlowWithoutRateLimit {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let phrases = phrases(cx);
        for op in cx.operations() {
            // Creations and actions; not updates of one named resource (`POST /cards/{id}`).
            let last_is_param = op
                .path
                .trim_end_matches('/')
                .rsplit('/')
                .next()
                .is_some_and(|s| s.starts_with('{'));
            if op.webhook || !matches!(op.method, "post" | "put" | "patch") || last_is_param {
                continue;
            }
            let mut text = String::new();
            for seg in op.path.split('/').filter(|s| !s.starts_with('{')) {
                text.push_str(seg);
                text.push(' ');
            }
            if let Some(id) = &op.operation_id {
                text.push_str(id);
                text.push(' ');
            }
            if let Some(s) = t.get_str(op.node, "summary") {
                text.push_str(s);
            }
            let text_words: Vec<String> = text
                .split(|c: char| !c.is_alphanumeric() && c != '_' && c != '-')
                .flat_map(|p| words(p).to_vec())
                .map(|w| singular(&w).to_string())
                .collect();
            let Some(found) = find_phrase(&text_words, &phrases) else {
                continue;
            };
            // Documented limits or anti-automation measures.
            let has_429 = op.responses.iter().any(|(c, _)| c == "429");
            let has_header = op.responses.iter().any(|(_, r)| {
                t.get(*r, "headers")
                    .is_some_and(|h| t.members(h).iter().any(|m| is_rate_header(&m.key)))
            });
            let has_ext = t.members(op.node).iter().any(|m| {
                let k = m.key.to_ascii_lowercase();
                k.starts_with("x-rate-limit")
                    || k.starts_with("x-ratelimit")
                    || k.starts_with("x-throttl")
            });
            let described = ["description", "summary"]
                .iter()
                .any(|k| t.get_str(op.node, k).is_some_and(mentions_limit));
            let captcha = op.parameters.iter().any(|p| is_captcha_name(&p.name))
                || op.request_body.is_some_and(|b| {
                    specguard_spec::view::media_schemas(cx.doc, b)
                        .iter()
                        .any(|(_, s)| {
                            t.get(*s, "properties").is_some_and(|p| {
                                t.members(cx.resolve(p))
                                    .iter()
                                    .any(|m| is_captcha_name(&m.key))
                            })
                        })
                });
            if has_429 || has_header || has_ext || described || captcha {
                continue;
            }
            out.push(Report {
                node: op.node,
                message: format!(
                    "{} looks like a sensitive business flow (`{found}`) and documents no rate limit",
                    op.label()
                ),
                help: "document the limit: a `429` response with `Retry-After`, rate-limit headers, or an anti-automation step such as a CAPTCHA".into(),
            });
        }
    }
}
