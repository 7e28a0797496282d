//! Contract bounds, checked before a handler runs.
//!
//! Generated code implements [`Validate`] for every request type and calls the check functions
//! below with the bounds written in the contract. Failures are collected (at most
//! [`crate::problem::MAX_FIELD_ERRORS`]) as [`FieldError`]s whose messages
//! come from the bounds, never from the value.

use crate::problem::{FieldError, Location, MAX_FIELD_ERRORS};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

#[derive(Clone, Copy, Debug)]
enum Segment {
    Key(&'static str),
    Index(usize),
    /// A map entry: its key is request input and is not echoed.
    Any,
}

/// Where the value being checked is: a body pointer or a parameter.
#[derive(Clone, Debug)]
pub struct Pointer {
    location: Location,
    segments: Vec<Segment>,
}

impl Pointer {
    /// The root of the request body.
    pub fn body() -> Pointer {
        Pointer {
            location: Location::Body,
            segments: Vec::new(),
        }
    }

    /// A parameter, by its name in the contract.
    pub fn param(location: Location, name: &'static str) -> Pointer {
        Pointer {
            location,
            segments: vec![Segment::Key(name)],
        }
    }

    pub fn push_key(&mut self, key: &'static str) {
        self.segments.push(Segment::Key(key));
    }
    pub fn push_index(&mut self, i: usize) {
        self.segments.push(Segment::Index(i));
    }
    pub fn push_any(&mut self) {
        self.segments.push(Segment::Any);
    }
    pub fn pop(&mut self) {
        self.segments.pop();
    }

    pub fn location(&self) -> Location {
        self.location
    }

    /// The RFC 6901 pointer (`*` for a map entry).
    pub fn render(&self) -> String {
        let mut out = String::new();
        for s in &self.segments {
            out.push('/');
            match s {
                Segment::Key(k) => {
                    for c in k.chars() {
                        match c {
                            '~' => out.push_str("~0"),
                            '/' => out.push_str("~1"),
                            c => out.push(c),
                        }
                    }
                }
                Segment::Index(i) => out.push_str(&i.to_string()),
                Segment::Any => out.push('*'),
            }
        }
        out
    }
}

/// Collected failures.
#[derive(Debug, Default)]
pub struct Errors {
    list: Vec<FieldError>,
}

impl Errors {
    pub fn new() -> Errors {
        Errors::default()
    }
    pub fn add(&mut self, at: &Pointer, detail: impl Into<Cow<'static, str>>) {
        if self.list.len() < MAX_FIELD_ERRORS {
            self.list.push(FieldError {
                location: at.location,
                pointer: at.render(),
                detail: detail.into(),
            });
        }
    }
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
    pub fn len(&self) -> usize {
        self.list.len()
    }
    pub fn into_vec(self) -> Vec<FieldError> {
        self.list
    }
}

/// The contract's bounds of a type, checked recursively.
pub trait Validate {
    fn validate(&self, at: &mut Pointer, errors: &mut Errors);
}

macro_rules! no_bounds {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn validate(&self, _: &mut Pointer, _: &mut Errors) {}
        }
    )*};
}
no_bounds!(
    String,
    bool,
    i32,
    i64,
    u32,
    u64,
    f32,
    f64,
    serde_json::Value,
    axum::body::Bytes
);

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, at: &mut Pointer, errors: &mut Errors) {
        if let Some(v) = self {
            v.validate(at, errors);
        }
    }
}

impl<T: Validate> Validate for Box<T> {
    fn validate(&self, at: &mut Pointer, errors: &mut Errors) {
        (**self).validate(at, errors);
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, at: &mut Pointer, errors: &mut Errors) {
        for (i, v) in self.iter().enumerate() {
            at.push_index(i);
            v.validate(at, errors);
            at.pop();
        }
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, at: &mut Pointer, errors: &mut Errors) {
        for v in self.values() {
            at.push_any();
            v.validate(at, errors);
            at.pop();
        }
    }
}

/// `minLength` / `maxLength`, in characters (Unicode scalar values), as JSON Schema counts.
pub fn length(s: &str, min: Option<u64>, max: Option<u64>, at: &Pointer, errors: &mut Errors) {
    let n = s.chars().count() as u64;
    count(n, min, max, at, errors, "must be", "characters long");
}

