//! `#[derive(ApiResponse)]` / `#[derive(ApiRequest)]`: a struct of the user's checked against a
//! schema of the document, as serde would (de)serialise it.

use crate::contract::{self, Additional, Contract, LookupError, Side};
use crate::convert::Bound;
use crate::generated;
use crate::rust_type::{self, Shape};
use crate::serde_attrs;
use crate::spec::{self, push};
use proc_macro2::{Span, TokenStream};
use quote::quote;
use specguard_spec::Document;
use std::rc::Rc;
use syn::ext::IdentExt;
use syn::{DeriveInput, LitStr};

/// `#[specguard(spec = "...", schema = "...")]`.
struct Target {
    spec: Option<LitStr>,
    schema: Option<LitStr>,
    /// `into = "path::To::Generated"` (responses): derive the conversion.
    into: Option<(syn::Path, LitStr)>,
}

fn target(input: &DeriveInput, errors: &mut Option<syn::Error>) -> Target {
    let mut t = Target {
        spec: None,
        schema: None,
        into: None,
    };
    for attr in input
        .attrs
        .iter()
        .filter(|a| a.path().is_ident("specguard"))
    {
        let r = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("spec") {
                t.spec = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("schema") {
                t.schema = Some(meta.value()?.parse()?);
            } else if meta.path.is_ident("into") {
                let lit: LitStr = meta.value()?.parse()?;
                let path: syn::Path = lit.parse().map_err(|_| {
                    syn::Error::new(
                        lit.span(),
                        "`into` names the generated type as a path: `into = \"crate::api::Pet\"`",
                    )
                })?;
                t.into = Some((path, lit));
            } else {
                return Err(meta.error(
                    "unknown specguard option; the options are `spec = \"openapi.yaml\"`, `schema = \"Name\"` and (responses) `into = \"crate::api::Name\"`",
                ));
            }
            Ok(())
        });
        if let Err(e) = r {
            push(errors, e);
        }
    }
    t
}

pub fn expand(tokens: TokenStream, side: Side) -> TokenStream {
    let input: DeriveInput = match syn::parse2(tokens) {
        Ok(i) => i,
        Err(e) => return e.to_compile_error(),
    };
    let mut errors: Option<syn::Error> = None;
    let target = target(&input, &mut errors);
    let mut inputs = TokenStream::new();
    let mut from_body: Option<TokenStream> = None;
    let mut validate_body: Option<TokenStream> = None;
    match (&target.spec, &target.schema) {
        (Some(spec_lit), Some(schema_lit)) => {
            match spec::resolve(&spec_lit.value(), spec_lit.span()) {
                Err(e) => push(&mut errors, e),
                Ok(sp) => match spec::load(&sp, true) {
                    Err(f) => {
                        inputs = spec::failure_inputs(&sp, &f);
                        push(&mut errors, spec::load_errors(&f, spec_lit.span()));
                    }
                    Ok(doc) => {
                        inputs =
                            spec::build_inputs(doc.tree.files.iter().map(|f| f.path.as_path()));
                        let bound = check(&doc, &input, schema_lit, side, &mut errors);
                        if let Some(bound) = bound {
                            derived(
                                &doc,
                                &input,
                                &target,
                                schema_lit,
                                side,
                                &bound,
                                &mut errors,
                                &mut from_body,
                                &mut validate_body,
                            );
                        }
                    }
                },
            }
        }
        _ => push(
            &mut errors,
            syn::Error::new(
                input.ident.span(),
                format!(
                    "name the schema to check against: `#[specguard(spec = \"openapi.yaml\", schema = \"{}\")]`",
                    input.ident.unraw()
                ),
            ),
        ),
    }
    if side == Side::Request
        && let Some((_, lit)) = &target.into
    {
        push(
            &mut errors,
            syn::Error::new(
                lit.span(),
                "`into` derives the conversion into a generated response type, for `derive(ApiResponse)`; a request type is the generated one's replacement (`types(..)` of `specguard::api!`)",
            ),
        );
    }
    let name = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let schema = target
        .schema
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_default();
    let spec_path = target.spec.as_ref().map(LitStr::value).unwrap_or_default();
    let marker = match side {
        Side::Response => quote!(::specguard::CheckedResponse),
        Side::Request => quote!(::specguard::CheckedRequest),
    };
    // The impls are emitted also after errors (with bodies that are never built): a failed
    // check is reported once, here, and not again wherever the type is used.
    let failed = errors.is_some();
    let mut extra = TokenStream::new();
    if let (Side::Response, Some((path, lit))) = (side, &target.into) {
        let body = match from_body.filter(|_| !failed) {
            Some(b) => b,
            None => quote!(::core::unreachable!(
                "specguard: the derive reported errors"
            )),
        };
        let into = quote::quote_spanned!(lit.span()=> #path);
        extra.extend(quote! {
            impl #impl_generics ::core::convert::From<#name #ty_generics> for #into #where_clause {
                fn from(__specguard_from: #name #ty_generics) -> Self {
                    #body
                }
            }
            impl #impl_generics ::specguard::IntoApi<#into> for #name #ty_generics #where_clause {
                fn into_api(self) -> #into {
                    ::core::convert::From::from(self)
                }
            }
        });
    }
    if side == Side::Request {
        let body = validate_body.filter(|_| !failed).unwrap_or_default();
        extra.extend(quote! {
            impl #impl_generics ::specguard::validate::Validate for #name #ty_generics #where_clause {
                #[allow(unused_variables)]
                fn validate(
                    &self,
                    at: &mut ::specguard::validate::Pointer,
                    errors: &mut ::specguard::validate::Errors,
                ) {
                    #body
                }
            }
        });
    }
    let errors = errors.map(|e| e.to_compile_error());
    quote! {
        #errors
        const _: () = { #inputs };
        impl #impl_generics #marker for #name #ty_generics #where_clause {
            const SCHEMA: &'static str = #schema;
            const SPEC: &'static str = #spec_path;
        }
        #extra
    }
}

