//! Lookaround in a `pattern`, rewritten into expressions the linear-time engine runs, each
//! with exactly the ECMA-262 meaning (no backtracking engine anywhere).
//!
//! The pattern is parsed into a small tree whose characters are already in the `regex` crate's
//! syntax (translated by [`super::pattern::translate_plain`]), then:
//!
//! 1. **One-character lookaround is absorbed** into its neighbour. `(?!D)X`, where `D` matches
//!    exactly one character and `X` always consumes one before any assertion, is `X` with its
//!    first character restricted to the complement of `D` (class set operations of the `regex`
//!    crate), and `X(?<!D)` restricts `X`'s last character. This works anywhere, also inside
//!    repeated groups: `((?!-)[a-z0-9-]{1,63}(?<!-)\.)+` (host names) becomes a plain
//!    expression.
//! 2. **Lookaround at a fixed position of the value becomes a separate part.** In a pattern
//!    without top-level alternation, a top-level lookaround that only fixed-length items
//!    separate from a start anchor (`^[a-z](?!.*--)…`) is evaluated at a known offset `k` from
//!    the start: `(?=B)` holds exactly when `^(?s:.{k})(?:B)` matches. One that only fixed-length
//!    items separate from an end anchor (`…[a-z0-9.]*(?<!\.)$`) is at offset `k` from the end:
//!    `(?<=B)` holds exactly when `(?:B)(?s:.{k})$` matches. The value must match the rest
//!    (`main`), every positive part (`require`) and no negative one (`forbid`): the parts are
//!    independent because every match of the rest puts the lookaround at the same position.
//! 3. **An unanchored leading negative lookahead** `(?!B)X` (the `pattern` is a search):
//!    when `X` matches the empty string (and has no assertion), the position at the end of the
//!    value satisfies both whenever `B` cannot match the empty string, so the pattern matches
//!    every value; when `X` is one character class repeated at least once and `B` is a fixed
//!    sequence of characters (`(?!aws:)[a-z:]+`), the pattern is a search for a character of
//!    `X` that does not start `B`, written out character by character.
//!
//! Anything else with lookaround still fails generation.

use super::pattern::translate_plain;
use crate::ir::Pattern;

const LOOKAROUND: &str = "the pattern uses lookaround, which a linear-time engine cannot run";

/// ECMA-262 `.`: any character but a line terminator.
pub const DOT: &str = r"[^\n\r\x{2028}\x{2029}]";

