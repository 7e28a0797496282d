//! `api!("openapi.yaml", options...)`: the generator's module, expanded in place.

use crate::spec::{self, push};
use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use specguard_generator::ir::{Api, Ty, TypeKind};
use specguard_generator::{Generator, Settings};
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitBool, LitInt, LitStr, Token};

/// A generated type replaced by one of the user's.
struct Override {
    name: Ident,
    path: syn::Path,
}

struct Args {
    spec: LitStr,
    module: Option<Ident>,
    allow_unauthenticated: bool,
    trait_name: Option<LitStr>,
    max_body_bytes: Option<u64>,
    overrides: Vec<Override>,
}

const OPTIONS: &str = "`module = name`, `allow_unauthenticated = true`, `trait_name = \"Name\"`, `max_body_bytes = N`, `types(Generated = path::To::Yours, ...)`";

fn parse_args(input: ParseStream) -> syn::Result<Args> {
    if input.is_empty() {
        return Err(input.error(
            "expected the path of the OpenAPI document: `specguard::api!(\"openapi.yaml\")`",
        ));
    }
    let spec: LitStr = input.parse().map_err(|e| {
        syn::Error::new(
            e.span(),
            "expected the path of the OpenAPI document as a string literal, relative to the crate's Cargo.toml directory: `specguard::api!(\"openapi.yaml\")`",
        )
    })?;
    let mut args = Args {
        spec,
        module: None,
        allow_unauthenticated: false,
        trait_name: None,
        max_body_bytes: None,
        overrides: Vec::new(),
    };
    let mut errors: Option<syn::Error> = None;
    let mut seen: Vec<String> = Vec::new();
    while !input.is_empty() {
        input.parse::<Token![,]>()?;
        if input.is_empty() {
            break;
        }
        let key: Ident = input.parse()?;
        let k = key.to_string();
        if seen.contains(&k) {
            push(
                &mut errors,
                syn::Error::new(key.span(), format!("`{k}` is given twice; keep one")),
            );
        }
        seen.push(k.clone());
        match k.as_str() {
            "module" => {
                input.parse::<Token![=]>()?;
                args.module = Some(input.parse()?);
            }
            "allow_unauthenticated" => {
                input.parse::<Token![=]>()?;
                args.allow_unauthenticated = input.parse::<LitBool>()?.value;
            }
            "trait_name" => {
                input.parse::<Token![=]>()?;
                args.trait_name = Some(input.parse()?);
            }
            "max_body_bytes" => {
                input.parse::<Token![=]>()?;
                let n: LitInt = input.parse()?;
                args.max_body_bytes = Some(n.base10_parse()?);
            }
            "types" => {
                let content;
                syn::parenthesized!(content in input);
                while !content.is_empty() {
                    let name: Ident = content.parse()?;
                    content.parse::<Token![=]>()?;
                    let path: syn::Path = content.parse()?;
                    args.overrides.push(Override { name, path });
                    if content.is_empty() {
                        break;
                    }
                    content.parse::<Token![,]>()?;
                }
            }
            _ => {
                push(
                    &mut errors,
                    syn::Error::new(
                        key.span(),
                        format!("unknown option `{k}`; the options are {OPTIONS}"),
                    ),
                );
                while !input.is_empty() && !input.peek(Token![,]) {
                    input.parse::<proc_macro2::TokenTree>()?;
                }
            }
        }
    }
    match errors {
        Some(e) => Err(e),
        None => Ok(args),
    }
}

