use crate::prelude::*;

pub struct InlineConstraintDroppedByGenerators;

static META: RuleMeta = RuleMeta {
    code: "SG094",
    name: "inline-constraint-dropped-by-generators",
    severity: Severity::Info,
    owasp: Owasp::Api8,
    cwe: &[20],
    peers: &[],
    summary: "Request constraint written inline (enum, or constraints on array items) that many generators drop",
    docs: r##"## What it does
Reports input constraints that many code generators silently drop: an `enum` written inline on a
request-side property or parameter (not a schema of its own under `components/schemas`), and
constraints (`enum`, `pattern`, lengths, bounds) on the inline `items` of a request-side array.
Each schema is reported once.

## Why is this bad?
The contract says the server accepts only some values, but the code generated from it accepts
any: openapi-generator's `rust-axum` marks inline enums "not fully supported" and turns them into
plain strings, and several generators validate an array but not its items. The check that the
contract promises is then missing from the implementation (CWE-20 Improper Input Validation;
OWASP API8:2023 Security Misconfiguration). specguard's own generator enforces these
constraints; if you generate with another tool, give the enum or the item schema its own name
under `components/schemas`, which generators do honour.

## Example
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                kind: {type: string, enum: [dog, cat]}
      responses:
        "201": {description: created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Pets, version: "1"}
paths:
  /pets:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                kind: {$ref: "#/components/schemas/Kind"}
      responses:
        "201": {description: created}
components:
  schemas:
    Kind: {type: string, enum: [dog, cat]}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-20: Improper Input Validation
"##,
};

const ITEM_CONSTRAINTS: [&str; 8] = [
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

impl Rule for InlineConstraintDroppedByGenerators {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for &s in &cx.views.schemas {
            let Some(sides) = cx.views.schema_sides.get(&s) else {
                continue;
            };
            if !sides.request || t.get_bool(s, "readOnly") == Some(true) {
                continue;
            }
            // A named component is not inline.
            let parent_key = t.node(s).parent().and_then(|(p, _)| t.key_of(p));
            let is_component = parent_key == Some("schemas") || parent_key == Some("$defs");
            // Inline enum on a property or parameter schema (a boolean-ish one-value enum is a const).
            let on_property = parent_key == Some("properties") || t.key_of(s) == Some("schema");
            if !is_component && on_property && t.items(t.get(s, "enum").unwrap_or(s)).len() > 1 {
                out.push(Report {
                    node: s,
                    message:
                        "inline `enum` on request input: many generators accept any value here"
                            .into(),
                    help: "give the enum its own schema under `components/schemas` and `$ref` it"
                        .into(),
                });
            }
            // Constraints on inline array items.
            if let Some(items) = t.get(s, "items")
                && t.get(items, "$ref").is_none()
                && t.is_object(items)
                && ITEM_CONSTRAINTS.iter().any(|k| t.get(items, k).is_some())
            {
                out.push(Report {
                    node: items,
                    message: "constraints on inline array items: many generators check the array but not its items".into(),
                    help: "give the item schema its own name under `components/schemas` and `$ref` it".into(),
                });
            }
        }
    }
}
