use crate::prelude::*;
use rustc_hash::FxHashSet as HashSet;

pub struct RedosPronePattern;

static META: RuleMeta = RuleMeta {
    code: "SG093",
    name: "redos-prone-pattern",
    severity: Severity::Warning,
    owasp: Owasp::Api4,
    cwe: &[1333],
    peers: &[],
    summary: "Pattern can take exponential time to reject some inputs (nested or overlapping quantifiers)",
    docs: r#"## What it does
Reports schema `pattern`s with the shapes that make backtracking regular expression engines
take exponential time on a crafted input:
- a repeated group whose body repeats without a mandatory separator: `(a+)+`, `(.*)*`,
  `(\w+\s?)*`, `(.*,)*` — the inner repetition can split the same text across iterations in
  exponentially many ways. `(\w+\s)*` and `([a-z]+\.)+` are fine: every iteration must consume
  a character the inner repetition cannot;
- a repeated alternation whose alternatives match the same text: `(\w|\d)+`, `(.|\s)*`,
  `(a|aa)*`.
Patterns that do not compile are left to `invalid-pattern`. The analysis is a conservative
approximation over character sets; it does not prove a pattern safe.

## Why is this bad?
Validators in JavaScript, Java, Python, .NET and PCRE backtrack. A 30-character request field
crafted against such a pattern can keep a CPU busy for seconds or hours — one request per core
is a denial of service (CWE-1333 Inefficient Regular Expression Complexity; OWASP API4:2023
Unrestricted Resource Consumption). The same holds for clients validating responses.

## Example
```yaml
openapi: 3.0.3
info: {title: Profiles, version: "1"}
paths:
  /profiles:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                display_name: {type: string, maxLength: 200, pattern: '^(\w+\s?)*$'}
      responses:
        "201": {description: created}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Profiles, version: "1"}
paths:
  /profiles:
    post:
      requestBody:
        content:
          application/json:
            schema:
              type: object
              properties:
                display_name: {type: string, maxLength: 200, pattern: '^\w+(\s\w+)*$'}
      responses:
        "201": {description: created}
```

## References
- OWASP API4:2023 Unrestricted Resource Consumption
- CWE-1333: Inefficient Regular Expression Complexity
"#,
};

/// A set of characters, tested against a sample alphabet.
#[derive(Clone, Debug)]
enum Set {
    Any,
    Lit(char),
    /// `\d`, `\w`, `\s` and their negations (upper case).
    Esc(char),
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
    /// A union (the characters a group may contain).
    Union(Vec<Set>),
}

#[derive(Clone, Debug)]
enum ClassItem {
    Range(char, char),
    Esc(char),
}

fn esc_matches(e: char, c: char) -> bool {
    let m = match e.to_ascii_lowercase() {
        'd' => c.is_ascii_digit(),
        'w' => c.is_ascii_alphanumeric() || c == '_',
        's' => c.is_whitespace(),
        _ => true,
    };
    if e.is_ascii_uppercase() { !m } else { m }
}

impl Set {
    fn matches(&self, c: char) -> bool {
        match self {
            Set::Any => c != '\n',
            Set::Lit(l) => *l == c,
            Set::Esc(e) => esc_matches(*e, c),
            Set::Class { negated, items } => {
                let hit = items.iter().any(|i| match i {
                    ClassItem::Range(a, b) => (*a..=*b).contains(&c),
                    ClassItem::Esc(e) => esc_matches(*e, c),
                });
                hit != *negated
            }
            Set::Union(v) => v.iter().any(|s| s.matches(c)),
        }
    }
}

#[derive(Clone, Debug)]
enum Atom {
    Chars(Set),
    Group(Vec<Vec<Item>>),
    /// Anchors, lookarounds, backreferences: consume nothing we reason about.
    Empty,
}

