use crate::prelude::*;

pub struct UnanchoredRequestPattern;

static META: RuleMeta = RuleMeta {
    code: "SG092",
    name: "unanchored-request-pattern",
    severity: Severity::Info,
    owasp: Owasp::Api8,
    cwe: &[625],
    peers: &[],
    summary: "Pattern on client input is not anchored with ^ and $",
    docs: r#"## What it does
Reports `pattern`s of string schemas used on the request side (parameters and request bodies)
that are not anchored: every top-level alternative must start with `^` (or an explicit `.*`/`.+`),
and must end with an unescaped `$` when it ends in a quantifier, a class or a group
(`^[0-9]{5}` needs `$`; `^https://` and `^refs/` are deliberate "starts with" checks, and
`.*`/`.+` endings are deliberately open). With an alternation at the top level every
alternative counts on its own: `^$|[0-9a-f]{32}` anchors only the empty alternative; write
`^(|[0-9a-f]{32})$`. `readOnly`
schemas and patterns that do not compile (see `invalid-pattern`) are not reported.

## Why is this bad?
JSON Schema patterns are not implicitly anchored: `[0-9]{5}` accepts `12345; DROP TABLE users`
because it *contains* five digits. An unanchored pattern looks like validation in the contract
and the generated code but lets arbitrary text through around the matching part (CWE-625
Permissive Regular Expression; OWASP API8:2023 Security Misconfiguration). Sometimes "contains"
is what was meant, so this is information.

## Example
```yaml
openapi: 3.0.3
info: {title: Shipping, version: "1"}
paths:
  /quotes:
    get:
      parameters:
        - name: zip
          in: query
          schema: {type: string, maxLength: 10, pattern: '[0-9]{5}'}
      responses:
        "200": {description: a quote}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Shipping, version: "1"}
paths:
  /quotes:
    get:
      parameters:
        - name: zip
          in: query
          schema: {type: string, maxLength: 10, pattern: '^[0-9]{5}$'}
      responses:
        "200": {description: a quote}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-625: Permissive Regular Expression
"#,
};

/// The top-level alternatives of a pattern (split at `|` outside groups and classes).
fn alternatives(p: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut class = false;
    let mut escaped = false;
    let mut start = 0;
    for (i, c) in p.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '[' if !class => class = true,
            ']' if class => class = false,
            '(' if !class => depth += 1,
            ')' if !class => depth -= 1,
            '|' if !class && depth == 0 => {
                out.push(&p[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&p[start..]);
    out
}

/// Whether a pattern ends with an unescaped `$`.
fn ends_anchored(p: &str) -> bool {
    let Some(body) = p.strip_suffix('$') else {
        return false;
    };
    let backslashes = body.chars().rev().take_while(|&c| c == '\\').count();
    backslashes % 2 == 0
}

/// Whether one alternative is pinned at the start: `^`, or an explicit "anything" prefix.
fn start_pinned(a: &str) -> bool {
    a.starts_with('^') || a.starts_with(".*") || a.starts_with(".+")
}

/// Whether one alternative is pinned at the end: `$`, an explicit "anything" suffix, or a
/// literal prefix check (`^https://`, `^refs/`) that means "starts with".
fn end_pinned(a: &str) -> bool {
    if ends_anchored(a) || a.ends_with(".*") || a.ends_with(".+") {
        return true;
    }
    // Ends in a quantifier, a class or a group: a length or shape check missing its `$`.
    !matches!(a.chars().last(), Some('}' | '+' | '*' | '?' | ']' | ')'))
        || a.ends_with("\\]")
        || a.ends_with("\\)")
}

fn anchored(p: &str) -> bool {
    alternatives(p)
        .iter()
        .all(|a| start_pinned(a) && end_pinned(a))
}

fn is_string(t: &specguard_spec::Tree, s: NodeId) -> bool {
    match t.get(s, "type") {
        Some(ty) => match t.str(ty) {
            Some(x) => x == "string",
            None => t.items(ty).iter().any(|&i| t.str(i) == Some("string")),
        },
        None => true,
    }
}

impl Rule for UnanchoredRequestPattern {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for &s in &cx.views.schemas {
            let Some(sides) = cx.views.schema_sides.get(&s) else {
                continue;
            };
            if !sides.request || t.get_bool(s, "readOnly") == Some(true) || !is_string(t, s) {
                continue;
            }
            let Some(pn) = t.get(s, "pattern") else {
                continue;
            };
            let Some(p) = t.str(pn) else { continue };
            if p.is_empty() || anchored(p) || regress::Regex::new(p).is_err() {
                continue;
            }
            let message = if alternatives(p).len() > 1 {
                format!("pattern `{p}` does not anchor every alternative of its top-level `|`")
            } else {
                format!("pattern `{p}` is not anchored, so it matches anywhere in the input")
            };
            out.push(Report {
                node: pn,
                message,
                help: "anchor the whole pattern: `^(...)$`".into(),
            });
        }
    }
}
