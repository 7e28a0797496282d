use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::inventory::is_id_like;
use specguard_spec::sensitive::{Category, words};

pub struct CredentialInUrl;

static META: RuleMeta = RuleMeta {
    code: "SG027",
    name: "credential-in-url",
    severity: Severity::Error,
    owasp: Owasp::Api2,
    cwe: &[598],
    peers: &[
        "owasp:api2:2023-no-credentials-in-url",
        "owasp-no-credentials-in-url",
    ],
    summary: "Query or path parameter carries a password, token, key or other credential",
    docs: r#"## What it does
Reports query and path parameters whose name denotes a credential: the secret words of the
sensitive-name list (`password`, `secret`, `client_secret`, `token`, `access_token`,
`refresh_token`, `id_token`, `api_key`, `otp`, `pin` …, configurable under `[sensitive]`) plus
`auth`, `jwt`, `bearer` and session cookie names (`sessionid`, `JSESSIONID`, `PHPSESSID`).
Names are split into words and matched on their head, so `token_type` and `password_policy`
are not credentials. Not reported: pagination tokens (`page_token`, `nextToken`,
`continuation_token`, `sync_token`, `skipToken`, `delta_token` …), boolean parameters, and
path parameters that identify a resource (`/sessions/{session_id}`, `/tokens/{token}`,
`/shipping_rates/{shipping_rate_token}`). API key security schemes in the query are reported
by `api-key-in-query`.

## Why is this bad?
URLs are written to server and proxy access logs, browser history, bookmarks and `Referer`
headers sent to third parties. A credential in the URL leaks to everyone who can read any of
those and stays valid long after (OWASP API2:2023 Broken Authentication, CWE-598).

Spectral's and vacuum's `no-credentials-in-url` match a regular expression anywhere in the
name (`token_type`, `max_tokens` and `page_token` match); specguard matches the head word of
the name and skips pagination tokens.

## Example
```yaml
openapi: 3.0.3
info: {title: Reports, version: "1"}
paths:
  /reports:
    get:
      parameters:
        - {name: access_token, in: query, required: true, schema: {type: string, maxLength: 512}}
      responses:
        "200": {description: the reports}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Reports, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
security:
  - bearer: []
paths:
  /reports:
    get:
      parameters:
        - {name: page_token, in: query, schema: {type: string, maxLength: 512}}
      responses:
        "200": {description: the reports}
```

## References
- OWASP API2:2023 Broken Authentication
- CWE-598: Use of GET Request Method With Sensitive Query Strings
"#,
};

/// Credential words the sensitive-name list does not hold (matched as the last word).
const AUTH_WORDS: [&str; 6] = [
    "auth",
    "jwt",
    "bearer",
    "sessionid",
    "jsessionid",
    "phpsessid",
];

/// Words before `token` that make it a pagination or synchronisation cursor.
const CURSOR_WORDS: [&str; 15] = [
    "page",
    "skip",
    "delta",
    "next",
    "prev",
    "previous",
    "continuation",
    "continue",
    "pagination",
    "sync",
    "resume",
    "start",
    "starting",
    "cursor",
    "last",
];

/// `/tokens/{token}`, `/shipping_rates/{shipping_rate_token}`: a path parameter that names an
/// item of the collection before it is that item's identifier.
fn names_collection_item(path: &str, param: &[String]) -> bool {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(at) = segs.iter().position(|s| {
        s.starts_with('{') && s.ends_with('}') && *words(s.trim_matches(['{', '}'])) == *param
    }) else {
        return false;
    };
    let Some(prev) = at.checked_sub(1).and_then(|i| segs.get(i)) else {
        return false;
    };
    if prev.contains('{') {
        return false;
    }
    let mut coll = words(prev).to_vec();
    if let Some(last) = coll.last_mut()
        && let Some(s) = last.strip_suffix('s')
    {
        *last = s.to_string();
    }
    coll == param || (param.len() > 1 && coll == param[..param.len() - 1])
}

fn is_boolean(t: &specguard_spec::Tree, s: NodeId) -> bool {
    t.get_str(s, "type") == Some("boolean")
}

impl Rule for CredentialInUrl {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut seen = HashSet::default();
        for op in cx.operations() {
            for p in &op.parameters {
                if !matches!(p.location, ParamIn::Query | ParamIn::Path) {
                    continue;
                }
                let ws = words(&p.name);
                let Some(last) = ws.last() else { continue };
                let secret = cx.sensitive.classify(&p.name) == Some(Category::Secret)
                    || AUTH_WORDS.contains(&last.as_str());
                if !secret {
                    continue;
                }
                if ws.iter().any(|w| CURSOR_WORDS.contains(&w.as_str()))
                    || p.schema.is_some_and(|s| is_boolean(t, s))
                    || (p.location == ParamIn::Path
                        && (is_id_like(&p.name) || names_collection_item(&op.path, &ws)))
                    || !seen.insert(p.node)
                {
                    continue;
                }
                out.push(Report {
                    node: p.node,
                    message: format!(
                        "{} parameter `{}` puts a credential in the URL",
                        p.location.as_str(),
                        p.name
                    ),
                    help: "send credentials in a header (declare a security scheme) or in the request body, never in the URL".into(),
                });
            }
        }
    }
}