/// The conversion (`into`, responses) and the validation (requests), from the generator's IR.
#[allow(clippy::too_many_arguments)]
fn derived(
    doc: &Rc<Document>,
    input: &DeriveInput,
    target: &Target,
    schema_lit: &LitStr,
    side: Side,
    bound: &[Bound],
    errors: &mut Option<syn::Error>,
    from_body: &mut Option<TokenStream>,
    validate_body: &mut Option<TokenStream>,
) {
    let into = match side {
        Side::Response => match &target.into {
            Some(i) => Some(i),
            None => return,
        },
        Side::Request => None,
    };
    let generated = generated::api(doc);
    let api = match generated.as_ref() {
        Ok(api) => api,
        Err(why) => {
            let (span, what) = match into {
                Some((_, lit)) => (lit.span(), "the conversion into the generated type"),
                None => (schema_lit.span(), "the contract's bounds (`Validate`)"),
            };
            push(
                errors,
                syn::Error::new(
                    span,
                    format!(
                        "{what} cannot be derived: the document does not generate ({why}); fix the document (`specguard generate` shows the same problems)"
                    ),
                ),
            );
            return;
        }
    };
    let schema = schema_lit.value();
    if let Some((path, lit)) = into {
        let last = path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        let Some(t) = generated::struct_named(api, &last) else {
            push(
                errors,
                syn::Error::new(
                    lit.span(),
                    format!(
                        "`{last}` is not a struct of the generated module; the structs are: {}",
                        generated::struct_names(api)
                    ),
                ),
            );
            return;
        };
        *from_body = crate::convert::conversion(t, path, lit.span(), &input.ident, bound, errors);
        return;
    }
    let Some(t) = generated::request_struct(api, &schema) else {
        push(
            errors,
            syn::Error::new(
                schema_lit.span(),
                format!(
                    "schema `{schema}` is not read by any request of the document (the generated module has no request struct for it), so there are no request bounds to enforce; check the type with `derive(ApiResponse)`, or use the schema in a request body"
                ),
            ),
        );
        return;
    };
    let generics: Vec<String> = input
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    let body = crate::validation::statements(api, &generics, &schema, t, bound, errors);
    *validate_body = Some(body);
}

