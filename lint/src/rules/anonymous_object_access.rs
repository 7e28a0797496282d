use crate::prelude::*;
use specguard_spec::inventory::is_id_like;

pub struct AnonymousObjectAccess;

static META: RuleMeta = RuleMeta {
    code: "SG012",
    name: "anonymous-object-access",
    severity: Severity::Error,
    owasp: Owasp::Api1,
    cwe: &[306, 639],
    peers: &[],
    summary: "Operation on an object addressed by id accepts requests without credentials",
    docs: r#"## What it does
Reports operations on a single object addressed by an identifier in the path (the last segment
carries an id parameter, as in `/orders/{orderId}`, or a literal segment follows one, as in
`/orders/{orderId}/items`) that accept anonymous requests: there is no security requirement at
all, or one of the alternatives is the empty requirement `{}`.

Operations explicitly marked public (`security: []`, `x-specguard-public: true`) are reported
by `public-object-access` at a lower severity instead. In a document that declares no security
schemes at all, operations without security are left to `no-security-schemes` and
`operation-without-security`, which already name the cause.

## Why is this bad?
An object reachable by id without authentication has no caller to authorize: anyone who knows
or guesses an identifier reads (or changes) that object (OWASP API1:2023 Broken Object Level
Authorization). An optional `{}` alternative is worse than it looks: the handler must now be
correct both with and without a user, and the anonymous path is the one tests forget.

An operation with no security at all is also reported by `operation-without-security`; this
rule adds that an object is reachable by id, which makes the gap exploitable one object at a
time.

## Example
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
paths:
  /orders/{orderId}:
    get:
      security:
        - {}
        - bearer: []
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: the order}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Shop, version: "1"}
components:
  securitySchemes:
    bearer: {type: http, scheme: bearer, bearerFormat: JWT}
paths:
  /orders/{orderId}:
    get:
      security:
        - bearer: []
      parameters:
        - {name: orderId, in: path, required: true, schema: {type: string, format: uuid}}
      responses:
        "200": {description: the order}
```

## References
- OWASP API1:2023 Broken Object Level Authorization
- CWE-306: Missing Authentication for Critical Function
- CWE-639: Authorization Bypass Through User-Controlled Key
"#,
};

/// The first id-like template expression (`{orderId}`) of a path segment.
fn id_template(segment: &str) -> Option<&str> {
    let mut rest = segment;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after.find('}')?;
        let name = &after[..close];
        if is_id_like(name) {
            return Some(name);
        }
        rest = &after[close + 1..];
    }
    None
}

/// The id parameter that makes a path address one object: in the last segment, or in the one
/// before a final literal segment. `None` for collections and paths without ids.
pub(crate) fn object_id_param(path: &str) -> Option<&str> {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let last = segs.last()?;
    if let Some(name) = id_template(last) {
        return Some(name);
    }
    if segs.len() >= 2 && !last.contains('{') {
        return id_template(segs[segs.len() - 2]);
    }
    None
}

impl Rule for AnonymousObjectAccess {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        // A document with no security schemes at all is reported once by `no-security-schemes`
        // (and per operation by `operation-without-security`); repeating it here per object
        // path would only multiply the same finding.
        let has_schemes = !cx.security_schemes().is_empty();
        for op in cx.operations() {
            if op.webhook {
                continue;
            }
            let Some(id) = object_id_param(&op.path) else {
                continue;
            };
            let how = match &op.security {
                Security::None if has_schemes => "without any security requirement",
                Security::Required { any_of } if any_of.iter().any(Vec::is_empty) => {
                    "anonymously (an empty `{}` security alternative)"
                }
                _ => continue,
            };
            out.push(Report {
                node: op.node,
                message: format!(
                    "{} accesses the object identified by `{id}` {how}",
                    op.label()
                ),
                help: "require authentication for object-level operations and check that the caller may access this object; if it really is public, mark it with `security: []`".into(),
            });
        }
    }
}