#[derive(Clone, Debug)]
enum Node {
    /// One character, as an expression of the `regex` crate that is a class (`[…]`, usable
    /// alone and nested in another class).
    Char(String),
    Assert(Anchor),
    Group(Vec<Vec<Node>>),
    Repeat {
        node: Box<Node>,
        min: u32,
        max: Option<u32>,
    },
    Look {
        ahead: bool,
        negative: bool,
        body: Vec<Vec<Node>>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Anchor {
    Start,
    End,
    Word,
    NotWord,
}

/// The parts of a pattern with lookaround; `Err` (with the reason) when it cannot be rewritten.
pub fn translate(ecma: &str) -> Result<Pattern, String> {
    let alts = parse(ecma)?;
    let mut fuel = 10_000u32;
    let alts = alts
        .into_iter()
        .map(|alt| absorb(alt, &mut fuel))
        .collect::<Result<Vec<_>, _>>()?;
    let pattern = match <[Vec<Node>; 1]>::try_from(alts) {
        Ok([seq]) => split(seq)?,
        Err(alts) => Pattern {
            main: print_alts(&alts)?,
            ..Pattern::default()
        },
    };
    // Rewriting may copy parts of the pattern; keep the result in proportion to the source.
    let size = pattern.main.len()
        + pattern.require.iter().map(String::len).sum::<usize>()
        + pattern.forbid.iter().map(String::len).sum::<usize>();
    if size > 64 * ecma.len() + 4096 {
        return Err(format!(
            "{LOOKAROUND} (rewriting it without lookaround is too large)"
        ));
    }
    for part in std::iter::once(&pattern.main)
        .chain(&pattern.require)
        .chain(&pattern.forbid)
    {
        super::pattern::check(part)?;
    }
    Ok(pattern)
}

/// The pattern for the lookaround automaton (the `resharp` engine: derivative-based, linear
/// time, lookaround compiled into the automaton, no backtracking) when [`translate`] cannot
/// rewrite it into parts: the same tree, its characters already ECMA's exact sets as classes,
/// its lookaround kept. resharp's own operators (`_`, `&`, `~`) appear only inside classes,
/// where they are plain characters. `Err` when the automaton cannot run it either (a
/// repeated assertion, a backreference) or it is too large.
pub fn automaton(ecma: &str) -> Result<String, String> {
    let alts = prepared(ecma)?;
    let mut out = String::with_capacity(2 * ecma.len());
    print_automaton(&alts, &mut out);
    Ok(out)
}

/// [`automaton`] with every group and optional part that holds lookaround distributed over
/// the rest of its alternative (`A(?:B(?!x))?C` is `AB(?!x)C|AC`; exact repetitions of a few
/// copies are unrolled first), as its alternatives, each printed as a whole pattern: resharp
/// does not run some lookaround nested in optional parts (`(?:\d(?:,\d+(?!:))?)?\d?`) that it
/// runs once they are alternatives of their own. The meaning is the same (concatenation
/// distributes over alternation): a value matches the pattern when it matches one of the
/// alternatives. `None` when there is nothing to distribute or it would take more than
/// [`MAX_DISTRIBUTED`] alternatives.
pub fn automaton_distributed(ecma: &str) -> Result<Option<Vec<String>>, String> {
    Ok(distributed_alternatives(ecma)?.map(|alts| {
        alts.iter()
            .map(|alt| {
                let mut out = String::new();
                print_automaton(std::slice::from_ref(alt), &mut out);
                out
            })
            .collect()
    }))
}

/// The most alternatives [`automaton_distributed`] writes.
const MAX_DISTRIBUTED: usize = 256;

/// The alternatives of `ecma` with its lookaround-holding groups distributed; `None` when
/// nothing was distributed or there would be more than [`MAX_DISTRIBUTED`].
fn distributed_alternatives(ecma: &str) -> Result<Option<Vec<Vec<Node>>>, String> {
    let mut out: Vec<Vec<Node>> = Vec::new();
    let mut changed = false;
    for alt in prepared(ecma)? {
        changed |= distribute_seq(alt, &mut out);
        if out.len() > MAX_DISTRIBUTED {
            return Ok(None);
        }
    }
    Ok(changed.then_some(out))
}

/// The parsed pattern made ready for the automaton: search ends trimmed, one-character
/// lookaround absorbed, `\b` ending a lookahead body resolved.
fn prepared(ecma: &str) -> Result<Vec<Vec<Node>>, String> {
    let mut alts = parse(ecma)?;
    for alt in &mut alts {
        trim_search_end(alt);
    }
    // One-character lookaround absorbed into its neighbour is plain characters for the
    // automaton too, which runs lookbehind only at the end of the pattern
    // (`[a-z0-9].*(?<!-):` is `[a-z0-9](?:.*[^-])?:`).
    let mut fuel = 10_000u32;
    let alts = alts
        .into_iter()
        .map(|alt| absorb(alt, &mut fuel))
        .collect::<Result<Vec<_>, _>>()?;
    let mut alts = alts;
    for alt in &mut alts {
        for n in alt.iter_mut() {
            boundaries_at_lookahead_end(n);
        }
    }
    Ok(alts)
}

/// Push the alternatives of `seq` with its lookaround-holding groups distributed (see
/// [`automaton_distributed`]) to `out`; whether anything was distributed. Stops early once
/// `out` is over [`MAX_DISTRIBUTED`].
fn distribute_seq(seq: Vec<Node>, out: &mut Vec<Vec<Node>>) -> bool {
    let at = seq.iter().position(|n| match n {
        Node::Group(_) => has_look(n),
        Node::Repeat { node, min, max } => {
            has_look(node) && ((*min == 0 && *max == Some(1)) || (*max == Some(*min) && *min <= 8))
        }
        _ => false,
    });
    let Some(at) = at else {
        out.push(seq);
        return false;
    };
    let mut seq = seq;
    let suffix = seq.split_off(at + 1);
    let Some(node) = seq.pop() else {
        return false;
    };
    let prefix = seq;
    let choices: Vec<Vec<Node>> = match node {
        Node::Group(alts) => alts,
        Node::Repeat { node, min: 0, .. } => vec![vec![*node], Vec::new()],
        Node::Repeat { node, min, .. } => vec![vec![*node; min as usize]],
        other => vec![vec![other]],
    };
    for choice in choices {
        if out.len() > MAX_DISTRIBUTED {
            break;
        }
        let mut next = prefix.clone();
        next.extend(choice);
        next.extend(suffix.iter().cloned());
        distribute_seq(next, out);
    }
    true
}

/// ECMA-262's word characters, as a class of the `regex` crate.
const WORD_CLASS: &str = "[0-9A-Za-z_]";
const NOT_WORD_CLASS: &str = "[^0-9A-Za-z_]";

/// `\b`/`\B` ending a lookahead body, after a character known to be a word character or
/// known not to be, as the character after it (or the end of the value): the automaton does
/// not run word boundaries inside lookaround (`(?!\d{2}\b)` in ISO 8601 patterns), and what
/// a lookahead body consumes at its end does not matter. After a word character, `\b` is a
/// non-word character or the end and `\B` a word character; after a non-word character the
/// other way round.
fn boundaries_at_lookahead_end(n: &mut Node) {
    match n {
        Node::Look {
            ahead: true, body, ..
        } => {
            for alt in body.iter_mut() {
                for n in alt.iter_mut() {
                    boundaries_at_lookahead_end(n);
                }
                let [
                    ..,
                    before,
                    Node::Assert(a @ (Anchor::Word | Anchor::NotWord)),
                ] = alt.as_slice()
                else {
                    continue;
                };
                let Some(word_before) = last_is_word(before) else {
                    continue;
                };
                let end_or_not_word = vec![
                    vec![Node::Char(NOT_WORD_CLASS.into())],
                    vec![Node::Assert(Anchor::End)],
                ];
                let next = match (*a == Anchor::Word, word_before) {
                    (true, true) | (false, false) => Node::Group(end_or_not_word),
                    (true, false) | (false, true) => Node::Char(WORD_CLASS.into()),
                };
                alt.pop();
                alt.push(next);
            }
        }
        Node::Look { body: alts, .. } | Node::Group(alts) => {
            for n in alts.iter_mut().flatten() {
                boundaries_at_lookahead_end(n);
            }
        }
        Node::Repeat { node, .. } => boundaries_at_lookahead_end(node),
        Node::Char(_) | Node::Assert(_) => {}
    }
}

/// Whether the last character `n` consumes is always a word character (`Some(true)`), never
/// one (`Some(false)`); `None` when unknown or `n` may consume nothing.
fn last_is_word(n: &Node) -> Option<bool> {
    use regex_syntax::hir::{Class, HirKind};
    match n {
        Node::Char(c) => {
            let hir = regex_syntax::ParserBuilder::new().build().parse(c).ok()?;
            let HirKind::Class(Class::Unicode(set)) = hir.kind() else {
                return None;
            };
            let word = regex_syntax::ParserBuilder::new()
                .build()
                .parse(WORD_CLASS)
                .ok()?;
            let HirKind::Class(Class::Unicode(word)) = word.kind() else {
                return None;
            };
            let mut inside = set.clone();
            inside.intersect(word);
            if inside == *set {
                Some(true)
            } else if inside.ranges().is_empty() {
                Some(false)
            } else {
                None
            }
        }
        Node::Repeat { node, min, .. } if *min >= 1 => last_is_word(node),
        _ => None,
    }
}

/// A sequence that a search only needs a prefix of (a top-level alternative of a `pattern`
/// without `$` at its end, or the body of a lookahead), with its trailing repetitions cut to
/// their minimum count: a value has a match of `X Y{m,n}` exactly when it has one of `X Y{m}`
/// (the first `m` repetitions match the same characters, and lookaround in them sees the same
/// value), so `^((?!\\[nr]).)+` is `^((?!\\[nr]).)`. Lookahead bodies inside are cut the
/// same way. This takes lookaround out of repetitions the automaton cannot run.
fn trim_search_end(seq: &mut Vec<Node>) {
    loop {
        match seq.last_mut() {
            Some(Node::Repeat { min: 0, .. }) => {
                seq.pop();
            }
            Some(Node::Repeat { node, min, max }) if *max != Some(*min) => {
                if *min == 1 {
                    let one = std::mem::replace(node.as_mut(), Node::Group(Vec::new()));
                    seq.pop();
                    seq.push(one);
                } else {
                    *max = Some(*min);
                    break;
                }
            }
            _ => break,
        }
    }
    for n in seq.iter_mut() {
        trim_lookaheads(n);
    }
}

/// Cut the trailing repetitions of every lookahead body under `n` ([`trim_search_end`]).
fn trim_lookaheads(n: &mut Node) {
    match n {
        Node::Look {
            ahead: true, body, ..
        } => {
            for alt in body.iter_mut() {
                trim_search_end(alt);
            }
        }
        Node::Look { body: alts, .. } | Node::Group(alts) => {
            for alt in alts.iter_mut() {
                for n in alt.iter_mut() {
                    trim_lookaheads(n);
                }
            }
        }
        Node::Repeat { node, .. } => trim_lookaheads(node),
        Node::Char(_) | Node::Assert(_) => {}
    }
}

fn print_automaton(alts: &[Vec<Node>], out: &mut String) {
    for (i, alt) in alts.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        for n in alt {
            match n {
                Node::Char(c) if c.contains("&&") => match plain_class(c) {
                    Some(plain) => out.push_str(&plain),
                    None => out.push_str(c),
                },
                Node::Char(c) => out.push_str(c),
                Node::Assert(a) => out.push_str(match a {
                    Anchor::Start => r"\A",
                    Anchor::End => r"\z",
                    Anchor::Word => r"\b",
                    Anchor::NotWord => r"\B",
                }),
                Node::Group(alts) => {
                    out.push_str("(?:");
                    print_automaton(alts, out);
                    out.push(')');
                }
                Node::Repeat { node, min, max } => {
                    let mut body = String::from("(?:");
                    print_automaton(&[vec![(**node).clone()]], &mut body);
                    body.push(')');
                    if *max == Some(*min) && *min <= 8 && has_look(node) {
                        // resharp does not run every lookaround inside a repetition
                        // (`(?:.*(?<!-):){4}`); a few exact copies are the same pattern.
                        for _ in 0..*min {
                            out.push_str(&body);
                        }
                    } else {
                        print_count(&body, *min, *max, out);
                    }
                }
                Node::Look {
                    ahead,
                    negative,
                    body,
                } => {
                    out.push_str(match (ahead, negative) {
                        (true, false) => "(?=",
                        (true, true) => "(?!",
                        (false, false) => "(?<=",
                        (false, true) => "(?<!",
                    });
                    print_automaton(body, out);
                    out.push(')');
                }
            }
        }
    }
}

/// A class with set operations (`[[a-z0-9]&&[^-]]`, which absorbing one-character lookaround
/// writes) as plain ranges, the syntax resharp reads. `None` when it is not one class.
fn plain_class(class: &str) -> Option<String> {
    use regex_syntax::hir::{Class, HirKind};
    let hir = regex_syntax::ParserBuilder::new()
        .build()
        .parse(class)
        .ok()?;
    let HirKind::Class(Class::Unicode(set)) = hir.kind() else {
        return None;
    };
    let mut out = String::from("[");
    for r in set.ranges() {
        let (a, b) = (u32::from(r.start()), u32::from(r.end()));
        if a == b {
            out.push_str(&format!("\\x{{{a:x}}}"));
        } else {
            out.push_str(&format!("\\x{{{a:x}}}-\\x{{{b:x}}}"));
        }
    }
    if set.ranges().is_empty() {
        // No character: a class that never matches.
        return Some(r"[^\x{0}-\x{10ffff}]".into());
    }
    out.push(']');
    Some(out)
}

/// Whether there is lookaround under `n`.
fn has_look(n: &Node) -> bool {
    match n {
        Node::Look { .. } => true,
        Node::Group(alts) => alts.iter().flatten().any(has_look),
        Node::Repeat { node, .. } => has_look(node),
        Node::Char(_) | Node::Assert(_) => false,
    }
}

/// The largest count resharp is given in one repetition (it refuses counts near 1 000).
const AUTOMATON_COUNT: u32 = 256;

/// `body` (a group) repeated `min` to `max` times, in resharp's syntax. A count over
/// [`AUTOMATON_COUNT`] is written as nested repetitions matching the same numbers of copies:
/// `X{k}` is `(?:X{q}){k/q}X{k%q}`, `X{0,j}` is `(?:X{0,q}){0,j/q}X{0,j%q}` (each copy
/// contributing 0 to `q` reaches every total up to `j`), `X{m,n}` is `X{m}X{0,n-m}` and `X{m,}`
/// is `X{m}X*`.
fn print_count(body: &str, min: u32, max: Option<u32>, out: &mut String) {
    const Q: u32 = AUTOMATON_COUNT;
    let small = min <= Q && max.is_none_or(|m| m <= Q);
    if small {
        out.push_str(body);
        // resharp runs lookaround under `?`, `*`, `+` and `{m,n}`, not `{0,1}`.
        match (min, max) {
            (0, Some(1)) => out.push('?'),
            (0, None) => out.push('*'),
            (1, None) => out.push('+'),
            (_, Some(max)) => out.push_str(&format!("{{{min},{max}}}")),
            (_, None) => out.push_str(&format!("{{{min},}}")),
        }
        return;
    }
    match max {
        Some(max) if min == max => {
            if min / Q > 0 {
                let chunk = format!("(?:{body}{{{Q}}})");
                print_count(&chunk, min / Q, Some(min / Q), out);
            }
            if !min.is_multiple_of(Q) {
                print_count(body, min % Q, Some(min % Q), out);
            }
        }
        Some(max) if min == 0 => {
            if max / Q > 0 {
                let chunk = format!("(?:{body}{{0,{Q}}})");
                print_count(&chunk, 0, Some(max / Q), out);
            }
            if !max.is_multiple_of(Q) {
                print_count(body, 0, Some(max % Q), out);
            }
        }
        _ => {
            if min > 0 {
                print_count(body, min, Some(min), out);
            }
            match max {
                Some(max) => print_count(body, 0, Some(max - min), out),
                None => print_count(body, 0, None, out),
            }
        }
    }
}

/// The whole pattern as a tree (alternatives of sequences).
fn parse(ecma: &str) -> Result<Vec<Vec<Node>>, String> {
    let chars: Vec<char> = ecma.chars().collect();
    let mut p = Parser {
        c: &chars,
        i: 0,
        depth: 0,
    };
    let alts = p.alts()?;
    if p.i != chars.len() {
        return Err(
            "the pattern does not compile as a linear-time regular expression: unopened group"
                .into(),
        );
    }
    Ok(alts.into_iter().map(hoist_repeated_lookahead).collect())
}

/// ECMA-262 `[\s\S]`: any character.
const ANY: &str = r"[\x{0}-\x{10FFFF}]";

/// A negative lookahead checked at every character of an unbounded repetition that runs to a
/// fixed-length end of the value — `^[a-z]((?!--|__)[a-z0-9_-])+$`, "no doubled separator" —
/// checked once where the repetition starts: `^[a-z](?![\s\S]*(?:--|__))[a-z0-9_-]+$`. The
/// repetition takes one character per round, so its rounds start at every position from
/// there to the `k` characters of the fixed end; the hoisted lookahead also looks at those
/// last `k` positions, where the body cannot match when it needs more than `k` characters —
/// which is required. The result is lookaround at a fixed position, which the rewriting
/// above runs; resharp refuses lookaround inside a repetition.
fn hoist_repeated_lookahead(mut seq: Vec<Node>) -> Vec<Node> {
    let Some(Node::Assert(Anchor::End)) = seq.last() else {
        return seq;
    };
    let Some(at) = seq
        .iter()
        .rposition(|n| matches!(n, Node::Repeat { max: None, .. }))
    else {
        return seq;
    };
    let Some(end) = seq.get(at + 1..seq.len() - 1) else {
        return seq;
    };
    let Some(k) = fixed(end).filter(|_| !end.iter().any(has_assertion)) else {
        return seq;
    };
    let Some(Node::Repeat {
        node,
        min,
        max: None,
    }) = seq.get(at)
    else {
        return seq;
    };
    let Node::Group(alts) = &**node else {
        return seq;
    };
    let [round] = alts.as_slice() else {
        return seq;
    };
    let [
        Node::Look {
            ahead: true,
            negative: true,
            body,
        },
        c,
    ] = round.as_slice()
    else {
        return seq;
    };
    let needs = body.iter().map(|alt| seq_width(alt).0).min().unwrap_or(0);
    if width(c) != (1, Some(1)) || has_assertion(c) || needs <= k {
        return seq;
    }
    let hoisted = Node::Look {
        ahead: true,
        negative: true,
        body: vec![vec![
            Node::Repeat {
                node: Box::new(Node::Char(ANY.to_string())),
                min: 0,
                max: None,
            },
            Node::Group(body.clone()),
        ]],
    };
    let rounds = Node::Repeat {
        node: Box::new(c.clone()),
        min: *min,
        max: None,
    };
    seq.splice(at..=at, [hoisted, rounds]);
    seq
}

/// Groups nest at most this deep (the parser and the rewriting recurse on them; the `regex`
/// crate's own default nesting limit is 250 levels of its syntax).
const MAX_DEPTH: u32 = 64;

struct Parser<'a> {
    c: &'a [char],
    i: usize,
    depth: u32,
}

