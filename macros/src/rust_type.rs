//! What JSON a Rust field type serialises to (as far as the type's name tells: serde's impls
//! for std types and the usual string-like library types). User types are `Unknown`: their
//! own derive decides.

use quote::ToTokens;
use syn::{GenericArgument, PathArguments, Type};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shape {
    String,
    Integer,
    Number,
    Bool,
    Null,
    Array(Box<Shape>),
    /// A tuple: an array of mixed items.
    Tuple,
    Map(Box<Shape>),
    Option(Box<Shape>),
    /// `serde_json::Value`: any JSON.
    Any,
    /// A type whose serialised form cannot be seen here.
    Unknown,
}

impl Shape {
    /// "a JSON string", for messages.
    pub fn describe(&self) -> String {
        match self {
            Shape::String => "a JSON string".into(),
            Shape::Integer => "a JSON integer".into(),
            Shape::Number => "a JSON number (possibly with a fraction)".into(),
            Shape::Bool => "a JSON boolean".into(),
            Shape::Null => "JSON null".into(),
            Shape::Array(_) | Shape::Tuple => "a JSON array".into(),
            Shape::Map(_) => "a JSON object with any keys".into(),
            Shape::Option(inner) => format!("{} or null", inner.describe()),
            Shape::Any => "any JSON value".into(),
            Shape::Unknown => "a value of its own type".into(),
        }
    }

    /// The number of `Option` layers around the value, and the value.
    pub fn options(&self) -> (usize, &Shape) {
        let mut n = 0;
        let mut cur = self;
        while let Shape::Option(inner) = cur {
            n += 1;
            cur = inner;
        }
        (n, cur)
    }
}

pub(crate) const INTEGERS: &[&str] = &[
    "i8",
    "i16",
    "i32",
    "i64",
    "i128",
    "isize",
    "u8",
    "u16",
    "u32",
    "u64",
    "u128",
    "usize",
    "NonZeroI8",
    "NonZeroI16",
    "NonZeroI32",
    "NonZeroI64",
    "NonZeroI128",
    "NonZeroIsize",
    "NonZeroU8",
    "NonZeroU16",
    "NonZeroU32",
    "NonZeroU64",
    "NonZeroU128",
    "NonZeroUsize",
    "NonZero",
];
pub(crate) const STRINGS: &[&str] = &[
    "String",
    "str",
    "char",
    "PathBuf",
    "Path",
    "Uuid",
    "Url",
    "IpAddr",
    "Ipv4Addr",
    "Ipv6Addr",
    "SocketAddr",
    "SocketAddrV4",
    "SocketAddrV6",
    "DateTime",
    "NaiveDate",
    "NaiveDateTime",
    "NaiveTime",
];
pub(crate) const TRANSPARENT: &[&str] = &[
    "Box",
    "Rc",
    "Arc",
    "Cow",
    "RefCell",
    "Cell",
    "Mutex",
    "RwLock",
    "Reverse",
    "Wrapping",
    "Saturating",
];
pub(crate) const SEQUENCES: &[&str] = &[
    "Vec",
    "VecDeque",
    "LinkedList",
    "HashSet",
    "BTreeSet",
    "BinaryHeap",
    "IndexSet",
];
pub(crate) const MAPS: &[&str] = &["HashMap", "BTreeMap", "IndexMap", "Map"];

