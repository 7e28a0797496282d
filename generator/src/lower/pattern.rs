//! ECMA-262 `pattern` → `regex` crate syntax.
//!
//! The `regex` crate runs in linear time (a backtracking engine on request data is a denial of
//! service), but its classes differ from ECMA's: `\d`, `\w` and `\b` are Unicode-aware where
//! ECMA's are ASCII, its `.` excludes only `\n` where ECMA's excludes every line terminator, and
//! its `\s` is a different set of spaces. They are rewritten to ECMA's exact sets.
//! Backreferences to groups of a few values are first expanded away ([`super::backref`]).
//! What `regex` cannot do fails generation instead of being dropped: other backreferences, and
//! lookaround that [`super::lookaround`] cannot rewrite into linear-time parts with the same
//! meaning (nor its automaton run).

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
    let ecma = surrogates(ecma);
    match super::backref::expand(&ecma)? {
        Some(expanded) => translate_ecma(&expanded),
        None => translate_ecma(&ecma),
    }
}

/// [`translate`] after `surrogates` and [`super::backref::expand`].
fn translate_ecma(ecma: &str) -> Result<Pattern, String> {
    match translate_plain(ecma) {
        Ok(main) => Ok(Pattern {
            main,
            ..Pattern::default()
        }),
        Err(e) if e == LOOKAROUND => match super::lookaround::translate(ecma) {
            Err(e) if e.starts_with(LOOKAROUND) => automaton(ecma).map_err(|why| {
                if why.starts_with(LOOKAROUND) || why.contains("backreference") {
                    why
                } else {
                    format!("{e}; {why}")
                }
            }),
            other => other,
        },
        Err(e) if e.contains("exceeds size limit") => super::lookaround::shrink_repeat(ecma)
            .ok_or_else(|| format!("{e} (the `pattern` is too large for the linear-time engine)")),
        Err(e) => Err(e),
    }
}

/// The options of the lookaround automaton, the same in the runtime
/// (`specguard::validate::Pattern::compile_lookaround`): `^`/`$` anchor the whole value, `.` and
/// negated classes match one code point, and the scan is the hardened linear one.
pub fn automaton_options() -> resharp::RegexOptions {
    resharp::RegexOptions::default()
        .multiline(false)
        .unicode(resharp::UnicodeMode::Javascript)
        .hardened(true)
}

/// A pattern whose lookaround has no rewriting into `regex` parts, for the lookaround
/// automaton (see [`super::lookaround::automaton`]), checked to compile there.
fn automaton(ecma: &str) -> Result<Pattern, String> {
    let compiles = |source: &str| resharp::Regex::with_options(source, automaton_options());
    let source = super::lookaround::automaton(ecma)?;
    let Err(e) = compiles(&source) else {
        return Ok(Pattern {
            lookaround: vec![source],
            ..Pattern::default()
        });
    };
    // The same pattern with its lookaround-holding optional parts as alternatives: as one
    // automaton, or as a few, each the union of a run of the alternatives (resharp runs each
    // of fsx's 81 alternatives, and unions of 16, but refuses the union of all).
    let refused = || format!("the lookaround automaton cannot run it either ({e})");
    let Some(parts) = super::lookaround::automaton_distributed(ecma)? else {
        return Err(refused());
    };
    let mut unions = Vec::new();
    if !unions_that_compile(&parts, &mut unions, &compiles) {
        return Err(refused());
    }
    Ok(Pattern {
        lookaround: unions,
        ..Pattern::default()
    })
}

/// The most automata one pattern runs as ([`unions_that_compile`]): each costs its own scan
/// of the value.
const MAX_AUTOMATA: usize = 16;

/// Split `parts` (alternatives of one pattern) into runs whose union `compiles` accepts,
/// halving a run it refuses; pushes the unions to `out`. `false` when a single alternative
/// is refused or more than [`MAX_AUTOMATA`] runs would be needed.
fn unions_that_compile<E>(
    parts: &[String],
    out: &mut Vec<String>,
    compiles: &impl Fn(&str) -> Result<resharp::Regex, E>,
) -> bool {
    if parts.is_empty() {
        return true;
    }
    if out.len() >= MAX_AUTOMATA {
        return false;
    }
    let union = parts.join("|");
    if compiles(&union).is_ok() {
        out.push(union);
        return true;
    }
    if parts.len() == 1 {
        return false;
    }
    let (a, b) = parts.split_at(parts.len() / 2);
    unions_that_compile(a, out, compiles) && unions_that_compile(b, out, compiles)
}