fn syntax(what: &str) -> String {
    format!("the pattern does not compile as a linear-time regular expression: {what}")
}

/// Past a character class: `i` is just after its `[`, and ends just after its `]`.
pub(super) fn skip_class(c: &[char], i: &mut usize) -> Result<(), String> {
    if c.get(*i) == Some(&'^') {
        *i += 1;
    }
    loop {
        match c.get(*i) {
            None => return Err(syntax("unclosed class")),
            Some('\\') => *i += 2,
            Some(']') => break,
            Some(_) => *i += 1,
        }
    }
    *i += 1;
    Ok(())
}

/// Past the rest of a one-character escape `\n…` (`i` just after `n`): `\u{…}`, `\p{…}`,
/// `\uXXXX`, `\xXX`, `\cX`; nothing more for the others.
pub(super) fn skip_escape(c: &[char], n: char, i: &mut usize) {
    match n {
        'u' | 'p' | 'P' if c.get(*i) == Some(&'{') => {
            while c.get(*i).is_some_and(|&c| c != '}') {
                *i += 1;
            }
            *i += 1;
        }
        'u' => *i += 4,
        'x' => *i += 2,
        'c' => *i += 1,
        _ => {}
    }
}

/// The quantifier at `c[*i]` (`*`, `+`, `?`, `{n}`, `{n,}`, `{n,m}`, each maybe lazy, which
/// does not change whether a value matches) as (min, max), `i` moved past it; `None` (and `i`
/// unchanged) when there is none. Shared by the pattern parsers.
pub(super) fn quantifier_at(
    c: &[char],
    i: &mut usize,
) -> Result<Option<(u32, Option<u32>)>, String> {
    let number = |i: &mut usize| {
        let from = *i;
        while c.get(*i).is_some_and(char::is_ascii_digit) {
            *i += 1;
        }
        c.get(from..*i)
            .unwrap_or_default()
            .iter()
            .collect::<String>()
            .parse::<u32>()
            .ok()
    };
    let mut j = *i;
    let (min, max) = match c.get(j) {
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('?') => (0, Some(1)),
        Some('{') => {
            j += 1;
            let min = number(&mut j);
            let max = if c.get(j) == Some(&',') {
                j += 1;
                if c.get(j) == Some(&'}') {
                    None
                } else {
                    Some(number(&mut j))
                }
            } else {
                Some(min)
            };
            let (Some(min), Some(max)) = (min, max.map_or(Some(None), |m| m.map(Some))) else {
                return Err(syntax("invalid repetition"));
            };
            if c.get(j) != Some(&'}') || max.is_some_and(|m| m < min) {
                return Err(syntax("invalid repetition"));
            }
            (min, max)
        }
        _ => return Ok(None),
    };
    j += 1;
    if c.get(j) == Some(&'?') {
        j += 1;
    }
    *i = j;
    Ok(Some((min, max)))
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }
    fn text(&self, from: usize, to: usize) -> String {
        self.c.get(from..to).unwrap_or_default().iter().collect()
    }

    fn alts(&mut self) -> Result<Vec<Vec<Node>>, String> {
        let mut alts = vec![Vec::new()];
        loop {
            match self.peek() {
                None | Some(')') => return Ok(alts),
                Some('|') => {
                    self.i += 1;
                    alts.push(Vec::new());
                }
                Some(_) => {
                    let atom = self.atom()?;
                    let item = self.quantifier(atom)?;
                    if let Some(alt) = alts.last_mut() {
                        alt.push(item);
                    }
                }
            }
        }
    }

    fn atom(&mut self) -> Result<Node, String> {
        let start = self.i;
        let Some(c) = self.peek() else {
            return Err(syntax("unexpected end"));
        };
        self.i += 1;
        Ok(match c {
            '^' => Node::Assert(Anchor::Start),
            '$' => Node::Assert(Anchor::End),
            '.' => Node::Char(DOT.into()),
            '(' => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(syntax("groups nested too deeply"));
                }
                let node = self.group()?;
                self.depth -= 1;
                node
            }
            '[' => {
                skip_class(self.c, &mut self.i)?;
                Node::Char(translate_plain(&self.text(start, self.i))?)
            }
            '\\' => {
                let Some(n) = self.peek() else {
                    return Err("the pattern ends with a lone backslash".into());
                };
                self.i += 1;
                match n {
                    'b' => return Ok(Node::Assert(Anchor::Word)),
                    'B' => return Ok(Node::Assert(Anchor::NotWord)),
                    n => skip_escape(self.c, n, &mut self.i),
                }
                let text = self.text(start, self.i.min(self.c.len()));
                if text == r"\k" || text.starts_with(r"\k<") {
                    return Err(
                        "the pattern uses a backreference, which a linear-time engine cannot run"
                            .into(),
                    );
                }
                Node::Char(format!("[{}]", translate_plain(&text)?))
            }
            '*' | '+' | '?' => return Err(syntax("repetition operator missing expression")),
            '{' => return Err(syntax("a `{` that is not a repetition")),
            c => Node::Char(format!("[\\x{{{:x}}}]", u32::from(c))),
        })
    }

    /// After `(`: a group or a lookaround, up to its `)`.
    fn group(&mut self) -> Result<Node, String> {
        let rest = self.text(self.i, (self.i + 3).min(self.c.len()));
        let look = [
            ("?=", true, false),
            ("?!", true, true),
            ("?<=", false, false),
        ]
        .into_iter()
        .chain([("?<!", false, true)])
        .find(|(prefix, _, _)| rest.starts_with(prefix));
        if let Some((prefix, ahead, negative)) = look {
            self.i += prefix.chars().count();
            let body = self.alts()?;
            self.close()?;
            return Ok(Node::Look {
                ahead,
                negative,
                body,
            });
        }
        if rest.starts_with("?:") {
            self.i += 2;
        } else if rest.starts_with("?<") {
            // A named group: skip the name.
            while self.peek().is_some_and(|c| c != '>') {
                self.i += 1;
            }
            self.i += 1;
        } else if rest.starts_with('?') {
            return Err(syntax("unknown group"));
        }
        let alts = self.alts()?;
        self.close()?;
        Ok(Node::Group(alts))
    }

    fn close(&mut self) -> Result<(), String> {
        if self.peek() != Some(')') {
            return Err(syntax("unclosed group"));
        }
        self.i += 1;
        Ok(())
    }

    fn quantifier(&mut self, atom: Node) -> Result<Node, String> {
        let Some((min, max)) = quantifier_at(self.c, &mut self.i)? else {
            return Ok(atom);
        };
        if matches!(atom, Node::Assert(_) | Node::Look { .. }) {
            // ECMA-262 (Annex B) lets a lookahead be quantified: it consumes nothing, so
            // holding once is holding every time; with a minimum of 0 it need not hold.
            return Ok(if min == 0 {
                Node::Group(vec![Vec::new()])
            } else {
                atom
            });
        }
        Ok(Node::Repeat {
            node: Box::new(atom),
            min,
            max,
        })
    }
}

