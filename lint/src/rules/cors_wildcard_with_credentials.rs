use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;

pub struct CorsWildcardWithCredentials;

static META: RuleMeta = RuleMeta {
    code: "SG079",
    name: "cors-wildcard-with-credentials",
    severity: Severity::Warning,
    owasp: Owasp::Api8,
    cwe: &[942],
    peers: &["owasp:api8:2023-define-cors-origin"],
    summary: "Response allows any CORS origin together with credentials",
    docs: r#"## What it does
Reports responses that declare an `Access-Control-Allow-Origin` header whose documented value is
`*` (its `example`, `examples`, or its schema's `example`, `default`, `enum` or `const`) and also
declare `Access-Control-Allow-Credentials` (unless its documented value is only `false`).

## Why is this bad?
Browsers refuse `*` together with credentials, so an API documented this way is either broken
for its browser clients or — far more often — implemented by echoing whatever `Origin` the
request carries. That lets any web page read authenticated responses with the visitor's cookies
(OWASP API8:2023 Security Misconfiguration, CWE-942). Credentialed CORS needs an explicit list of
trusted origins.

Spectral's `define-cors-origin` asks for an `Access-Control-Allow-Origin` header on every
response; most APIs set CORS in a gateway and do not repeat it in the contract, so that rule
fires on nearly every operation without pointing at a risk. specguard reports only the
dangerous combination.

## Example
```yaml
openapi: 3.0.3
info: {title: Profile, version: "1"}
paths:
  /me:
    get:
      responses:
        "200":
          description: the profile
          headers:
            Access-Control-Allow-Origin:
              schema: {type: string, example: "*"}
            Access-Control-Allow-Credentials:
              schema: {type: boolean, example: true}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Profile, version: "1"}
paths:
  /me:
    get:
      responses:
        "200":
          description: the profile
          headers:
            Access-Control-Allow-Origin:
              schema: {type: string, enum: ["https://app.profile.example"]}
            Access-Control-Allow-Credentials:
              schema: {type: boolean, example: true}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-942: Permissive Cross-domain Policy with Untrusted Domains
"#,
};

/// The documented values of a header: its example(s) and its schema's example, default,
/// enum and const.
fn values(cx: &Context<'_>, header: NodeId) -> Vec<NodeId> {
    let t = cx.tree();
    let mut v = Vec::new();
    let mut holders = vec![header];
    if let Some(s) = t.get(header, "schema") {
        holders.push(cx.resolve(s));
    }
    if let Some(c) = t.get(header, "content") {
        for m in t.members(c) {
            holders.push(m.value);
            if let Some(s) = t.get(m.value, "schema") {
                holders.push(cx.resolve(s));
            }
        }
    }
    for h in holders {
        for k in ["example", "default", "const"] {
            if let Some(x) = t.get(h, k) {
                v.push(x);
            }
        }
        if let Some(e) = t.get(h, "enum") {
            v.extend(t.items(e));
        }
        if let Some(ex) = t.get(h, "examples") {
            let ex = cx.resolve(ex);
            v.extend(t.items(ex));
            for m in t.members(ex) {
                if let Some(val) = t.get(cx.resolve(m.value), "value") {
                    v.push(val);
                }
            }
        }
    }
    v
}

impl Rule for CorsWildcardWithCredentials {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        let mut seen = HashSet::default();
        for op in cx.operations() {
            for (_, r) in &op.responses {
                if !seen.insert(*r) {
                    continue;
                }
                let Some(headers) = t.get(*r, "headers") else {
                    continue;
                };
                let find = |name: &str| {
                    t.members(headers)
                        .iter()
                        .find(|m| m.key.eq_ignore_ascii_case(name))
                        .map(|m| (m.value, cx.resolve(m.value)))
                };
                let (Some((origin_at, origin)), Some((_, creds))) = (
                    find("Access-Control-Allow-Origin"),
                    find("Access-Control-Allow-Credentials"),
                ) else {
                    continue;
                };
                let wildcard = values(cx, origin)
                    .iter()
                    .any(|&v| t.str(v).map(str::trim) == Some("*"));
                if !wildcard {
                    continue;
                }
                let cv = values(cx, creds);
                let only_false = !cv.is_empty()
                    && cv.iter().all(|&v| {
                        t.bool(v) == Some(false)
                            || t.str(v)
                                .is_some_and(|s| s.trim().eq_ignore_ascii_case("false"))
                    });
                if only_false {
                    continue;
                }
                out.push(Report {
                    node: origin_at,
                    message: "`Access-Control-Allow-Origin: *` is declared together with `Access-Control-Allow-Credentials`".into(),
                    help: "allow credentials only for an explicit list of trusted origins; never reflect the request's `Origin`".into(),
                });
            }
        }
    }
}
