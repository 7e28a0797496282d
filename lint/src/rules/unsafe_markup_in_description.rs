use crate::prelude::*;
use regex::Regex;
use specguard_spec::Value;
use specguard_spec::tree::KeyFilter;
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

/// Whether `s` may match [`UNSAFE`]. Each alternative of the pattern holds `<`, or a `:` after
/// `script` (`javascript:`, `vbscript:`, spaces allowed before the colon) or inside
/// `data:text/html`, in any case. Most descriptions hold neither (a `:` alone, as in every URL,
/// used to send 1 600 of GitHub's through the regex); the colons of a string are few, and each
/// is checked by looking at its neighbours. Text with non-ASCII characters and a `:` always goes
/// to the regex: its Unicode case folding matches `ſ` (long s) for `s`, and its `\s` more
/// spaces than ASCII has.
fn may_hold_markup(s: &str) -> bool {
    let b = s.as_bytes();
    if memchr::memchr(b'<', b).is_some() {
        return true;
    }
    if !s.is_ascii() {
        return memchr::memchr(b':', b).is_some();
    }
    let ends_with = |text: &[u8], word: &[u8]| {
        text.len() >= word.len() && text[text.len() - word.len()..].eq_ignore_ascii_case(word)
    };
    memchr::memchr_iter(b':', b).any(|i| {
        let (before, after) = b.split_at(i);
        // The regex's `\s` on ASCII text: space, \t, \n, \x0B, \x0C, \r.
        let mut end = before.len();
        while end > 0 && matches!(before[end - 1], b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r') {
            end -= 1;
        }
        ends_with(&before[..end], b"script")
            || (ends_with(before, b"data")
                && after
                    .get(1..10)
                    .is_some_and(|t| t.eq_ignore_ascii_case(b"text/html")))
    })
}

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
        // The `description`, `summary` and `title` strings of every object (the key filter of
        // each object rules out the three at once for most without reading its members).
        const KEYS: [&str; 3] = ["description", "summary", "title"];
        let filter = KeyFilter::new(&KEYS);
        let texts = t
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n.value, Value::Object(_)))
            .map(|(i, _)| NodeId(i as u32))
            .filter(|&object| t.may_have_any(object, filter))
            .flat_map(|object| KEYS.into_iter().filter_map(move |k| t.get(object, k)));
        for id in texts {
            let Value::String(s) = t.value(id) else {
                continue;
            };
            if !may_hold_markup(s) || !re.is_match(s) {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_lets_through_every_string_the_pattern_matches() {
        let re = UNSAFE.as_ref().unwrap();
        for s in [
            "<script>alert(1)</script>",
            "< IFRAME src=x>",
            "see <img src=x onerror = alert(1)>",
            "JavaScript:alert(1)",
            "click vbscript :msgbox",
            "DATA:TEXT/HTML;base64,PHNjcmlwdD4=",
            // Unicode case folding: the long s matches `s`.
            "java\u{17f}cript:alert(1)",
            "javascript\u{b}\t:void(0)",
            "a data:text/html,<b>",
            "x DaTa:TeXt/HtMl;charset=utf-8",
        ] {
            assert!(re.is_match(s), "the pattern should match {s}");
            assert!(may_hold_markup(s), "the screen hides {s}");
        }
        // What the screen spares the regex: plain prose and URLs.
        for s in [
            "Lists the repositories: see https://docs.github.com/rest/repos",
            "Note: the token expires after 8 hours.",
            "data: text/html is not it, nor is script",
        ] {
            assert!(!may_hold_markup(s), "{s}");
        }
    }
}