/// (fewest, most) characters a node matches; `None` for no bound.
fn width(n: &Node) -> (u64, Option<u64>) {
    match n {
        Node::Char(_) => (1, Some(1)),
        Node::Assert(_) | Node::Look { .. } => (0, Some(0)),
        Node::Group(alts) => alts
            .iter()
            .map(|a| seq_width(a))
            .reduce(|(a, b), (c, d)| (a.min(c), b.zip(d).map(|(b, d)| b.max(d))))
            .unwrap_or((0, Some(0))),
        Node::Repeat { node, min, max } => {
            let (lo, hi) = width(node);
            let hi = match (hi, max) {
                (Some(0), _) => Some(0),
                (Some(h), Some(m)) => h.checked_mul(u64::from(*m)),
                _ => None,
            };
            (lo.saturating_mul(u64::from(*min)), hi)
        }
    }
}

fn seq_width(seq: &[Node]) -> (u64, Option<u64>) {
    seq.iter().map(width).fold((0, Some(0)), |(a, b), (c, d)| {
        (
            a.saturating_add(c),
            b.zip(d).and_then(|(b, d)| b.checked_add(d)),
        )
    })
}

fn fixed(seq: &[Node]) -> Option<u64> {
    match seq_width(seq) {
        (lo, Some(hi)) if lo == hi => Some(lo),
        _ => None,
    }
}

fn has_assertion(n: &Node) -> bool {
    match n {
        Node::Char(_) => false,
        Node::Assert(_) | Node::Look { .. } => true,
        Node::Group(alts) => alts.iter().flatten().any(has_assertion),
        Node::Repeat { node, .. } => has_assertion(node),
    }
}

/// The class of a lookaround body that matches exactly one character (`-`, `[-.]`, `(\.|-)`).
fn one_char(body: &[Vec<Node>]) -> Option<String> {
    let mut set = String::from("[");
    for alt in body {
        match alt.as_slice() {
            [Node::Char(c)] => set.push_str(c),
            [Node::Group(inner)] => set.push_str(&one_char(inner)?),
            _ => return None,
        }
    }
    set.push(']');
    Some(set)
}