pub fn expand(input: TokenStream) -> TokenStream {
    let args = match parse_args.parse2(input) {
        Ok(a) => a,
        Err(e) => return e.to_compile_error(),
    };
    let span = args.spec.span();
    let module = args
        .module
        .clone()
        .unwrap_or_else(|| Ident::new("api", Span::call_site()));
    let sp = match spec::resolve(&args.spec.value(), span) {
        Ok(p) => p,
        Err(e) => return e.to_compile_error(),
    };
    let doc = match spec::load(&sp, false) {
        Ok(d) => d,
        Err(f) => {
            let inputs = spec::failure_inputs(&sp, &f);
            let err = spec::load_errors(&f, span).to_compile_error();
            return quote!(#err pub mod #module { #inputs });
        }
    };
    let inputs = spec::build_inputs(doc.tree.files.iter().map(|f| f.path.as_path()));
    let settings = Settings {
        allow_unauthenticated: args.allow_unauthenticated,
        trait_name: args.trait_name.as_ref().map(LitStr::value),
        module_name: module.to_string(),
        default_max_body_bytes: args
            .max_body_bytes
            .unwrap_or(Settings::default().default_max_body_bytes),
        parallel: false,
        ..Settings::default()
    };
    let generated = match Generator::new(settings).generate(&doc) {
        Ok(g) => g,
        Err(e) => {
            let mut errors: Option<syn::Error> = None;
            let n = e.problems.len();
            for p in &e.problems {
                let mut msg = format!(
                    "code generation failed ({n} problem{}): {}: {}",
                    if n == 1 { "" } else { "s" },
                    p.location,
                    p.message
                );
                if let Some(h) = &p.help {
                    msg.push_str(&format!("\n  help: {h}"));
                }
                if let Some(r) = p.rule
                    && !p.help.as_deref().is_some_and(|h| h.contains(r))
                {
                    msg.push_str(&format!(
                        "\n  note: lint rule `{r}` explains the risk (`specguard rule {r}`)"
                    ));
                }
                push(&mut errors, syn::Error::new(span, msg));
            }
            let err = errors
                .unwrap_or_else(|| syn::Error::new(span, "code generation failed"))
                .to_compile_error();
            return quote!(#err pub mod #module { #inputs });
        }
    };
    let body = if args.overrides.is_empty() {
        match generated.module.parse::<TokenStream>() {
            Ok(t) => t,
            Err(e) => {
                return syn::Error::new(
                    span,
                    format!("the generated module does not lex ({e}); this is a bug in specguard, please report it with the document"),
                )
                .to_compile_error();
            }
        }
    } else {
        match with_overrides(&generated.module, &generated.api, &args.overrides, span) {
            Ok(t) => t,
            Err(e) => {
                let err = e.to_compile_error();
                return quote!(#err pub mod #module { #inputs });
            }
        }
    };
    // Every generated type converts into itself (`specguard::IntoApi`), so a struct of yours
    // deriving `into = ".."` can hold generated types (enums, nested structs) as they are.
    let identities = generated
        .api
        .types
        .iter()
        .filter(|t| !args.overrides.iter().any(|o| o.name == t.name))
        .map(|t| {
            let id = specguard_generator::naming::ident(&t.name);
            quote! {
                impl ::specguard::IntoApi<#id> for #id {
                    fn into_api(self) -> #id {
                        self
                    }
                }
            }
        });
    quote! {
        #[allow(dead_code, clippy::large_enum_variant)]
        pub mod #module {
            #inputs
            #body
            #(#identities)*
        }
    }
}

/// Which sides (request, response) each generated type is used on.
fn type_sides(api: &Api) -> Vec<(bool, bool)> {
    let mut sides = vec![(false, false); api.types.len()];
    let mut stack: Vec<(usize, bool)> = Vec::new();
    fn roots(t: &Ty, request: bool, out: &mut Vec<(usize, bool)>) {
        match t {
            Ty::Named(i) => out.push((*i, request)),
            Ty::Vec(x) | Ty::Map(x) | Ty::Option(x) | Ty::Boxed(x) => roots(x, request, out),
            _ => {}
        }
    }
    for op in &api.operations {
        if let Some(b) = &op.body {
            roots(&b.ty, true, &mut stack);
        }
        for p in &op.params {
            roots(&p.scalar, true, &mut stack);
        }
        for r in &op.responses {
            if let Some((_, t, _)) = &r.body {
                roots(t, false, &mut stack);
            }
        }
    }
    while let Some((i, request)) = stack.pop() {
        let Some(s) = sides.get_mut(i) else { continue };
        let flag = if request { &mut s.0 } else { &mut s.1 };
        if *flag {
            continue;
        }
        *flag = true;
        let Some(td) = api.types.get(i) else { continue };
        match &td.kind {
            TypeKind::Struct {
                fields, additional, ..
            } => {
                for f in fields {
                    roots(&f.ty, request, &mut stack);
                }
                if let Some(a) = additional {
                    roots(&a.1, request, &mut stack);
                }
            }
            TypeKind::OneOf { variants, .. } => {
                for v in variants {
                    roots(&v.ty, request, &mut stack);
                }
            }
            TypeKind::StringEnum { .. } => {}
        }
    }
    sides
}

