//! ECMA-262 `pattern` → `regex` crate syntax.
//!
//! The `regex` crate runs in linear time (a backtracking engine on request data is a denial of
//! service), but its classes differ from ECMA's: `\d`, `\w` and `\b` are Unicode-aware where
//! ECMA's are ASCII, its `.` excludes only `\n` where ECMA's excludes every line terminator, and
//! its `\s` is a different set of spaces. They are rewritten to ECMA's exact sets. What `regex`
//! cannot do fails generation instead of being dropped: backreferences, and lookaround that
//! [`super::lookaround`] cannot rewrite into linear-time parts with the same meaning.

use crate::ir::Pattern;

const DIGIT: &str = "0-9";
const WORD: &str = "0-9A-Za-z_";
/// ECMA-262 WhiteSpace and LineTerminator: ASCII spaces, U+FEFF and the Unicode `Zs` spaces.
const SPACE: &str = r"\t\n\x0B\x0C\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

pub(super) const LOOKAROUND: &str =
    "the pattern uses lookaround, which a linear-time engine cannot run";

/// The most memory one compiled part may take (the `regex` crate's `size_limit`, the same in
/// the runtime); a pattern needing more fails generation.
pub const SIZE_LIMIT: usize = 10 * (1 << 20);

/// Translate a pattern into parts the linear-time engine runs (see the module documentation).
pub fn translate(ecma: &str) -> Result<Pattern, String> {
    match translate_plain(ecma) {
        Ok(main) => Ok(Pattern {
            main,
            ..Pattern::default()
        }),
        Err(e) if e == LOOKAROUND => super::lookaround::translate(ecma),
        Err(e) => Err(e),
    }
}

/// Whether a translated expression compiles within [`SIZE_LIMIT`].
pub(super) fn check(re: &str) -> Result<(), String> {
    regex::RegexBuilder::new(re)
        .size_limit(SIZE_LIMIT)
        .build()
        .map(drop)
        .map_err(|e| {
            let e = e.to_string();
            // The last line of regex's message says what is wrong.
            let reason = e.lines().last().unwrap_or("invalid").trim().to_string();
            format!("the pattern does not compile as a linear-time regular expression: {reason}")
        })
}

/// Translate, then check that the result compiles (with the engine the runtime uses).
pub(super) fn translate_plain(ecma: &str) -> Result<String, String> {
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
                    '0' if !chars.get(i).is_some_and(char::is_ascii_digit) => {
                        out.push_str(r"\x00");
                    }
                    '0' => {
                        return Err("the pattern uses a legacy octal escape (`\\0` and a digit), which ECMA-262 allows only outside Unicode mode (Annex B): write `\\x..` or `\\u....`".into());
                    }
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
                    return Err(LOOKAROUND.into());
                }
                out.push('(');
            }
            '.' if !in_class => out.push_str(super::lookaround::DOT),
            c => out.push(c),
        }
        i += 1;
    }
    check(&out)?;
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
            for s in samples {
                assert_eq!(m(p, s), ecma.find(s).is_some(), "{p} on {s:?}");
            }
        }
    }

    #[test]
    fn lookaheads_that_do_not_split() {
        for p in [
            r"^(?!a)*b", // quantified
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
        assert!(m(r"^\s$", "\u{a0}"));
        assert!(!m(r"^\S$", "\u{feff}"));
        assert!(!m(r"^.$", "\r"));
        assert!(m(r"^[.]$", "."));
        assert!(m(r"^\0$", "\0"));
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

    /// `SPECGUARD_PATTERNS=<file of JSON strings, one a line> cargo test -p specguard-generator
    /// --lib -- --ignored translate_file`: one `ok`/`err<TAB>reason` line per pattern, in order,
    /// to `$SPECGUARD_PATTERNS.out` (a corpus sweep without generating).
    #[test]
    #[ignore]
    fn translate_file() {
        let Ok(path) = std::env::var("SPECGUARD_PATTERNS") else {
            return;
        };
        let text = std::fs::read_to_string(&path).unwrap();
        let mut out = String::new();
        for line in text.lines() {
            let p: String = serde_json::from_str(line).unwrap();
            match translate(&p) {
                Ok(_) => out.push_str("ok\n"),
                Err(e) => out.push_str(&format!("err\t{e}\n")),
            }
        }
        std::fs::write(format!("{path}.out"), out).unwrap();
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