/// `seq` whose first character (or, `from_end`, last) must be in the class `keep`, as
/// alternatives of a group; `None` when that character is not decided inside `seq` (it may
/// match nothing, or an assertion comes first).
fn restrict(seq: &[Node], keep: &str, from_end: bool) -> Option<Vec<Vec<Node>>> {
    let (edge, rest) = if from_end {
        seq.split_last()?
    } else {
        seq.split_first()?
    };
    // `rest` with `items` on the restricted side.
    let join = |items: Vec<Node>| -> Vec<Node> {
        if from_end {
            rest.iter().cloned().chain(items).collect()
        } else {
            items.into_iter().chain(rest.iter().cloned()).collect()
        }
    };
    match edge {
        Node::Char(c) => Some(vec![join(vec![Node::Char(format!("[{c}&&{keep}]"))])]),
        Node::Group(alts) => {
            if width(edge).0 == 0 {
                return None;
            }
            let mut out = Vec::new();
            for alt in alts {
                out.extend(restrict(alt, keep, from_end)?);
            }
            Some(vec![join(vec![Node::Group(out)])])
        }
        Node::Repeat { node, min, max } => {
            if *max == Some(0) {
                return restrict(rest, keep, from_end);
            }
            if width(node).0 == 0 {
                return None;
            }
            let one = Node::Group(restrict(std::slice::from_ref(node), keep, from_end)?);
            let more = Node::Repeat {
                node: node.clone(),
                min: min.saturating_sub(1),
                max: max.map(|m| m - 1),
            };
            let taken = join(if from_end {
                vec![more, one]
            } else {
                vec![one, more]
            });
            if *min == 0 {
                let mut out = vec![taken];
                out.extend(restrict(rest, keep, from_end)?);
                Some(out)
            } else {
                Some(vec![taken])
            }
        }
        Node::Assert(_) | Node::Look { .. } => None,
    }
}

/// Absorb one-character lookaround everywhere (step 1 of the module documentation) and splice
/// groups that are neither repeated nor alternatives into their sequence.
fn absorb(seq: Vec<Node>, fuel: &mut u32) -> Result<Vec<Node>, String> {
    *fuel = fuel
        .checked_sub(1)
        .ok_or_else(|| format!("{LOOKAROUND} (rewriting it without lookaround is too large)"))?;
    let mut out = Vec::with_capacity(seq.len());
    for n in seq {
        match n {
            Node::Group(alts) => {
                let mut alts = alts
                    .into_iter()
                    .map(|a| absorb(a, fuel))
                    .collect::<Result<Vec<_>, _>>()?;
                if alts.len() == 1 {
                    out.extend(alts.pop().unwrap_or_default());
                } else {
                    out.push(Node::Group(alts));
                }
            }
            Node::Repeat { node, min, max } => {
                let node = match *node {
                    Node::Group(alts) => Node::Group(
                        alts.into_iter()
                            .map(|a| absorb(a, fuel))
                            .collect::<Result<Vec<_>, _>>()?,
                    ),
                    n => n,
                };
                out.push(Node::Repeat {
                    node: Box::new(node),
                    min,
                    max,
                });
            }
            Node::Look {
                ahead,
                negative,
                body,
            } => out.push(Node::Look {
                ahead,
                negative,
                body: body
                    .into_iter()
                    .map(|a| absorb(a, fuel))
                    .collect::<Result<Vec<_>, _>>()?,
            }),
            n => out.push(n),
        }
    }
    // Lookaheads from the last (so that `(?!a)(?!b)X` absorbs `(?!b)` first), then lookbehinds
    // from the first.
    let keep = |negative: bool, set: &str| {
        if negative {
            format!("[^{set}]")
        } else {
            set.to_string()
        }
    };
    for j in (0..out.len()).rev() {
        if let Some(Node::Look {
            ahead: true,
            negative,
            body,
        }) = out.get(j)
            && let Some(set) = one_char(body)
            && let Some(alts) = restrict(
                out.get(j + 1..).unwrap_or_default(),
                &keep(*negative, &set),
                false,
            )
        {
            out.truncate(j);
            out.push(Node::Group(alts));
            return absorb(out, fuel);
        }
    }
    for j in 0..out.len() {
        if let Some(Node::Look {
            ahead: false,
            negative,
            body,
        }) = out.get(j)
            && let Some(set) = one_char(body)
            && let Some(alts) = restrict(
                out.get(..j).unwrap_or_default(),
                &keep(*negative, &set),
                true,
            )
        {
            let rest = out.split_off(j + 1);
            let mut seq = vec![Node::Group(alts)];
            seq.extend(rest);
            return absorb(seq, fuel);
        }
    }
    Ok(out)
}

fn print_alts(alts: &[Vec<Node>]) -> Result<String, String> {
    let mut out = String::new();
    for (i, alt) in alts.iter().enumerate() {
        if i > 0 {
            out.push('|');
        }
        out.push_str(&print(alt)?);
    }
    Ok(out)
}

fn print(seq: &[Node]) -> Result<String, String> {
    let mut out = String::new();
    for n in seq {
        match n {
            Node::Char(c) => out.push_str(c),
            Node::Assert(a) => out.push_str(match a {
                Anchor::Start => "^",
                Anchor::End => "$",
                Anchor::Word => r"(?-u:\b)",
                Anchor::NotWord => r"(?-u:\B)",
            }),
            Node::Group(alts) => {
                out.push_str("(?:");
                out.push_str(&print_alts(alts)?);
                out.push(')');
            }
            Node::Repeat { node, min, max } => {
                out.push_str("(?:");
                out.push_str(&print(std::slice::from_ref(node))?);
                out.push(')');
                match max {
                    Some(max) => out.push_str(&format!("{{{min},{max}}}")),
                    None => out.push_str(&format!("{{{min},}}")),
                }
            }
            Node::Look { .. } => return Err(LOOKAROUND.into()),
        }
    }
    Ok(out)
}

/// Steps 2 and 3 of the module documentation, on a pattern without top-level alternation.
fn split(seq: Vec<Node>) -> Result<Pattern, String> {
    let is_look = |n: &Node| matches!(n, Node::Look { .. });
    if !seq.iter().any(is_look) {
        return Ok(Pattern {
            main: print(&seq)?,
            ..Pattern::default()
        });
    }
    // Every match starts at 0 when a `^` (or a positive lookahead starting with one) comes
    // before the first character.
    let mut anchored = false;
    for n in &seq {
        match n {
            Node::Assert(Anchor::Start) => anchored = true,
            Node::Look {
                ahead: true,
                negative: false,
                body,
            } if body.len() == 1
                && matches!(
                    body.first().and_then(|b| b.first()),
                    Some(Node::Assert(Anchor::Start))
                ) =>
            {
                anchored = true
            }
            Node::Assert(_) | Node::Look { .. } => {}
            _ => break,
        }
    }
    if !anchored && let Some(p) = unanchored(&seq)? {
        return Ok(p);
    }
    // The last `$` after which only assertions follow.
    let end = seq
        .iter()
        .rposition(|n| matches!(n, Node::Assert(Anchor::End)))
        .filter(|&e| {
            seq.get(e + 1..)
                .unwrap_or_default()
                .iter()
                .all(|n| width(n) == (0, Some(0)))
        });
    let mut out = Pattern::default();
    for (j, n) in seq.iter().enumerate() {
        let Node::Look {
            ahead,
            negative,
            body,
        } = n
        else {
            continue;
        };
        let b = print_alts(body)?;
        let body_len = fixed_alts(body);
        let from_start = anchored
            .then(|| fixed(seq.get(..j).unwrap_or_default()))
            .flatten();
        let from_end = end
            .filter(|&e| e > j)
            .and_then(|e| fixed(seq.get(j + 1..e).unwrap_or_default()));
        // Where the body must match, as an expression searched in the whole value; `None` when
        // it cannot fit (the lookaround then has a constant value).
        let part: Option<String> = match (ahead, from_start, from_end) {
            (true, Some(k), _) => Some(format!("^(?s:.{{{k}}})(?:{b})")),
            (false, _, Some(k)) => Some(format!("(?:{b})(?s:.{{{k}}})$")),
            (false, Some(k), _) => match body_len {
                Some(m) if m <= k => Some(format!("^(?s:.{{{}}})(?:{b})", k - m)),
                Some(_) => None,
                None => return Err(LOOKAROUND.into()),
            },
            (true, None, Some(k)) => match body_len {
                Some(m) if m <= k => Some(format!("(?:{b})(?s:.{{{}}})$", k - m)),
                Some(_) => None,
                None => return Err(LOOKAROUND.into()),
            },
            (_, None, None) => return Err(LOOKAROUND.into()),
        };
        match (part, negative) {
            (Some(p), false) => out.require.push(p),
            (Some(p), true) => out.forbid.push(p),
            // The body cannot fit: a negative lookaround always holds.
            (None, true) => {}
            (None, false) => return Err(format!("{LOOKAROUND} (this one can never hold)")),
        }
    }
    let rest: Vec<Node> = seq.into_iter().filter(|n| !is_look(n)).collect();
    let main = print(&rest)?;
    out.main = if anchored {
        format!("^(?:{main})")
    } else {
        main
    };
    Ok(out)
}

