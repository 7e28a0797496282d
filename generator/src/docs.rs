//! Spec text in doc comments: it can never leave the comment, never become a doctest, and
//! never carry characters the compiler rejects (bidirectional overrides) or hides.

use quote::quote;

const MAX_DOC_CHARS: usize = 4000;
const MAX_INLINE_CHARS: usize = 200;

/// Characters dropped from spec text: controls, bidi overrides and invisible formatting.
fn dropped(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c,
            '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

fn clean(s: &str, max: usize) -> String {
    let mut out = String::new();
    for (n, c) in s.chars().enumerate() {
        if n >= max {
            out.push('…');
            break;
        }
        match c {
            '\u{2028}' | '\u{2029}' | '\u{0085}' | '\r' => out.push('\n'),
            '\t' => out.push(' '),
            c if dropped(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// Spec text for use inside a sentence of a doc line: one line, no backticks.
pub fn inline(s: &str) -> String {
    clean(s, MAX_INLINE_CHARS)
        .chars()
        .map(|c| match c {
            '\n' => ' ',
            '`' => '\'',
            c => c,
        })
        .collect()
}

/// Spec text (a description) as doc lines: a fenced `text` block longer than any backtick run
/// inside it, so nothing in it is Markdown code, a doctest, or a closing fence.
pub fn block(s: &str) -> Vec<String> {
    let text = clean(s, MAX_DOC_CHARS);
    let text = text.trim_matches('\n');
    if text.trim().is_empty() {
        return Vec::new();
    }
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let fence = "`".repeat(longest.max(2) + 1);
    let mut lines = vec![format!(" {fence}text")];
    lines.extend(text.split('\n').map(|l| format!(" {}", l.trim_end())));
    lines.push(format!(" {fence}"));
    lines
}

/// `#[doc = "..."]` attributes, one per line (no line holds a newline).
pub fn attrs(lines: &[String]) -> proc_macro2::TokenStream {
    let lines = lines.iter().map(|l| l.replace('\n', " "));
    quote! { #( #[doc = #lines] )* }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fences_and_bidi() {
        let b = block("a\n```rust\nfn evil() {}\n```\n\u{202E}x\r\ny");
        assert_eq!(b[0], " ````text");
        assert_eq!(b.last().unwrap(), " ````");
        assert!(
            b.iter()
                .all(|l| !l.contains('\u{202E}') && !l.contains('\r'))
        );
        assert_eq!(inline("a\n`b`\u{0}"), "a 'b'");
        assert!(block("  \n").is_empty());
    }
}