/// A count against its inclusive bounds: "`verb` at least/at most `bound` `unit`".
fn count(
    n: u64,
    min: Option<u64>,
    max: Option<u64>,
    at: &Pointer,
    errors: &mut Errors,
    verb: &str,
    unit: &str,
) {
    if let Some(min) = min
        && n < min
    {
        errors.add(at, format!("{verb} at least {min} {unit}"));
    }
    if let Some(max) = max
        && n > max
    {
        errors.add(at, format!("{verb} at most {max} {unit}"));
    }
}

/// `minLength`/`maxLength` of a `format: binary` value ([`crate::Binary`]): octets.
pub fn byte_length(
    n: usize,
    min: Option<u64>,
    max: Option<u64>,
    at: &Pointer,
    errors: &mut Errors,
) {
    count(n as u64, min, max, at, errors, "must be", "bytes long");
}

/// A `pattern`, compiled once (generated code keeps it in a `LazyLock`) by a linear-time
/// engine. The generator has already rewritten ECMA-262 `\d`, `\w`, `\s` (and their
/// negations and `\b`) to ASCII classes and checked that the expression compiles; if it still
/// did not, every value is rejected.
///
/// A pattern anchored at the start whose leading lookaheads the `regex` crate cannot run
/// (`^(?!aws:)[a-z:]+$`) arrives split into parts, each linear-time: [`Pattern::compile_parts`].
/// Other lookaround (`^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$`) runs on the `resharp`
/// automaton, which compiles lookaround into its states (no backtracking):
/// [`Pattern::compile_lookaround`], or as several automata, the value matching when one of
/// them matches: [`Pattern::compile_lookaround_any`].
pub struct Pattern {
    /// `None` when a part does not compile.
    engine: Option<Engine>,
    /// Fewest and most characters (code points) the value may have: the count of a pattern
    /// `^C{m,n}$` whose repetition is too large to compile (`^.{0,262144}$`), which the
    /// generator turns into `^C*$` and this count.
    length: Option<(usize, Option<usize>)>,
}

enum Engine {
    Parts {
        main: regex::Regex,
        require: Vec<regex::Regex>,
        forbid: Vec<regex::Regex>,
    },
    /// One automaton or more; the value matches when one of them does.
    Lookaround(Vec<resharp::Regex>),
}

impl std::fmt::Debug for Pattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let engine = match &self.engine {
            None => "none (does not compile)",
            Some(Engine::Parts { .. }) => "regex",
            Some(Engine::Lookaround(_)) => "lookaround automaton",
        };
        f.debug_struct("Pattern").field("engine", &engine).finish()
    }
}

impl Pattern {
    pub fn compile(source: &str) -> Pattern {
        Pattern::compile_parts(source, &[], &[])
    }
    /// `main` must match, every `require` must match, no `forbid` may.
    pub fn compile_parts(main: &str, require: &[&str], forbid: &[&str]) -> Pattern {
        let all = |v: &[&str]| -> Option<Vec<regex::Regex>> {
            v.iter().map(|s| regex::Regex::new(s).ok()).collect()
        };
        let engine = (|| {
            Some(Engine::Parts {
                main: regex::Regex::new(main).ok()?,
                require: all(require)?,
                forbid: all(forbid)?,
            })
        })();
        Pattern {
            engine,
            length: None,
        }
    }
    /// The same pattern, also requiring between `min` and `max` characters (code points).
    pub fn with_length(self, min: usize, max: Option<usize>) -> Pattern {
        Pattern {
            length: Some((min, max)),
            ..self
        }
    }
    /// A pattern with lookaround, in `resharp`'s syntax as the generator printed it: `^`/`$`
    /// anchor the whole value (`\A`/`\z`), `.` and negated classes match one code point, and
    /// the scan is the hardened linear-time one.
    pub fn compile_lookaround(source: &str) -> Pattern {
        Pattern::compile_lookaround_any(&[source])
    }
    /// Several patterns for the lookaround automaton (as [`Pattern::compile_lookaround`]);
    /// the value matches when it matches one of them. The generator splits a pattern this way
    /// when the automaton refuses the union of all its alternatives at once.
    pub fn compile_lookaround_any(sources: &[&str]) -> Pattern {
        let options = || {
            resharp::RegexOptions::default()
                .multiline(false)
                .unicode(resharp::UnicodeMode::Javascript)
                .hardened(true)
        };
        let engine = sources
            .iter()
            .map(|source| resharp::Regex::with_options(source, options()).ok())
            .collect::<Option<Vec<_>>>()
            .filter(|all| !all.is_empty())
            .map(Engine::Lookaround);
        Pattern {
            engine,
            length: None,
        }
    }
    /// Whether the value matches. A value the automaton gives up on (it caps its cached states
    /// and how far a lookahead may look) does not match: the check fails closed.
    pub fn is_match(&self, s: &str) -> bool {
        if let Some((min, max)) = self.length {
            // At most `max + 1` characters are counted: a huge value costs no more than that.
            let limit = max.map_or(min, |m| m.max(min)).saturating_add(1);
            let n = s.chars().take(limit).count();
            if n < min || max.is_some_and(|m| n > m) {
                return false;
            }
        }
        match &self.engine {
            None => false,
            Some(Engine::Parts {
                main,
                require,
                forbid,
            }) => {
                main.is_match(s)
                    && require.iter().all(|r| r.is_match(s))
                    && !forbid.iter().any(|r| r.is_match(s))
            }
            Some(Engine::Lookaround(all)) => all
                .iter()
                .any(|re| re.is_match(s.as_bytes()).unwrap_or(false)),
        }
    }
}