#[derive(Clone, Debug)]
struct Item {
    atom: Atom,
    min: u32,
    /// None = unbounded.
    max: Option<u32>,
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    alphabet: &'a mut HashSet<char>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        self.pos += 1;
        c
    }
    fn alternation(&mut self, depth: usize) -> Vec<Vec<Item>> {
        let mut alts = vec![Vec::new()];
        while let Some(c) = self.peek() {
            match c {
                ')' if depth > 0 => break,
                '|' => {
                    self.pos += 1;
                    alts.push(Vec::new());
                }
                _ => {
                    let atom = self.atom(depth);
                    let (min, max) = self.quantifier();
                    if let Some(seq) = alts.last_mut() {
                        seq.push(Item { atom, min, max });
                    }
                }
            }
        }
        alts
    }
    fn escape_char(&mut self) -> Set {
        match self.next() {
            Some(e @ ('d' | 'D' | 'w' | 'W' | 's' | 'S')) => Set::Esc(e),
            Some('n') => Set::Lit('\n'),
            Some('t') => Set::Lit('\t'),
            Some('r') => Set::Lit('\r'),
            Some('p' | 'P') => {
                if self.peek() == Some('{') {
                    while let Some(c) = self.next() {
                        if c == '}' {
                            break;
                        }
                    }
                }
                Set::Any
            }
            Some(c) => {
                self.alphabet.insert(c);
                Set::Lit(c)
            }
            None => Set::Lit('\\'),
        }
    }
    fn atom(&mut self, depth: usize) -> Atom {
        let Some(c) = self.next() else {
            return Atom::Empty;
        };
        match c {
            '.' => Atom::Chars(Set::Any),
            '^' | '$' => Atom::Empty,
            '\\' => match self.peek() {
                Some('b' | 'B') => {
                    self.pos += 1;
                    Atom::Empty
                }
                Some(d) if d.is_ascii_digit() && d != '0' => {
                    self.pos += 1;
                    Atom::Empty
                }
                _ => Atom::Chars(self.escape_char()),
            },
            '[' => Atom::Chars(self.class()),
            '(' => {
                let mut lookaround = false;
                if self.peek() == Some('?') {
                    self.pos += 1;
                    match self.next() {
                        Some(':') => {}
                        Some('=' | '!') => lookaround = true,
                        Some('<') => match self.peek() {
                            Some('=' | '!') => {
                                self.pos += 1;
                                lookaround = true;
                            }
                            _ => {
                                while let Some(c) = self.next() {
                                    if c == '>' {
                                        break;
                                    }
                                }
                            }
                        },
                        _ => {}
                    }
                }
                let alts = self.alternation(depth + 1);
                if self.peek() == Some(')') {
                    self.pos += 1;
                }
                if lookaround {
                    Atom::Empty
                } else {
                    Atom::Group(alts)
                }
            }
            c => {
                self.alphabet.insert(c);
                Atom::Chars(Set::Lit(c))
            }
        }
    }
    fn class(&mut self) -> Set {
        let negated = self.peek() == Some('^');
        if negated {
            self.pos += 1;
        }
        let mut items = Vec::new();
        let mut first = true;
        while let Some(c) = self.next() {
            if c == ']' && !first {
                break;
            }
            first = false;
            let lo = if c == '\\' {
                match self.escape_char() {
                    Set::Esc(e) => {
                        items.push(ClassItem::Esc(e));
                        continue;
                    }
                    Set::Lit(l) => l,
                    _ => {
                        items.push(ClassItem::Range('\0', char::MAX));
                        continue;
                    }
                }
            } else {
                c
            };
            self.alphabet.insert(lo);
            if self.peek() == Some('-') && self.chars.get(self.pos + 1).is_some_and(|&n| n != ']') {
                self.pos += 1;
                let hi = match self.next() {
                    Some('\\') => match self.escape_char() {
                        Set::Lit(l) => l,
                        _ => lo,
                    },
                    Some(h) => h,
                    None => lo,
                };
                self.alphabet.insert(hi);
                items.push(ClassItem::Range(lo, hi.max(lo)));
            } else {
                items.push(ClassItem::Range(lo, lo));
            }
        }
        Set::Class { negated, items }
    }
    fn quantifier(&mut self) -> (u32, Option<u32>) {
        let q = match self.peek() {
            Some('*') => {
                self.pos += 1;
                (0, None)
            }
            Some('+') => {
                self.pos += 1;
                (1, None)
            }
            Some('?') => {
                self.pos += 1;
                (0, Some(1))
            }
            Some('{') => {
                let rest: String = self.chars[self.pos..].iter().collect();
                let Some(end) = rest.find('}') else {
                    return (1, Some(1));
                };
                let inner = &rest[1..end];
                let parsed = match inner.split_once(',') {
                    None => inner.trim().parse().ok().map(|n: u32| (n, Some(n))),
                    Some((a, b)) => {
                        let a: Option<u32> = a.trim().parse().ok();
                        let b = b.trim();
                        if b.is_empty() {
                            a.map(|a| (a, None))
                        } else {
                            match (a, b.parse::<u32>().ok()) {
                                (Some(a), Some(b)) => Some((a, Some(b))),
                                _ => None,
                            }
                        }
                    }
                };
                match parsed {
                    Some(p) => {
                        self.pos += inner.chars().count() + 2;
                        p
                    }
                    None => return (1, Some(1)),
                }
            }
            _ => return (1, Some(1)),
        };
        if self.peek() == Some('?') {
            self.pos += 1;
        }
        q
    }
}

