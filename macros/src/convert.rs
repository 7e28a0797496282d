//! `into = "path::To::Generated"`: `impl From<Yours> for Generated`, field by field through
//! `specguard::IntoApi`, with the generated type's own field identifiers and presence (read
//! from the generator's IR, so the names are the ones its naming function gave).

use crate::spec::push;
use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use specguard_generator::ir::{Presence, TypeDef, TypeKind};
use specguard_generator::naming;
use syn::spanned::Spanned;

/// A field of the user's struct bound to a property of the schema.
pub struct Bound {
    pub ident: syn::Ident,
    pub ty: syn::Type,
    /// The property (wire) name.
    pub wire: String,
    /// `skip_serializing_if` (an absent `None`) on the side checked.
    pub skip_if: bool,
    /// "field `x` (`y` on the wire)", for messages.
    pub named: String,
    /// The property's `format`, for messages.
    pub format: Option<String>,
    /// Where the property is (`file:line:col`).
    pub location: String,
}

/// The `Option` layers written around a type, and the type inside them.
pub fn option_layers(ty: &syn::Type) -> (usize, &syn::Type) {
    let mut n = 0;
    let mut cur = ty;
    loop {
        let next = match cur {
            syn::Type::Paren(p) => Some(&*p.elem),
            syn::Type::Group(g) => Some(&*g.elem),
            syn::Type::Path(p) if p.qself.is_none() => p
                .path
                .segments
                .last()
                .filter(|s| s.ident == "Option")
                .and_then(|s| crate::rust_type::type_args(&s.arguments).first().copied())
                .inspect(|_| n += 1),
            _ => None,
        };
        match next {
            Some(t) => cur = t,
            None => return (n, cur),
        }
    }
}

/// The body of `From::from` (`__specguard_from` is the user's value), or `None` after an error.
pub fn conversion(
    target: &TypeDef,
    into: &syn::Path,
    into_span: Span,
    struct_name: &syn::Ident,
    bound: &[Bound],
    errors: &mut Option<syn::Error>,
) -> Option<TokenStream> {
    let TypeKind::Struct {
        fields, additional, ..
    } = &target.kind
    else {
        push(
            errors,
            syn::Error::new(
                into_span,
                format!(
                    "`{}` is not a generated struct; `into` converts into the struct of an object schema",
                    target.name
                ),
            ),
        );
        return None;
    };
    if !target.response {
        push(
            errors,
            syn::Error::new(
                into_span,
                format!(
                    "`{}` is a request type of the generated module (it is never sent); convert into the response type (without the `Input` suffix)",
                    target.name
                ),
            ),
        );
        return None;
    }
    let had_errors = errors.is_some();
    let mut inits = Vec::new();
    for f in fields {
        let id = naming::ident(&f.name);
        let Some(b) = bound.iter().find(|b| b.wire == f.wire) else {
            match f.presence {
                Presence::Optional | Presence::OptionalNullable => {
                    inits.push(quote!(#id: ::core::option::Option::None));
                }
                Presence::Required | Presence::RequiredNullable => {
                    if !had_errors {
                        push(
                            errors,
                            syn::Error::new(
                                struct_name.span(),
                                format!(
                                    "`{}` requires `{}`, which `{struct_name}` does not send; add a field for it",
                                    target.name, f.wire
                                ),
                            ),
                        );
                    }
                    return None;
                }
            }
            continue;
        };
        let span = b.ty.span();
        let user = &b.ident;
        let conv = |e: TokenStream| quote_spanned!(span=> ::specguard::IntoApi::into_api(#e));
        let x = quote_spanned!(span=> __specguard_from.#user);
        let (n, _) = option_layers(&b.ty);
        let some = |e: TokenStream| quote!(::core::option::Option::Some(#e));
        let value = match (f.presence, n, b.skip_if) {
            (Presence::Required, _, _) => conv(x),
            (Presence::RequiredNullable | Presence::Optional, 0, _) => some(conv(x)),
            (Presence::RequiredNullable | Presence::Optional, _, _) => conv(x),
            (Presence::OptionalNullable, 0, _) => some(some(conv(x))),
            (Presence::OptionalNullable, 1, true) => {
                let inner = some(conv(quote!(v)));
                quote!(#x.map(|v| #inner))
            }
            (Presence::OptionalNullable, 1, false) => some(conv(x)),
            (Presence::OptionalNullable, _, true) => conv(x),
            (Presence::OptionalNullable, _, false) => {
                some(conv(quote!(::core::option::Option::flatten(#x))))
            }
        };
        inits.push(quote!(#id: #value));
    }
    if let Some(a) = additional {
        let id = naming::ident(&a.0);
        inits.push(quote!(#id: ::core::default::Default::default()));
    }
    let path = quote_spanned!(into_span=> #into);
    Some(quote!(#path { #(#inits,)* }))
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn option_layers_count_written_options() {
        let t: syn::Type = syn::parse_str("Option<::core::option::Option<Vec<u8>>>").expect("type");
        let (n, inner) = option_layers(&t);
        assert_eq!(n, 2);
        assert_eq!(quote!(#inner).to_string(), "Vec < u8 >");
        let t: syn::Type = syn::parse_str("String").expect("type");
        assert_eq!(option_layers(&t).0, 0);
    }
}