fn self_ty_is(ty: &syn::Type, name: &str) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 && p.path.is_ident(name))
}

/// The module with each overridden type's definition and impls replaced by
/// `pub type Name = path;` and assertions that the user's type was checked for the sides the
/// contract uses it on.
fn with_overrides(
    module: &str,
    api: &Api,
    overrides: &[Override],
    span: Span,
) -> syn::Result<TokenStream> {
    let mut file: syn::File = syn::parse_str(module).map_err(|e| {
        syn::Error::new(
            span,
            format!("the generated module does not parse ({e}); this is a bug in specguard, please report it with the document"),
        )
    })?;
    let sides = type_sides(api);
    let mut errors: Option<syn::Error> = None;
    let mut extra = TokenStream::new();
    for o in overrides {
        let name = o.name.to_string();
        let Some(index) = api.types.iter().position(|t| t.name == name) else {
            let mut names: Vec<&str> = api.types.iter().map(|t| t.name.as_str()).collect();
            names.sort_unstable();
            let shown = names
                .iter()
                .take(40)
                .copied()
                .collect::<Vec<_>>()
                .join(", ");
            push(
                &mut errors,
                syn::Error::new(
                    o.name.span(),
                    format!(
                        "`{name}` is not a type of the generated module; the types are: {shown}{}",
                        if names.len() > 40 { ", ..." } else { "" }
                    ),
                ),
            );
            continue;
        };
        file.items.retain(|item| match item {
            syn::Item::Struct(s) => s.ident != name,
            syn::Item::Enum(e) => e.ident != name,
            syn::Item::Impl(i) => !self_ty_is(&i.self_ty, &name),
            // `::specguard::object_only!(Name);`: the generated type's serde impls.
            syn::Item::Macro(m) => {
                !(m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "object_only")
                    && m.mac.tokens.to_string() == name)
            }
            _ => true,
        });
        let id = &o.name;
        let path = &o.path;
        let (request, response) = sides.get(index).copied().unwrap_or((true, true));
        let doc = format!(
            " `{name}` of the contract, provided by `{}` (`types(...)` of `specguard::api!`).",
            path.to_token_stream().to_string().replace(' ', "")
        );
        extra.extend(quote!(#[doc = #doc] pub type #id = #path;));
        if response {
            extra.extend(quote_spanned_assert(
                path,
                quote!(::specguard::CheckedResponse),
            ));
        }
        if request {
            extra.extend(quote_spanned_assert(
                path,
                quote!(::specguard::CheckedRequest),
            ));
        }
        extra.extend(quote_spanned_assert(
            path,
            quote!(::specguard::validate::Validate),
        ));
    }
    if let Some(e) = errors {
        return Err(e);
    }
    let mut out = file.into_token_stream();
    out.extend(extra);
    Ok(out)
}

/// A compile-time check that `path` implements `bound`, reported at the user's path.
fn quote_spanned_assert(path: &syn::Path, bound: TokenStream) -> TokenStream {
    let span = syn::spanned::Spanned::span(path);
    quote::quote_spanned! {span=>
        const _: fn() = || {
            fn __specguard_requires<T: ?::core::marker::Sized + #bound>() {}
            __specguard_requires::<#path>();
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_and_unknown_options_are_reported() {
        let a = parse_args
            .parse2(quote!(
                "x.yaml",
                module = pets,
                allow_unauthenticated = true,
                max_body_bytes = 10,
                types(User = crate::U)
            ))
            .map_err(|e| e.to_string());
        let a = a.as_ref().map(|a| {
            (
                a.module.as_ref().map(Ident::to_string),
                a.allow_unauthenticated,
                a.max_body_bytes,
                a.overrides.len(),
            )
        });
        assert_eq!(a, Ok((Some("pets".to_string()), true, Some(10), 1)));
        let e = parse_args.parse2(quote!("x.yaml", modul = pets, colour = 1));
        assert!(e.is_err());
        let e = parse_args.parse2(quote!(x));
        assert!(e.is_err());
    }
}