/// Java's POSIX character classes (`java.util.regex.Pattern`, US-ASCII), as ECMA-262 class
/// contents. OpenAPI patterns are ECMA-262, which has none of these names; documents written
/// against a Java validator use them (`\p{Print}`, `\p{XDigit}`), and their meaning there is
/// exact, so they are read as Java defines them, with a warning. Names the `regex` crate knows
/// as Unicode properties (`\p{Alpha}`, `\p{ASCII}`) keep their Unicode meaning.
const JAVA_CLASSES: &[(&str, &str)] = &[
    ("Lower", r"\x61-\x7A"),
    ("Upper", r"\x41-\x5A"),
    ("ASCII", r"\x00-\x7F"),
    ("Alpha", r"\x41-\x5A\x61-\x7A"),
    ("Digit", r"\x30-\x39"),
    ("Alnum", r"\x30-\x39\x41-\x5A\x61-\x7A"),
    ("Punct", r"\x21-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E"),
    ("Graph", r"\x21-\x7E"),
    ("Print", r"\x20-\x7E"),
    ("Blank", r"\x20\x09"),
    ("Cntrl", r"\x00-\x1F\x7F"),
    ("XDigit", r"\x30-\x39\x41-\x46\x61-\x66"),
    ("Space", r"\x20\x09\x0A\x0B\x0C\x0D"),
    // Not POSIX, but Java's too: any character.
    ("all", r"\u{0}-\u{10FFFF}"),
];

/// A pattern with Java's POSIX classes ([`JAVA_CLASSES`]) written as ECMA-262 classes, and one
/// note per name replaced (for a warning); the pattern unchanged when it has none. `\P{…}`
/// inside a class has no ECMA-262 spelling and is left (generation then refuses it).
pub fn java_classes(ecma: &str) -> (String, Vec<String>) {
    let chars: Vec<char> = ecma.chars().collect();
    let mut out = String::with_capacity(ecma.len());
    let mut notes: Vec<String> = Vec::new();
    let mut in_class = false;
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\\' {
            let kind = chars.get(i + 1).copied();
            if matches!(kind, Some('p' | 'P')) && chars.get(i + 2) == Some(&'{') {
                let name: String = chars
                    .get(i + 3..)
                    .unwrap_or_default()
                    .iter()
                    .take_while(|&&c| c != '}')
                    .collect();
                let closed = chars.get(i + 3 + name.chars().count()) == Some(&'}');
                let known = regex::Regex::new(&format!(r"\p{{{name}}}")).is_ok();
                let java = JAVA_CLASSES.iter().find(|(n, _)| *n == name);
                let negated = kind == Some('P');
                if let (true, false, Some((_, set))) = (closed, known, java)
                    && !(negated && in_class)
                {
                    match (in_class, negated) {
                        (true, _) => out.push_str(set),
                        (false, false) => out.push_str(&format!("[{set}]")),
                        (false, true) => out.push_str(&format!("[^{set}]")),
                    }
                    let note = format!(
                        "the pattern uses `\\p{{{name}}}`, a Java POSIX class that ECMA-262 does not have: it is read as Java defines it (`[{set}]`)"
                    );
                    if !notes.contains(&note) {
                        notes.push(note);
                    }
                    i += 4 + name.chars().count();
                    continue;
                }
            }
            out.push(c);
            if let Some(&n) = chars.get(i + 1) {
                out.push(n);
            }
            i += 2;
            continue;
        }
        match c {
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    if notes.is_empty() {
        (ecma.to_string(), notes)
    } else {
        (out, notes)
    }
}