/// The length every alternative of a body has, if they share one.
fn fixed_alts(body: &[Vec<Node>]) -> Option<u64> {
    let lens: Vec<u64> = body.iter().map(|a| fixed(a)).collect::<Option<_>>()?;
    let first = *lens.first()?;
    lens.iter().all(|&l| l == first).then_some(first)
}

/// Step 3 of the module documentation: `(?!B)X` searched anywhere.
fn unanchored(seq: &[Node]) -> Result<Option<Pattern>, String> {
    let [
        Node::Look {
            ahead: true,
            negative: true,
            body,
        },
        x @ ..,
    ] = seq
    else {
        return Ok(None);
    };
    if x.iter().any(has_assertion) {
        return Ok(None);
    }
    let body_min = body.iter().map(|a| seq_width(a).0).min().unwrap_or(0);
    if seq_width(x).0 == 0 && body_min > 0 {
        // At the end of the value `B` fails and `X` matches the empty string.
        return Ok(Some(Pattern::default()));
    }
    // `X` = `C+` (or `C{1,…}`): it matches at a position exactly when `C` does.
    let class = match x {
        [Node::Char(c)] => c,
        [Node::Repeat { node, min, .. }] if *min >= 1 => match node.as_ref() {
            Node::Char(c) => c,
            _ => return Ok(None),
        },
        _ => return Ok(None),
    };
    // `B` a fixed sequence of characters.
    let [word] = body.as_slice() else {
        return Ok(None);
    };
    let mut sets = Vec::new();
    for n in word {
        match n {
            Node::Char(c) => sets.push(c.as_str()),
            _ => return Ok(None),
        }
    }
    let Some((first, more)) = sets.split_first() else {
        // `(?!)` never holds.
        return Err(format!("{LOOKAROUND} (this one can never hold)"));
    };
    // Whether the rest of `B` fails to follow: the value ends, the next character is not the
    // next of `B`, or it is and the rest fails in turn.
    let mut tail = String::new();
    for set in more.iter().rev() {
        tail = if tail.is_empty() {
            format!("(?:$|[^{set}])")
        } else {
            format!("(?:$|[^{set}]|{set}{tail})")
        };
    }
    let main = if tail.is_empty() {
        format!("[{class}--{first}]")
    } else {
        format!("[{class}--{first}]|[{class}&&{first}]{tail}")
    };
    Ok(Some(Pattern {
        main,
        ..Pattern::default()
    }))
}

/// A pattern that is one character class repeated a counted number of times, rewritten for a
/// repetition too large to compile, with the same meaning. With at most one end anchored, a
/// smaller count means the same: a search for `C{m,n}` finds a value exactly when it has a run
/// of `m` characters of `C` (the run may be longer), at the start for `^C{m,n}` and at the end
/// for `C{m,n}$`. Anchored at both ends (`^.{0,262144}$`), every character counts: the value
/// must match `^C*$` and have `m` to `n` characters (`length`). `None` for any other pattern.
pub fn shrink_repeat(ecma: &str) -> Option<Pattern> {
    let chars: Vec<char> = ecma.chars().collect();
    let mut p = Parser {
        c: &chars,
        i: 0,
        depth: 0,
    };
    let alts = p.alts().ok()?;
    if p.i != chars.len() {
        return None;
    }
    let [seq] = alts.as_slice() else {
        return None;
    };
    let start = matches!(seq.first(), Some(Node::Assert(Anchor::Start)));
    let end = matches!(seq.last(), Some(Node::Assert(Anchor::End)));
    let inner = seq.get(usize::from(start)..seq.len().checked_sub(usize::from(end))?)?;
    let [Node::Repeat { node, min, max }] = inner else {
        return None;
    };
    let Node::Char(class) = node.as_ref() else {
        return None;
    };
    let main = match (start, end) {
        (true, true) => {
            return Some(Pattern {
                main: format!("^(?:{class})*$"),
                length: Some((u64::from(*min), max.map(u64::from))),
                ..Pattern::default()
            });
        }
        (true, false) => format!("^(?:{class}){{{min}}}"),
        (false, true) => format!("(?:{class}){{{min}}}$"),
        (false, false) => format!("(?:{class}){{{min}}}"),
    };
    Some(Pattern {
        main,
        ..Pattern::default()
    })
}

#[cfg(test)]
mod tests {
    use super::super::pattern::translate;

    use super::{Node, Parser};
    use std::collections::HashMap;

    /// What the runtime's `Pattern::is_match` does with the parts.
    struct Compiled(regex::Regex, Vec<regex::Regex>, Vec<regex::Regex>);

    fn compile(p: &crate::ir::Pattern) -> Compiled {
        let re = |r: &String| regex::Regex::new(r).unwrap();
        Compiled(
            re(&p.main),
            p.require.iter().map(re).collect(),
            p.forbid.iter().map(re).collect(),
        )
    }

    fn m(c: &Compiled, s: &str) -> bool {
        c.0.is_match(s) && c.1.iter().all(|r| r.is_match(s)) && !c.2.iter().any(|r| r.is_match(s))
    }