pub fn pattern(s: &str, p: &Pattern, at: &Pointer, errors: &mut Errors) {
    if !p.is_match(s) {
        errors.add(at, "does not match the required pattern");
    }
}

/// Integer bounds, inclusive (the generator turns exclusive and fractional bounds into these).
pub fn int_range(v: i64, min: Option<i64>, max: Option<i64>, at: &Pointer, errors: &mut Errors) {
    if let Some(min) = min
        && v < min
    {
        errors.add(at, format!("must be at least {min}"));
    }
    if let Some(max) = max
        && v > max
    {
        errors.add(at, format!("must be at most {max}"));
    }
}

/// An integer of any Rust integer type, as the `i64` the integer checks take: values beyond
/// `i64` saturate, which keeps [`int_range`] exact (every contract bound is an `i64`).
/// `#[derive(specguard::ApiRequest)]` uses it for fields narrower or wider than `i64`.
pub trait Integer: Copy {
    fn saturating_i64(self) -> i64;
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl Integer for $t {
            fn saturating_i64(self) -> i64 {
                let zero: $t = 0;
                i64::try_from(self).unwrap_or(if self > zero { i64::MAX } else { i64::MIN })
            }
        }
    )*};
}
integer!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

macro_rules! non_zero_integer {
    ($($t:ty),*) => {$(
        impl Integer for std::num::NonZero<$t> {
            fn saturating_i64(self) -> i64 {
                self.get().saturating_i64()
            }
        }
    )*};
}
non_zero_integer!(
    i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize
);

/// Number bounds; `exclusive` bounds reject equality. Non-finite numbers are always rejected.
pub fn number_range(
    v: f64,
    min: Option<(f64, bool)>,
    max: Option<(f64, bool)>,
    at: &Pointer,
    errors: &mut Errors,
) {
    if !v.is_finite() {
        errors.add(at, "must be a finite number");
        return;
    }
    if let Some((min, exclusive)) = min
        && (v < min || (exclusive && v == min))
    {
        errors.add(
            at,
            if exclusive {
                format!("must be greater than {min}")
            } else {
                format!("must be at least {min}")
            },
        );
    }
    if let Some((max, exclusive)) = max
        && (v > max || (exclusive && v == max))
    {
        errors.add(
            at,
            if exclusive {
                format!("must be less than {max}")
            } else {
                format!("must be at most {max}")
            },
        );
    }
}

pub fn multiple_of_int(v: i64, m: i64, at: &Pointer, errors: &mut Errors) {
    if m != 0 && v % m != 0 {
        errors.add(at, format!("must be a multiple of {m}"));
    }
}

pub fn multiple_of(v: f64, m: f64, at: &Pointer, errors: &mut Errors) {
    if m > 0.0 && v.is_finite() {
        let q = v / m;
        if (q - q.round()).abs() > 1e-9 * q.abs().max(1.0) {
            errors.add(at, format!("must be a multiple of {m}"));
        }
    }
}

/// `minItems` / `maxItems`.
pub fn items(len: usize, min: Option<u64>, max: Option<u64>, at: &Pointer, errors: &mut Errors) {
    count(len as u64, min, max, at, errors, "must have", "items");
}

/// `minProperties` / `maxProperties`.
pub fn properties(
    len: usize,
    min: Option<u64>,
    max: Option<u64>,
    at: &Pointer,
    errors: &mut Errors,
) {
    count(len as u64, min, max, at, errors, "must have", "properties");
}

