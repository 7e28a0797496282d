use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::sensitive::words;
use specguard_spec::view::{media_schemas, subschemas};

pub struct UnrestrictedUrlInput;

static META: RuleMeta = RuleMeta {
    code: "SG073",
    name: "unrestricted-url-input",
    severity: Severity::Warning,
    owasp: Owasp::Api7,
    cwe: &[918, 601],
    peers: &["owasp:api7:2023-concerning-url-parameter"],
    summary: "URL accepted from clients is not restricted by a pattern or enum",
    docs: r#"## What it does
Reports parameters and request-body properties that carry a URL and are not restricted by a
`pattern`, an `enum` or a `const`. A value carries a URL when its schema has `format: uri`,
`uri-reference`, `url`, `iri` or `iri-reference`, or when its name says so: it ends with the
word `url`, `uri`, `urls`, `uris` or `href` (`url`, `callback_url`, `redirectUri`, `image_urls`),
or it is `callback`, `webhook`, `redirect`, `redirect_to` or `return_to`; `target` and
`endpoint` count only when the description or example speaks of a URL (they often name a user
or a resource). Named values must be strings (or arrays of strings); path parameters are judged
by format only, as they name resources. A shared schema is reported once, at the property or the schema.
`readOnly` properties are not client input and are not reported.

## Why is this bad?
A server that fetches, calls back or redirects to a URL chosen by the client can be made to
reach internal services, cloud metadata endpoints (`169.254.169.254`) or arbitrary hosts, and to
send users to phishing pages (OWASP API7:2023 Server Side Request Forgery, CWE-918; CWE-601 Open
Redirect). A `pattern` that pins the scheme and host (`^https://hooks\.example\.com/`) or an
`enum` of allowed targets states the allowlist the implementation must enforce.

Spectral's `concerning-url-parameter` looks at parameter names only; specguard also checks
request-body properties (where webhook and callback URLs usually travel) and `format: uri`
values, and accepts a `pattern` or `enum` as the restriction.

## Example
```yaml
openapi: 3.0.3
info: {title: Hooks, version: "1"}
paths:
  /webhooks:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                callback_url: {type: string, maxLength: 2000}
      responses:
        "201": {description: registered}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Hooks, version: "1"}
paths:
  /webhooks:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                callback_url:
                  type: string
                  maxLength: 2000
                  pattern: '^https://[a-z0-9.-]+\.partner\.example/'
      responses:
        "201": {description: registered}
```

## References
- OWASP API7:2023 Server Side Request Forgery
- CWE-918: Server-Side Request Forgery (SSRF)
- CWE-601: URL Redirection to Untrusted Site ('Open Redirect')
"#,
};

const URL_FORMATS: [&str; 5] = ["uri", "uri-reference", "url", "iri", "iri-reference"];
/// Last words that make a name a URL (`callback_url`, `redirectUri`, `image_urls`).
const URL_WORDS: [&str; 5] = ["url", "uri", "urls", "uris", "href"];
/// Whole names that carry a URL.
const URL_NAMES: [&str; 5] = [
    "callback",
    "webhook",
    "redirect",
    "redirect_to",
    "return_to",
];
/// Whole names that carry a URL only when the schema says so (description or example).
const WEAK_NAMES: [&str; 2] = ["target", "endpoint"];

fn types(t: &specguard_spec::Tree, s: NodeId) -> Vec<String> {
    match t.get(s, "type") {
        Some(ty) => match t.str(ty) {
            Some(x) => vec![x.to_string()],
            None => t
                .items(ty)
                .iter()
                .filter_map(|&i| t.str(i).map(str::to_string))
                .collect(),
        },
        None => Vec::new(),
    }
}

fn restricted(t: &specguard_spec::Tree, s: NodeId) -> bool {
    t.get(s, "pattern").is_some() || t.get(s, "enum").is_some() || t.get(s, "const").is_some()
}

/// Whether a name says the value is a URL: `Some(true)` surely, `Some(false)` only if the
/// schema confirms it, `None` not at all.
fn url_name(name: &str) -> Option<bool> {
    let ws = words(name);
    if ws.last().is_some_and(|w| URL_WORDS.contains(&w.as_str())) {
        return Some(true);
    }
    let whole = ws.join("_");
    if URL_NAMES.contains(&whole.as_str()) {
        return Some(true);
    }
    WEAK_NAMES.contains(&whole.as_str()).then_some(false)
}

/// Whether a schema's description or example speaks of a URL.
fn mentions_url(t: &specguard_spec::Tree, s: NodeId) -> bool {
    let desc = t.get_str(s, "description").unwrap_or("");
    let ex = t.get_str(s, "example").unwrap_or("");
    ex.contains("://")
        || desc.split(|c: char| !c.is_ascii_alphanumeric()).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "url" | "urls" | "uri" | "uris"
            )
        })
}

