//! The serde attributes that change what a struct looks like on the wire, parsed as serde
//! reads them (`rename`, `rename_all`, `alias`, `skip*`, `default`, `flatten`, `with`, `tag`,
//! `transparent`, `into`, `from`). Everything else serde accepts is skipped.

use proc_macro2::Span;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Token};

/// serde's `rename_all` rules, applied to field names exactly as serde does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

impl RenameRule {
    pub fn parse(s: &str) -> Option<RenameRule> {
        Some(match s {
            "lowercase" => RenameRule::Lower,
            "UPPERCASE" => RenameRule::Upper,
            "PascalCase" => RenameRule::Pascal,
            "camelCase" => RenameRule::Camel,
            "snake_case" => RenameRule::Snake,
            "SCREAMING_SNAKE_CASE" => RenameRule::ScreamingSnake,
            "kebab-case" => RenameRule::Kebab,
            "SCREAMING-KEBAB-CASE" => RenameRule::ScreamingKebab,
            _ => return None,
        })
    }

    /// serde_derive's `RenameRule::apply_to_field`.
    pub fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_string(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut pascal = String::new();
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        pascal.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        pascal.push(ch);
                    }
                }
                pascal
            }
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }
}

const RULES: &str = "\"lowercase\", \"UPPERCASE\", \"PascalCase\", \"camelCase\", \"snake_case\", \"SCREAMING_SNAKE_CASE\", \"kebab-case\", \"SCREAMING-KEBAB-CASE\"";

/// Container attributes.
#[derive(Default)]
pub struct Container {
    pub rename_all_ser: Option<RenameRule>,
    pub rename_all_de: Option<RenameRule>,
    pub default: bool,
    /// `tag = "..."` on a struct: serde adds this key.
    pub tag: Option<LitStr>,
    /// Attributes after which the wire form is another type's (`transparent`, `into`, `from`,
    /// `try_from`, `remote`): (attribute, span).
    pub opaque: Vec<(String, Span)>,
}

/// Field attributes.
#[derive(Default)]
pub struct FieldAttrs {
    pub rename_ser: Option<String>,
    pub rename_de: Option<String>,
    pub aliases: Vec<LitStr>,
    pub skip_ser: bool,
    pub skip_de: bool,
    pub skip_ser_if: bool,
    pub default: bool,
    pub flatten: bool,
    /// `with`, `serialize_with`: the serialised form is not the field type's.
    pub custom_ser: bool,
    /// `with`, `deserialize_with`: the deserialised form is not the field type's.
    pub custom_de: bool,
}

fn is_serde(attr: &Attribute) -> bool {
    attr.path().is_ident("serde")
}

/// Skip the value of an attribute serde has and we don't need.
fn skip(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let v = meta.value()?;
        let _: syn::Expr = v.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        let _: proc_macro2::TokenTree = meta.input.parse()?;
    }
    Ok(())
}

/// `name = "x"` or `name(serialize = "x", deserialize = "y")`.
fn ser_de_strings(meta: &ParseNestedMeta) -> syn::Result<(Option<LitStr>, Option<LitStr>)> {
    if meta.input.peek(Token![=]) {
        let s: LitStr = meta.value()?.parse()?;
        return Ok((Some(s.clone()), Some(s)));
    }
    let mut ser = None;
    let mut de = None;
    meta.parse_nested_meta(|m| {
        if m.path.is_ident("serialize") {
            ser = Some(m.value()?.parse()?);
        } else if m.path.is_ident("deserialize") {
            de = Some(m.value()?.parse()?);
        } else {
            skip(&m)?;
        }
        Ok(())
    })?;
    Ok((ser, de))
}

fn rule(lit: Option<LitStr>) -> syn::Result<Option<RenameRule>> {
    match lit {
        None => Ok(None),
        Some(l) => match RenameRule::parse(&l.value()) {
            Some(r) => Ok(Some(r)),
            None => Err(syn::Error::new(
                l.span(),
                format!(
                    "unknown rename rule `{}`; serde's rules are {RULES}",
                    l.value()
                ),
            )),
        },
    }
}

