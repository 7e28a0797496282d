//! ECMA-262 `pattern` → `regex` crate syntax.
//!
//! The `regex` crate runs in linear time (a backtracking engine on request data is a denial of
//! service), but its `\d`, `\w`, `\s` and `\b` are Unicode-aware where ECMA's are ASCII: they are
//! rewritten to ASCII classes. What `regex` cannot do (lookaround, backreferences) fails
//! generation instead of being dropped — except the most common use of lookaround, leading
//! lookaheads of a pattern anchored at the start (`^(?!aws:)…`, `(?=^.{2,256}$)(?!.*\s)^…`),
//! which split into separate linear-time expressions with the same meaning: at position 0,
//! `(?=X)` holds when `^(?:X)` matches and `(?!X)` when it does not.

use crate::ir::Pattern;

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
const SPACE: &str = r"\t\n\x0B\x0C\r ";

/// Translate a pattern into parts the linear-time engine runs (see the module documentation).
pub fn translate(ecma: &str) -> Result<Pattern, String> {
    let chars: Vec<char> = ecma.chars().collect();
    if let Some(split) = split_leading_lookaheads(&chars) {
        let wrap = |part: &[char]| -> Result<String, String> {
            let inner: String = part.iter().collect();
            Ok(format!("^(?:{})", translate_plain(&inner)?))
        };
        let mut out = Pattern {
            main: wrap(split.rest)?,
            ..Pattern::default()
        };
        for (positive, body) in split.lookaheads {
            let re = wrap(body)?;
            if positive {
                out.require.push(re);
            } else {
                out.forbid.push(re);
            }
        }
        return Ok(out);
    }
    Ok(Pattern {
        main: translate_plain(ecma)?,
        ..Pattern::default()
    })
}

struct Split<'a> {
    /// (positive, body)
    lookaheads: Vec<(bool, &'a [char])>,
    rest: &'a [char],
}

/// `[lookaheads, ^, plain groups of them]* rest`, when every match must start at position 0
/// (a leading `^`, a `rest` that starts with `^`, or a positive lookahead whose body does) and
/// the pattern has no top-level alternation. `None` otherwise, and for patterns without any
/// leading lookahead.
fn split_leading_lookaheads(chars: &[char]) -> Option<Split<'_>> {
    if top_level_alternation(chars) {
        return None;
    }
    let mut lookaheads = Vec::new();
    let mut anchored = false;
    let end = leading_items(chars, 0, &mut lookaheads, &mut anchored)?;
    let rest = chars.get(end..)?;
    if lookaheads.is_empty() {
        return None;
    }
    let body_anchored = lookaheads
        .iter()
        .any(|(positive, body)| *positive && body.first() == Some(&'^'));
    if !(anchored || rest.first() == Some(&'^') || body_anchored) {
        return None;
    }
    Some(Split { lookaheads, rest })
}

/// Consume leading `^`, lookaheads and groups made only of those from `i`; the index after
/// them. `None` when something there cannot be split (a quantified lookahead or group).
fn leading_items<'a>(
    chars: &'a [char],
    mut i: usize,
    lookaheads: &mut Vec<(bool, &'a [char])>,
    anchored: &mut bool,
) -> Option<usize> {
    loop {
        match chars.get(i) {
            Some('^') => {
                *anchored = true;
                i += 1;
            }
            Some('(') => {
                let close = group_end(chars, i)?;
                if matches!(chars.get(close + 1), Some('*' | '+' | '?' | '{')) {
                    return Some(i).filter(|_| !is_lookaround(chars, i));
                }
                if chars.get(i + 1) == Some(&'?') && matches!(chars.get(i + 2), Some('=' | '!')) {
                    let body = chars.get(i + 3..close)?;
                    lookaheads.push((chars.get(i + 2) == Some(&'='), body));
                    i = close + 1;
                    continue;
                }
                // A group made only of leading items (`(^(?!_{2}))`), else the rest starts here.
                let start = if chars.get(i + 1) == Some(&'?') {
                    if chars.get(i + 2) != Some(&':') {
                        return Some(i);
                    }
                    i + 3
                } else {
                    i + 1
                };
                let inner = chars.get(..close)?;
                let (mut la, mut an) = (Vec::new(), false);
                match leading_items(inner, start, &mut la, &mut an) {
                    Some(end) if end == close && !la.is_empty() => {
                        lookaheads.extend(la);
                        *anchored |= an;
                        i = close + 1;
                    }
                    _ => return Some(i),
                }
            }
            _ => return Some(i),
        }
    }
}