fn check(
    doc: &Document,
    input: &DeriveInput,
    schema_lit: &LitStr,
    side: Side,
    errors: &mut Option<syn::Error>,
) -> Option<Vec<Bound>> {
    let schema_name = schema_lit.value();
    let contract = match contract::lookup(doc, &schema_name) {
        Ok(c) => c,
        Err(e) => {
            let root = doc.tree.file(doc.root_file).display.clone();
            let msg = match e {
                LookupError::NotFound { names } => {
                    let shown = names
                        .iter()
                        .take(40)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ");
                    format!(
                        "schema `{schema_name}` is not in `components/schemas` of {root}; {}",
                        if names.is_empty() {
                            "the document has no schemas there".to_string()
                        } else {
                            format!(
                                "the schemas are: {shown}{}",
                                if names.len() > 40 { ", ..." } else { "" }
                            )
                        }
                    )
                }
                LookupError::NotAnObject { location, types } => format!(
                    "schema `{schema_name}` ({location}) allows {types}, not an object: a struct can only be checked against an object schema"
                ),
                LookupError::Union { location } => format!(
                    "schema `{schema_name}` ({location}) is a oneOf/anyOf of alternatives; check the struct against the alternative's own schema"
                ),
            };
            push(errors, syn::Error::new(schema_lit.span(), msg));
            return None;
        }
    };
    let data = match &input.data {
        syn::Data::Struct(s) => s,
        _ => {
            push(
                errors,
                syn::Error::new(
                    input.ident.span(),
                    "only structs with named fields can be checked against an object schema",
                ),
            );
            return None;
        }
    };
    let syn::Fields::Named(fields) = &data.fields else {
        push(
            errors,
            syn::Error::new(
                input.ident.span(),
                "only structs with named fields can be checked against an object schema",
            ),
        );
        return None;
    };
    let container = serde_attrs::container(&input.attrs, errors);
    for (attr, span) in &container.opaque {
        push(
            errors,
            syn::Error::new(
                *span,
                format!(
                    "`#[serde({attr})]` makes the wire form another type's, which this check cannot see; derive the check on that type instead"
                ),
            ),
        );
    }
    if !container.opaque.is_empty() {
        return None;
    }
    let mut bound: Vec<Bound> = Vec::new();
    let generics: Vec<String> = input
        .generics
        .type_params()
        .map(|p| p.ident.to_string())
        .collect();
    let cx = Cx {
        doc,
        contract: &contract,
        side,
    };
    let mut present: Vec<String> = Vec::new();
    if let Some(tag) = &container.tag {
        let wire = tag.value();
        match contract.property(&wire) {
            None => push(
                errors,
                syn::Error::new(
                    tag.span(),
                    format!(
                        "`#[serde(tag = \"{wire}\")]` adds the key `{wire}`, which schema `{}` does not list ({}); remove the tag or add `{wire}` to the schema",
                        contract.name, contract.location
                    ),
                ),
            ),
            Some(_) => present.push(wire),
        }
    }
    for field in &fields.named {
        let Some(ident) = &field.ident else { continue };
        let attrs = serde_attrs::field(&field.attrs, errors);
        let rust = ident.unraw().to_string();
        let (skipped, rename, rule, custom) = match side {
            Side::Response => (
                attrs.skip_ser,
                attrs.rename_ser.clone(),
                container.rename_all_ser,
                attrs.custom_ser,
            ),
            Side::Request => (
                attrs.skip_de,
                attrs.rename_de.clone(),
                container.rename_all_de,
                attrs.custom_de,
            ),
        };
        if skipped {
            continue;
        }
        if attrs.flatten {
            cx.flattened(field, &rust, &generics, errors);
            continue;
        }
        let wire = rename.unwrap_or_else(|| match rule {
            Some(r) => r.apply_to_field(&rust),
            None => rust.clone(),
        });
        let named = if wire == rust {
            format!("field `{rust}`")
        } else {
            format!("field `{rust}` (`{wire}` on the wire)")
        };
        match contract.property(&wire) {
            None => push(errors, cx.unknown(ident.span(), &named)),
            Some(p) => {
                present.push(wire.clone());
                if side == Side::Response && p.write_only {
                    push(
                        errors,
                        syn::Error::new(
                            ident.span(),
                            format!(
                                "{named} is writeOnly in schema `{}` ({}): it must never be sent in a response; remove it or mark it `#[serde(skip_serializing)]`",
                                contract.name, p.location
                            ),
                        ),
                    );
                    continue;
                }
                if side == Side::Request && p.read_only {
                    push(
                        errors,
                        syn::Error::new(
                            ident.span(),
                            format!(
                                "{named} is readOnly in schema `{}` ({}): binding it from a request is mass assignment (OWASP API3:2023); remove it or mark it `#[serde(skip_deserializing)]`",
                                contract.name, p.location
                            ),
                        ),
                    );
                    continue;
                }
                bound.push(Bound {
                    ident: ident.clone(),
                    ty: field.ty.clone(),
                    wire: wire.clone(),
                    skip_if: attrs.skip_ser_if,
                    named: named.clone(),
                    format: doc
                        .tree
                        .get(p.schema, "format")
                        .and_then(|f| doc.tree.str(f))
                        .map(str::to_string),
                    location: p.location.clone(),
                });
                if !custom {
                    let optional_in_struct = attrs.default || container.default;
                    cx.field_type(
                        field,
                        &named,
                        p,
                        &generics,
                        &attrs,
                        optional_in_struct,
                        errors,
                    );
                }
            }
        }
        if side == Side::Request {
            for alias in &attrs.aliases {
                let a = alias.value();
                match contract.property(&a) {
                    None => push(
                        errors,
                        syn::Error::new(
                            alias.span(),
                            format!(
                                "alias `{a}` of {named} is not in the request schema `{}` ({}): it accepts input the contract does not list; remove the alias or add `{a}` to the schema",
                                contract.name, contract.location
                            ),
                        ),
                    ),
                    Some(p) if p.read_only => push(
                        errors,
                        syn::Error::new(
                            alias.span(),
                            format!(
                                "alias `{a}` of {named} binds a readOnly property of schema `{}` ({}): mass assignment (OWASP API3:2023); remove the alias",
                                contract.name, p.location
                            ),
                        ),
                    ),
                    Some(_) => {}
                }
            }
        }
    }
    for (req, loc) in &contract.required {
        let Some(p) = contract.property(req) else {
            continue;
        };
        let exempt = match side {
            Side::Response => p.write_only,
            Side::Request => p.read_only,
        };
        if exempt || present.contains(req) {
            continue;
        }
        push(
            errors,
            syn::Error::new(
                input.ident.span(),
                format!(
                    "struct `{}` has no field for `{req}`, which schema `{}` requires ({loc}); add a field (on the wire as `{req}`) or remove `{req}` from `required`",
                    input.ident.unraw(),
                    contract.name
                ),
            ),
        );
    }
    Some(bound)
}

