//! The one naming function: every identifier in generated code comes from [`Namer::name`].
//!
//! Spec text is reduced to ASCII letters, digits and word breaks, cased with heck, escaped when
//! it is a keyword (`r#type`; `self`, `super`, `crate` and `Self` cannot be raw and get a `_`),
//! prefixed when it starts with a digit, replaced by a fallback when nothing is left, capped in
//! length, and made unique within its scope with deterministic suffixes.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use std::collections::HashSet;

/// The casing of an identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Types and variants: `UpperCamel`.
    Type,
    /// Fields, functions, methods: `snake_case`.
    Value,
    /// Constants: `SHOUTY_SNAKE`.
    Const,
}

const MAX_LEN: usize = 64;

/// Strict and reserved keywords of edition 2024.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "typeof", "unsized", "virtual", "yield", "try",
];

/// Names of the standard prelude that generated code uses unqualified (and `specguard`, reached
/// through the extern prelude): no generated item may take one.
pub const PRELUDE: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "Box",
    "Debug",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Hash",
    "Default",
    "From",
    "Into",
    "Iterator",
    "IntoIterator",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsRef",
    "AsMut",
    "ToOwned",
    "Extend",
    "specguard",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// The cased, sanitised form of `raw` (not yet unique).
pub fn base(raw: &str, case: Case, fallback: &str) -> String {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut s = match case {
        Case::Type => cleaned.to_upper_camel_case(),
        Case::Value => cleaned.to_snake_case(),
        Case::Const => cleaned.to_shouty_snake_case(),
    };
    s.retain(|c| c.is_ascii_alphanumeric() || c == '_');
    if s.is_empty() {
        s = fallback.to_string();
    }
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert_str(
            0,
            match case {
                Case::Type => "N",
                Case::Value => "n",
                Case::Const => "N_",
            },
        );
    }
    if s.len() > MAX_LEN {
        s.truncate(MAX_LEN);
        while s.ends_with('_') {
            s.pop();
        }
    }
    s
}

/// Names unique within one scope (a module, a struct's fields, an enum's variants).
#[derive(Debug, Default, Clone)]
pub struct Namer {
    taken: HashSet<String>,
}

impl Namer {
    pub fn new() -> Namer {
        Namer::default()
    }

    /// A scope in which `names` are already taken (module scope: [`PRELUDE`]).
    pub fn reserving(names: &[&str]) -> Namer {
        Namer {
            taken: names.iter().map(|n| n.to_string()).collect(),
        }
    }

    /// A unique identifier for `raw`, as source text (`r#type` for keywords).
    pub fn name(&mut self, raw: &str, case: Case, fallback: &str) -> String {
        let b = base(raw, case, fallback);
        let mut candidate = b.clone();
        let mut i = 2;
        while self.taken.contains(&candidate) {
            candidate = match case {
                Case::Type => format!("{b}{i}"),
                Case::Value | Case::Const => format!("{b}_{i}"),
            };
            i += 1;
        }
        self.taken.insert(candidate.clone());
        escape_keyword(candidate)
    }
}

fn escape_keyword(s: String) -> String {
    if NOT_RAW.contains(&s.as_str()) {
        format!("{s}_")
    } else if KEYWORDS.contains(&s.as_str()) {
        format!("r#{s}")
    } else {
        s
    }
}

/// The token for an identifier made by [`Namer::name`].
pub fn ident(s: &str) -> proc_macro2::Ident {
    match s.strip_prefix("r#") {
        Some(raw) => proc_macro2::Ident::new_raw(raw, proc_macro2::Span::call_site()),
        None => proc_macro2::Ident::new(s, proc_macro2::Span::call_site()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let mut n = Namer::new();
        assert_eq!(n.name("type", Case::Value, "field"), "r#type");
        assert_eq!(n.name("self", Case::Value, "field"), "self_");
        assert_eq!(n.name("Self", Case::Type, "T"), "Self_");
        assert_eq!(n.name("super", Case::Value, "field"), "super_");
        assert_eq!(n.name("crate", Case::Value, "field"), "crate_");
        assert_eq!(n.name("2fa", Case::Value, "field"), "n2fa");
        assert_eq!(n.name("200", Case::Type, "V"), "N200");
        assert_eq!(n.name("名前", Case::Value, "field"), "field");
        assert_eq!(n.name("", Case::Value, "field"), "field_2");
        assert_eq!(n.name("fooBar", Case::Value, "field"), "foo_bar");
        assert_eq!(n.name("foo_bar", Case::Value, "field"), "foo_bar_2");
        assert_eq!(n.name("*/ fn evil() {}", Case::Value, "f"), "fn_evil");
        assert_eq!(n.name("x-rate-limit", Case::Const, "C"), "X_RATE_LIMIT");
        let mut t = Namer::new();
        assert_eq!(t.name("pet", Case::Type, "T"), "Pet");
        assert_eq!(t.name("Pet", Case::Type, "T"), "Pet2");
        assert_eq!(ident("r#type").to_string(), "r#type");
        assert!(base(&"a".repeat(500), Case::Value, "f").len() <= 64);
        let mut m = Namer::reserving(PRELUDE);
        assert_eq!(m.name("option", Case::Type, "T"), "Option2");
        assert_eq!(m.name("Result", Case::Type, "T"), "Result2");
        assert_eq!(m.name("string", Case::Type, "T"), "String2");
    }
}
