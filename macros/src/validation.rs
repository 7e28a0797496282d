//! `derive(ApiRequest)`'s `Validate`: the bounds the generated request type enforces (the
//! generator's `Checks` of each property), applied to the user's field types by calling the
//! runtime's check functions; and compile errors where the field's Rust type cannot hold a
//! value the contract allows (a valid request would be refused before validation).

use crate::convert::Bound;
use crate::rust_type::{INTEGERS, MAPS, SEQUENCES, STRINGS, type_args};
use crate::spec::push;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use specguard_generator::ir::{Api, Checks, Format, Ty, TypeDef, TypeKind};
use syn::spanned::Spanned;

/// What the checks can see of a Rust type.
enum Kind<'a> {
    /// `str`-like: checked through `AsRef<str>`.
    Text,
    /// Serialised as a string through `Display` (`Uuid`, `IpAddr`, `char`, ...).
    Display,
    /// No string view (`PathBuf`).
    Opaque,
    Integer(&'static str),
    NonZero(&'static str),
    Float,
    Bool,
    /// `Option<T>`.
    Option(&'a syn::Type),
    /// `Box`/`Rc`/`Arc`.
    Deref(&'a syn::Type),
    /// A sequence: item type, `true` for sets (always unique), a fixed length.
    Seq(Option<&'a syn::Type>, bool, Option<u64>),
    Map(Option<&'a syn::Type>),
    /// `serde_json::Value`.
    Json,
    /// The user's own type (or a generic parameter).
    Other,
}

const TEXT: &[&str] = &["String", "str", "Cow"];
const INT_RANGES: &[(&str, i128, i128)] = &[
    ("i8", i8::MIN as i128, i8::MAX as i128),
    ("i16", i16::MIN as i128, i16::MAX as i128),
    ("i32", i32::MIN as i128, i32::MAX as i128),
    ("i64", i64::MIN as i128, i64::MAX as i128),
    ("isize", i64::MIN as i128, i64::MAX as i128),
    ("i128", i128::MIN, i128::MAX),
    ("u8", 0, u8::MAX as i128),
    ("u16", 0, u16::MAX as i128),
    ("u32", 0, u32::MAX as i128),
    ("u64", 0, u64::MAX as i128),
    ("usize", 0, u64::MAX as i128),
    ("u128", 0, i128::MAX),
];

fn int_name(n: &str) -> Option<&'static str> {
    INT_RANGES.iter().map(|r| r.0).find(|r| *r == n)
}

fn kind<'a>(ty: &'a syn::Type, generics: &[String]) -> Kind<'a> {
    match ty {
        syn::Type::Paren(p) => kind(&p.elem, generics),
        syn::Type::Group(g) => kind(&g.elem, generics),
        syn::Type::Reference(r) => kind(&r.elem, generics),
        syn::Type::Slice(s) => Kind::Seq(Some(&s.elem), false, None),
        syn::Type::Array(a) => {
            let len = match &a.len {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Int(i),
                    ..
                }) => i.base10_parse().ok(),
                _ => None,
            };
            Kind::Seq(Some(&a.elem), false, len)
        }
        syn::Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Kind::Other;
            };
            let name = last.ident.to_string();
            if p.path.segments.len() == 1 && generics.contains(&name) {
                return Kind::Other;
            }
            let args = type_args(&last.arguments);
            let n = name.as_str();
            if n == "Option" {
                return args.first().map_or(Kind::Other, |t| Kind::Option(t));
            }
            if matches!(n, "Box" | "Rc" | "Arc") {
                return match args.first() {
                    Some(syn::Type::Path(tp)) if tp.path.is_ident("str") => Kind::Text,
                    Some(t) => Kind::Deref(t),
                    None => Kind::Other,
                };
            }
            if TEXT.contains(&n) {
                return Kind::Text;
            }
            if matches!(n, "PathBuf" | "Path") {
                return Kind::Opaque;
            }
            if STRINGS.contains(&n) {
                return Kind::Display;
            }
            if let Some(i) = int_name(n) {
                return Kind::Integer(i);
            }
            if INTEGERS.contains(&n) {
                // NonZeroU8 ... or NonZero<u8>
                let inner = if n == "NonZero" {
                    match args.first() {
                        Some(syn::Type::Path(tp)) => tp
                            .path
                            .get_ident()
                            .map(|i| i.to_string())
                            .unwrap_or_default(),
                        _ => String::new(),
                    }
                } else {
                    n.trim_start_matches("NonZero").to_ascii_lowercase()
                };
                return int_name(&inner).map_or(Kind::Other, Kind::NonZero);
            }
            match n {
                "f32" | "f64" => return Kind::Float,
                "bool" => return Kind::Bool,
                "Value" => return Kind::Json,
                _ => {}
            }
            if SEQUENCES.contains(&n) {
                let set = matches!(n, "HashSet" | "BTreeSet" | "IndexSet");
                return Kind::Seq(args.first().copied(), set, None);
            }
            if MAPS.contains(&n) {
                return Kind::Map(if n == "Map" {
                    None
                } else {
                    args.get(1).copied()
                });
            }
            Kind::Other
        }
        _ => Kind::Other,
    }
}

