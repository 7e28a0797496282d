use crate::prelude::*;
use regex::Regex;
use std::sync::LazyLock;

pub struct DeprecatedWithoutSunset;

static META: RuleMeta = RuleMeta {
    code: "SG081",
    name: "deprecated-without-sunset",
    severity: Severity::Warning,
    owasp: Owasp::Api9,
    cwe: &[1059],
    peers: &[],
    summary: "Deprecated operation gives no sunset date",
    docs: r#"## What it does
Reports operations marked `deprecated: true` that say nothing about when they go away: no
`x-sunset` extension on the operation (or any `x-` extension with a key naming a sunset or
removal, such as `x-vendor: {removalDate: ...}`), no `Sunset` header (RFC 8594) on
any of its responses, and no date (`2025-06-30`, `June 30, 2025`, `30 June 2025`, `June 2025`)
in its description.

## Why is this bad?
A deprecated operation without an end date stays deployed forever: clients never migrate, the
old code path keeps its old bugs and its weaker checks, and nobody owns it any more (OWASP
API9:2023 Improper Inventory Management). A sunset date is the inventory entry that lets the team
retire it and lets clients plan.

## Example
```yaml
openapi: 3.0.3
info: {title: Orders, version: "2"}
paths:
  /orders/search:
    get:
      deprecated: true
      description: Use GET /orders with filters instead.
      responses:
        "200": {description: the orders}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Orders, version: "2"}
paths:
  /orders/search:
    get:
      deprecated: true
      description: Use GET /orders with filters instead. Removed on 2026-06-30.
      responses:
        "200":
          description: the orders
          headers:
            Sunset:
              schema: {type: string, example: "Tue, 30 Jun 2026 00:00:00 GMT"}
```

## References
- OWASP API9:2023 Improper Inventory Management
- RFC 8594: The Sunset HTTP Header Field
- CWE-1059: Insufficient Technical Documentation
"#,
};

static DATE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    let month = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?";
    Regex::new(&format!(
        r"(?i)\b(19|20)\d\d-\d\d-\d\d\b|\b{month}\s+(\d{{1,2}}(st|nd|rd|th)?,?\s+)?(19|20)\d\d\b|\b\d{{1,2}}(st|nd|rd|th)?\s+{month}\s+(19|20)\d\d\b|\b\d{{1,2}}/\d{{1,2}}/(19|20)\d\d\b"
    ))
    .ok()
});

/// `x-sunset`, `sunsetDate`, `removalDate`, `x-removal`.
fn names_removal(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    k.contains("sunset") || k.contains("removal")
}

impl Rule for DeprecatedWithoutSunset {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for op in cx.operations() {
            if !op.deprecated {
                continue;
            }
            let ext = t
                .members(op.node)
                .iter()
                .filter(|m| m.key.starts_with("x-"))
                .any(|m| {
                    names_removal(&m.key)
                        || t.members(m.value).iter().any(|x| names_removal(&x.key))
                });
            let header = op.responses.iter().any(|(_, r)| {
                t.get(*r, "headers").is_some_and(|h| {
                    t.members(h)
                        .iter()
                        .any(|m| m.key.eq_ignore_ascii_case("sunset"))
                })
            });
            let dated = ["description", "summary"].iter().any(|k| {
                t.get_str(op.node, k)
                    .is_some_and(|d| DATE.as_ref().is_some_and(|re| re.is_match(d)))
            });
            if ext || header || dated {
                continue;
            }
            let node = t.get(op.node, "deprecated").unwrap_or(op.node);
            out.push(Report {
                node,
                message: format!("deprecated operation {} gives no sunset date", op.label()),
                help: "announce the removal date: an `x-sunset` extension, a `Sunset` response header, or the date in the description".into(),
            });
        }
    }
}
