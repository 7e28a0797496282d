use crate::prelude::*;
use regex::Regex;
use specguard_spec::Value;
use std::sync::LazyLock;

pub struct UnsafeMarkupInDescription;

static META: RuleMeta = RuleMeta {
    code: "SG080",
    name: "unsafe-markup-in-description",
    severity: Severity::Warning,
    owasp: Owasp::Api8,
    cwe: &[79],
    peers: &[],
    summary: "Description contains script, iframe, javascript: URL or event-handler markup",
    docs: r#"## What it does
Reports `description`, `summary` and `title` texts anywhere in the document that contain active
HTML or script: `<script`, `<iframe`, `<object`, `<embed`, `javascript:` or `vbscript:` URLs,
`data:text/html` URLs, or an event-handler attribute inside a tag (`<img src=x onerror=...>`).
Code spans and fenced code blocks are skipped (Markdown shows them as text), and so are values
inside `example`, `examples`, `default`, `enum` and `const` (data, not documentation).

## Why is this bad?
Descriptions are rendered as Markdown — which allows raw HTML — by documentation portals,
developer consoles and API catalogues, often on the same origin as the API's login. Script in a
description runs in every reader's browser: a stored cross-site scripting hole planted through
the contract, for example by a compromised upstream spec or a pull request (OWASP API8:2023
Security Misconfiguration, CWE-79). Redocly's `no-unsafe-markdown` makes the same check;
Spectral's and vacuum's OWASP rulesets have none.

## Example
```yaml
openapi: 3.0.3
info:
  title: Orders
  version: "1"
  description: 'See <a href="javascript:alert(document.cookie)">the guide</a>.'
paths: {}
```

## Use instead
```yaml
openapi: 3.0.3
info:
  title: Orders
  version: "1"
  description: 'See [the guide](https://docs.orders.example/guide). Never write `<script>`.'
paths: {}
```

## References
- OWASP API8:2023 Security Misconfiguration
- CWE-79: Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')
"#,
};

static UNSAFE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)<\s*(script|iframe|object|embed|frame|frameset)\b|(javascript|vbscript)\s*:|data:text/html|<[a-z][^>]*\son[a-z]+\s*=",
    )
    .ok()
});

/// The text without fenced code blocks and inline code spans.
fn strip_code(text: &str) -> String {
    let mut out = String::new();
    let mut fenced = false;
    for line in text.lines() {
        let l = line.trim_start();
        if l.starts_with("```") || l.starts_with("~~~") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut in_code = false;
        for part in line.split('`') {
            if !in_code {
                out.push_str(part);
            }
            in_code = !in_code;
        }
        out.push('\n');
    }
    out
}

/// Whether a node sits inside example data rather than documentation.
fn in_data(t: &specguard_spec::Tree, mut id: NodeId) -> bool {
    // Keys from the node up to the root ("" for array items).
    let mut keys: Vec<&str> = Vec::new();
    loop {
        let k = t.key_of(id).unwrap_or("");
        match k {
            "example" | "default" | "enum" | "const" | "x-example" | "x-examples" => return true,
            // Schema `examples` (a list) are data; an `examples` map holds Example Objects
            // whose `value` is data and whose description is documentation.
            "examples" => {
                let below = keys.len().checked_sub(2).and_then(|j| keys.get(j));
                if matches!(t.value(id), Value::Array(_)) || below == Some(&"value") {
                    return true;
                }
            }
            _ => {}
        }
        keys.push(k);
        match t.node(id).parent() {
            Some((parent, _)) => id = parent,
            None => return false,
        }
    }
}

impl Rule for UnsafeMarkupInDescription {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let Some(re) = UNSAFE.as_ref() else { return };
        let t = cx.tree();
        // The `description`, `summary` and `title` strings of every object (asked of each
        // object, whose key filter answers for most without reading its members).
        let texts = t
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.value, Value::Object(_)))
            .flat_map(|(i, _)| {
                let object = NodeId(i as u32);
                ["description", "summary", "title"]
                    .into_iter()
                    .filter_map(move |k| t.get(object, k))
            });
        for id in texts {
            let Value::String(s) = t.value(id) else {
                continue;
            };
            // Every alternative of the pattern holds `<` or `:`: most strings have neither.
            if memchr::memchr2(b'<', b':', s.as_bytes()).is_none() {
                continue;
            }
            if !re.is_match(s) {
                continue;
            }
            let text = strip_code(s);
            let Some(m) = re.find(&text) else { continue };
            if in_data(t, id) {
                continue;
            }
            let shown: String = m.as_str().chars().take(40).collect();
            out.push(Report {
                node: id,
                message: format!("description contains active markup `{shown}`"),
                help: "remove the HTML/script; use Markdown links to https URLs and put markup examples in code spans".into(),
            });
        }
    }
}