fn named_url(t: &specguard_spec::Tree, name: &str, s: NodeId, holder: NodeId) -> bool {
    match url_name(name) {
        Some(true) => true,
        Some(false) => mentions_url(t, s) || mentions_url(t, holder),
        None => false,
    }
}

fn url_format(t: &specguard_spec::Tree, s: NodeId) -> bool {
    t.get_str(s, "format")
        .is_some_and(|f| URL_FORMATS.contains(&f))
}

impl UnrestrictedUrlInput {
    /// The string schema that holds the URL for a named value (the items of an array), if it
    /// is an unrestricted string; None when the value is restricted or not a string.
    fn unrestricted_string(cx: &Context<'_>, s: NodeId) -> Option<NodeId> {
        let t = cx.tree();
        let ty = types(t, s);
        if ty.iter().any(|x| x == "array") {
            let items = t.get(s, "items").map(|i| cx.resolve(i))?;
            return Self::unrestricted_string(cx, items);
        }
        let stringy = ty.iter().any(|x| x == "string") || (ty.is_empty() && url_format(t, s));
        if !stringy || restricted(t, s) {
            return None;
        }
        if let Some(f) = t.get_str(s, "format")
            && !URL_FORMATS.contains(&f)
        {
            // `uuid`, `email`, `date-time`: not a URL whatever the name says.
            return None;
        }
        Some(s)
    }
}

/// Schemas clients send: reachable from the parameters and request bodies of operations
/// (webhook payloads are sent by the API, not to it).
fn client_input(cx: &Context<'_>) -> HashSet<NodeId> {
    let mut stack = Vec::new();
    for op in cx.operations() {
        if op.webhook {
            continue;
        }
        for p in &op.parameters {
            stack.extend(media_schemas(cx.doc, p.node).into_iter().map(|x| x.1));
        }
        if let Some(b) = op.request_body {
            stack.extend(media_schemas(cx.doc, b).into_iter().map(|x| x.1));
        }
    }
    let mut seen = HashSet::default();
    while let Some(s) = stack.pop() {
        if seen.insert(s) {
            stack.extend(subschemas(cx.doc, s));
        }
    }
    seen
}

impl Rule for UnrestrictedUrlInput {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut done: HashSet<NodeId> = HashSet::default();
        let mut params_seen: HashSet<NodeId> = HashSet::default();
        let help = "restrict the URL with a `pattern` that pins scheme and host, or an `enum` of allowed targets, and enforce the allowlist server-side";
        let input = client_input(cx);
        for op in cx.operations() {
            if op.webhook {
                continue;
            }
            for p in &op.parameters {
                if !params_seen.insert(p.node) {
                    continue;
                }
                let Some(s) = p.schema else { continue };
                // Path parameters name resources (`/webhook_endpoints/{webhook_endpoint}`).
                let by_name = p.location != ParamIn::Path && named_url(t, &p.name, s, p.node);
                let hit = if by_name {
                    Self::unrestricted_string(cx, s)
                } else if url_format(t, s) && !restricted(t, s) {
                    Some(s)
                } else {
                    None
                };
                if let Some(h) = hit {
                    done.insert(h);
                    done.insert(s);
                    out.push(Report {
                        node: p.node,
                        message: format!(
                            "{} parameter `{}` takes a URL with no pattern or enum",
                            p.location.as_str(),
                            p.name
                        ),
                        help: help.into(),
                    });
                }
            }
        }
        // Named properties of request-side object schemas.
        for &s in &cx.views.schemas {
            if !input.contains(&s) {
                continue;
            }
            let Some(props) = t.get(s, "properties").map(|p| cx.resolve(p)) else {
                continue;
            };
            for m in t.members(props) {
                let ps = cx.resolve(m.value);
                if !named_url(t, &m.key, ps, m.value) {
                    continue;
                }
                if t.get_bool(ps, "readOnly") == Some(true) || done.contains(&ps) {
                    continue;
                }
                if let Some(h) = Self::unrestricted_string(cx, ps) {
                    done.insert(h);
                    done.insert(ps);
                    out.push(Report {
                        node: m.value,
                        message: format!(
                            "request property `{}` takes a URL with no pattern or enum",
                            m.key
                        ),
                        help: help.into(),
                    });
                }
            }
        }
        // Any other request-side schema with a URL format.
        for &s in &cx.views.schemas {
            if !input.contains(&s) || done.contains(&s) || !url_format(t, s) || restricted(t, s) {
                continue;
            }
            if t.get_bool(s, "readOnly") == Some(true) {
                continue;
            }
            let what = t.key_of(s).map(|k| format!(" `{k}`")).unwrap_or_default();
            out.push(Report {
                node: s,
                message: format!("request value{what} has a URL format and no pattern or enum"),
                help: help.into(),
            });
        }
    }
}