/// A string as JSON text (for `one_of_json`).
fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}
fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}
fn opt_bound(v: Option<(f64, bool)>) -> TokenStream {
    match v {
        Some((b, e)) => quote!(::core::option::Option::Some((#b, #e))),
        None => quote!(::core::option::Option::None),
    }
}

/// Strip the `Option`/`Box` layers of an IR type (checks apply below them).
fn ir_inner(ty: &Ty) -> &Ty {
    match ty {
        Ty::Option(t) | Ty::Boxed(t) => ir_inner(t),
        t => t,
    }
}

/// One field's context while emitting.
pub struct Cx<'a> {
    pub api: &'a Api,
    pub generics: &'a [String],
    /// "property `x` of schema `Y` (file:line:col)".
    pub at: String,
    pub named: &'a str,
    pub format: Option<&'a str>,
    pub span: Span,
}

impl Cx<'_> {
    fn fail(&self, errors: &mut Option<syn::Error>, msg: String) {
        push(errors, syn::Error::new(self.span, msg));
    }

    /// Checks of a value `v` (an expression of type `&ty`).
    fn value(
        &self,
        ty: &syn::Type,
        ir: &Ty,
        checks: &Checks,
        errors: &mut Option<syn::Error>,
    ) -> TokenStream {
        let ir = ir_inner(ir);
        let v = quote!(v);
        match kind(ty, self.generics) {
            Kind::Option(t) => {
                let inner = self.value(t, ir, checks, errors);
                if inner.is_empty() {
                    return inner;
                }
                quote!(if let ::core::option::Option::Some(v) = #v { #inner })
            }
            Kind::Deref(t) => {
                let inner = self.value(t, ir, checks, errors);
                if inner.is_empty() {
                    return inner;
                }
                quote!({ let v = &**v; #inner })
            }
            Kind::Text => self.string(quote!(::core::convert::AsRef::<str>::as_ref(v)), ir, checks),
            Kind::Display => {
                let s = self.string(quote!(__s.as_str()), ir, checks);
                if s.is_empty() {
                    return s;
                }
                quote!({ let __s = ::std::string::ToString::to_string(v); #s })
            }
            Kind::Opaque => TokenStream::new(),
            Kind::Integer(name) => {
                self.int_range(ty, name, false, ir, checks, errors);
                self.integer(ir, checks)
            }
            Kind::NonZero(name) => {
                self.int_range(ty, name, true, ir, checks, errors);
                self.integer(ir, checks)
            }
            Kind::Float => {
                let mut out = TokenStream::new();
                if checks.num_min.is_some() || checks.num_max.is_some() {
                    let (min, max) = (opt_bound(checks.num_min), opt_bound(checks.num_max));
                    out.extend(quote!(::specguard::validate::number_range(::core::convert::From::from(*v), #min, #max, at, errors);));
                }
                if let Some(m) = checks.num_multiple {
                    out.extend(quote!(::specguard::validate::multiple_of(::core::convert::From::from(*v), #m, at, errors);));
                }
                out.extend(enum_check(quote!(v), checks));
                out
            }
            Kind::Bool | Kind::Json => enum_check(quote!(v), checks),
            Kind::Seq(item, set, len) => {
                let mut out = TokenStream::new();
                if let Some(n) = len
                    && !(checks.min_items == Some(n) && checks.max_items == Some(n))
                {
                    self.fail(
                        errors,
                        format!(
                            "{}: `[_; {n}]` holds exactly {n} items, but {} allows {}; use a `Vec`",
                            self.named,
                            self.at,
                            match (checks.min_items, checks.max_items) {
                                (None, None) => "any number".to_string(),
                                (a, b) => format!(
                                    "{} to {} items",
                                    a.unwrap_or(0),
                                    b.map_or("any number of".to_string(), |b| b.to_string())
                                ),
                            }
                        ),
                    );
                }
                if checks.min_items.is_some() || checks.max_items.is_some() {
                    let (min, max) = (opt_u64(checks.min_items), opt_u64(checks.max_items));
                    out.extend(
                        quote!(::specguard::validate::items(v.len(), #min, #max, at, errors);),
                    );
                }
                if checks.unique && !set {
                    out.extend(quote!({
                        let __all: ::std::vec::Vec<_> = v.iter().collect();
                        ::specguard::validate::unique(&__all, at, errors);
                    }));
                }
                let item_ir = match ir {
                    Ty::Vec(t) => t.as_ref(),
                    _ => &Ty::Json,
                };
                let item_checks = checks.items.as_deref().cloned().unwrap_or_default();
                if let Some(item) = item {
                    let inner = self.value(item, item_ir, &item_checks, errors);
                    if !inner.is_empty() {
                        out.extend(quote!(
                            for (__i, v) in v.iter().enumerate() {
                                at.push_index(__i);
                                #inner
                                at.pop();
                            }
                        ));
                    }
                }
                out
            }
            Kind::Map(value) => {
                let mut out = TokenStream::new();
                if checks.min_props.is_some() || checks.max_props.is_some() {
                    let (min, max) = (opt_u64(checks.min_props), opt_u64(checks.max_props));
                    out.extend(
                        quote!(::specguard::validate::properties(v.len(), #min, #max, at, errors);),
                    );
                }
                let value_ir = match ir {
                    Ty::Map(t) => t.as_ref(),
                    _ => &Ty::Json,
                };
                let value_checks = checks.values.as_deref().cloned().unwrap_or_default();
                if let Some(value) = value {
                    let inner = self.value(value, value_ir, &value_checks, errors);
                    if !inner.is_empty() {
                        out.extend(quote!(
                            for v in v.values() {
                                at.push_any();
                                #inner
                                at.pop();
                            }
                        ));
                    }
                }
                out
            }
            Kind::Other => match ir {
                Ty::Named(i)
                    if self
                        .api
                        .types
                        .get(*i)
                        .is_some_and(|t| matches!(t.kind, TypeKind::Struct { .. })) =>
                {
                    let span = ty.span();
                    quote_spanned!(span=> ::specguard::validate::Validate::validate(v, at, errors);)
                }
                _ => TokenStream::new(),
            },
        }
    }

    /// String checks on `s` (an expression of type `&str`).
    fn string(&self, s: TokenStream, ir: &Ty, checks: &Checks) -> TokenStream {
        let mut out = TokenStream::new();
        if checks.min_len.is_some() || checks.max_len.is_some() {
            let (min, max) = (opt_u64(checks.min_len), opt_u64(checks.max_len));
            out.extend(quote!(::specguard::validate::length(__str, #min, #max, at, errors);));
        }
        if let Some(p) = checks.pattern.and_then(|i| self.api.patterns.get(i)) {
            let compile = specguard_generator::emit::compile_pattern(p);
            out.extend(quote!({
                static __PATTERN: ::std::sync::LazyLock<::specguard::validate::Pattern> =
                    ::std::sync::LazyLock::new(|| #compile);
                ::specguard::validate::pattern(__str, &__PATTERN, at, errors);
            }));
        }
        if let Some(f) = checks.format {
            let f = match f {
                Format::Uuid => quote!(Uuid),
                Format::DateTime => quote!(DateTime),
                Format::Date => quote!(Date),
                Format::Byte => quote!(Byte),
                Format::Email => quote!(Email),
                Format::Ipv4 => quote!(Ipv4),
                Format::Ipv6 => quote!(Ipv6),
            };
            out.extend(
                quote!(::specguard::validate::format(__str, ::specguard::validate::Format::#f, at, errors);),
            );
        }
        // A string enum is a Rust enum in generated code; a string field checks the values.
        let enum_values: Option<Vec<String>> = match ir {
            Ty::Named(i) => match self.api.types.get(*i).map(|t: &TypeDef| &t.kind) {
                Some(TypeKind::StringEnum { variants }) => {
                    Some(variants.iter().map(|(_, w)| json_string(w)).collect())
                }
                _ => None,
            },
            _ => None,
        };
        let c;
        let checks = match enum_values {
            Some(values) => {
                c = Checks {
                    enum_json: Some(values),
                    ..Checks::default()
                };
                &c
            }
            None => checks,
        };
        out.extend(enum_check(quote!(&__str), checks));
        if out.is_empty() {
            return out;
        }
        quote!({ let __str: &str = #s; #out })
    }

    fn integer(&self, ir: &Ty, checks: &Checks) -> TokenStream {
        let _ = ir;
        let mut out = TokenStream::new();
        if checks.int_min.is_some() || checks.int_max.is_some() {
            let (min, max) = (opt_i64(checks.int_min), opt_i64(checks.int_max));
            out.extend(quote!(::specguard::validate::int_range(__n, #min, #max, at, errors);));
        }
        if let Some(m) = checks.int_multiple {
            out.extend(quote!(::specguard::validate::multiple_of_int(__n, #m, at, errors);));
        }
        if checks.num_min.is_some() || checks.num_max.is_some() {
            let (min, max) = (opt_bound(checks.num_min), opt_bound(checks.num_max));
            out.extend(
                quote!(::specguard::validate::number_range(__n as f64, #min, #max, at, errors);),
            );
        }
        if let Some(m) = checks.num_multiple {
            out.extend(quote!(::specguard::validate::multiple_of(__n as f64, #m, at, errors);));
        }
        out.extend(enum_check(quote!(&__n), checks));
        if out.is_empty() {
            return out;
        }
        quote!({ let __n: i64 = ::specguard::validate::Integer::saturating_i64(*v); #out })
    }

    /// Compile errors when the integer type cannot hold a value the contract allows.
    fn int_range(
        &self,
        ty: &syn::Type,
        name: &str,
        non_zero: bool,
        ir: &Ty,
        checks: &Checks,
        errors: &mut Option<syn::Error>,
    ) {
        let Some(&(_, tmin, tmax)) = INT_RANGES.iter().find(|r| r.0 == name) else {
            return;
        };
        let tmin = if non_zero && tmin == 0 { 1 } else { tmin };
        let shown = crate::rust_type::display(ty);
        let (fmin, fmax, fmt) = match ir {
            Ty::I32 => (i32::MIN as i128, i32::MAX as i128, "`format: int32`"),
            Ty::I64 => (
                i64::MIN as i128,
                i64::MAX as i128,
                if self.format == Some("int64") {
                    "`format: int64`"
                } else {
                    "no `format`: the generator reads it as int64"
                },
            ),
            Ty::F64 => {
                if !checks.num_multiple.is_some_and(|m| m.fract() == 0.0) {
                    self.fail(
                        errors,
                        format!(
                            "{}: `{shown}` cannot hold the fractional numbers {} allows (`type: number`); use `f64`, or make the schema `type: integer`",
                            self.named, self.at
                        ),
                    );
                }
                return;
            }
            _ => return,
        };
        if let Some(values) = &checks.enum_json {
            for v in values {
                if let Ok(n) = v.parse::<i128>()
                    && (n < tmin || n > tmax)
                {
                    self.fail(
                        errors,
                        format!(
                            "{}: `{shown}` cannot hold {n}, a value `enum` of {} lists; use a wider integer type",
                            self.named, self.at
                        ),
                    );
                }
            }
            return;
        }
        let lo = checks.int_min.map_or(fmin, i128::from);
        let hi = checks.int_max.map_or(fmax, i128::from);
        let low_why = match checks.int_min {
            Some(m) => format!("`minimum: {m}`"),
            None => format!("no `minimum`, {fmt}"),
        };
        let high_why = match checks.int_max {
            Some(m) => format!("`maximum: {m}`"),
            None => format!("no `maximum`, {fmt}"),
        };
        let (named, at) = (self.named, &self.at);
        let refused = "a valid request would be refused before validation";
        let msg = match (lo < tmin, hi > tmax) {
            (true, true) => {
                let why = match (checks.int_min, checks.int_max) {
                    (None, None) => format!("{fmt}, no `minimum` or `maximum`"),
                    _ => format!("{low_why}, {high_why}"),
                };
                Some(format!(
                    "{named}: `{shown}` cannot hold {lo} to {hi}, which {at} allows ({why}): {refused}; use a wider integer type, or bound the schema (`minimum: {tmin}`, `maximum: {tmax}`)"
                ))
            }
            (true, false) => {
                let fix = if tmin == 0 && !non_zero {
                    "use a signed integer type, or add `minimum: 0` to the schema".to_string()
                } else if non_zero {
                    format!("use `{name}`, or add `minimum: 1` to the schema")
                } else {
                    format!("use a wider integer type, or add `minimum: {tmin}` to the schema")
                };
                Some(format!(
                    "{named}: `{shown}` cannot hold {lo}, which {at} allows ({low_why}): {refused}; {fix}"
                ))
            }
            (false, true) => Some(format!(
                "{named}: `{shown}` cannot hold {hi}, which {at} allows ({high_why}): {refused}; use a wider integer type, or add `maximum: {tmax}` to the schema"
            )),
            (false, false) if non_zero && lo <= 0 && hi >= 0 => Some(format!(
                "{named}: `{shown}` cannot hold 0, which {at} allows: {refused}; use `{name}`, or exclude 0 in the schema"
            )),
            (false, false) => None,
        };
        if let Some(m) = msg {
            self.fail(errors, m);
        }
    }
}

fn enum_check(v: TokenStream, checks: &Checks) -> TokenStream {
    match &checks.enum_json {
        Some(values) => {
            quote!(::specguard::validate::one_of_json(#v, &[#(#values),*], at, errors);)
        }
        None => TokenStream::new(),
    }
}

/// The statements of `validate` for the bound fields of a struct checked against `target`.
pub fn statements(
    api: &Api,
    generics: &[String],
    schema: &str,
    target: &TypeDef,
    bound: &[Bound],
    errors: &mut Option<syn::Error>,
) -> TokenStream {
    let TypeKind::Struct { fields, .. } = &target.kind else {
        return TokenStream::new();
    };
    let mut out = TokenStream::new();
    for b in bound {
        let Some(f) = fields.iter().find(|f| f.wire == b.wire) else {
            continue;
        };
        let cx = Cx {
            api,
            generics,
            at: format!(
                "property `{}` of schema `{schema}` ({})",
                b.wire, b.location
            ),
            named: &b.named,
            format: b.format.as_deref(),
            span: b.ty.span(),
        };
        let body = cx.value(&b.ty, &f.ty, &f.checks, errors);
        if body.is_empty() {
            continue;
        }
        let id = &b.ident;
        let wire = &b.wire;
        out.extend(quote!({
            let v = &self.#id;
            at.push_key(#wire);
            #body
            at.pop();
        }));
    }
    out
}