fn is_lookaround(chars: &[char], i: usize) -> bool {
    chars.get(i + 1) == Some(&'?')
        && (matches!(chars.get(i + 2), Some('=' | '!'))
            || (chars.get(i + 2) == Some(&'<') && matches!(chars.get(i + 3), Some('=' | '!'))))
}

/// Visit the characters of `chars` from `from` that are outside escapes and classes, each with
/// the group depth before it, until `f` returns something.
fn scan<R>(
    chars: &[char],
    from: usize,
    mut f: impl FnMut(usize, char, usize) -> Option<R>,
) -> Option<R> {
    let mut depth = 0usize;
    let mut in_class = false;
    let mut i = from;
    while let Some(&c) = chars.get(i) {
        match c {
            '\\' => i += 1,
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            _ if in_class => {}
            _ => {
                if let Some(r) = f(i, c, depth) {
                    return Some(r);
                }
                match c {
                    '(' => depth += 1,
                    ')' => depth = depth.saturating_sub(1),
                    _ => {}
                }
            }
        }
        i += 1;
    }
    None
}

/// The index of the `)` closing the group opened at `open`.
fn group_end(chars: &[char], open: usize) -> Option<usize> {
    scan(chars, open, |i, c, depth| {
        (c == ')' && depth == 1).then_some(i)
    })
}

/// Whether a `|` separates alternatives of the whole pattern.
fn top_level_alternation(chars: &[char]) -> bool {
    scan(chars, 0, |_, c, depth| {
        (c == '|' && depth == 0).then_some(())
    })
    .is_some()
}

/// Translate, then check that the result compiles (with the engine the runtime uses).
fn translate_plain(ecma: &str) -> Result<String, String> {
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

    /// What the runtime's `Pattern::is_match` does with the parts.
    fn m(ecma: &str, s: &str) -> bool {
        let p = translate(ecma).unwrap();
        let re = |r: &String| regex::Regex::new(r).unwrap().is_match(s);
        re(&p.main) && p.require.iter().all(re) && !p.forbid.iter().any(re)
    }

    /// Leading lookaheads of anchored patterns (the shapes of the APIs.guru corpus) split into
    /// parts that agree with an ECMA-262 engine on every sample.
    #[test]
    fn leading_lookaheads_agree_with_ecma() {
        let patterns = [
            r"^(?!\s*$).+",
            r"(^(?!_{2}))(^[a-zA-Z0-9_]+$)",
            r"^(?!aws:)[a-zA-Z+-=._:/]+$",
            r"(?!^.*--)(?!^[0-9]+$)(?!^-)(?!.*-$)^[A-Za-z0-9-]+$",
            r"^(?!\.)[\.\-_#A-Za-z0-9]+$",
            r"^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{2,49}[a-zA-Z0-9]$",
            r"^(?=.*[a-z])(?=.*[A-Z])(?=.*[!@#$%\^&\*\(\)])[a-zA-Z\d!@#$%\^&\*\(\)]{12,123}$",
            r"(?=^.{2,256}$)(?!.*\s)[0-9a-zA-Z-_.:=+@]*$",
            r"^(?!CLOUDENV.*$)[a-zA-Z_][a-zA-Z0-9_]{0,199}$",
            r#"^(?!.*[:\"][^:\"]*$).+$"#,
            r"^(?:(?!x))(y)",
        ];
        let samples = [
            "",
            " ",
            "  \t",
            "a",
            "__a",
            "_a",
            "aws:tag",
            "aws",
            "my:tag",
            "a--b",
            "123",
            "-ab",
            "ab-",
            "ab",
            "a-b",
            ".x",
            "x.",
            "Abcdefgh1234!",
            "abcdefgh1234!",
            "ABCDEFGH1234!",
            "Abcdefgh1234",
            "Ab1!",
            "a b",
            "a",
            "CLOUDENVX",
            "CLOUD",
            "x:y",
            "x:y:z\"q",
            "y",
            "xy",
        ];
        for p in patterns {
            let ecma = regress::Regex::new(p).unwrap();
            let parts = translate(p).unwrap();
            assert!(
                !parts.require.is_empty() || !parts.forbid.is_empty(),
                "{p} was not split"
            );
            for s in samples {
                assert_eq!(m(p, s), ecma.find(s).is_some(), "{p} on {s:?}");
            }
        }
    }

    #[test]
    fn lookaheads_that_do_not_split() {
        for p in [
            r"(?!aws:)[a-z:]+", // unanchored: any position may satisfy it
            r"^(?!a)b|c",       // alternation around the lookahead
            r"^a(?!b)",         // not leading
            r"^(?!a)*b",        // quantified
            r"^(?<!a)b",        // lookbehind
            r"(^\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))",
        ] {
            assert!(translate(p).unwrap_err().contains("lookaround"), "{p}");
        }
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