/// All characters an item may consume.
fn chars_of(atom: &Atom) -> Set {
    match atom {
        Atom::Chars(s) => s.clone(),
        Atom::Group(alts) => Set::Union(
            alts.iter()
                .flat_map(|seq| seq.iter().map(|i| chars_of(&i.atom)))
                .collect(),
        ),
        Atom::Empty => Set::Union(Vec::new()),
    }
}

fn has_unbounded(item: &Item) -> bool {
    item.max.is_none()
        || match &item.atom {
            Atom::Group(alts) => alts.iter().flatten().any(has_unbounded),
            _ => false,
        }
}

/// Whether an item always consumes at least one character.
fn consumes(item: &Item) -> bool {
    item.min >= 1
        && match &item.atom {
            Atom::Chars(_) => true,
            Atom::Group(alts) => alts.iter().all(|seq| seq.iter().any(consumes)),
            Atom::Empty => false,
        }
}

struct Analysis<'a> {
    alphabet: &'a [char],
}

impl Analysis<'_> {
    fn overlap(&self, a: &Set, b: &Set) -> bool {
        self.alphabet.iter().any(|&c| a.matches(c) && b.matches(c))
    }

    /// Whether one sequence (a loop body) can repeat ambiguously.
    fn ambiguous_body(&self, seq: &[Item]) -> bool {
        for (ui, u) in seq.iter().enumerate() {
            if !has_unbounded(u) {
                continue;
            }
            let uset = chars_of(&u.atom);
            let separated = seq
                .iter()
                .enumerate()
                .any(|(i, m)| i != ui && consumes(m) && !self.overlap(&chars_of(&m.atom), &uset));
            if !separated {
                return true;
            }
        }
        false
    }

    /// Whether two alternatives can match the same text.
    fn alternatives_overlap(&self, a: &[Item], b: &[Item]) -> bool {
        if a.is_empty() || b.is_empty() {
            return false;
        }
        let ua = Set::Union(a.iter().map(|i| chars_of(&i.atom)).collect());
        let ub = Set::Union(b.iter().map(|i| chars_of(&i.atom)).collect());
        let covered = |seq: &[Item], other: &Set| {
            seq.iter()
                .filter(|i| i.min >= 1)
                .all(|i| self.overlap(&chars_of(&i.atom), other))
        };
        covered(a, &ub) && covered(b, &ua)
    }

    /// The first risky construct under `items`, as a description.
    fn find(&self, items: &[Item]) -> Option<&'static str> {
        for item in items {
            if let Atom::Group(alts) = &item.atom {
                if item.max.is_none() || item.max.is_some_and(|m| m > 16) {
                    if alts.iter().any(|seq| self.ambiguous_body(seq)) {
                        return Some("a repeated group whose body repeats without a separator");
                    }
                    for i in 0..alts.len() {
                        for j in i + 1..alts.len() {
                            if self.alternatives_overlap(&alts[i], &alts[j]) {
                                return Some("a repeated alternation whose alternatives overlap");
                            }
                        }
                    }
                }
                for seq in alts {
                    if let Some(r) = self.find(seq) {
                        return Some(r);
                    }
                }
            }
        }
        None
    }
}

/// Why a pattern is prone to catastrophic backtracking, if it is.
fn risk(pattern: &str) -> Option<&'static str> {
    let mut alphabet: HashSet<char> = "azAZ09_ \t\n-.,;:/@+#%&=?!'\"é".chars().collect();
    let alts = {
        let mut p = Parser {
            chars: pattern.chars().collect(),
            pos: 0,
            alphabet: &mut alphabet,
        };
        p.alternation(0)
    };
    let mut alphabet: Vec<char> = alphabet.into_iter().collect();
    alphabet.sort_unstable();
    let a = Analysis {
        alphabet: &alphabet,
    };
    let top = Item {
        atom: Atom::Group(alts),
        min: 1,
        max: Some(1),
    };
    a.find(std::slice::from_ref(&top))
}

impl Rule for RedosPronePattern {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        let t = cx.tree();
        for &s in &cx.views.schemas {
            let Some(pn) = t.get(s, "pattern") else {
                continue;
            };
            let Some(p) = t.str(pn) else { continue };
            if p.len() > 2000 || regress::Regex::new(p).is_err() {
                continue;
            }
            if let Some(why) = risk(p) {
                out.push(Report {
                    node: pn,
                    message: format!("pattern `{p}` is prone to catastrophic backtracking: {why}"),
                    help: "rewrite so every repetition consumes a character the inner repetition cannot (`^\\w+(\\s\\w+)*$`), and bound the input with `maxLength`".into(),
                });
            }
        }
    }
}