pub(crate) fn type_args(args: &PathArguments) -> Vec<&Type> {
    match args {
        PathArguments::AngleBracketed(a) => a
            .args
            .iter()
            .filter_map(|g| match g {
                GenericArgument::Type(t) => Some(t),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The shape of a field type; `generics` are the struct's type parameters (unknown).
pub fn shape(ty: &Type, generics: &[String]) -> Shape {
    shape_at(ty, generics, 0)
}

fn shape_at(ty: &Type, generics: &[String], depth: usize) -> Shape {
    if depth > 32 {
        return Shape::Unknown;
    }
    let d = depth + 1;
    match ty {
        Type::Paren(p) => shape_at(&p.elem, generics, d),
        Type::Group(g) => shape_at(&g.elem, generics, d),
        Type::Reference(r) => shape_at(&r.elem, generics, d),
        Type::Slice(s) => Shape::Array(Box::new(shape_at(&s.elem, generics, d))),
        Type::Array(a) => Shape::Array(Box::new(shape_at(&a.elem, generics, d))),
        Type::Tuple(t) if t.elems.is_empty() => Shape::Null,
        Type::Tuple(_) => Shape::Tuple,
        Type::Path(p) if p.qself.is_none() => {
            let Some(last) = p.path.segments.last() else {
                return Shape::Unknown;
            };
            let name = last.ident.to_string();
            if p.path.segments.len() == 1 && generics.contains(&name) {
                return Shape::Unknown;
            }
            let args = type_args(&last.arguments);
            let n = name.as_str();
            if n == "Option" {
                return match args.first() {
                    Some(t) => Shape::Option(Box::new(shape_at(t, generics, d))),
                    None => Shape::Unknown,
                };
            }
            if TRANSPARENT.contains(&n) {
                return match args.last() {
                    Some(t) => shape_at(t, generics, d),
                    None => Shape::Unknown,
                };
            }
            if STRINGS.contains(&n) {
                return Shape::String;
            }
            if INTEGERS.contains(&n) {
                return Shape::Integer;
            }
            match n {
                "f32" | "f64" => return Shape::Number,
                "bool" => return Shape::Bool,
                "PhantomData" => return Shape::Null,
                "Value" => return Shape::Any,
                _ => {}
            }
            if SEQUENCES.contains(&n) {
                return match args.first() {
                    Some(t) => Shape::Array(Box::new(shape_at(t, generics, d))),
                    None => Shape::Unknown,
                };
            }
            if MAPS.contains(&n) {
                return match (args.len(), args.last()) {
                    (2, Some(t)) => Shape::Map(Box::new(shape_at(t, generics, d))),
                    _ => Shape::Unknown,
                };
            }
            Shape::Unknown
        }
        _ => Shape::Unknown,
    }
}

/// A type as users wrote it, spaced like rustfmt would (`Vec<Option<i64>>`).
pub fn display(ty: &Type) -> String {
    let s = ty.to_token_stream().to_string();
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '\'';
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c != ' ' {
            out.push(c);
            continue;
        }
        let prev = out.chars().last();
        let next = chars.get(i + 1).copied();
        if prev.is_some_and(|p| p == ',' || p == ';')
            || (prev.is_some_and(word) && next.is_some_and(|n| word(n) || n == '['))
        {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn s(t: &str) -> Shape {
        let ty: Type = syn::parse_str(t).expect("type");
        shape(&ty, &["T".to_string()])
    }

    #[test]
    fn shapes() {
        assert_eq!(s("String"), Shape::String);
        assert_eq!(s("&'a str"), Shape::String);
        assert_eq!(s("std::borrow::Cow<'a, str>"), Shape::String);
        assert_eq!(s("u64"), Shape::Integer);
        assert_eq!(s("f64"), Shape::Number);
        assert_eq!(
            s("Option<Vec<i32>>"),
            Shape::Option(Box::new(Shape::Array(Box::new(Shape::Integer))))
        );
        assert_eq!(
            s("BTreeMap<String, bool>"),
            Shape::Map(Box::new(Shape::Bool))
        );
        assert_eq!(s("serde_json::Value"), Shape::Any);
        assert_eq!(s("Box<T>"), Shape::Unknown);
        assert_eq!(s("MyType"), Shape::Unknown);
        assert_eq!(s("[u8; 4]"), Shape::Array(Box::new(Shape::Integer)));
        assert_eq!(s("()"), Shape::Null);
    }

    #[test]
    fn display_is_compact() {
        let ty: Type = syn::parse_str("Option < Vec < ::std::string::String > >").expect("type");
        assert_eq!(display(&ty), "Option<Vec<::std::string::String>>");
        let ty: Type = syn::parse_str("& 'a [u8 ; 4]").expect("type");
        assert_eq!(display(&ty), "&'a [u8; 4]");
        let ty: Type = syn::parse_str("HashMap<String,Box<dyn Trait>>").expect("type");
        assert_eq!(display(&ty), "HashMap<String, Box<dyn Trait>>");
    }
}
