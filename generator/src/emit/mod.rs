//! emit: IR → tokens. Infallible: nothing is decided here, only printed.
//!
//! Paths are short, so that large contracts make less code to parse, format and compile: the
//! prelude's names (`Option`, `Some`, `Result`, `String`, `Vec`, `Box`, the derivable traits)
//! unqualified — the module's own type names never take one of them
//! ([`crate::naming::PRELUDE`]) — and `specguard::…` through the extern prelude. The module
//! must therefore be compiled in a module of its own (as `api!`, `src/api.rs` and the
//! `include!` in a `mod` do). Other paths are absolute (`::std::`, `::core::`). Spec text only
//! appears as string literals (escaped by `proc_macro2`) and through [`crate::docs`].
//! [`compile_pattern`] keeps absolute paths: derive macros expand it in the user's scope.
//!
//! Every generated enum allows `clippy::enum_variant_names`: its variant names are the
//! contract's (schema names, enum values, statuses, scheme names), so a prefix or suffix they
//! share (`RepositoryRuleCreation`, `RepositoryRuleUpdate`, … in GitHub's API) is the
//! contract's too.

use crate::docs;
use crate::ir::{
    Api, ApiKeyIn, Auth, BodyKind, Checks, Format, Operation, ParamIn, Presence, Principals, Read,
    Response, SchemeKind, Ty, TypeDef, TypeKind,
};
use crate::naming::ident;
use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

fn lit_u64(v: u64) -> Literal {
    Literal::u64_suffixed(v)
}

fn lit_f64(v: f64) -> Literal {
    Literal::f64_suffixed(if v.is_finite() { v } else { 0.0 })
}