/// The container's serde attributes; errors are pushed to `errors`.
pub fn container(attrs: &[Attribute], errors: &mut Option<syn::Error>) -> Container {
    let mut c = Container::default();
    for attr in attrs.iter().filter(|a| is_serde(a)) {
        let r = attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            if p.is_ident("rename_all") {
                let (s, d) = ser_de_strings(&meta)?;
                c.rename_all_ser = rule(s)?.or(c.rename_all_ser);
                c.rename_all_de = rule(d)?.or(c.rename_all_de);
            } else if p.is_ident("default") {
                c.default = true;
                skip(&meta)?;
            } else if p.is_ident("tag") {
                c.tag = Some(meta.value()?.parse()?);
            } else if let Some(name) = ["transparent", "into", "from", "try_from", "remote"]
                .iter()
                .find(|n| p.is_ident(n))
            {
                c.opaque
                    .push(((*name).to_string(), syn::spanned::Spanned::span(p)));
                skip(&meta)?;
            } else {
                skip(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = r {
            crate::spec::push(errors, e);
        }
    }
    c
}

/// A field's serde attributes; errors are pushed to `errors`.
pub fn field(attrs: &[Attribute], errors: &mut Option<syn::Error>) -> FieldAttrs {
    let mut f = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| is_serde(a)) {
        let r = attr.parse_nested_meta(|meta| {
            let p = &meta.path;
            if p.is_ident("rename") {
                let (s, d) = ser_de_strings(&meta)?;
                if let Some(s) = s {
                    f.rename_ser = Some(s.value());
                }
                if let Some(d) = d {
                    f.rename_de = Some(d.value());
                }
            } else if p.is_ident("alias") {
                f.aliases.push(meta.value()?.parse()?);
            } else if p.is_ident("skip") {
                f.skip_ser = true;
                f.skip_de = true;
            } else if p.is_ident("skip_serializing") {
                f.skip_ser = true;
            } else if p.is_ident("skip_deserializing") {
                f.skip_de = true;
            } else if p.is_ident("skip_serializing_if") {
                f.skip_ser_if = true;
                skip(&meta)?;
            } else if p.is_ident("default") {
                f.default = true;
                skip(&meta)?;
            } else if p.is_ident("flatten") {
                f.flatten = true;
            } else if p.is_ident("with") {
                f.custom_ser = true;
                f.custom_de = true;
                skip(&meta)?;
            } else if p.is_ident("serialize_with") {
                f.custom_ser = true;
                skip(&meta)?;
            } else if p.is_ident("deserialize_with") {
                f.custom_de = true;
                skip(&meta)?;
            } else {
                skip(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = r {
            crate::spec::push(errors, e);
        }
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field_of(tokens: proc_macro2::TokenStream) -> FieldAttrs {
        let s: syn::DeriveInput = match syn::parse2(tokens) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        let syn::Data::Struct(d) = s.data else {
            panic!("not a struct")
        };
        let mut errors = None;
        let f = d.fields.iter().next().map(|f| field(&f.attrs, &mut errors));
        assert!(errors.is_none());
        f.unwrap_or_default()
    }

    #[test]
    fn rename_rules_match_serde() {
        let f = "user_id_2";
        assert_eq!(RenameRule::Camel.apply_to_field(f), "userId2");
        assert_eq!(RenameRule::Pascal.apply_to_field(f), "UserId2");
        assert_eq!(RenameRule::Kebab.apply_to_field(f), "user-id-2");
        assert_eq!(RenameRule::ScreamingKebab.apply_to_field(f), "USER-ID-2");
        assert_eq!(RenameRule::ScreamingSnake.apply_to_field(f), "USER_ID_2");
        assert_eq!(RenameRule::Upper.apply_to_field(f), "USER_ID_2");
        assert_eq!(RenameRule::Lower.apply_to_field(f), "user_id_2");
    }

    #[test]
    fn field_attributes() {
        let f = field_of(quote::quote! {
            struct S {
                #[serde(rename(serialize = "a", deserialize = "b"), alias = "c", skip_serializing_if = "Option::is_none", default = "d", bound = "T: X", with = "m")]
                x: u8,
            }
        });
        assert_eq!(f.rename_ser.as_deref(), Some("a"));
        assert_eq!(f.rename_de.as_deref(), Some("b"));
        assert_eq!(f.aliases.len(), 1);
        assert!(f.skip_ser_if && f.default && f.custom_ser && f.custom_de);
        assert!(!f.skip_ser && !f.flatten);
        let f = field_of(quote::quote! { struct S { #[serde(skip)] #[serde(flatten)] x: u8 } });
        assert!(f.skip_ser && f.skip_de && f.flatten);
    }
}