/// `uniqueItems: true`, in linear time (items are compared by their JSON form).
pub fn unique<T: Serialize>(items: &[T], at: &Pointer, errors: &mut Errors) {
    let mut seen = HashSet::with_capacity(items.len());
    for item in items {
        let Ok(s) = serde_json::to_string(item) else {
            continue;
        };
        if !seen.insert(s) {
            errors.add(at, "must not contain duplicate items");
            return;
        }
    }
}

/// `enum` for values that are not generated as Rust enums: the allowed values as JSON text.
pub fn one_of_json<T: Serialize>(v: &T, allowed: &[&str], at: &Pointer, errors: &mut Errors) {
    let ok = serde_json::to_value(v).is_ok_and(|v| {
        allowed
            .iter()
            .any(|a| serde_json::from_str::<serde_json::Value>(a).is_ok_and(|a| a == v))
    });
    if !ok {
        errors.add(at, "must be one of the values the contract lists");
    }
}

/// String formats that are checked (others are annotations only, as OpenAPI allows).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Uuid,
    DateTime,
    Date,
    /// base64 (`format: byte`).
    Byte,
    Email,
    Ipv4,
    Ipv6,
}

pub fn format(s: &str, f: Format, at: &Pointer, errors: &mut Errors) {
    let (ok, what) = match f {
        Format::Uuid => (is_uuid(s), "must be a UUID (8-4-4-4-12 hex digits)"),
        Format::DateTime => (is_date_time(s), "must be an RFC 3339 date-time"),
        Format::Date => (is_date(s), "must be an RFC 3339 full-date (YYYY-MM-DD)"),
        Format::Byte => (is_base64(s), "must be base64"),
        Format::Email => (is_email(s), "must be an e-mail address"),
        Format::Ipv4 => (
            s.parse::<std::net::Ipv4Addr>().is_ok(),
            "must be an IPv4 address",
        ),
        Format::Ipv6 => (
            s.parse::<std::net::Ipv6Addr>().is_ok(),
            "must be an IPv6 address",
        ),
    };
    if !ok {
        errors.add(at, what);
    }
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// `s[a..b]`, or `""` when that is not on character boundaries (input is arbitrary text).
fn part(s: &str, a: usize, b: usize) -> &str {
    s.get(a..b).unwrap_or("")
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    let (Some(y), Some(m), Some(d)) = (
        digits(part(s, 0, 4)),
        digits(part(s, 5, 7)),
        digits(part(s, 8, 10)),
    ) else {
        return false;
    };
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

fn is_time(s: &str) -> bool {
    // hh:mm:ss[.frac](Z|±hh:mm)
    let b = s.as_bytes();
    if b.len() < 9 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    let (Some(h), Some(m), Some(sec)) = (
        digits(part(s, 0, 2)),
        digits(part(s, 3, 5)),
        digits(part(s, 6, 8)),
    ) else {
        return false;
    };
    if h > 23 || m > 59 || sec > 60 {
        return false;
    }
    let mut rest = s.get(8..).unwrap_or("");
    if let Some(r) = rest.strip_prefix('.') {
        let n = r.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = r.get(n..).unwrap_or("");
    }
    if rest.eq_ignore_ascii_case("z") {
        return true;
    }
    let rb = rest.as_bytes();
    rb.len() == 6
        && (rb[0] == b'+' || rb[0] == b'-')
        && rb[3] == b':'
        && digits(part(rest, 1, 3)).is_some_and(|h| h <= 23)
        && digits(part(rest, 4, 6)).is_some_and(|m| m <= 59)
}

fn is_date_time(s: &str) -> bool {
    match s.find(['T', 't', ' ']) {
        Some(i) => is_date(part(s, 0, i)) && is_time(s.get(i + 1..).unwrap_or("")),
        _ => false,
    }
}

fn is_base64(s: &str) -> bool {
    let body = s.trim_end_matches('=');
    s.len().is_multiple_of(4)
        && s.len() - body.len() <= 2
        && body
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

fn is_email(s: &str) -> bool {
    match s.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: impl FnOnce(&Pointer, &mut Errors)) -> Vec<FieldError> {
        let mut e = Errors::new();
        let mut p = Pointer::body();
        p.push_key("a/b~");
        p.push_index(2);
        f(&p, &mut e);
        e.into_vec()
    }

    #[test]
    fn bounds() {
        assert!(run(|p, e| length("héé", Some(3), Some(3), p, e)).is_empty());
        let errs = run(|p, e| length("héllo", None, Some(3), p, e));
        assert_eq!(errs[0].pointer, "/a~1b~0/2");
        assert_eq!(errs[0].detail, "must be at most 3 characters long");
        assert_eq!(run(|p, e| int_range(0, Some(1), Some(9), p, e)).len(), 1);
        assert_eq!(u64::MAX.saturating_i64(), i64::MAX);
        assert_eq!(i128::MIN.saturating_i64(), i64::MIN);
        assert_eq!(std::num::NonZeroU8::MIN.saturating_i64(), 1);
        assert_eq!(
            run(|p, e| number_range(1.0, Some((1.0, true)), None, p, e)).len(),
            1
        );
        assert_eq!(
            run(|p, e| number_range(f64::NAN, None, None, p, e)).len(),
            1
        );
        assert!(run(|p, e| multiple_of(0.3, 0.1, p, e)).is_empty());
        assert_eq!(run(|p, e| multiple_of_int(7, 2, p, e)).len(), 1);
        assert_eq!(run(|p, e| unique(&[1, 2, 1], p, e)).len(), 1);
        assert_eq!(run(|p, e| items(3, None, Some(2), p, e)).len(), 1);
        assert!(run(|p, e| one_of_json(&2, &["1", "2"], p, e)).is_empty());
        assert_eq!(run(|p, e| one_of_json(&3, &["1", "2"], p, e)).len(), 1);
    }

    #[test]
    fn formats() {
        let ok = |s: &str, f| run(|p, e| format(s, f, p, e)).is_empty();
        assert!(ok("123e4567-e89b-12d3-a456-426614174000", Format::Uuid));
        assert!(!ok("123e4567e89b12d3a456426614174000", Format::Uuid));
        assert!(ok("2024-02-29T10:00:00.5+01:00", Format::DateTime));
        assert!(ok("2024-02-29T10:00:00Z", Format::DateTime));
        assert!(!ok("2023-02-29T10:00:00Z", Format::DateTime));
        assert!(!ok("2023-02-28", Format::DateTime));
        assert!(!ok("2023-02-28T00:00:0é", Format::DateTime));
        assert!(!ok("2é23-02-28T00:00:00Z", Format::DateTime));
        assert!(ok("2023-02-28", Format::Date));
        assert!(ok("aGk=", Format::Byte));
        assert!(!ok("aGk", Format::Byte));
        assert!(ok("a@b.c", Format::Email));
        assert!(!ok("a b@c.d", Format::Email));
        assert!(ok("::1", Format::Ipv6));
    }

    #[test]
    fn pattern_fails_closed() {
        let bad = Pattern::compile("(");
        assert!(!bad.is_match("anything"));
        let p = Pattern::compile("^[0-9]+$");
        assert!(p.is_match("123"));
        assert!(!p.is_match("١٢٣"));
        // The lookaround automaton, with the generator's rewriting of `.`/`^`/`$` as input.
        let p = Pattern::compile_lookaround(r"\A[a-z](?:[a-z]|-(?!-)){0,10}\z");
        assert!(p.is_match("a-b-c") && !p.is_match("a--b") && !p.is_match("a\nb"));
        assert!(format!("{p:?}").contains("lookaround automaton"));
        let bad = Pattern::compile_lookaround("(?=");
        assert!(!bad.is_match("") && !bad.is_match("x"));
        // Several automata: a value matches when one of them matches; one that does not
        // compile rejects every value, as a single one does.
        let any = Pattern::compile_lookaround_any(&[
            r"\A[a-z]+(?!-)\z",
            r"\A[0-9](?:[0-9]|-(?!-)){0,10}\z",
        ]);
        assert!(any.is_match("abc") && any.is_match("1-2") && any.is_match("12"));
        assert!(!any.is_match("1--2") && !any.is_match("a1") && !any.is_match(""));
        let bad = Pattern::compile_lookaround_any(&[r"\A[a-z]+\z", "(?="]);
        assert!(!bad.is_match("abc"));
        assert!(!Pattern::compile_lookaround_any(&[]).is_match(""));
    }

    #[test]
    fn pattern_with_a_character_count() {
        // `^.{2,3}$` as the generator writes a count too large for the regex: `^.*$` + count.
        let p = Pattern::compile("^[^\\n]*$").with_length(2, Some(3));
        assert!(p.is_match("ab") && p.is_match("ééé"));
        assert!(!p.is_match("a") && !p.is_match("abcd") && !p.is_match("a\nb"));
        let p = Pattern::compile("^a*$").with_length(2, None);
        assert!(p.is_match(&"a".repeat(10_000)) && !p.is_match("a"));
        assert!(!Pattern::compile("(").with_length(0, None).is_match(""));
    }
}