fn opt_u64(v: Option<u64>) -> TokenStream {
    match v {
        Some(v) => {
            let l = lit_u64(v);
            quote!(Some(#l))
        }
        None => quote!(None),
    }
}

fn opt_i64(v: Option<i64>) -> TokenStream {
    match v {
        Some(v) => {
            let l = Literal::i64_suffixed(v);
            quote!(Some(#l))
        }
        None => quote!(None),
    }
}

fn opt_bound(v: Option<(f64, bool)>) -> TokenStream {
    match v {
        Some((b, ex)) => {
            let l = lit_f64(b);
            quote!(Some((#l, #ex)))
        }
        None => quote!(None),
    }
}

/// A type expression; named types are prefixed with `prefix` (empty inside the module).
pub fn ty(api: &Api, t: &Ty, prefix: &TokenStream) -> TokenStream {
    match t {
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::I32 => quote!(i32),
        Ty::I64 => quote!(i64),
        Ty::F64 => quote!(f64),
        Ty::Json => quote!(specguard::serde_json::Value),
        Ty::Bytes => quote!(specguard::axum::body::Bytes),
        Ty::Binary => quote!(specguard::Binary),
        Ty::Named(i) => match api.types.get(*i) {
            Some(td) => {
                let id = ident(&td.name);
                quote!(#prefix #id)
            }
            None => quote!(specguard::serde_json::Value),
        },
        Ty::Vec(inner) => {
            let inner = ty(api, inner, prefix);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty(api, inner, prefix);
            quote!(::std::collections::BTreeMap<String, #inner>)
        }
        Ty::Allowlisted => {
            quote!(specguard::allowlist::AllowlistedMap<specguard::serde_json::Value>)
        }
        Ty::Option(inner) => {
            let inner = ty(api, inner, prefix);
            quote!(Option<#inner>)
        }
        Ty::Boxed(inner) => {
            let inner = ty(api, inner, prefix);
            quote!(Box<#inner>)
        }
    }
}

fn is_enum(api: &Api, i: usize) -> bool {
    matches!(
        api.types.get(i).map(|t| &t.kind),
        Some(TypeKind::StringEnum { .. })
    )
}

fn format_tokens(f: Format) -> TokenStream {
    match f {
        Format::Uuid => quote!(specguard::validate::Format::Uuid),
        Format::DateTime => quote!(specguard::validate::Format::DateTime),
        Format::Date => quote!(specguard::validate::Format::Date),
        Format::Byte => quote!(specguard::validate::Format::Byte),
        Format::Email => quote!(specguard::validate::Format::Email),
        Format::Ipv4 => quote!(specguard::validate::Format::Ipv4),
        Format::Ipv6 => quote!(specguard::validate::Format::Ipv6),
    }
}

/// Statements checking the value `v` (an expression of type `&T`) against `c`; `at: &mut
/// Pointer` and `errors: &mut Errors` are in scope. Empty when there is nothing to check.
fn checks(api: &Api, v: &TokenStream, t: &Ty, c: &Checks) -> TokenStream {
    let enum_check = c
        .enum_json
        .as_ref()
        .map(|vals| quote!(specguard::validate::one_of_json(#v, &[#(#vals),*], at, errors);));
    let body = match t {
        Ty::Option(_) => {
            // `Option<Option<T>>` in one pattern: `Some(Some(v))`.
            let mut depth = 0;
            let mut cur = t;
            while let Ty::Option(inner) = cur {
                depth += 1;
                cur = inner;
            }
            let inner = checks(api, &quote!(v), cur, c);
            if inner.is_empty() {
                return TokenStream::new();
            }
            let mut pat = quote!(v);
            for _ in 0..depth {
                pat = quote!(Some(#pat));
            }
            return quote! {
                if let #pat = #v {
                    #inner
                }
            };
        }
        Ty::Boxed(inner) => return checks(api, &quote!(&**#v), inner, c),
        Ty::Named(i) => {
            if is_enum(api, *i) || !api.checked.get(*i).copied().unwrap_or(true) {
                TokenStream::new()
            } else {
                quote!(specguard::validate::Validate::validate(#v, at, errors);)
            }
        }
        Ty::String => {
            let mut out = TokenStream::new();
            if c.min_len.is_some() || c.max_len.is_some() {
                let (min, max) = (opt_u64(c.min_len), opt_u64(c.max_len));
                out.extend(quote!(specguard::validate::length(#v, #min, #max, at, errors);));
            }
            if let Some(p) = c.pattern {
                let name = format_ident!("__PATTERN_{}", p);
                out.extend(quote!(specguard::validate::pattern(#v, &#name, at, errors);));
            }
            if let Some(f) = c.format {
                let f = format_tokens(f);
                out.extend(quote!(specguard::validate::format(#v, #f, at, errors);));
            }
            out
        }
        Ty::I32 | Ty::I64 => {
            let n = if *t == Ty::I32 {
                quote!(i64::from(*#v))
            } else {
                quote!(*#v)
            };
            let mut out = TokenStream::new();
            if c.int_min.is_some() || c.int_max.is_some() {
                let (min, max) = (opt_i64(c.int_min), opt_i64(c.int_max));
                out.extend(quote!(specguard::validate::int_range(#n, #min, #max, at, errors);));
            }
            if let Some(m) = c.int_multiple {
                let m = Literal::i64_suffixed(m);
                out.extend(quote!(specguard::validate::multiple_of_int(#n, #m, at, errors);));
            }
            if let Some(m) = c.num_multiple {
                let m = lit_f64(m);
                out.extend(quote!(specguard::validate::multiple_of(#n as f64, #m, at, errors);));
            }
            out
        }
        Ty::F64 => {
            let n = quote!(*#v);
            let (min, max) = (opt_bound(c.num_min), opt_bound(c.num_max));
            let mut out = quote!(specguard::validate::number_range(#n, #min, #max, at, errors););
            if let Some(m) = c.num_multiple {
                let m = lit_f64(m);
                out.extend(quote!(specguard::validate::multiple_of(#n, #m, at, errors);));
            }
            out
        }
        Ty::Vec(inner) => {
            let mut out = TokenStream::new();
            if c.min_items.is_some() || c.max_items.is_some() {
                let (min, max) = (opt_u64(c.min_items), opt_u64(c.max_items));
                out.extend(quote!(specguard::validate::items(#v.len(), #min, #max, at, errors);));
            }
            if c.unique {
                out.extend(quote!(specguard::validate::unique(#v, at, errors);));
            }
            let item_checks = c.items.as_deref().cloned().unwrap_or_default();
            let each = checks(api, &quote!(v), inner, &item_checks);
            if !each.is_empty() {
                out.extend(quote! {
                    for (i, v) in #v.iter().enumerate() {
                        at.push_index(i);
                        #each
                        at.pop();
                    }
                });
            }
            out
        }
        Ty::Map(inner) => {
            let mut out = TokenStream::new();
            if c.min_props.is_some() || c.max_props.is_some() {
                let (min, max) = (opt_u64(c.min_props), opt_u64(c.max_props));
                out.extend(
                    quote!(specguard::validate::properties(#v.len(), #min, #max, at, errors);),
                );
            }
            let value_checks = c.values.as_deref().cloned().unwrap_or_default();
            let each = checks(api, &quote!(v), inner, &value_checks);
            if !each.is_empty() {
                out.extend(quote! {
                    for v in #v.values() {
                        at.push_any();
                        #each
                        at.pop();
                    }
                });
            }
            out
        }
        Ty::Allowlisted => {
            if c.min_props.is_some() || c.max_props.is_some() {
                let (min, max) = (opt_u64(c.min_props), opt_u64(c.max_props));
                quote!(specguard::validate::properties(#v.len(), #min, #max, at, errors);)
            } else {
                TokenStream::new()
            }
        }
        Ty::Bool | Ty::Json | Ty::Bytes => TokenStream::new(),
        // Octets: lengths count bytes; `pattern` and text formats do not apply.
        Ty::Binary => {
            if c.min_len.is_some() || c.max_len.is_some() {
                let (min, max) = (opt_u64(c.min_len), opt_u64(c.max_len));
                quote!(specguard::validate::byte_length(#v.len(), #min, #max, at, errors);)
            } else {
                TokenStream::new()
            }
        }
    };
    let mut out = body;
    if let Some(e) = enum_check {
        out.extend(e);
    }
    out
}

fn validate_impl(name: &proc_macro2::Ident, body: TokenStream) -> TokenStream {
    let body = if body.is_empty() {
        quote!(let _ = (at, errors);)
    } else {
        body
    };
    quote! {
        impl specguard::validate::Validate for #name {
            fn validate(
                &self,
                at: &mut specguard::validate::Pointer,
                errors: &mut specguard::validate::Errors,
            ) {
                #body
            }
        }
    }
}

pub fn type_item(api: &Api, index: usize, td: &TypeDef) -> TokenStream {
    let name = ident(&td.name);
    let doc = docs::attrs(&td.doc);
    let none = TokenStream::new();
    // Every type serializes (responses, and `uniqueItems`/`enum` checks compare values as
    // JSON); only types read from requests deserialize and validate. On large contracts most
    // types are response-only, and serde's `Deserialize` expansion is most of their code.
    let de = td.request;
    let de_derive = de.then(|| quote!(, specguard::serde::Deserialize));
    // Response-only types validate in debug builds only (the router's check of outgoing
    // bodies, `RouterOptions::check_responses`); release builds do not contain it.
    let checked = api.checked.get(index).copied().unwrap_or(true);
    let validate_if = |v: TokenStream| {
        if de {
            v
        } else if td.response && checked {
            quote!(#[cfg(debug_assertions)] #v)
        } else {
            TokenStream::new()
        }
    };
    match &td.kind {
        TypeKind::Struct {
            fields,
            deny_unknown,
            additional,
        } => {
            let deny = (*deny_unknown && de).then(|| quote!(#[serde(deny_unknown_fields)]));
            let mut items = Vec::new();
            let mut validations = Vec::new();
            for f in fields {
                let fname = ident(&f.name);
                let fty = ty(api, &f.ty, &none);
                let fdoc = docs::attrs(&f.doc);
                let wire = &f.wire;
                // Only what the type's derives use: `rename` when the wire name is not the
                // field's, the deserializers for request types, the skip for optional values.
                let mut args: Vec<TokenStream> = Vec::new();
                if f.name.strip_prefix("r#").unwrap_or(&f.name) != wire.as_str() {
                    args.push(quote!(rename = #wire));
                }
                let helper = match f.presence {
                    Presence::Required => None,
                    Presence::RequiredNullable => {
                        Some("::specguard::serde_helpers::required_nullable")
                    }
                    Presence::Optional => Some("::specguard::serde_helpers::optional_non_null"),
                    Presence::OptionalNullable => Some("::specguard::serde_helpers::double_option"),
                };
                let optional =
                    matches!(f.presence, Presence::Optional | Presence::OptionalNullable);
                if optional && de {
                    args.push(quote!(default));
                }
                if let Some(h) = helper.filter(|_| de) {
                    args.push(quote!(deserialize_with = #h));
                }
                if optional {
                    args.push(quote!(skip_serializing_if = "Option::is_none"));
                }
                let attrs = (!args.is_empty()).then(|| quote!(#[serde(#(#args),*)]));
                items.push(quote! {
                    #fdoc
                    #attrs
                    pub #fname: #fty,
                });
                let c = checks(api, &quote!(v), &f.ty, &f.checks);
                if !c.is_empty() {
                    validations.push(quote! {
                        {
                            let v = &self.#fname;
                            at.push_key(#wire);
                            #c
                            at.pop();
                        }
                    });
                }
            }
            if let Some(add) = additional {
                let (fname, aty, achecks) = &**add;
                let fname = ident(fname);
                let tokens = ty(api, aty, &none);
                items.push(quote! {
                    /// Properties beyond the listed ones, as the contract's `additionalProperties` allows.
                    #[serde(flatten)]
                    pub #fname: #tokens,
                });
                let c = checks(api, &quote!(v), aty, achecks);
                if !c.is_empty() {
                    validations.push(quote! {
                        {
                            let v = &self.#fname;
                            #c
                        }
                    });
                }
            }
            let validate = validate_if(validate_impl(&name, quote!(#(#validations)*)));
            // serde's derived `Deserialize` of a struct also accepts a JSON array of the fields
            // in order; a request type takes only an object. The derives become inherent
            // functions (`remote = "Self"`) and `object_only!` wraps them in the trait impls.
            let (remote, object_only) = if de {
                (
                    quote!(, remote = "Self"),
                    quote!(specguard::object_only!(#name);),
                )
            } else {
                (TokenStream::new(), TokenStream::new())
            };
            quote! {
                #doc
                #[derive(
                    Debug,
                    Clone,
                    PartialEq,
                    specguard::serde::Serialize
                    #de_derive
                )]
                #[serde(crate = "::specguard::serde" #remote)]
                #deny
                pub struct #name {
                    #(#items)*
                }
                #object_only
                #validate
            }
        }
        TypeKind::StringEnum { variants } => {
            let names: Vec<_> = variants.iter().map(|(n, _)| ident(n)).collect();
            let wires: Vec<&String> = variants.iter().map(|(_, w)| w).collect();
            // Enums are never checked beyond their type (`checks` skips them).
            let validate = if de {
                validate_impl(&name, TokenStream::new())
            } else {
                TokenStream::new()
            };
            // Not derived: serde's derived unit-variant enum also accepts `{"value": null}`.
            let de_impl = de.then(|| {
                quote! {
                    impl<'de> specguard::serde::Deserialize<'de> for #name {
                        fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
                        where
                            D: specguard::serde::Deserializer<'de>,
                        {
                            specguard::serde_helpers::string_enum(deserializer)
                        }
                    }
                }
            });
            quote! {
                #doc
                #[derive(
                    Debug,
                    Clone,
                    Copy,
                    PartialEq,
                    Eq,
                    Hash,
                    specguard::serde::Serialize
                )]
                #[serde(crate = "::specguard::serde")]
                #[allow(clippy::enum_variant_names)]
                pub enum #name {
                    #( #[serde(rename = #wires)] #names, )*
                }
                impl #name {
                    /// The value as the contract spells it.
                    pub const fn as_str(&self) -> &'static str {
                        match self {
                            #( Self::#names => #wires, )*
                        }
                    }
                }
                impl specguard::param::FromParam for #name {
                    fn from_param(s: &str) -> Option<Self> {
                        match s {
                            #( #wires => Some(Self::#names), )*
                            _ => None,
                        }
                    }
                    const EXPECTED: &'static str = "one of the values the contract lists";
                }
                #de_impl
                #validate
            }
        }
        TypeKind::OneOf {
            variants,
            discriminator,
        } => {
            let vnames: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
            let vtys: Vec<_> = variants.iter().map(|v| ty(api, &v.ty, &none)).collect();
            let mut any_check = false;
            let arms: Vec<TokenStream> = variants
                .iter()
                .zip(&vnames)
                .map(|(v, n)| {
                    let c = checks(api, &quote!(v), &v.ty, &v.checks);
                    if c.is_empty() {
                        quote!(Self::#n(_) => {})
                    } else {
                        any_check = true;
                        quote!(Self::#n(v) => { #c })
                    }
                })
                .collect();
            // Only a `match` that checks something uses `at` and `errors`.
            let validate_body = if !any_check {
                TokenStream::new()
            } else {
                quote!(match self { #(#arms)* })
            };
            let validate = validate_if(validate_impl(&name, validate_body));
            match discriminator {
                None => quote! {
                    #doc
                    #[derive(
                        Debug,
                        Clone,
                        PartialEq,
                        specguard::serde::Serialize
                        #de_derive
                    )]
                    #[serde(crate = "::specguard::serde", untagged)]
                    #[allow(clippy::enum_variant_names)]
                    pub enum #name {
                        #( #vnames(#vtys), )*
                    }
                    #validate
                },
                Some(prop) => {
                    let any_strip = variants.iter().any(|v| v.strip_tag);
                    let value_binding = if any_strip {
                        quote!(let mut value)
                    } else {
                        quote!(let value)
                    };
                    let de_arms = variants
                        .iter()
                        .zip(&vnames)
                        .filter(|(v, _)| !v.tags.is_empty())
                        .map(|(v, n)| {
                            let tags = &v.tags;
                            let strip = v.strip_tag.then(|| {
                                quote! {
                                    if let Some(o) = value.as_object_mut() {
                                        o.remove(#prop);
                                    }
                                }
                            });
                            quote! {
                                #( #tags )|* => {
                                    #strip
                                    specguard::serde_json::from_value(value)
                                        .map(Self::#n)
                                        .map_err(D::Error::custom)
                                }
                            }
                        });
                    let ser_arms = variants.iter().zip(&vnames).map(|(v, n)| {
                        let tag = v.tags.first().cloned().unwrap_or_default();
                        quote!(Self::#n(v) => (#tag, specguard::serde_json::to_value(v)),)
                    });
                    let de_impl = de.then(|| {
                        quote! {
                        impl<'de> specguard::serde::Deserialize<'de> for #name {
                            fn deserialize<D>(deserializer: D) -> Result<Self, D::Error>
                            where
                                D: specguard::serde::Deserializer<'de>,
                            {
                                use specguard::serde::de::Error as _;
                                #value_binding = <specguard::serde_json::Value as specguard::serde::Deserialize>::deserialize(deserializer)?;
                                let tag = match value.get(#prop).and_then(specguard::serde_json::Value::as_str) {
                                    Some(t) => String::from(t),
                                    None => {
                                        return Err(D::Error::custom(
                                            "the discriminator property is missing or not a string",
                                        ));
                                    }
                                };
                                match tag.as_str() {
                                    #(#de_arms)*
                                    _ => Err(D::Error::custom("unknown discriminator value")),
                                }
                            }
                        }
                        }
                    });
                    quote! {
                        #doc
                        #[derive(Debug, Clone, PartialEq)]
                        #[allow(clippy::enum_variant_names)]
                        pub enum #name {
                            #( #vnames(#vtys), )*
                        }
                        #de_impl
                        impl specguard::serde::Serialize for #name {
                            fn serialize<S>(&self, serializer: S) -> Result<S::Ok, S::Error>
                            where
                                S: specguard::serde::Serializer,
                            {
                                use specguard::serde::ser::Error as _;
                                let (tag, value) = match self {
                                    #(#ser_arms)*
                                };
                                let mut value = value.map_err(S::Error::custom)?;
                                if let Some(o) = value.as_object_mut() {
                                    o.entry(#prop).or_insert_with(|| {
                                        specguard::serde_json::Value::String(String::from(tag))
                                    });
                                }
                                specguard::serde::Serialize::serialize(&value, serializer)
                            }
                        }
                        #validate
                    }
                }
            }
        }
    }
}

/// The expression that compiles a translated pattern at run time.
pub fn compile_pattern(p: &crate::ir::Pattern) -> TokenStream {
    match p.lookaround.as_slice() {
        [] => {}
        [source] => return quote!(::specguard::validate::Pattern::compile_lookaround(#source)),
        sources => {
            return quote!(::specguard::validate::Pattern::compile_lookaround_any(&[#(#sources),*]));
        }
    }
    let main = &p.main;
    let compiled = if p.require.is_empty() && p.forbid.is_empty() {
        quote!(::specguard::validate::Pattern::compile(#main))
    } else {
        let (require, forbid) = (&p.require, &p.forbid);
        quote!(::specguard::validate::Pattern::compile_parts(#main, &[#(#require),*], &[#(#forbid),*]))
    };
    match p.length {
        None => compiled,
        Some((min, max)) => {
            let min = usize_lit(min);
            let max = match max {
                Some(m) => {
                    let m = usize_lit(m);
                    quote!(::core::option::Option::Some(#m))
                }
                None => quote!(::core::option::Option::None),
            };
            quote!(#compiled.with_length(#min, #max))
        }
    }
}

/// A `usize` literal (bounds come from `u32` repetition counts).
fn usize_lit(n: u64) -> proc_macro2::Literal {
    proc_macro2::Literal::u64_unsuffixed(n)
}

fn location(l: ParamIn) -> TokenStream {
    match l {
        ParamIn::Path => quote!(specguard::Location::Path),
        ParamIn::Query => quote!(specguard::Location::Query),
        ParamIn::Header => quote!(specguard::Location::Header),
        ParamIn::Cookie => quote!(specguard::Location::Cookie),
    }
}

fn scheme_static(i: usize) -> proc_macro2::Ident {
    format_ident!("__SCHEME_{}", i)
}

/// A private item of an operation: statics `__OP_<KEY>`, `__BODY_<KEY>`, `__SECURITY_<KEY>`.
fn op_ident(prefix: &str, op: &Operation) -> proc_macro2::Ident {
    if prefix.chars().any(|c| c.is_ascii_lowercase()) {
        format_ident!("{}{}", prefix, op.key)
    } else {
        format_ident!("{}{}", prefix, op.key.to_ascii_uppercase())
    }
}

/// The requirement lists of an operation; `anonymous` appends the empty alternative (anonymous
/// access allowed when no other alternative passes), after the others so that their indices
/// are their positions in `alts`.
fn requirement_lists(alts: &[Vec<(usize, Vec<String>)>], anonymous: bool) -> TokenStream {
    let mut alts: Vec<TokenStream> = alts
        .iter()
        .map(|alt| {
            let reqs = alt.iter().map(|(s, scopes)| {
                let s = scheme_static(*s);
                quote!(specguard::auth::Requirement { scheme: &#s, scopes: &[#(#scopes),*] })
            });
            quote!(&[#(#reqs),*])
        })
        .collect();
    if anonymous {
        alts.push(quote!(&[]));
    }
    quote!(&[#(#alts),*])
}

/// The type of an operation's `principal` argument (`P` is the principal type's path).
fn principal_ty(op: &Operation, prefix: &TokenStream, p: &TokenStream) -> Option<TokenStream> {
    let one = match &op.principals {
        Some(pr) => {
            let name = ident(&pr.type_name);
            quote!(#prefix #name<#p>)
        }
        None => p.clone(),
    };
    match op.auth {
        Auth::Required(_) => Some(one),
        Auth::Optional(_) => Some(quote!(Option<#one>)),
        Auth::Public => None,
    }
}

/// The operation method's signature (without `;` or body).
fn op_signature(api: &Api, op: &Operation, prefix: &TokenStream, in_impl: bool) -> TokenStream {
    let method = ident(&op.method_name);
    let mut args = Vec::new();
    if let Some(t) = principal_ty(op, prefix, &quote!(Self::Principal)) {
        args.push(quote!(principal: #t));
    }
    if let Some(p) = &op.params_type {
        let p = ident(p);
        args.push(quote!(params: #prefix #p));
    }
    if let Some(b) = &op.body {
        let t = ty(api, &b.ty, prefix);
        if b.required {
            args.push(quote!(body: #t));
        } else {
            args.push(quote!(body: Option<#t>));
        }
    }
    let resp = ident(&op.response_type);
    let output = quote!(Result<#prefix #resp, specguard::ServerError>);
    if in_impl {
        quote!(async fn #method(&self, #(#args),*) -> #output)
    } else {
        quote!(fn #method(&self, #(#args),*) -> impl ::core::future::Future<Output = #output> + Send)
    }
}

fn hook_id_ty(api: &Api, t: &Ty, prefix: &TokenStream) -> TokenStream {
    match t {
        Ty::String => quote!(&str),
        other => {
            let t = ty(api, other, prefix);
            quote!(&#t)
        }
    }
}

/// The scheme kinds the contract uses, in a fixed order, with their runtime trait.
fn kinds_used(api: &Api) -> Vec<(u8, TokenStream)> {
    let mut out: Vec<(u8, TokenStream)> = Vec::new();
    for s in &api.schemes {
        let (k, t) = match s.kind {
            SchemeKind::ApiKey { .. } => (0, quote!(specguard::auth::ApiKeyAuth)),
            SchemeKind::Basic => (1, quote!(specguard::auth::BasicAuth)),
            SchemeKind::Bearer => (2, quote!(specguard::auth::BearerAuth)),
            SchemeKind::OAuth2 => (3, quote!(specguard::auth::OAuth2Auth)),
            SchemeKind::OpenIdConnect => (4, quote!(specguard::auth::OpenIdConnectAuth)),
            SchemeKind::Http(_) => (5, quote!(specguard::auth::HttpAuth)),
        };
        if !out.iter().any(|(x, _)| *x == k) {
            out.push((k, t));
        }
    }
    out.sort_by_key(|(k, _)| *k);
    out
}

fn kind_traits(api: &Api) -> Vec<TokenStream> {
    kinds_used(api).into_iter().map(|(_, t)| t).collect()
}

/// The generated module, as chunks of whole items in order. [`head`], one chunk per type,
/// [`operation_items`] per operation, [`middle`], then [`handler`] per operation: the per-type and
/// per-operation parts are independent, so `Generator::generate` formats them in parallel.
#[cfg(test)]
pub fn module(api: &Api) -> Vec<TokenStream> {
    let mut out = head(api);
    for (index, td) in api.types.iter().enumerate() {
        out.push(type_item(api, index, td));
    }
    for op in &api.operations {
        out.extend(operation_items(api, op));
    }
    out.extend(middle(api));
    let bounds = handler_bounds(api);
    for op in &api.operations {
        out.push(handler(api, op, &bounds));
    }
    out
}

/// The generic bounds of the router's handlers.
pub fn handler_bounds(api: &Api) -> TokenStream {
    let trait_name = ident(&api.trait_name);
    let auth_name = ident(&api.auth_trait_name);
    quote! {
            A: #trait_name,
            Au: #auth_name + specguard::auth::Authenticator<Principal = <A as #trait_name>::Principal>,
    }
}

/// Statics that come before the types: schemes, patterns, known names.
pub fn head(api: &Api) -> Vec<TokenStream> {
    let mut out: Vec<TokenStream> = Vec::new();

    // Statics: schemes, requirements, patterns, names, operations, bodies.
    if !api.schemes.is_empty() {
        let consts = api.schemes.iter().map(|s| {
            let c = ident(&s.const_name);
            let n = &s.name;
            let d = format!(" `{}`", docs::inline(n));
            quote!(#[doc = #d] pub const #c: &str = #n;)
        });
        out.push(quote! {
            /// The names of the contract's security schemes (the `scheme` argument of the
            /// authentication traits).
            pub mod security_schemes {
                #(#consts)*
            }
        });
    }
    for (i, s) in api.schemes.iter().enumerate() {
        let id = scheme_static(i);
        let name = &s.name;
        let kind = match &s.kind {
            SchemeKind::ApiKey { location, name } => {
                let loc = match location {
                    ApiKeyIn::Header => quote!(specguard::auth::ApiKeyIn::Header),
                    ApiKeyIn::Query => quote!(specguard::auth::ApiKeyIn::Query),
                    ApiKeyIn::Cookie => quote!(specguard::auth::ApiKeyIn::Cookie),
                };
                quote!(specguard::auth::SchemeKind::ApiKey { location: #loc, name: #name })
            }
            SchemeKind::Basic => quote!(specguard::auth::SchemeKind::Basic),
            SchemeKind::Bearer => quote!(specguard::auth::SchemeKind::Bearer),
            SchemeKind::OAuth2 => quote!(specguard::auth::SchemeKind::OAuth2),
            SchemeKind::OpenIdConnect => quote!(specguard::auth::SchemeKind::OpenIdConnect),
            SchemeKind::Http(scheme) => {
                quote!(specguard::auth::SchemeKind::Http { scheme: #scheme })
            }
        };
        out.push(quote! {
            static #id: specguard::auth::Scheme = specguard::auth::Scheme { name: #name, kind: #kind };
        });
    }
    for (i, p) in api.patterns.iter().enumerate() {
        let id = format_ident!("__PATTERN_{}", i);
        let compile = compile_pattern(p);
        out.push(quote! {
            static #id: ::std::sync::LazyLock<specguard::validate::Pattern> =
                ::std::sync::LazyLock::new(|| #compile);
        });
    }
    let names = &api.known_names;
    out.push(quote! {
        /// Every property name in the contract: the only keys an error pointer shows.
        const __KNOWN_NAMES: &[&str] = &[#(#names),*];
    });
    out
}

/// One operation's parameters struct, response enum and statics.
pub fn operation_items(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let none = TokenStream::new();
    let mut out: Vec<TokenStream> = Vec::new();
    if let Some(pt) = &op.params_type {
        let pt = ident(pt);
        let fields = op.params.iter().map(|p| {
            let f = ident(&p.field);
            let mut t = ty(api, &p.scalar, &none);
            if matches!(p.read, Read::List { .. }) {
                t = quote!(Vec<#t>);
            }
            if !p.required {
                t = quote!(Option<#t>);
            }
            let mut doc = vec![format!(
                " `{}` in {}",
                docs::inline(&p.name),
                match p.location {
                    ParamIn::Path => "path",
                    ParamIn::Query => "query",
                    ParamIn::Header => "header",
                    ParamIn::Cookie => "cookie",
                }
            )];
            doc.extend(p.doc.iter().cloned());
            let doc = docs::attrs(&doc);
            quote!(#doc pub #f: #t,)
        });
        let d = format!(" Parameters of `{}`.", docs::inline(&op.operation_id));
        out.push(quote! {
            #[doc = #d]
            #[derive(Debug)]
            pub struct #pt {
                #(#fields)*
            }
        });
    }
    out.push(response_enum(api, op));
    let info = op_ident("__OP_", op);
    let (oid, m, path) = (&op.operation_id, &op.http_method, &op.path);
    out.push(quote! {
        static #info: specguard::server::OperationInfo = specguard::server::OperationInfo {
            operation_id: #oid,
            method: #m,
            route: #path,
        };
    });
    if let Some(pr) = &op.principals {
        out.push(principals_enum(api, op, pr));
    }
    if let Auth::Required(alts) | Auth::Optional(alts) = &op.auth {
        let sec = op_ident("__SECURITY_", op);
        let lists = requirement_lists(alts, matches!(op.auth, Auth::Optional(_)));
        out.push(quote! {
            static #sec: &[&[specguard::auth::Requirement]] = #lists;
        });
    }
    if let Some(b) = &op.body {
        let id = op_ident("__BODY_", op);
        let req = b.required;
        let limit = Literal::usize_suffixed(usize::try_from(b.limit).unwrap_or(usize::MAX));
        let mts = &b.media_types;
        out.push(quote! {
            static #id: specguard::server::BodySpec = specguard::server::BodySpec {
                required: #req,
                limit: #limit,
                media_types: &[#(#mts),*],
                known_names: __KNOWN_NAMES,
            };
        });
    }
    out
}

/// The API trait, the authentication bound, the shared state and the router.
pub fn middle(api: &Api) -> Vec<TokenStream> {
    let none = TokenStream::new();
    let trait_name = ident(&api.trait_name);
    let auth_name = ident(&api.auth_trait_name);
    let mut out: Vec<TokenStream> = Vec::new();
    let bounds = handler_bounds(api);
    // The API trait.
    let principal_doc =
        " The verified caller: the `Principal` of the authenticator passed to [`router`].";
    let methods = api.operations.iter().map(|op| {
        let sig = op_signature(api, op, &none, false);
        let doc = docs::attrs(&op.doc);
        quote!(#doc #sig;)
    });
    let hooks = api.hooks.iter().map(|h| {
        let m = ident(&h.method);
        let id_ty = hook_id_ty(api, &h.id_ty, &none);
        let d1 = format!(
            " Object-level authorization for `{}`: may `principal` access the object with this id?",
            docs::inline(&h.resource)
        );
        quote! {
            #[doc = #d1]
            ///
            /// Called after authentication and parameter validation, before the request body is
            /// read and before the handler runs, by every operation whose path names this
            /// resource. `principal` is `None` only for public operations and anonymous
            /// alternatives.
            ///
            /// **The default denies every request (403)**: override it with the ownership or
            /// permission check of this resource.
            fn #m(
                &self,
                principal: Option<&Self::Principal>,
                id: #id_ty,
                access: specguard::authz::Access,
            ) -> impl ::core::future::Future<Output = Result<(), specguard::Problem>> + Send {
                let _ = (principal, id, access);
                async { specguard::authz::deny() }
            }
        }
    });
    let trait_doc = docs::attrs(&api.doc);
    out.push(quote! {
        #trait_doc
        ///
        /// Implement this trait and pass it to [`router`]. Every operation that requires
        /// authentication receives the verified principal; responses are the statuses the
        /// contract documents.
        pub trait #trait_name: Send + Sync + 'static {
            #[doc = #principal_doc]
            type Principal: specguard::auth::Principal;
            #(#methods)*
            #(#hooks)*
        }
    });

    // The authentication bound.
    let kinds = kind_traits(api);
    out.push(quote! {
        /// What [`router`] needs to verify credentials: an `Authenticator` and one trait per
        /// kind of security scheme the contract uses.
        pub trait #auth_name: specguard::auth::Authenticator #( + #kinds )* {}
        impl<T> #auth_name for T where T: specguard::auth::Authenticator #( + #kinds )* {}
    });

    let any_secured = api
        .operations
        .iter()
        .any(|o| !matches!(o.auth, Auth::Public));
    let verify = if any_secured {
        let arms = api.schemes.iter().map(|s| s.kind.clone()).fold(Vec::new(), |mut acc: Vec<TokenStream>, k| {
            let arm = match k {
                SchemeKind::ApiKey { .. } => quote! {
                    (specguard::auth::SchemeKind::ApiKey { .. }, specguard::auth::Credential::ApiKey(key)) => {
                        specguard::auth::ApiKeyAuth::verify_api_key(&self.auth, scheme.name, key).await
                    }
                },
                SchemeKind::Basic => quote! {
                    (specguard::auth::SchemeKind::Basic, specguard::auth::Credential::Basic { user, password }) => {
                        specguard::auth::BasicAuth::verify_basic(&self.auth, scheme.name, user, password).await
                    }
                },
                SchemeKind::Bearer => quote! {
                    (specguard::auth::SchemeKind::Bearer, specguard::auth::Credential::Bearer(token)) => {
                        specguard::auth::BearerAuth::verify_bearer(&self.auth, scheme.name, token).await
                    }
                },
                SchemeKind::OAuth2 => quote! {
                    (specguard::auth::SchemeKind::OAuth2, specguard::auth::Credential::Bearer(token)) => {
                        specguard::auth::OAuth2Auth::verify_oauth2(&self.auth, scheme.name, token).await
                    }
                },
                SchemeKind::OpenIdConnect => quote! {
                    (specguard::auth::SchemeKind::OpenIdConnect, specguard::auth::Credential::Bearer(token)) => {
                        specguard::auth::OpenIdConnectAuth::verify_openid_connect(&self.auth, scheme.name, token).await
                    }
                },
                SchemeKind::Http(_) => quote! {
                    (specguard::auth::SchemeKind::Http { scheme: auth_scheme }, specguard::auth::Credential::Http(credentials)) => {
                        specguard::auth::HttpAuth::verify_http(&self.auth, scheme.name, auth_scheme, credentials).await
                    }
                },
            };
            let s = arm.to_string();
            if !acc.iter().any(|a| a.to_string() == s) {
                acc.push(arm);
            }
            acc
        });
        quote! {
            match (scheme.kind, credential) {
                #(#arms)*
                _ => Err(specguard::auth::AuthError::Invalid),
            }
        }
    } else {
        // Every operation is public: nothing is ever verified.
        quote! {
            let _ = (scheme, credential);
            Err(specguard::auth::AuthError::Invalid)
        }
    };
    // A challenge-response `type: http` scheme's 401 challenge comes from the user's `HttpAuth`.
    let challenge = if any_secured
        && api
            .schemes
            .iter()
            .any(|s| matches!(s.kind, SchemeKind::Http(_)))
    {
        quote! {
            fn challenge(
                &self,
                scheme: &'static specguard::auth::Scheme,
                presented: Option<&str>,
            ) -> Option<String> {
                match scheme.kind {
                    specguard::auth::SchemeKind::Http { scheme: auth_scheme } => {
                        specguard::auth::HttpAuth::challenge(&self.auth, scheme.name, auth_scheme, presented)
                    }
                    _ => None,
                }
            }
        }
    } else {
        quote! {}
    };
    out.push(quote! {
        impl<A: Send + Sync, Au: #auth_name> specguard::auth::Verifier for __Shared<A, Au> {
            type Principal = <Au as specguard::auth::Authenticator>::Principal;
            async fn verify(
                &self,
                scheme: &'static specguard::auth::Scheme,
                credential: &specguard::auth::Credential<'_>,
            ) -> Result<Self::Principal, specguard::auth::AuthError> {
                #verify
            }
            #challenge
        }
    });

    out.push(quote! {
        #[allow(dead_code)]
        struct __Shared<A, Au> {
            api: A,
            auth: Au,
            options: specguard::server::RouterOptions,
        }
        impl<A: Send + Sync + 'static, Au: Send + Sync + 'static> specguard::server::RouterState
            for __Shared<A, Au>
        {
            fn options(&self) -> &specguard::server::RouterOptions {
                &self.options
            }
        }
    });

    // Routes.
    let mut route_tokens = Vec::new();
    for (i, r) in api.routes.iter().enumerate() {
        let path = &r.path;
        let mut chain = quote!(specguard::axum::routing::MethodRouter::new());
        let mut allow: Vec<String> = Vec::new();
        for (m, oi) in &r.methods {
            if allow.contains(&m.to_ascii_uppercase()) {
                continue;
            }
            let m_id = format_ident!("{}", m.as_str());
            let candidates: Vec<&Operation> = r
                .methods
                .iter()
                .filter(|(m2, _)| m2 == m)
                .filter_map(|(_, i)| api.operations.get(*i))
                .collect();
            if candidates.len() > 1 {
                let d = format_ident!("__dispatch_{}_{}", i, m.as_str());
                out.push(dispatcher(&d, &candidates, &bounds));
                chain.extend(quote!(.#m_id(#d::<A, Au>)));
            } else {
                let Some(op) = api.operations.get(*oi) else {
                    continue;
                };
                let e = endpoint_ident(op);
                chain.extend(quote!(.#m_id(specguard::server::run::<#e<A, Au>>)));
            }
            allow.push(m.to_ascii_uppercase());
        }
        if allow.iter().any(|m| m == "GET") && !allow.iter().any(|m| m == "HEAD") {
            allow.push("HEAD".into());
        }
        let allow = allow.join(", ");
        let mna = format_ident!("__method_not_allowed_{}", i);
        out.push(quote! {
            async fn #mna() -> specguard::Problem {
                specguard::Problem::method_not_allowed(#allow)
            }
        });
        route_tokens.push(quote!(.route(#path, #chain.fallback(#mna))));
    }
    let router_doc = format!(
        " The axum router serving every operation of [`{}`].",
        api.trait_name
    );
    out.push(quote! {
        #[doc = #router_doc]
        ///
        /// For each request, in this order: credentials are verified (401 / 403) before
        /// anything else is read; parameters are parsed and checked against the contract
        /// (400); object-level authorization hooks run (403 by default); `Accept` (406),
        /// `Content-Type` (415), the body limit (413), JSON syntax (400) and the body's
        /// contract bounds (422) are checked; then the handler runs. Unknown paths get 404 and
        /// unserved methods 405, all as `application/problem+json`.
        ///
        /// In debug builds every typed response is also checked against the contract's bounds
        /// before it is sent (500 instead of a non-conforming response); see
        /// [`router_with_options`] to turn that off.
        pub fn router<A, Au>(api: A, auth: Au) -> specguard::axum::Router
        where
            #bounds
        {
            router_with_options(api, auth, specguard::server::RouterOptions::default())
        }

        /// [`router`] with options (`specguard::server::RouterOptions`).
        pub fn router_with_options<A, Au>(
            api: A,
            auth: Au,
            options: specguard::server::RouterOptions,
        ) -> specguard::axum::Router
        where
            #bounds
        {
            let state = ::std::sync::Arc::new(__Shared { api, auth, options });
            specguard::axum::Router::new()
                #(#route_tokens)*
                .fallback(specguard::server::not_found)
                .with_state(state)
        }
    });

    out
}

/// One method of a route served by several operations whose paths differ inside a segment:
/// the most specific template that the request's segment fits wins (more literal text first),
/// the last candidate takes the rest. Operations on equivalent paths (the same templates, the
/// parameters named differently) are told apart by their parameters: the first, in document
/// order, whose parameters the request satisfies wins.
fn dispatcher(
    name: &proc_macro2::Ident,
    candidates: &[&Operation],
    bounds: &TokenStream,
) -> TokenStream {
    let mut ordered: Vec<&Operation> = candidates.to_vec();
    let literal_len = |o: &Operation| -> usize {
        o.splits
            .iter()
            .flat_map(|s| &s.literals)
            .map(String::len)
            .sum()
    };
    // Stable: equal specificity keeps spec order.
    ordered.sort_by_key(|o| (o.splits.is_empty(), std::cmp::Reverse(literal_len(o))));
    let Some((last, first)) = ordered.split_last() else {
        return TokenStream::new();
    };
    let tries = first.iter().enumerate().map(|(n, op)| {
        let e = endpoint_ident(op);
        let templates = op.splits.iter().map(|sp| {
            let (c, l) = (&sp.capture, &sp.literals);
            quote!((#c, &[#(#l),*]))
        });
        let shape = |o: &Operation| -> Vec<Vec<String>> {
            o.splits.iter().map(|sp| sp.literals.clone()).collect()
        };
        let equivalent_later = ordered
            .get(n + 1..)
            .unwrap_or_default()
            .iter()
            .any(|o| shape(o) == shape(op));
        // Its parameters are read (and discarded) only to choose; the chosen operation then
        // runs as always: credentials first, then its parameters.
        let params_fit = match (&op.params_type, equivalent_later) {
            (Some(_), true) => quote! {
                <#e<A, Au> as specguard::server::Endpoint>::params(&mut parts).is_ok()
            },
            _ => TokenStream::new(),
        };
        let fits = match (op.splits.is_empty(), params_fit.is_empty()) {
            (true, false) => params_fit,
            (false, false) => {
                quote!(specguard::param::path_fits(&mut parts, &[#(#templates),*]).await && #params_fit)
            }
            (_, true) => quote!(specguard::param::path_fits(&mut parts, &[#(#templates),*]).await),
        };
        quote! {
            let fits = #fits;
            if fits {
                return specguard::server::run::<#e<A, Au>>(state, specguard::axum::extract::Request::from_parts(parts, body)).await;
            }
        }
    });
    let e_last = endpoint_ident(last);
    quote! {
        async fn #name<A, Au>(
            state: specguard::axum::extract::State<::std::sync::Arc<__Shared<A, Au>>>,
            request: specguard::axum::extract::Request,
        ) -> specguard::axum::response::Response
        where
            #bounds
        {
            let (mut parts, body) = request.into_parts();
            #(#tries)*
            specguard::server::run::<#e_last<A, Au>>(state, specguard::axum::extract::Request::from_parts(parts, body)).await
        }
    }
}

/// The text of a header value `v: &T` (a `&str` expression).
fn header_text(api: &Api, t: &Ty, list: bool) -> TokenStream {
    match (t, list) {
        (Ty::String, false) => quote!(v),
        (Ty::Named(i), false) if is_enum(api, *i) => quote!(v.as_str()),
        (_, false) => quote!(&ToString::to_string(v)),
        (Ty::String, true) => quote!(&v.join(",")),
        (_, true) => {
            let each = match t {
                Ty::Named(i) if is_enum(api, *i) => {
                    quote!(|x| String::from(x.as_str()))
                }
                _ => quote!(ToString::to_string),
            };
            quote!(&v.iter().map(#each).collect::<Vec<String>>().join(","))
        }
    }
}

/// The full type of a documented response header (with its `Vec` and `Option` layers).
fn header_ty(h: &crate::ir::ResponseHeader) -> Ty {
    let mut t = h.scalar.clone();
    if h.list {
        t = Ty::Vec(Box::new(t));
    }
    if !h.required {
        t = t.option();
    }
    t
}

/// The struct of a response's documented headers, with the method writing them.
fn headers_struct(api: &Api, op: &Operation, r: &Response, name: &str) -> TokenStream {
    let none = TokenStream::new();
    let name = ident(name);
    let d = format!(
        " The headers of response `{}` of `{}`: those the contract documents, and only those.",
        r.doc
            .first()
            .map(|s| s.trim().trim_matches('`'))
            .unwrap_or(""),
        docs::inline(&op.operation_id)
    );
    let default = r
        .headers
        .iter()
        .all(|h| !h.required)
        .then(|| quote!(, Default));
    let fields = r.headers.iter().map(|h| {
        let f = ident(&h.field);
        let t = ty(api, &header_ty(h), &none);
        let doc = docs::attrs(&h.doc);
        quote!(#doc pub #f: #t,)
    });
    let sets = r.headers.iter().map(|h| {
        let f = ident(&h.field);
        let wire = &h.wire;
        let text = header_text(api, &h.scalar, h.list);
        let set = quote!(specguard::server::set_header(headers, #wire, #text)?;);
        if h.required {
            quote!({ let v = &self.#f; #set })
        } else {
            quote!(if let Some(v) = &self.#f { #set })
        }
    });
    quote! {
        #[doc = #d]
        #[derive(Debug #default)]
        pub struct #name {
            #(#fields)*
        }
        impl #name {
            fn __write(
                &self,
                headers: &mut specguard::http::HeaderMap,
            ) -> Result<(), specguard::server::InvalidHeader> {
                #(#sets)*
                Ok(())
            }
        }
    }
}

/// The debug-build check of a response enum against the contract's bounds (the
/// `ContractResponse::contract_errors` method): `None` when no variant has anything to check.
fn response_check(api: &Api, op: &Operation) -> Option<TokenStream> {
    let mut arms = Vec::new();
    for r in &op.responses {
        let v = ident(&r.variant);
        let body_check = match &r.body {
            Some((BodyKind::Json, t, _)) => {
                let c = checks(api, &quote!(v), t, &r.body_checks);
                (!c.is_empty()).then(|| {
                    quote! {
                        {
                            let at = &mut specguard::validate::Pointer::body();
                            let v = body;
                            #c
                        }
                    }
                })
            }
            _ => None,
        };
        let header_checks: Vec<TokenStream> = r
            .headers
            .iter()
            .filter_map(|h| {
                let c = checks(api, &quote!(v), &header_ty(h), &h.checks);
                if c.is_empty() {
                    return None;
                }
                let (f, wire) = (ident(&h.field), &h.wire);
                Some(quote! {
                    {
                        let at = &mut specguard::validate::Pointer::param(specguard::Location::Header, #wire);
                        let v = &headers.#f;
                        #c
                    }
                })
            })
            .collect();
        if body_check.is_none() && header_checks.is_empty() {
            continue;
        }
        let mut pats = Vec::new();
        if r.status.is_none() {
            pats.push(quote!(_));
        }
        if r.body.is_some() {
            pats.push(if body_check.is_some() {
                quote!(body)
            } else {
                quote!(_)
            });
        }
        if r.headers_type.is_some() {
            pats.push(if header_checks.is_empty() {
                quote!(_)
            } else {
                quote!(headers)
            });
        }
        arms.push((
            quote!(Self::#v(#(#pats),*)),
            quote!(#body_check #(#header_checks)*),
        ));
    }
    let total = op.responses.len();
    let body = match arms.as_slice() {
        [] => return None,
        [(pat, check)] if total == 1 => quote!(let #pat = self; #check),
        [(pat, check)] => quote!(if let #pat = self { #check }),
        many => {
            let arms = many.iter().map(|(p, c)| quote!(#p => { #c }));
            let rest = (many.len() < total).then(|| quote!(_ => {}));
            quote!(match self { #(#arms)* #rest })
        }
    };
    Some(quote! {
        /// What in this response breaks the contract's bounds (debug builds).
        #[cfg(debug_assertions)]
        fn contract_errors(&self) -> specguard::validate::Errors {
            let mut errors = specguard::validate::Errors::new();
            {
                let errors = &mut errors;
                #body
            }
            errors
        }
    })
}

fn response_enum(api: &Api, op: &Operation) -> TokenStream {
    let none = TokenStream::new();
    let name = ident(&op.response_type);
    let mut items = Vec::new();
    let mut variants = Vec::new();
    let mut arms = Vec::new();
    for r in &op.responses {
        let v = ident(&r.variant);
        let doc = docs::attrs(&r.doc);
        let status_expr = match (r.status, r.range) {
            (Some(code), _) => quote!(specguard::server::status(#code)),
            (None, Some(class)) => {
                quote!(specguard::server::status_in(status, Some(#class)))
            }
            (None, None) => quote!(specguard::server::status_in(status, None)),
        };
        let mut elems = Vec::new();
        let mut pats = Vec::new();
        if r.status.is_none() {
            elems.push(quote!(specguard::http::StatusCode));
            pats.push(quote!(status));
        }
        let mut respond = quote!(specguard::server::empty_response(#status_expr));
        if let Some((kind, t, mt)) = &r.body {
            elems.push(ty(api, t, &none));
            pats.push(quote!(body));
            respond = match kind {
                BodyKind::Json => {
                    quote!(specguard::server::json_response(#status_expr, #mt, &body))
                }
                BodyKind::Text => {
                    quote!(specguard::server::text_response(#status_expr, #mt, body))
                }
                BodyKind::Bytes | BodyKind::Form | BodyKind::Multipart => {
                    quote!(specguard::server::bytes_response(#status_expr, #mt, body))
                }
            };
        }
        if let Some(hn) = &r.headers_type {
            items.push(headers_struct(api, op, r, hn));
            let hid = ident(hn);
            elems.push(quote!(#hid));
            pats.push(quote!(headers));
            respond = quote!(specguard::server::with_headers(#respond, |h| headers.__write(h)));
        }
        if elems.is_empty() {
            variants.push(quote!(#doc #v,));
            arms.push(quote!(Self::#v => #respond,));
        } else {
            variants.push(quote!(#doc #v(#(#elems),*),));
            arms.push(quote!(Self::#v(#(#pats),*) => #respond,));
        }
    }
    let d = format!(
        " The responses `{}` documents: no other status can be returned.",
        docs::inline(&op.operation_id)
    );
    let body = if arms.is_empty() {
        quote!(match self {})
    } else {
        quote!(match self { #(#arms)* })
    };
    let check = response_check(api, op);
    quote! {
        #(#items)*
        #[doc = #d]
        #[derive(Debug)]
        #[allow(clippy::enum_variant_names)]
        pub enum #name {
            #(#variants)*
        }
        impl specguard::axum::response::IntoResponse for #name {
            fn into_response(self) -> specguard::axum::response::Response {
                #body
            }
        }
        impl specguard::server::ContractResponse for #name {
            #check
        }
    }
}

/// The marker type of an operation's [`specguard::server::Endpoint`] implementation.
pub fn endpoint_ident(op: &Operation) -> proc_macro2::Ident {
    format_ident!("__E_{}", op.key)
}

/// An operation's `Endpoint` implementation: the operation-specific part of each step of the
/// runtime's request flow (`specguard::server::run`), with no `async` body of its own.
pub fn handler(api: &Api, op: &Operation, bounds: &TokenStream) -> TokenStream {
    let none = TokenStream::new();
    let trait_name = ident(&api.trait_name);
    let endpoint = endpoint_ident(op);
    let info = op_ident("__OP_", op);
    let method = ident(&op.method_name);

    let sec = op_ident("__SECURITY_", op);
    let (principal_ty, security, principal) = match (&op.auth, &op.principals) {
        (Auth::Required(_), None) => (
            quote!(<A as #trait_name>::Principal),
            quote!(Required(#sec)),
            quote!(verified.one()),
        ),
        (Auth::Optional(_), None) => (
            quote!(Option<<A as #trait_name>::Principal>),
            quote!(Optional(#sec)),
            quote!(verified.maybe()),
        ),
        (Auth::Required(_), Some(pr)) => {
            let t = ident(&pr.type_name);
            let build = build_principals(pr);
            (
                quote!(#t<<A as #trait_name>::Principal>),
                quote!(RequiredAll(#sec)),
                quote! {
                    let (alternative, principals) = verified.all()?;
                    Ok(#build)
                },
            )
        }
        (Auth::Optional(_), Some(pr)) => {
            let t = ident(&pr.type_name);
            let build = build_principals(pr);
            (
                quote!(Option<#t<<A as #trait_name>::Principal>>),
                quote!(OptionalAll(#sec)),
                quote! {
                    Ok(match verified.maybe_all()? {
                        Some((alternative, principals)) => Some(#build),
                        None => None,
                    })
                },
            )
        }
        (Auth::Public, _) => (quote!(()), TokenStream::new(), TokenStream::new()),
    };
    let public = matches!(op.auth, Auth::Public);
    let principal_fn = if public {
        quote! {
            fn principal(
                _: specguard::server::Verified<<Self::State as specguard::auth::Verifier>::Principal>,
            ) -> Result<Self::Principal, specguard::Problem> {
                Ok(())
            }
        }
    } else {
        quote! {
            const SECURITY: specguard::server::Security = specguard::server::Security::#security;
            fn principal(
                verified: specguard::server::Verified<<Self::State as specguard::auth::Verifier>::Principal>,
            ) -> Result<Self::Principal, specguard::Problem> {
                #principal
            }
        }
    };

    let params_body = op.params_type.as_ref().map(|pt| {
        let pt = ident(pt);
        let mut reads = Vec::new();
        let mut validations = Vec::new();
        let mut inits = Vec::new();
        for (i, p) in op.params.iter().enumerate() {
            let local = format_ident!("__p{}", i);
            let loc = location(p.location);
            let name = &p.name;
            let capture = &p.capture;
            let req = p.required;
            let scalar = ty(api, &p.scalar, &none);
            let read = match p.read {
                Read::Deep => quote!(input.deep::<#scalar>(#name, #req, errors)),
                Read::Exploded => {
                    let others = op
                        .params
                        .iter()
                        .filter(|o| o.location == ParamIn::Query && o.name != p.name)
                        .map(|o| o.name.as_str());
                    quote!(input.exploded::<#scalar>(#name, &[#(#others),*], #req, errors))
                }
                Read::Json => {
                    quote!(input.json::<#scalar>(#loc, #name, #capture, #req, errors))
                }
                Read::SimpleObject { explode } => {
                    quote!(input.simple_object::<#scalar>(#loc, #name, #capture, #explode, #req, errors))
                }
                Read::Scalar => {
                    quote!(input.scalar::<#scalar>(#loc, #name, #capture, #req, errors))
                }
                Read::List { explode, delimiter } => {
                    let split = if explode {
                        quote!(None)
                    } else {
                        quote!(Some(#delimiter))
                    };
                    quote!(input.list::<#scalar>(#loc, #name, #capture, #split, #req, errors))
                }
            };
            reads.push(quote!(let #local = #read;));
            let full = match p.read {
                Read::List { .. } => Ty::Vec(Box::new(p.scalar.clone())),
                _ => p.scalar.clone(),
            };
            let c = checks(api, &quote!(v), &full, &p.checks);
            if !c.is_empty() {
                validations.push(quote! {
                    if let Some(v) = &#local {
                        let at = &mut specguard::validate::Pointer::param(#loc, #name);
                        #c
                    }
                });
            }
            if !p.alternatives.is_empty() {
                let alts = alternative_checks(api, p);
                validations.push(quote! {
                    if let Some(v) = &#local {
                        let at = &mut specguard::validate::Pointer::param(#loc, #name);
                        let matched = #alts;
                        if !matched {
                            errors.add(at, "must match one of the alternatives the contract allows");
                        }
                    }
                });
            }
            let f = ident(&p.field);
            if p.required {
                inits.push(quote!(#f: specguard::param::required(#local)?,));
            } else {
                inits.push(quote!(#f: #local,));
            }
        }
        quote! {
            let errors = &mut specguard::validate::Errors::new();
            #(#reads)*
            #(#validations)*
            specguard::param::finish(errors)?;
            Ok(#pt { #(#inits)* })
        }
    });

    let (params_ty, params) = match (&op.params_type, params_body) {
        (Some(pt), Some(body)) => {
            let pt = ident(pt);
            let splits = op.splits.iter().map(|sp| {
                let (capture, literals, parts) = (&sp.capture, &sp.literals, &sp.parts);
                quote!(input.split_segment(#capture, &[#(#literals),*], &[#(#parts),*])?;)
            });
            let binding = if op.splits.is_empty() {
                quote!(input)
            } else {
                quote!(mut input)
            };
            (
                quote!(#pt),
                quote! {
                    fn params(parts: &mut specguard::http::request::Parts) -> Result<Self::Params, specguard::Problem> {
                        let #binding = specguard::param::RequestInput::from_parts(parts)?;
                        #(#splits)*
                        #body
                    }
                },
            )
        }
        _ => (
            quote!(()),
            quote! {
                fn params(_parts: &mut specguard::http::request::Parts) -> Result<Self::Params, specguard::Problem> {
                    Ok(())
                }
            },
        ),
    };

    let principal_ref = match (&op.auth, &op.principals) {
        (Auth::Required(_), None) => quote!(Some(principal)),
        (Auth::Optional(_), None) => quote!(principal.as_ref()),
        (Auth::Required(_), Some(_)) => quote!(Some(principal.first())),
        (Auth::Optional(_), Some(pr)) => {
            let t = ident(&pr.type_name);
            quote!(principal.as_ref().map(#t::first))
        }
        (Auth::Public, _) => quote!(None),
    };
    let (oid, m) = (&op.operation_id, &op.http_method);
    let write = matches!(m.as_str(), "POST" | "PUT" | "PATCH" | "DELETE");
    let hook_calls: Vec<TokenStream> = op
        .hooks
        .iter()
        .filter_map(|call| {
            let h = api.hooks.get(call.hook)?;
            let hm = ident(&h.method);
            let f = ident(&call.field);
            Some(quote! {
                <A as #trait_name>::#hm(
                    &state.api,
                    #principal_ref,
                    &params.#f,
                    specguard::authz::Access { operation_id: #oid, method: #m, write: #write },
                )
            })
        })
        .collect();
    // Hooks run one after the other, each called only when the one before allowed.
    let authorize = match hook_calls.split_first() {
        None => TokenStream::new(),
        Some((first, rest)) => {
            let chained = rest.iter().rev().fold(None::<TokenStream>, |next, call| {
                Some(match next {
                    None => quote!(#call),
                    Some(n) => quote!(specguard::server::then(#call, move || #n)),
                })
            });
            let all = match chained {
                None => quote!(#first),
                Some(n) => quote!(specguard::server::then(#first, move || #n)),
            };
            let principal_arg = if public {
                quote!(_principal)
            } else {
                quote!(principal)
            };
            quote! {
                fn authorize(
                    state: &Self::State,
                    #principal_arg: &Self::Principal,
                    params: &Self::Params,
                ) -> impl ::core::future::Future<Output = Result<(), specguard::Problem>> + Send {
                    #all
                }
            }
        }
    };

    let p = &op.produces;
    let (body_ty, body) = match &op.body {
        None => (
            quote!(()),
            quote! {
                fn body(_: Option<specguard::server::RawBody>) -> Result<Self::Body, specguard::Problem> {
                    Ok(())
                }
            },
        ),
        Some(b) => {
            let spec = op_ident("__BODY_", op);
            let (t, kind, read) = match b.kind {
                BodyKind::Json => {
                    let t = ty(api, &b.ty, &none);
                    let r = quote!(specguard::server::json_value::<#t>(raw, &#spec));
                    (t, quote!(Json), r)
                }
                BodyKind::Form => {
                    let t = ty(api, &b.ty, &none);
                    let r = quote!(specguard::server::form_value::<#t>(raw, &#spec));
                    (t, quote!(Form), r)
                }
                BodyKind::Multipart => {
                    let t = ty(api, &b.ty, &none);
                    let r = quote!(specguard::server::multipart_value::<#t>(raw, &#spec));
                    (t, quote!(Multipart), r)
                }
                BodyKind::Text => (
                    quote!(String),
                    quote!(Text),
                    quote!(specguard::server::text_value(raw)),
                ),
                BodyKind::Bytes => (
                    quote!(specguard::axum::body::Bytes),
                    quote!(Bytes),
                    quote!(specguard::server::bytes_value(raw)),
                ),
            };
            let (bt, read) = if b.required {
                (quote!(#t), quote!(specguard::server::required_body(#read?)))
            } else {
                (quote!(Option<#t>), read)
            };
            (
                bt,
                quote! {
                    const BODY: Option<(specguard::server::BodyKind, &'static specguard::server::BodySpec)> =
                        Some((specguard::server::BodyKind::#kind, &#spec));
                    fn body(raw: Option<specguard::server::RawBody>) -> Result<Self::Body, specguard::Problem> {
                        #read
                    }
                },
            )
        }
    };
    let has_params = op.params_type.is_some();
    let mut args = Vec::new();
    if !public {
        args.push(quote!(principal));
    }
    if has_params {
        args.push(quote!(params));
    }
    if op.body.is_some() {
        args.push(quote!(body));
    }
    let principal_arg = if public {
        quote!(_principal)
    } else {
        quote!(principal)
    };
    let params_arg = if has_params {
        quote!(params)
    } else {
        quote!(_params)
    };
    let body_arg = if op.body.is_some() {
        quote!(body)
    } else {
        quote!(_body)
    };
    let response = ident(&op.response_type);

    quote! {
        #[allow(non_camel_case_types)]
        struct #endpoint<A, Au>(::core::marker::PhantomData<fn() -> (A, Au)>);
        impl<A, Au> specguard::server::Endpoint for #endpoint<A, Au>
        where
            #bounds
        {
            type State = __Shared<A, Au>;
            type Principal = #principal_ty;
            type Params = #params_ty;
            type Body = #body_ty;
            type Response = #response;
            const INFO: &'static specguard::server::OperationInfo = &#info;
            const PRODUCES: &'static [&'static str] = &[#(#p),*];
            #principal_fn
            #params
            #authorize
            #body
            fn call(
                state: &Self::State,
                #principal_arg: Self::Principal,
                #params_arg: Self::Params,
                #body_arg: Self::Body,
            ) -> impl ::core::future::Future<Output = Result<Self::Response, specguard::ServerError>> + Send {
                <A as #trait_name>::#method(&state.api, #(#args),*)
            }
        }
    }
}

/// The principals enum of an operation whose requirement ANDs schemes.
fn principals_enum(api: &Api, op: &Operation, pr: &Principals) -> TokenStream {
    let name = ident(&pr.type_name);
    let d = format!(
        " The verified principals of `{}`: one variant per alternative of its security requirement, holding the principal each scheme of the alternative returned.",
        docs::inline(&op.operation_id)
    );
    let alts: &[Vec<(usize, Vec<String>)>] = match &op.auth {
        Auth::Required(a) | Auth::Optional(a) => a,
        Auth::Public => &[],
    };
    let scheme_name = |i: usize| {
        api.schemes
            .get(i)
            .map(|s| docs::inline(&s.name))
            .unwrap_or_default()
    };
    let mut variants = Vec::new();
    let mut firsts = Vec::new();
    for (v, alt) in pr.variants.iter().zip(alts) {
        let vn = ident(&v.name);
        let what = alt
            .iter()
            .map(|(i, scopes)| {
                if scopes.is_empty() {
                    format!("`{}`", scheme_name(*i))
                } else {
                    let scopes: Vec<String> = scopes
                        .iter()
                        .map(|s| format!("`{}`", docs::inline(s)))
                        .collect();
                    format!("`{}` (scopes {})", scheme_name(*i), scopes.join(", "))
                }
            })
            .collect::<Vec<_>>()
            .join(" and ");
        let vdoc = format!(" {what}.");
        let fields = v.fields.iter().map(|(f, i)| {
            let fid = ident(f);
            let fd = format!(" The principal `{}` returned.", scheme_name(*i));
            quote!(#[doc = #fd] #fid: P,)
        });
        variants.push(quote!(#[doc = #vdoc] #vn { #(#fields)* },));
        if let Some((f, _)) = v.fields.first() {
            let f = ident(f);
            let rest = (v.fields.len() > 1).then(|| quote!(, ..));
            firsts.push(quote!(Self::#vn { #f #rest } => #f,));
        }
    }
    let first_body = if firsts.is_empty() {
        quote!(match *self {})
    } else {
        quote!(match self { #(#firsts)* })
    };
    quote! {
        #[doc = #d]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::enum_variant_names)]
        pub enum #name<P> {
            #(#variants)*
        }
        impl<P> #name<P> {
            /// The principal of the satisfied alternative's first scheme (what object-level
            /// authorization hooks receive).
            pub fn first(&self) -> &P {
                #first_body
            }
        }
    }
}

/// The expression building an operation's principals enum from `alternative: usize` and
/// `principals: Vec<P>` (one per scheme of that alternative, in order).
fn build_principals(pr: &Principals) -> TokenStream {
    let name = ident(&pr.type_name);
    let internal = quote!(return Err(specguard::Problem::internal()));
    let arms = pr.variants.iter().enumerate().map(|(i, v)| {
        let i = Literal::usize_unsuffixed(i);
        let vn = ident(&v.name);
        let fs: Vec<_> = v.fields.iter().map(|(f, _)| ident(f)).collect();
        let nexts = fs.iter().map(|_| quote!(principals.next()));
        if fs.len() == 1 {
            quote! {
                #i => match principals.next() {
                    Some(#(#fs)*) => #name::#vn { #(#fs)* },
                    None => #internal,
                },
            }
        } else {
            quote! {
                #i => match (#(#nexts),*) {
                    (#(Some(#fs)),*) => #name::#vn { #(#fs),* },
                    _ => #internal,
                },
            }
        }
    });
    quote! {
        {
            let mut principals = principals.into_iter();
            match alternative {
                #(#arms)*
                _ => #internal,
            }
        }
    }
}

/// `alt1 || alt2 || …` for a `oneOf`/`anyOf` parameter read as text (`v: &String`, or
/// `v: &Vec<String>` when an alternative is an array): each block parses the text as its
/// alternative and checks it into a scratch `errors`, true when nothing was found.
fn alternative_checks(api: &Api, p: &crate::ir::Param) -> TokenStream {
    let none = TokenStream::new();
    let list_read = matches!(p.read, Read::List { .. });
    let from_param = quote!(specguard::param::FromParam::from_param);
    let blocks = p.alternatives.iter().map(|a| {
        let c = checks(api, &quote!(v), &a.ty, &a.checks);
        let ok_arm = if c.is_empty() {
            quote!(Some(_) => {})
        } else {
            quote!(Some(parsed) => {
                let v = &parsed;
                #c
            })
        };
        let parsed = match (&a.ty, list_read) {
            (Ty::Vec(inner), _) => {
                let it = ty(api, inner, &none);
                quote! {
                    v.iter()
                        .map(|s| #from_param(s.as_str()))
                        .collect::<Option<Vec<#it>>>()
                }
            }
            (scalar, true) => {
                let st = ty(api, scalar, &none);
                quote! {
                    match v.as_slice() {
                        [one] => <#st as specguard::param::FromParam>::from_param(one.as_str()),
                        _ => None,
                    }
                }
            }
            (scalar, false) => {
                let st = ty(api, scalar, &none);
                quote!(<#st as specguard::param::FromParam>::from_param(v.as_str()))
            }
        };
        quote! {
            {
                let errors = &mut specguard::validate::Errors::new();
                match #parsed {
                    #ok_arm
                    None => errors.add(at, "does not parse"),
                }
                errors.is_empty()
            }
        }
    });
    quote!(#(#blocks)||*)
}

/// The user-owned `handlers.rs` of a scaffold: stubs returning 501 and authentication that
/// rejects everything.
pub fn scaffold_handlers(api: &Api, module: &str) -> TokenStream {
    let m = ident(module);
    let prefix = quote!(crate::#m::);
    let trait_name = ident(&api.trait_name);
    let methods = api.operations.iter().map(|op| {
        let sig = op_signature(api, op, &prefix, true);
        let mut uses = Vec::new();
        if !matches!(op.auth, Auth::Public) {
            uses.push(quote!(principal));
        }
        if op.params_type.is_some() {
            uses.push(quote!(params));
        }
        if op.body.is_some() {
            uses.push(quote!(body));
        }
        let d = format!(" `{} {}`", op.http_method, docs::inline(&op.path));
        let unused = match uses.as_slice() {
            [] => None,
            [one] => Some(quote!(let _ = #one;)),
            many => Some(quote!(let _ = (#(#many),*);)),
        };
        quote! {
            #[doc = #d]
            #sig {
                #unused
                Err(specguard::ServerError::NotImplemented)
            }
        }
    });
    let hook_names: Vec<String> = api
        .hooks
        .iter()
        .map(|h| h.method.trim_start_matches("r#").to_string())
        .collect();
    let hooks_doc = if hook_names.is_empty() {
        String::new()
    } else {
        format!(
            " Object-level authorization hooks not overridden here deny every request: {}.",
            hook_names.join(", ")
        )
    };
    let mut kinds = Vec::new();
    for (k, t) in kinds_used(api) {
        let f = if k == 0 {
            quote! {
                async fn verify_api_key(&self, scheme: &str, key: &str) -> Result<specguard::auth::Subject, specguard::auth::AuthError> {
                    let _ = (scheme, key);
                    Err(specguard::auth::AuthError::Invalid)
                }
            }
        } else if k == 1 {
            quote! {
                async fn verify_basic(&self, scheme: &str, user: &str, password: &str) -> Result<specguard::auth::Subject, specguard::auth::AuthError> {
                    let _ = (scheme, user, password);
                    Err(specguard::auth::AuthError::Invalid)
                }
            }
        } else if k == 2 {
            quote! {
                async fn verify_bearer(&self, scheme: &str, token: &str) -> Result<specguard::auth::Subject, specguard::auth::AuthError> {
                    let _ = (scheme, token);
                    Err(specguard::auth::AuthError::Invalid)
                }
            }
        } else if k == 3 {
            quote! {
                async fn verify_oauth2(&self, scheme: &str, token: &str) -> Result<specguard::auth::Subject, specguard::auth::AuthError> {
                    let _ = (scheme, token);
                    Err(specguard::auth::AuthError::Invalid)
                }
            }
        } else if k == 4 {
            quote! {
                async fn verify_openid_connect(&self, scheme: &str, token: &str) -> Result<specguard::auth::Subject, specguard::auth::AuthError> {
                    let _ = (scheme, token);
                    Err(specguard::auth::AuthError::Invalid)
                }
            }
        } else {
            quote! {
                async fn verify_http(&self, scheme: &str, auth_scheme: &str, credentials: &str) -> Result<specguard::auth::Subject, specguard::auth::AuthError> {
                    let _ = (scheme, auth_scheme, credentials);
                    Err(specguard::auth::AuthError::Invalid)
                }
            }
        };
        kinds.push(quote! {
            impl #t for Auth {
                #f
            }
        });
    }
    quote! {
        /// The service: implement each operation here. Stubs answer 501 Not Implemented.
        ///
        #[doc = #hooks_doc]
        #[derive(Debug, Clone, Default)]
        pub struct Service;

        impl #prefix #trait_name for Service {
            type Principal = specguard::auth::Subject;
            #(#methods)*
        }

        /// Credential verification: every scheme rejects every credential until you implement
        /// it. Compare static secrets with `specguard::auth::constant_time_eq`.
        #[derive(Debug, Clone, Default)]
        pub struct Auth;

        impl specguard::auth::Authenticator for Auth {
            type Principal = specguard::auth::Subject;
        }

        #(#kinds)*
    }
}