    struct Rng(u64);
    impl Rng {
        fn next(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    struct Gen {
        rng: Rng,
        alphabet: Vec<char>,
        classes: HashMap<String, Vec<char>>,
    }

    impl Gen {
        /// A random value the pattern's tree (its lookaround ignored) matches.
        fn seq(&mut self, seq: &[Node], out: &mut String) {
            for n in seq {
                match n {
                    Node::Char(c) => {
                        let alphabet = &self.alphabet;
                        let members = self.classes.entry(c.clone()).or_insert_with(|| {
                            let re = regex::Regex::new(&format!("^{c}$")).unwrap();
                            alphabet
                                .iter()
                                .copied()
                                .filter(|ch| re.is_match(&ch.to_string()))
                                .collect()
                        });
                        if !members.is_empty() {
                            let i = self.rng.next(members.len());
                            out.push(members[i]);
                        }
                    }
                    Node::Group(alts) => {
                        let i = self.rng.next(alts.len());
                        self.seq(&alts[i].clone(), out);
                    }
                    Node::Repeat { node, min, max } => {
                        let hi = max.unwrap_or(u32::MAX).min(min + 3);
                        let k = *min as usize + self.rng.next((hi - min + 1) as usize);
                        for _ in 0..k.min(40) {
                            self.seq(std::slice::from_ref(node), out);
                        }
                    }
                    Node::Assert(_) | Node::Look { .. } => {}
                }
            }
        }
    }

    /// Values near the pattern: generated from its tree, then often edited (a character
    /// replaced, inserted or removed), plus random ones over the same alphabet.
    fn samples(pattern: &str, n: usize) -> Vec<String> {
        let mut alphabet: Vec<char> = pattern.chars().filter(|c| c.is_ascii_graphic()).collect();
        alphabet.extend([
            'a', 'z', 'A', '0', '1', '9', '-', '.', '_', ' ', '\n', '\r', '\t',
        ]);
        alphabet.extend([
            'é', '\u{a0}', '\u{2028}', '😀', ':', '/', 'w', 's', 'x', 'b',
        ]);
        alphabet.sort_unstable();
        alphabet.dedup();
        let chars: Vec<char> = pattern.chars().collect();
        let tree = Parser {
            c: &chars,
            i: 0,
            depth: 0,
        }
        .alts()
        .unwrap();
        let mut g = Gen {
            rng: Rng(0x9E37_79B9_7F4A_7C15 ^ pattern.len() as u64),
            alphabet,
            classes: HashMap::new(),
        };
        let mut out = vec![String::new()];
        while out.len() < n {
            let mut s = String::new();
            if g.rng.next(4) == 0 {
                for _ in 0..g.rng.next(12) {
                    let i = g.rng.next(g.alphabet.len());
                    s.push(g.alphabet[i]);
                }
            } else {
                let i = g.rng.next(tree.len());
                g.seq(&tree[i], &mut s);
                for _ in 0..g.rng.next(3) {
                    let mut v: Vec<char> = s.chars().collect();
                    let at = g.rng.next(v.len() + 1);
                    let c = g.alphabet[g.rng.next(g.alphabet.len())];
                    match g.rng.next(3) {
                        0 if at < v.len() => v[at] = c,
                        1 if at < v.len() => {
                            v.remove(at);
                        }
                        _ => v.insert(at, c),
                    }
                    s = v.into_iter().collect();
                }
            }
            out.push(s);
        }
        out
    }

    /// Every rewritten shape agrees with an ECMA-262 engine (`regress`, Unicode mode) on
    /// thousands of values; the shapes are those of the APIs.guru corpus and their variants.
    #[test]
    fn rewrites_agree_with_ecma() {
        let patterns = [
            // one-character lookaround, absorbed
            r"^(\*\.)?(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])$",
            r"^(((?!-)[A-Za-z0-9-]{0,62}[A-Za-z0-9])\.)+((?!-)[A-Za-z0-9-]{1,62}[A-Za-z0-9])(\.)?$",
            r"^((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+[A-Za-z]{2,6}$",
            r"^[a-zA-Z0-9]?((?!-)([A-Za-z0-9-]*[A-Za-z0-9])\.)+[a-zA-Z0-9]+$",
            r"^.+@(?:(?:(?!-)[A-Za-z0-9-]{1,62})?[A-Za-z0-9]{1}\.)+[A-Za-z]{2,63}$",
            r"jdbc:(redshift|postgresql)://((?!-)[A-Za-z0-9-]{1,63}(?<!-)\.)+redshift\.([a-zA-Z0-9\.]+):\d{1,5}/[a-zA-Z0-9_$-]+",
            r"^(?!\.)[\.\-_#A-Za-z0-9]+$",
            r"^(?![-.])[a-z.-]{0,3}((?![-])([a-z]{1}|[0-9]{0,1}x))$",
            r"^(?!a)b|c",
            r"a(?=[bc])(b|c|d)",
            r"(?!-)(?!\.)[a-z.-]+",
            r"x(?<=[x])y?(?<!y)$",
            r"^(?!(\.|-))[a-z.-]*(?=a|b)[ab]$",
            // lookaround at a fixed position: after a fixed prefix, before the end
            r"^[0-9A-Za-z\.\-_]*(?<!\.)$",
            r"^[0-9a-z\.\-_]*(?!\.)$",
            r"^(?!\s).*(?<!\s)$",
            r"^(?!-)[A-Za-z0-9-].*(?<!-)$",
            r"^[a-zA-Z](?!.*--)(?!.*-$)[0-9a-zA-Z\-]*$",
            r"^[$a-z0-9](?!.*--)[-a-z0-9]{1,61}[a-z0-9]$",
            r"^(^(?!aws:).[\p{L}\p{Z}\p{N}_.:/=+\-@]*)$",
            r"(arn:aws[a-z\-]*:sagemaker:[a-z0-9\-]*:[0-9]{12}:[a-z\-]*\/)?([a-zA-Z0-9]([a-zA-Z0-9-]){0,62})(?<!-)$",
            r"[a-z]+(?<!ab)\.[a-z]$",
            r"^ab(?<=b)(?<!xb)c",
            r"^ab(?<=a.)c",
            r"^.ab(?<=xab)c",
            r"a(?=..)[a-z]{2}$",
            r"(?<=a)$",
            r"^a(?!b)",
            r"^(?<!a)b",
            r"^(?!$)",
            // leading lookaheads of anchored patterns (the shapes supported before)
            r"^(?!\s*$).+",
            r"(^(?!_{2}))(^[a-zA-Z0-9_]+$)",
            r"^(?!aws:)[a-zA-Z+-=._:/]+$",
            r"(?!^.*--)(?!^[0-9]+$)(?!^-)(?!.*-$)^[A-Za-z0-9-]+$",
            r"^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{2,49}[a-zA-Z0-9]$",
            r"(?=^.{2,256}$)(?!.*\s)[0-9a-zA-Z-_.:=+@]*$",
            r#"^(?!.*[:\"][^:\"]*$).+$"#,
            r"^(?:(?!x))(y)",
            // unanchored leading negative lookahead
            r"(?!aws:)[a-zA-Z+-=._:/]+",
            r"(?!a)[a-z]",
            r"(?!a\.b)[a-z.]{1,3}",
            r"(?!.*[.]git$)[\w\-.]*",
            r"(?!ab)[a-z]*",
            // a negative lookahead in every round of an unbounded repetition to a fixed end,
            // hoisted to where the repetition starts (linode's "no doubled separator")
            r"^[a-zA-Z]((?!--|__)[a-zA-Z0-9-_])+$",
            r"^[a-zA-Z0-9]((?![_-]{2,})[a-zA-Z0-9-_])+[a-zA-Z0-9]$",
            r"^[a-z]((?!--|__|..)[a-z0-9-_.])+$",
            r"^(?:(?!ab)[a-c])*c$",
        ];
        for p in patterns {
            // Unicode mode, unless the pattern is valid only outside it (`\"`).
            let ecma = regress::Regex::with_flags(p, "u")
                .or_else(|_| regress::Regex::new(p))
                .unwrap();
            let parts = translate(p).unwrap_or_else(|e| panic!("{p}: {e}"));
            let compiled = compile(&parts);
            let (mut yes, mut no) = (0, 0);
            for s in samples(p, 4000) {
                let expected = ecma.find(&s).is_some();
                assert_eq!(m(&compiled, &s), expected, "{p} on {s:?}: {parts:?}");
                if expected {
                    yes += 1;
                } else {
                    no += 1;
                }
            }
            eprintln!("{p}: {yes} match, {no} do not");
            // Both outcomes are common, but for the patterns that match every value.
            let all = parts.main.is_empty() && parts.require.is_empty() && parts.forbid.is_empty();
            assert!(
                yes > 20 && (no > 20 || all),
                "{p}: {yes} match, {no} do not"
            );
        }
    }

    /// Lookaround with no rewriting into parts runs on the lookaround automaton; it agrees
    /// with an ECMA-262 engine on every shape of the APIs.guru corpus that reaches it.
    #[test]
    fn automaton_agrees_with_ecma() {
        let patterns = [
            r"(?!^[0-9]+$)([a-zA-Z0-9-_]+)", // unanchored, the body anchored
            r"x((?!a.)[ab])*b$", // hoisted out of the repetition, to a position not fixed
            r"^((?!--)[a-z-]{2})+$", // rounds of two characters: not hoisted, but run
            r"^(?![-.])[a-z.-]{0,3}((?![-])([a-z]{1}|^[a-z]{0,1}))$", // an assertion first
            r"(^\$LATEST$)|((?!^[0-9]+$)([a-zA-Z0-9-_]+))",
            r"^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$", // the next character is outside the group
            r"^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$",
            r"(?!admin).*$",
            r"a(?=[bc])(b|c)?", // the next character may be outside
            r"(?=^.{8,255}$)((?=.*\d)(?=.*[A-Z])(?=.*[a-z])|(?=.*\d)(?=.*[^A-Za-z0-9])(?=.*[a-z])|(?=.*[^A-Za-z0-9])(?=.*[A-Z])(?=.*[a-z])|(?=.*\d)(?=.*[A-Z])(?=.*[^A-Za-z0-9]))^.*",
            r"^(?=.*[a-z])(?=.*[A-Z])(?=.*[!@#$%\^&\*\(\)])[a-zA-Z\d!@#$%\^&\*\(\)]{12,123}$",
            r"[A-Za-z](?!.*--)[0-9A-Za-z-]*[^-]|^default(?!.*--)(?!.*\.\.)[0-9A-Za-z-.]*[^-]",
            r"((?=^.{1,127}$)^([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9])(\.([a-zA-Z0-9_][a-zA-Z0-9-_]{0,61}[a-zA-Z0-9_]|[a-zA-Z0-9]))*$)|(^\.$)",
            r"^(?=[/\.\-_A-Za-z0-9]+)((?!aws\.).*)|(\$(\.[\w_-]+(\[(\d+|\*)\])*)*)$",
            r"(?!((^[ ]+.*)|(.*([\u0000-\u001f]|[\u007f-\u009f]|[:/|])+.*)|(.*[ ]+$))).+",
            r"^(?!(^(https?|ftp|file):\/\/))[a-z0-9-]+(\.service-now\.com)$",
            r"^(?!-|[0-9])(?!.*-$)(?!.*?--)[a-zA-Z0-9-]+$",
            r#"^(?=.*[a-z])(?=.*[A-Z])(?=.*\d)(?!.*[@'\\"/])[a-zA-Z0-9\S]*$"#,
            r".*(?!^(\d+\.)+\d+$)(^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])$).*",
            r"(^(?!(system\x2e)))(^[_a-zA-Z0-9])([^$]*)",
            r"^(?![Aa][Ww][Ss])(s|([a-zA-Z][a-zA-Z0-9_]+))",
            r"^([a-z]|(\d(?!\d{0,2}\.\d{1,3}\.\d{1,3}\.\d{1,3})))([a-z\d]|(\.(?!(\.|-)))|(-(?!\.))){1,61}[a-z\d]$",
            r"^(?=^\$)(?=^\S+$).*$",
            r"^(?![^\n\r\t,]*\\n|\\r|\\t)[^\n\r\t,]+$",
            r"(?=^.{3,63}$)(?!^(\d+\.)+\d+$)(^(([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])\.)*([a-z0-9]|[a-z0-9][a-z0-9\-]*[a-z0-9])$)",
            r#"^(?!.*\\|.*"|.*\/|.*\[|.*\]|.*:|.*;|.*\||.*=|.*,|.*\+|.*\*|.*\?|.*<|.*>|.*@).*$"#,
            r"(?=[/\.\-_A-Za-z0-9]+)((?!aws\.).*)|(\$(\.[\w/_-]+(\[(\d+|\*)\])*)*)",
            r"^(?!\s*$).+|(\$(\.[\w/_-]+(\[(\d+|\*)\])*)*)$",
            r"^((25[0-5]|(2[0-4]|1[0-9]|[1-9]|)[0-9])(\.(?!$)|$)){4}",
            r"^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$",
            r"^(?!\s*$)[\p{L}\p{Z}\p{N}_.:/=+\-@]*",
            r"_&~(?!a)[_&~]",
            r"^(\/|(\/(?!\.)+[^$#<>;`|&?{}^*/\n]+){1,4})$", // a quantified lookahead
            r"^a(?=b)*c(?=c){0,3}(?!d){2}$",
            r"^((?!.*-s3alias)(?!xn--.*)[a-z0-9][-a-z0-9.]*)?[a-z0-9]$", // under `?`
            r"^((?!\\[nr]).)+",            // a search needs one repetition only
            r"(?=[a-z]{2,}x)[a-z]+(?!-+)", // lookahead bodies need a prefix only
            r"^(?=a)[a-z]{0,700}$",        // a count resharp refuses, written nested
            r"^(?!-)[a-z-]{300,600}(?<!-)$",
            r"^(?=.*[0-9])([a-z0-9]{1,3}\.(?!\.)){3}[a-z]+$", // few exact copies
            r"^arn:(?=[a-z])[a-z].*(?<!-):[a-z]+$",           // absorbed lookbehind mid-pattern
        ];
        let mut failed = Vec::new();
        let mut automata = 0;
        for p in patterns {
            let ecma = regress::Regex::with_flags(p, "u")
                .or_else(|_| regress::Regex::new(p))
                .unwrap();
            let parts = match translate(p) {
                Ok(parts) => parts,
                Err(e) => {
                    failed.push(format!("{p}: {e}"));
                    continue;
                }
            };
            // Split into `regex` parts: `rewrites_agree_with_ecma` covers those.
            if parts.lookaround.is_empty() {
                continue;
            }
            automata += 1;
            let source = parts.lookaround.join(" OR ");
            let all: Vec<resharp::Regex> = parts
                .lookaround
                .iter()
                .map(|s| {
                    resharp::Regex::with_options(s, super::super::pattern::automaton_options())
                        .unwrap()
                })
                .collect();
            let (mut yes, mut no) = (0, 0);
            for s in samples(p, 3000) {
                let expected = ecma.find(&s).is_some();
                let ours = all.iter().any(|re| re.is_match(s.as_bytes()).unwrap());
                if ours != expected {
                    failed.push(format!("{p} on {s:?} (ECMA: {expected}): {source}"));
                    break;
                }
                if expected {
                    yes += 1;
                } else {
                    no += 1;
                }
            }
            eprintln!("{p}: {yes} match, {no} do not");
        }
        assert!(failed.is_empty(), "{}", failed.join("\n"));
        assert!(automata >= 15, "{automata}");
    }

    /// Counts resharp refuses (near 1 000) are written as nested repetitions matching exactly
    /// the same numbers of copies.
    #[test]
    fn large_counts_for_the_automaton() {
        for c in [1u32, 255, 256, 257, 300, 513, 1000] {
            for (min, max) in [(c, Some(c)), (0, Some(c)), (c / 2, Some(c)), (c, None)] {
                let mut out = String::new();
                super::print_count("(?:a)", min, max, &mut out);
                let source = format!(r"\A{out}\z");
                let re = resharp::Regex::with_options(
                    &source,
                    super::super::pattern::automaton_options(),
                )
                .unwrap();
                let top = max.unwrap_or(min + 5);
                for n in [0, 1, min.saturating_sub(1), min, min + 1, top, top + 1] {
                    let want = n >= min && max.is_none_or(|m| n <= m);
                    let got = re.is_match("a".repeat(n as usize).as_bytes()).unwrap();
                    assert_eq!(got, want, "{min} {max:?} {n}: {source}");
                }
            }
        }
    }

    #[test]
    fn still_refused() {
        // Lookaround inside an unbounded repetition that is not hoisted (a positive one, a
        // body that fits in the fixed end, no fixed end): neither split nor run by the
        // automaton.
        for p in [
            r"^[a-z]((?=[a-z]-)[a-z-])+$",
            r"^[a-z]((?!--)[a-z-])+[a-z-]{2}$",
            r"^[a-z]((?!--)[a-z-])+[a-z]+$",
        ] {
            let e = translate(p).unwrap_err();
            assert!(e.contains("lookaround"), "{p}: {e}");
        }
        // Backreferences to a group of too many values are not expanded.
        let e = translate(r"^(?!.*?(.)\1{3}).*$").unwrap_err();
        assert!(e.contains("backreference"), "{e}");
        // Hostile nesting is an error, not a stack overflow.
        let deep = format!("(?=a){}{}", "(".repeat(100_000), ")".repeat(100_000));
        let e = translate(&deep).unwrap_err();
        assert!(e.contains("nested too deeply"), "{e}");
        let deep = format!("{}(?=a){}", "(".repeat(100_000), ")".repeat(100_000));
        let e = crate::lower::pattern::translate(&deep).unwrap_err();
        assert!(!e.is_empty());
    }
}
