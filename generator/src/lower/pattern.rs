//! ECMA-262 `pattern` → `regex` crate syntax.
//!
//! The `regex` crate runs in linear time (a backtracking engine on request data is a denial of
//! service), but its `\d`, `\w`, `\s` and `\b` are Unicode-aware where ECMA's are ASCII: they are
//! rewritten to ASCII classes. What `regex` cannot do (lookaround, backreferences) fails
//! generation instead of being dropped.

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
const SPACE: &str = r"\t\n\x0B\x0C\r ";

/// Translate, then check that the result compiles (with the engine the runtime uses).
pub fn translate(ecma: &str) -> Result<String, String> {
    let mut out = String::with_capacity(ecma.len() + 16);
    let chars: Vec<char> = ecma.chars().collect();
    let mut i = 0;
    let mut in_class = false;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    return Err("the pattern ends with a lone backslash".into());
                };
                i += 2;
                let class = match n {
                    'd' => Some((DIGIT, false)),
                    'D' => Some((DIGIT, true)),
                    'w' => Some((WORD, false)),
                    'W' => Some((WORD, true)),
                    's' => Some((SPACE, false)),
                    'S' => Some((SPACE, true)),
                    _ => None,
                };
                if let Some((set, negated)) = class {
                    // ECMA (Annex B): a `-` next to a class escape in a class is a literal
                    // (`[\w-.]` is word characters, `-` and `.`), never a range.
                    let literal_dash =
                        in_class && chars.get(i) == Some(&'-') && chars.get(i + 1) != Some(&']');
                    match (in_class, negated) {
                        (true, false) => out.push_str(set),
                        (true, true) | (false, true) => {
                            out.push_str("[^");
                            out.push_str(set);
                            out.push(']');
                        }
                        (false, false) => {
                            out.push('[');
                            out.push_str(set);
                            out.push(']');
                        }
                    }
                    if literal_dash {
                        out.push_str(r"\-");
                        i += 1;
                    }
                    continue;
                }
                match n {
                    'b' if in_class => out.push_str(r"\x08"),
                    'b' => out.push_str(r"(?-u:\b)"),
                    'B' => out.push_str(r"(?-u:\B)"),
                    '1'..='9' => {
                        return Err(
                            "the pattern uses a backreference, which a linear-time engine cannot run"
                                .into(),
                        );
                    }
                    '/' => out.push('/'),
                    '-' if !in_class => out.push('-'),
                    n => {
                        out.push('\\');
                        out.push(n);
                    }
                }
                continue;
            }
            '[' if in_class => out.push_str(r"\["),
            '[' => {
                in_class = true;
                out.push('[');
                if chars.get(i + 1) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                if chars.get(i + 1) == Some(&']') {
                    return Err("the pattern has an empty character class `[]`".into());
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(']');
            }
            // `[.-\w]`: the `-` before a class escape is a literal too.
            '-' if in_class
                && chars.get(i + 1) == Some(&'\\')
                && chars
                    .get(i + 2)
                    .is_some_and(|c| matches!(c, 'd' | 'D' | 'w' | 'W' | 's' | 'S')) =>
            {
                out.push_str(r"\-");
            }
            // Set operators of the regex crate are plain characters in ECMA classes.
            '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '(' if !in_class && chars.get(i + 1) == Some(&'?') => {
                let next = chars.get(i + 2).copied();
                let after = chars.get(i + 3).copied();
                if matches!(next, Some('=' | '!'))
                    || (next == Some('<') && matches!(after, Some('=' | '!')))
                {
                    return Err(
                        "the pattern uses lookaround, which a linear-time engine cannot run".into(),
                    );
                }
                out.push('(');
            }
            c => out.push(c),
        }
        i += 1;
    }
    regex::Regex::new(&out).map_err(|e| {
        let e = e.to_string();
        // The last line of regex's message says what is wrong.
        let reason = e.lines().last().unwrap_or("invalid").trim().to_string();
        format!("the pattern does not compile as a linear-time regular expression: {reason}")
    })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::translate;

    fn m(ecma: &str, s: &str) -> bool {
        regex::Regex::new(&translate(ecma).unwrap())
            .unwrap()
            .is_match(s)
    }

    #[test]
    fn ascii_classes() {
        assert!(m(r"^\d+$", "123"));
        assert!(!m(r"^\d+$", "١٢٣"));
        assert!(!m(r"^\w+$", "é"));
        assert!(m(r"^[\w-]+$", "a-b_c"));
        assert!(m(r"^[^\d]+$", "abc"));
        assert!(!m(r"^[\D]+$", "1"));
        assert!(m(r"^\S+\s\S+$", "a b"));
        assert!(!m(r"^\s$", "\u{a0}"));
        assert!(m(r"\bcat\b", "a cat."));
        assert!(m(r"^a\/b$", "a/b"));
        assert!(m(r"^[a&&b]$", "&"));
        assert!(m(r"^(?<x>a)$", "a"));
    }

    /// Corpus sweep (benches/results/corpus-generate.md): `^[\w-.+]+@[\w-.+]+$` (AWS CodeStar)
    /// was translated to the range `_-.` and refused.
    #[test]
    fn dash_next_to_a_class_escape_is_literal() {
        assert!(m(r"^[\w-.+]+@[\w-.+]+$", "a-b.c+d@x-y.z"));
        assert!(!m(r"^[\w-.+]+$", "/"));
        assert!(m(r"^[.-\d]+$", ".-1"));
        assert!(!m(r"^[.-\d]+$", "/"));
        assert!(m(r"^[\d-]+$", "1-2"));
        assert!(m(r"^[a-c\s-]+$", "b -"));
        assert!(!m(r"^[\w-.]$", "é"));
    }

    #[test]
    fn unsupported() {
        assert!(translate(r"(?=a)").unwrap_err().contains("lookaround"));
        assert!(translate(r"(?<!a)b").unwrap_err().contains("lookaround"));
        assert!(translate(r"(a)\1").unwrap_err().contains("backreference"));
        assert!(translate(r"(").unwrap_err().contains("does not compile"));
        assert!(translate(r"[]").is_err());
        assert!(translate("a\\").is_err());
    }
}