/// The refusal for a `\p{…}` whose name is no Unicode property: the `regex` crate knows every
/// name ECMA-262 does (and more), so these are Java or POSIX class names (`\p{Print}`,
/// `\p{LD}`) that ECMA-262 does not have; [`java_classes`] has already read Java's POSIX ones.
fn unknown_property(chars: &[char]) -> Option<String> {
    let text: String = chars.iter().collect();
    let mut rest = text.as_str();
    while let Some(at) = rest.find(['p', 'P']) {
        let escaped = rest
            .get(..at)
            .is_some_and(|b| b.chars().rev().take_while(|&c| c == '\\').count() % 2 == 1);
        let after = rest.get(at + 1..).unwrap_or_default();
        rest = after;
        if !escaped || !after.starts_with('{') {
            continue;
        }
        let Some(end) = after.find('}') else {
            continue;
        };
        let name = after.get(1..end).unwrap_or_default();
        if regex::Regex::new(&format!(r"\p{{{name}}}")).is_err() {
            return Some(format!(
                "the pattern uses `\\p{{{name}}}`, which is not a Unicode property of ECMA-262 (a Java or POSIX class name): the document's pattern is not in the ECMA-262 dialect"
            ));
        }
    }
    None
}

/// A class that matches nothing: what a UTF-16 surrogate stands for in a value, which is a
/// Rust string and never holds one.
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

/// One character of a class or of the pattern: its source text and, for a literal or a
/// `\u`/`\x` escape, the code point.
struct Atom {
    text: String,
    point: Option<u32>,
}