struct Cx<'a> {
    doc: &'a Document,
    contract: &'a Contract,
    side: Side,
}

impl Cx<'_> {
    fn unknown(&self, span: Span, named: &str) -> syn::Error {
        let c = self.contract;
        let msg = match self.side {
            Side::Response => format!(
                "{named} is not in the response allowlist of schema `{}` ({}); remove it, mark it `#[serde(skip)]`, or add it to the schema",
                c.name, c.location
            ),
            Side::Request => format!(
                "{named} is not in the request schema `{}` ({}): it would bind input the contract does not accept; remove it, mark it `#[serde(skip)]`, or add it to the schema",
                c.name, c.location
            ),
        };
        syn::Error::new(span, msg)
    }

    /// A `#[serde(flatten)]` field: a map adds arbitrary keys; other types are not visible.
    fn flattened(
        &self,
        field: &syn::Field,
        rust: &str,
        generics: &[String],
        errors: &mut Option<syn::Error>,
    ) {
        let c = self.contract;
        let shape = rust_type::shape(&field.ty, generics);
        let (_, inner) = shape.options();
        let span = syn::spanned::Spanned::span(&field.ty);
        match inner {
            Shape::Map(_) | Shape::Any => match c.additional {
                Additional::No => push(
                    errors,
                    syn::Error::new(
                        span,
                        format!(
                            "flattened field `{rust}` can add any key, but schema `{}` allows only its listed properties ({}); list the keys as fields, or allow `additionalProperties` in the schema",
                            c.name, c.location
                        ),
                    ),
                ),
                Additional::Any => {}
                Additional::Schema(ap) => {
                    if let Shape::Map(v) = inner
                        && let Some(m) = contract::mismatch(self.doc, v, ap, 0)
                    {
                        push(
                            errors,
                            syn::Error::new(
                                span,
                                format!(
                                    "flattened field `{rust}`: the values of `{}` do not fit the `additionalProperties` of schema `{}` ({}): {m}",
                                    rust_type::display(&field.ty),
                                    c.name,
                                    c.location
                                ),
                            ),
                        );
                    }
                }
            },
            _ => push(
                errors,
                syn::Error::new(
                    span,
                    format!(
                        "flattened field `{rust}`: the keys `{}` adds cannot be seen from here, so they cannot be checked against schema `{}`; list its fields in this struct instead of `#[serde(flatten)]`",
                        rust_type::display(&field.ty),
                        c.name
                    ),
                ),
            ),
        }
    }

    /// The field's type against the property's schema and presence.
    #[allow(clippy::too_many_arguments)]
    fn field_type(
        &self,
        field: &syn::Field,
        named: &str,
        p: &contract::Property,
        generics: &[String],
        attrs: &serde_attrs::FieldAttrs,
        default: bool,
        errors: &mut Option<syn::Error>,
    ) {
        let c = self.contract;
        let shape = rust_type::shape(&field.ty, generics);
        let (options, inner) = shape.options();
        let types = contract::types(self.doc, p.schema);
        let nullable = types.nullable();
        let required = c.required.iter().any(|r| r.0 == p.name);
        let ty = rust_type::display(&field.ty);
        let span = syn::spanned::Spanned::span(&field.ty);
        let at = format!(
            "property `{}` of schema `{}` ({})",
            p.name, c.name, p.location
        );
        let mut fail = |msg: String| push(errors, syn::Error::new(span, msg));
        let presence = match self.side {
            Side::Response => {
                let may_be_absent = attrs.skip_ser_if;
                let may_be_null = options >= 1 && !(options == 1 && attrs.skip_ser_if);
                if required && may_be_absent {
                    Some(format!(
                        "{named}: `skip_serializing_if` can leave out {at}, which is required; remove `skip_serializing_if`"
                    ))
                } else if !nullable && may_be_null {
                    let fix = if required {
                        "use a non-`Option` type, or make the property nullable in the schema"
                    } else {
                        "add `#[serde(skip_serializing_if = \"Option::is_none\")]`, or make the property nullable in the schema"
                    };
                    Some(format!(
                        "{named}: `{ty}` serialises `None` as null, but {at} is not nullable; {fix}"
                    ))
                } else {
                    None
                }
            }
            Side::Request => {
                if required && !nullable && options >= 1 {
                    Some(format!(
                        "{named}: `{ty}` accepts a request without it or with null, but {at} is required and not nullable; use a non-`Option` type"
                    ))
                } else if nullable
                    && options == 0
                    && !matches!(inner, Shape::Any | Shape::Unknown | Shape::Null)
                {
                    Some(format!(
                        "{named}: `{ty}` rejects null, but {at} is nullable; use `Option<{ty}>`"
                    ))
                } else if !required && options == 0 && !default {
                    Some(format!(
                        "{named}: `{ty}` rejects a request without it, but {at} is optional; use `Option<{ty}>` or add `#[serde(default)]`"
                    ))
                } else {
                    None
                }
            }
        };
        if let Some(msg) = presence {
            fail(msg);
            return;
        }
        if let Some(m) = contract::mismatch(self.doc, inner, p.schema, 0) {
            let verb = match self.side {
                Side::Response => "serialises",
                Side::Request => "deserialises",
            };
            fail(format!(
                "{named}: `{ty}` {verb} differently from {at}: {m}; change the field's type or the schema"
            ));
        }
    }
}
