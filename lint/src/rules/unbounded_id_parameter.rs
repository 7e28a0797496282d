use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;
use specguard_spec::Tree;
use specguard_spec::inventory::is_id_like;

pub struct UnboundedIdParameter;

static META: RuleMeta = RuleMeta {
    code: "SG011",
    name: "unbounded-id-parameter",
    severity: Severity::Info,
    owasp: Owasp::Api1,
    cwe: &[20, 639],
    peers: &[],
    summary: "Identifier parameter accepts any value: no format, pattern, length or maximum",
    docs: r#"## What it does
Reports path and query parameters whose name designates an identifier (`id`, `accountId`,
`order_number`, `slug` …) when the schema says nothing about what an identifier looks like:
- a string with no `format`, `pattern`, `maxLength`, `enum` or `const`;
- an integer with no `maximum` (or `exclusiveMaximum`), `enum` or `const`.

Arrays of identifiers are judged by their `items`. Names of personal data that end in
`number` (`phone_number`, `card_number`) are not identifiers. A parameter shared by several
operations is reported once, at the parameter.

## Why is this bad?
An identifier that accepts anything is where object-level authorization is attacked: wildcard
and list syntax (`*`, `1,2,3`), path fragments (`../other`), huge or negative numbers, and other
users' identifiers are all passed straight to the lookup (OWASP API1:2023 Broken Object Level
Authorization). A declared shape (`format: uuid`, a `pattern`, a range) lets the generated
validation reject malformed identifiers before they reach data access code.

This overlaps `unbounded-string-input` for string identifiers; it is kept at `info` and, unlike
that rule, accepts any `format` or `pattern` as a description of the identifier's shape.

## Example
```yaml
openapi: 3.0.3
info: {title: Files, version: "1"}
paths:
  /files/{fileId}:
    get:
      parameters:
        - {name: fileId, in: path, required: true, schema: {type: string}}
      responses:
        "200": {description: the file}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Files, version: "1"}
paths:
  /files/{fileId}:
    get:
      parameters:
        - name: fileId
          in: path
          required: true
          schema: {type: string, pattern: "^file_[A-Za-z0-9]{24}$"}
      responses:
        "200": {description: the file}
```

## References
- OWASP API1:2023 Broken Object Level Authorization
- CWE-20: Improper Input Validation
- CWE-639: Authorization Bypass Through User-Controlled Key
"#,
};

fn has_type(t: &Tree, s: NodeId, want: &str) -> bool {
    match t.get(s, "type") {
        Some(ty) => match t.str(ty) {
            Some(x) => x == want,
            None => t.items(ty).iter().any(|&i| t.str(i) == Some(want)),
        },
        None => false,
    }
}

/// What is missing from an identifier schema, if it is unbounded.
fn unbounded(cx: &Context<'_>, s: NodeId, depth: u8) -> Option<&'static str> {
    let t = cx.tree();
    if t.get(s, "enum").is_some() || t.get(s, "const").is_some() {
        return None;
    }
    if has_type(t, s, "array") {
        let items = t.get(s, "items").map(|i| cx.resolve(i))?;
        return if depth == 0 {
            unbounded(cx, items, 1)
        } else {
            None
        };
    }
    if has_type(t, s, "string") {
        let bounded = ["format", "pattern", "maxLength"]
            .iter()
            .any(|k| t.get(s, k).is_some());
        return (!bounded).then_some("a string with no format, pattern or maxLength");
    }
    if has_type(t, s, "integer") {
        let bounded = t.get(s, "maximum").is_some()
            || t.get(s, "exclusiveMaximum")
                .is_some_and(|m| t.number(m).is_some());
        return (!bounded).then_some("an integer with no maximum");
    }
    None
}

impl Rule for UnboundedIdParameter {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let mut seen = HashSet::default();
        for op in cx.operations() {
            for p in &op.parameters {
                // `phone_number`, `card_number`: personal data, not identifiers.
                if !matches!(p.location, ParamIn::Path | ParamIn::Query)
                    || !is_id_like(&p.name)
                    || cx.sensitive.classify(&p.name).is_some()
                {
                    continue;
                }
                let Some(s) = p.schema else { continue };
                let Some(what) = unbounded(cx, s, 0) else {
                    continue;
                };
                if !seen.insert(p.node) {
                    continue;
                }
                out.push(Report {
                    node: p.node,
                    message: format!(
                        "{} parameter `{}` is an identifier declared as {what}",
                        p.location.as_str(),
                        p.name
                    ),
                    help: "describe the identifier's shape: `format: uuid`, a `pattern` and `maxLength`, or `minimum`/`maximum` for numbers".into(),
                });
            }
        }
    }
}