/// UTF-16 surrogate escapes in Unicode mode (ECMA-262 RegExpUnicodeEscapeSequence): a high
/// surrogate escape followed by a low one is one astral code point (`\uD83D\uDE00` is
/// U+1F600, `[\uD800\uDC00-\uDBFF\uDFFF]` is U+10000–U+10FFFF). A lone surrogate is a code
/// point no Rust string contains (serde_json refuses lone surrogates in JSON text and UTF-8
/// cannot hold them), so it matches no value: outside a class it becomes a class matching
/// nothing; in a class it is removed, and a range endpoint is moved to the nearest scalar
/// value inside the range (`\uD7FF-\uDBFF` keeps `\uD7FF`, a range of surrogates only goes).
/// Each rewrite keeps the set of values that match exactly.
fn surrogates(ecma: &str) -> String {
    let is_surrogate = |p: u32| (0xD800..=0xDFFF).contains(&p);
    let hex4 = |chars: &[char], i: usize| -> Option<u32> {
        let t: String = chars.get(i..i + 4)?.iter().collect();
        u32::from_str_radix(&t, 16).ok().filter(|_| t.len() == 4)
    };
    let chars: Vec<char> = ecma.chars().collect();
    let escaped = |i: usize| chars.get(i) == Some(&'\\') && chars.get(i + 1) == Some(&'u');
    if !(0..chars.len()).any(|i| escaped(i) && hex4(&chars, i + 2).is_some_and(is_surrogate)) {
        return ecma.to_string();
    }
    // The pattern as atoms, pairs joined.
    let mut atoms: Vec<Atom> = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if escaped(i)
            && let Some(p) = hex4(&chars, i + 2)
        {
            let low = hex4(&chars, i + 8).filter(|_| escaped(i + 6));
            if let (0xD800..=0xDBFF, Some(low @ 0xDC00..=0xDFFF)) = (p, low) {
                let point = 0x10000 + ((p - 0xD800) << 10) + (low - 0xDC00);
                atoms.push(Atom {
                    text: format!("\\u{{{point:X}}}"),
                    point: Some(point),
                });
                i += 12;
            } else {
                atoms.push(Atom {
                    text: chars.get(i..i + 6).unwrap_or_default().iter().collect(),
                    point: Some(p),
                });
                i += 6;
            }
            continue;
        }
        let len = if c == '\\' { 2 } else { 1 };
        let text: String = chars.get(i..i + len).unwrap_or_default().iter().collect();
        atoms.push(Atom {
            point: (len == 1).then_some(u32::from(c)),
            text,
        });
        i += len;
    }
    let mut out = String::with_capacity(ecma.len());
    let mut j = 0;
    while let Some(a) = atoms.get(j) {
        if a.text != "[" {
            match a.point {
                Some(p) if is_surrogate(p) && a.text.starts_with('\\') => out.push_str(NOTHING),
                _ => out.push_str(&a.text),
            }
            j += 1;
            continue;
        }
        // A class: its members, surrogates removed.
        j += 1;
        let negated = atoms.get(j).is_some_and(|a| a.text == "^");
        if negated {
            j += 1;
        }
        let mut members = String::new();
        let mut first = true;
        while let Some(a) = atoms.get(j) {
            if a.text == "]" && !first {
                break;
            }
            first = false;
            let range_end = atoms
                .get(j + 1)
                .filter(|d| d.text == "-")
                .and(atoms.get(j + 2))
                .filter(|b| b.text != "]");
            match (a.point, range_end.and_then(|b| b.point.map(|p| (b, p)))) {
                (Some(lo), Some((b, hi))) => {
                    j += 3;
                    let lo = if is_surrogate(lo) { 0xE000 } else { lo };
                    let hi = if is_surrogate(hi) { 0xD7FF } else { hi };
                    if lo > hi {
                        // Only surrogates: nothing a value holds.
                        continue;
                    }
                    let text = |orig: &Atom, p: u32| {
                        if orig.point == Some(p) {
                            orig.text.clone()
                        } else {
                            format!("\\u{{{p:X}}}")
                        }
                    };
                    members.push_str(&text(a, lo));
                    members.push('-');
                    members.push_str(&text(b, hi));
                }
                (Some(p), _) if is_surrogate(p) && a.text.starts_with('\\') => j += 1,
                _ => {
                    members.push_str(&a.text);
                    j += 1;
                }
            }
        }
        j += 1;
        match (members.is_empty(), negated) {
            (true, false) => out.push_str(NOTHING),
            (true, true) => out.push_str(r"[\x{0}-\x{10FFFF}]"),
            (false, _) => {
                out.push('[');
                if negated {
                    out.push('^');
                }
                out.push_str(&members);
                out.push(']');
            }
        }
    }
    out
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
                    'p' | 'P' if chars.get(i) != Some(&'{') => {
                        return Err(format!(
                            "the pattern has `\\{n}` without a `{{name}}` after it, which is not ECMA-262 (an over-escaped `\\{n}{{…}}`?): the document's pattern is not in the ECMA-262 dialect"
                        ));
                    }
                    // `\A` and `\z` keep the meaning the `regex` crate gives them (start and
                    // end of the value), as before; `\Z` it does not have.
                    'Z' => {
                        return Err(format!(
                            "the pattern uses `\\{n}`, a Java/PCRE anchor that ECMA-262 does not have: the document's pattern is not in the ECMA-262 dialect (ECMA-262 writes `^` and `$`)"
                        ));
                    }
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
    check(&out).map_err(|e| unknown_property(&chars).unwrap_or(e))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::translate;

    /// What the runtime's `Pattern::is_match` does with the parts.
    fn m(ecma: &str, s: &str) -> bool {
        let p = translate(ecma).unwrap();
        if !p.lookaround.is_empty() {
            return p.lookaround.iter().any(|source| {
                resharp::Regex::with_options(source, super::automaton_options())
                    .unwrap()
                    .is_match(s.as_bytes())
                    .unwrap()
            });
        }
        let re = |r: &String| regex::Regex::new(r).unwrap().is_match(s);
        let n = s.chars().count() as u64;
        let length = p
            .length
            .is_none_or(|(min, max)| n >= min && max.is_none_or(|m| n <= m));
        length && re(&p.main) && p.require.iter().all(re) && !p.forbid.iter().any(re)
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

    /// A backreference pattern of the APIs.guru corpus (AWS chime: no character four times in
    /// a row) and a word boundary ending a lookahead (AWS ISO 8601 dates: not six digits then
    /// a boundary) run with their ECMA-262 meaning.
    #[test]
    fn corpus_backreferences_and_boundaries_agree_with_ecma() {
        let patterns = [
            r"^(?!.*?(.)\1{3})[-_!@#$a-zA-Z0-9]*$",
            r"^([\+-]?\d{4}(?!\d{2}\b))((-?)(0[1-9]|1[0-2]))?$",
            r"^[\+-]?\d{4}(?!\d{2}\B)\d*(T\d+)?$",
            r"^x(?!-\b)[-a-z]*$",
        ];
        let samples = [
            "", "a", "aaa", "aaaa", "aaab", "abaaaab", "----", "a---b", "$$$$", "a b", "ééé",
            "AAAA", "Aaaa", "a!!!!", "2023", "202301", "2023-01", "+2023-01", "2023-1", "2023-13",
            "20230", "2023010", "202301T1", "20230T1", "2023T1", "x-", "x-a", "x--", "xa-",
        ];
        for p in patterns {
            let ecma = regress::Regex::new(p).unwrap();
            for s in samples {
                assert_eq!(m(p, s), ecma.find(s).is_some(), "{p} on {s:?}");
            }
        }
        // Expanded, the full ISO 8601 pattern still has one-character lookahead inside nested
        // optional groups: the automaton runs it once those are distributed into alternatives.
        // Likewise lookahead in an optional part repeated an exact number of times.
        let iso = super::super::backref::ISO_8601;
        let arn = r"^arn:((|(?![^:]*-{2})[a-z0-9]):){2}.{0,8}$";
        for (p, samples) in [
            (iso, super::super::backref::ISO_8601_SAMPLES),
            (
                arn,
                &[
                    "arn::",
                    "arn:a:",
                    "arn:a:b:",
                    "arn::b:x",
                    "arn:--:b:",
                    "arn:a:-:",
                    "arn:a",
                ][..],
            ),
        ] {
            let ecma = regress::Regex::new(p).unwrap();
            for s in samples {
                assert_eq!(m(p, s), ecma.find(s).is_some(), "{p} on {s:?}");
            }
        }
    }

    /// AWS FSx's ARN pattern: distributed, it is 81 alternatives; resharp runs each of them
    /// but refuses their union, so it runs as a few automata, each the union of a run of
    /// them, and a value matches when one of them does — with the ECMA-262 meaning.
    #[test]
    fn a_pattern_refused_as_one_union_runs_as_several_automata() {
        let p = r"^arn:(?=[^:]+:fsx:[^:]+:\d{12}:)((|(?=[a-z0-9-.]{1,63})(?!\d{1,3}(\.\d{1,3}){3})(?![^:]*-{2})(?![^:]*-\.)(?![^:]*\.-)[a-z0-9].*(?<!-)):){4}(?!/).{0,1024}$";
        let t = translate(p).unwrap();
        assert!(
            (2..=super::MAX_AUTOMATA).contains(&t.lookaround.len()),
            "{} automata",
            t.lookaround.len()
        );
        let automata: Vec<resharp::Regex> = t
            .lookaround
            .iter()
            .map(|s| resharp::Regex::with_options(s, super::automaton_options()).unwrap())
            .collect();
        let ecma = regress::Regex::new(p).unwrap();
        let long = format!(
            "arn:aws:fsx:us-east-1:123456789012:file-system/{}",
            "a".repeat(1100)
        );
        let samples = [
            "arn:aws:fsx:us-east-1:123456789012:file-system/fs-0123456789abcdef0",
            "arn:aws:fsx:us-east-1:123456789012:backup/backup-0123",
            "arn:aws:fsx:us-east-1:123456789012:",
            "arn:aws:fsx:us-east-1:123456789012:/x",
            "arn:aws:fsx:us-east-1:12345678901:x",
            "arn:aws:fsx::123456789012:x",
            "arn:aws-cn:fsx:cn-north-1:123456789012:volume/fsvol-1",
            "arn:a--b:fsx:us-east-1:123456789012:x",
            "arn:aws-:fsx:us-east-1:123456789012:x",
            "arn:1.2.3.4:fsx:us-east-1:123456789012:x",
            "arn:aws:fsx:us-east-1.-x:123456789012:x",
            "arn:aws:fsx:us-east-1:123456789012:file\nsystem",
            "arn:aws:s3:us-east-1:123456789012:x",
            "arn:-aws:fsx:us-east-1:123456789012:x",
            &long,
        ];
        for s in samples {
            let ours = automata.iter().any(|a| a.is_match(s.as_bytes()).unwrap());
            assert_eq!(ours, ecma.find(s).is_some(), "{s:?}");
        }
        // Each automaton is the union of a run of the alternatives, in order: together they
        // are all of them.
        let parts = super::super::lookaround::automaton_distributed(p)
            .unwrap()
            .unwrap();
        assert_eq!(parts.len(), 81);
        assert_eq!(t.lookaround.join("|"), parts.join("|"));
    }

    #[test]
    fn lookaheads_that_do_not_split() {
        // A quantified lookahead holds once or not at all (Annex B).
        assert!(m(r"^(?!a)*b", "b") && !m(r"^(?!a)*b", "ab"));
        assert!(m(r"^(?!a)+b", "b") && !m(r"^(?!b)+b", "b"));
        // The lookaround automaton runs what does not split.
        let p = r"(^\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))";
        assert_eq!(translate(p).unwrap().lookaround.len(), 1);
        // ECMA-262 finds `23` in `123`: the lookahead's `^` holds only at the start.
        assert!(m(p, "$LATEST") && m(p, "my-fn") && m(p, "123") && !m(p, "$$") && !m(p, "1"));
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

    /// Surrogate escapes in Unicode mode, against an ECMA-262 engine.
    #[test]
    fn surrogate_escapes() {
        let cases = [
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*$",
            r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\t\r\n]*$",
            r"^\uD83D\uDE00+$",
            r"^[\uD800]$",
            r"^[^\uDC00]$",
            r"^[\uD7FE-\uDBFF]$",
            r"^[\uDBFF-\uE001]$",
            r"^[a\uD800-\uDFFF]+$",
            r"^\\uD800$",
        ];
        let values = [
            "",
            "a",
            "ab",
            "b",
            " ",
            "\t",
            "\r",
            "x\u{d7ff}",
            "\u{d7fe}",
            "\u{d7ff}",
            "\u{e000}",
            "\u{e001}",
            "\u{e002}",
            "\u{fffd}",
            "\u{ffff}",
            "\u{10000}",
            "\u{1f600}",
            "\u{1f600}\u{1f600}",
            "\u{10ffff}",
            "\\uD800",
        ];
        for p in cases {
            let ecma = regress::Regex::with_flags(p, "u").unwrap();
            for v in values {
                assert_eq!(m(p, v), ecma.find(v).is_some(), "{p} on {v:?}");
            }
        }
        // regress 0.12 refuses "ab" here; V8 (`new RegExp(p, "u")`) and the specification
        // accept it: the optional atom matches nothing.
        assert!(m(r"^a\uD800?b$", "ab"));
        assert!(!m(r"^a\uD800?b$", "a\u{fffd}b"));
    }

    /// Counted repetitions too large for the engine, where a smaller count means the same.
    #[test]
    fn large_repetitions() {
        assert!(m(r"\S{1,8192}", "  a"));
        assert!(!m(r"\S{1,8192}", " \u{feff}"));
        assert!(m(r"^.{1,2097152}", "a"));
        assert!(!m(r"^.{1,2097152}", ""));
        assert!(!m(r"^.{1,2097152}", "\n"));
        assert!(m(r"[^\p{C}]{1,2048}", "\u{0}a"));
        assert!(!m(r"[^\p{C}]{1,2048}", "\u{0}"));
        assert!(m(r"[\P{M}\p{M}]{0,20000}", ""));
        assert!(m(r"[a-z]{3,20000}$", "1abc"));
        assert!(!m(r"[a-z]{3,20000}$", "abc1"));
        // Anchored at both ends: the characters are counted apart (the regex would be over
        // the size limit).
        let p = translate(r"^.{0,262144}$").unwrap();
        assert_eq!(p.length, Some((0, Some(262_144))));
        assert!(m(r"^.{0,262144}$", ""));
        assert!(m(r"^.{0,262144}$", &"é".repeat(262_144)));
        assert!(!m(r"^.{0,262144}$", &"a".repeat(262_145)));
        assert!(!m(r"^.{0,262144}$", "a\nb"));
        assert!(m(r"^[a-z]{2000,30000}$", &"a".repeat(2000)));
        assert!(!m(r"^[a-z]{2000,30000}$", &"a".repeat(1999)));
        assert!(!m(
            r"^[a-z]{2000,30000}$",
            &format!("{}1", "a".repeat(2000))
        ));
        assert!(m(r"^[a-z]{40000,}$", &"a".repeat(40_000)));
        assert!(!m(r"^[a-z]{40000,}$", &"a".repeat(39_999)));
    }

    #[test]
    fn unsupported() {
        assert!(m(r"(?=a)", "xa") && !m(r"(?=a)", "x"));
        assert!(m(r"(?<!a)b", "ab b") && !m(r"(?<!a)b", "ab"));
        assert!(
            translate(r"^[a-z]((?=[a-z]-)[a-z-])+$")
                .unwrap_err()
                .contains("lookaround")
        );
        assert!(translate(r"(a+)\1").unwrap_err().contains("backreference"));
        assert!(m(r"(a)\1", "xaa") && !m(r"(a)\1", "xa"));
        assert!(translate(r"(").unwrap_err().contains("does not compile"));
        assert!(translate(r"[]").is_err());
        assert!(translate("a\\").is_err());
        for (p, says) in [
            (
                r"\p{LD}+",
                "`\\p{LD}`, which is not a Unicode property of ECMA-262",
            ),
            (r"^[\-\P{XDigit}_:.]+$", "`\\p{XDigit}`"),
            (r"[^\p\{C\}]*", "`\\p` without a `{name}`"),
            (r"\A[a-z]\Z", "`\\Z`, a Java/PCRE anchor"),
        ] {
            let e = translate(p).unwrap_err();
            assert!(
                e.contains(says) && e.contains("not in the ECMA-262 dialect"),
                "{p}: {e}"
            );
        }
        assert!(m(r"^\p{L}\P{L}$", "é1"));
    }

    #[test]
    fn java_posix_classes() {
        let java = |p: &str| {
            let (ecma, notes) = super::java_classes(p);
            (translate(&ecma).unwrap(), ecma, notes)
        };
        let (_, ecma, notes) = java(r"^\p{XDigit}{2}[\p{Print}\t]*\P{Graph}$");
        assert_eq!(
            ecma,
            r"^[\x30-\x39\x41-\x46\x61-\x66]{2}[\x20-\x7E\t]*[^\x21-\x7E]$"
        );
        // An escaped backslash is not an escape.
        let (ecma, _) = super::java_classes(r"\\p{Graph}\p{Graph}");
        assert_eq!(ecma, r"\\p{Graph}[\x21-\x7E]");
        assert_eq!(notes.len(), 3, "{notes:?}");
        assert!(
            notes[0].contains("`\\p{XDigit}`, a Java POSIX class"),
            "{notes:?}"
        );
        let m = |p: &str, s: &str| {
            let (ecma, _) = super::java_classes(p);
            m(&ecma, s)
        };
        assert!(m(r"^\p{XDigit}+$", "0aF9") && !m(r"^\p{XDigit}+$", "0g"));
        assert!(
            m(r"^\p{Print}+$", "a b~") && !m(r"^\p{Print}+$", "é") && !m(r"^\p{Print}+$", "a\tb")
        );
        assert!(m(r"^[^\p{Cntrl}]+$", "ab") && !m(r"^[^\p{Cntrl}]+$", "a\u{7f}"));
        assert!(m(r"^\p{Punct}$", "@") && !m(r"^\p{Punct}$", "a"));
        assert!(m(r"^[\p{all}]{2}$", "é\n") && !m(r"^[\p{all}]{2}$", "abc"));
        // Unicode names keep their meaning; a pattern without Java names is unchanged.
        assert_eq!(super::java_classes(r"\p{Alpha}\p{L}").0, r"\p{Alpha}\p{L}");
        assert!(super::java_classes(r"\p{Alpha}\p{L}").1.is_empty());
        assert!(m(r"^\p{Alpha}$", "é"));
    }
}
