//! `application/x-www-form-urlencoded` request bodies, read into the same generated types as
//! JSON bodies.
//!
//! Pairs are gathered into a tree first: `a=1&a=2` and `a[]=1&a[]=2` are the list `a`,
//! `a[b][c]=1` nests objects (OpenAPI's `deepObject`, the bracket style Stripe and Rails use),
//! `a[0][b]=1&a[1][b]=2` is a list of objects. Every leaf is text; the generated type decides
//! what it must be: `"42"` is read as an integer only where the contract says integer, `"true"`
//! as a boolean only where it says boolean. A key that is both a value and an object
//! (`a=1&a[b]=2`), nesting deeper than [`MAX_DEPTH`], or a value that does not fit is refused
//! without echoing the input.

use std::collections::BTreeMap;

use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{Deserializer, Error as _, IntoDeserializer, Unexpected, Visitor};

/// Brackets nest at most this deep (`a[b][c]…`).
pub const MAX_DEPTH: usize = 16;

/// A form key's values, or the object its bracketed keys make.
#[derive(Debug, Clone, PartialEq)]
pub enum FormNode {
    Values(Vec<Leaf>),
    Object(BTreeMap<String, FormNode>),
}

/// One value: text, or the octets of a multipart file part (read as text only if UTF-8).
#[derive(Debug, Clone, PartialEq)]
pub enum Leaf {
    Text(String),
    Bytes(Vec<u8>),
}

impl Leaf {
    fn text(self) -> Result<String, Error> {
        match self {
            Leaf::Text(s) => Ok(s),
            Leaf::Bytes(b) => String::from_utf8(b)
                .map_err(|_| Error::invalid_type(Unexpected::Other("binary content"), &"text")),
        }
    }
}

/// Why a body is not a well-formed form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormError {
    /// A key is used both for a value and for an object (`a=1&a[b]=2`).
    Conflict,
    /// Brackets nest deeper than [`MAX_DEPTH`].
    TooDeep,
    /// A key with unbalanced or misplaced brackets (`a[b`, `a]`, `[a]`).
    BadKey,
}

/// Gather the pairs of a form body into a tree.
pub fn parse(bytes: &[u8]) -> Result<BTreeMap<String, FormNode>, FormError> {
    from_pairs(form_urlencoded::parse(bytes))
}

/// Gather decoded pairs into a tree (a query string's, for `deepObject` parameters).
pub fn from_pairs<K, V>(
    pairs: impl IntoIterator<Item = (K, V)>,
) -> Result<BTreeMap<String, FormNode>, FormError>
where
    K: AsRef<str>,
    V: Into<String>,
{
    let mut root: BTreeMap<String, FormNode> = BTreeMap::new();
    for (key, value) in pairs {
        insert_leaf(&mut root, key.as_ref(), Leaf::Text(value.into()))?;
    }
    Ok(root)
}

/// Add one value under a (bracketed) key.
pub fn insert_leaf(
    root: &mut BTreeMap<String, FormNode>,
    key: &str,
    value: Leaf,
) -> Result<(), FormError> {
    let path = split_key(key)?;
    insert(root, &path, value)
}

/// `a[b][]` → `["a", "b", ""]`.
fn split_key(key: &str) -> Result<Vec<&str>, FormError> {
    let (head, mut rest) = match key.find('[') {
        Some(i) => (&key[..i], &key[i..]),
        None => (key, ""),
    };
    if head.is_empty() && !rest.is_empty() || head.contains(']') {
        return Err(FormError::BadKey);
    }
    let mut path = vec![head];
    while !rest.is_empty() {
        let inner = rest.strip_prefix('[').ok_or(FormError::BadKey)?;
        let close = inner.find(']').ok_or(FormError::BadKey)?;
        let seg = &inner[..close];
        if seg.contains('[') {
            return Err(FormError::BadKey);
        }
        path.push(seg);
        if path.len() > MAX_DEPTH {
            return Err(FormError::TooDeep);
        }
        rest = &inner[close + 1..];
    }
    Ok(path)
}

fn insert(
    map: &mut BTreeMap<String, FormNode>,
    path: &[&str],
    value: Leaf,
) -> Result<(), FormError> {
    let Some((first, rest)) = path.split_first() else {
        return Ok(());
    };
    // `a[]` appends to the list `a`, as a repeated `a` does.
    let rest = if rest == [""] { &[][..] } else { rest };
    let slot = map
        .entry((*first).to_string())
        .or_insert_with(|| match rest.is_empty() {
            true => FormNode::Values(Vec::new()),
            false => FormNode::Object(BTreeMap::new()),
        });
    match (slot, rest.is_empty()) {
        (FormNode::Values(values), true) => {
            values.push(value);
            Ok(())
        }
        (FormNode::Object(inner), false) => {
            if rest.first() == Some(&"") {
                return Err(FormError::BadKey);
            }
            insert(inner, rest, value)
        }
        _ => Err(FormError::Conflict),
    }
}

/// The whole body, as an object.
pub fn deserializer(root: BTreeMap<String, FormNode>) -> FormNode {
    FormNode::Object(root)
}

impl FormNode {
    fn single(self) -> Result<String, Error> {
        self.single_leaf()?.text()
    }
    fn single_leaf(self) -> Result<Leaf, Error> {
        match self {
            FormNode::Values(mut v) if v.len() == 1 => Ok(v.remove(0)),
            FormNode::Values(_) => Err(Error::invalid_type(Unexpected::Seq, &"a single value")),
            FormNode::Object(_) => Err(Error::invalid_type(Unexpected::Map, &"a single value")),
        }
    }
}

impl<'de> IntoDeserializer<'de, Error> for FormNode {
    type Deserializer = FormNode;
    fn into_deserializer(self) -> FormNode {
        self
    }
}

/// Text read as a number or a boolean: the error names the expected type, not the text.
macro_rules! parsed {
    ($($method:ident => $visit:ident: $t:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let s = self.single()?;
            match s.parse::<$t>() {
                Ok(v) => visitor.$visit(v),
                Err(_) => Err(Error::invalid_type(Unexpected::Other("text"), &visitor)),
            }
        }
    )*};
}

impl<'de> Deserializer<'de> for FormNode {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            FormNode::Values(mut v) if v.len() == 1 => match v.remove(0) {
                Leaf::Text(s) => visitor.visit_string(s),
                Leaf::Bytes(b) => visitor.visit_byte_buf(b),
            },
            FormNode::Values(v) => visitor.visit_seq(SeqDeserializer::new(
                v.into_iter().map(|s| FormNode::Values(vec![s])),
            )),
            FormNode::Object(m) => visitor.visit_map(MapDeserializer::new(m.into_iter())),
        }
    }

    parsed! {
        deserialize_bool => visit_bool: bool,
        deserialize_i8 => visit_i8: i8,
        deserialize_i16 => visit_i16: i16,
        deserialize_i32 => visit_i32: i32,
        deserialize_i64 => visit_i64: i64,
        deserialize_i128 => visit_i128: i128,
        deserialize_u8 => visit_u8: u8,
        deserialize_u16 => visit_u16: u16,
        deserialize_u32 => visit_u32: u32,
        deserialize_u64 => visit_u64: u64,
        deserialize_u128 => visit_u128: u128,
        deserialize_f32 => visit_f32: f32,
        deserialize_f64 => visit_f64: f64,
        deserialize_char => visit_char: char,
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_string(self.single()?)
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.single_leaf()? {
            Leaf::Text(s) => visitor.visit_byte_buf(s.into_bytes()),
            Leaf::Bytes(b) => visitor.visit_byte_buf(b),
        }
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }
    /// A key that is present has a value: forms have no `null`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_some(self)
    }
    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        Err(Error::invalid_type(
            Unexpected::Other("a form value"),
            &visitor,
        ))
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }
    /// Repeated keys, `a[]`, or an object whose keys are all indexes (`a[0]`, `a[1]`, …).
    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            FormNode::Values(v) => visitor.visit_seq(SeqDeserializer::new(
                v.into_iter().map(|s| FormNode::Values(vec![s])),
            )),
            FormNode::Object(m) => {
                let mut indexed = Vec::with_capacity(m.len());
                for (k, v) in m {
                    let i = (!k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()))
                        .then(|| k.parse::<usize>().ok())
                        .flatten()
                        .ok_or_else(|| Error::invalid_type(Unexpected::Map, &"a list"))?;
                    indexed.push((i, v));
                }
                indexed.sort_by_key(|(i, _)| *i);
                visitor.visit_seq(SeqDeserializer::new(indexed.into_iter().map(|(_, v)| v)))
            }
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            FormNode::Object(m) => visitor.visit_map(MapDeserializer::new(m.into_iter())),
            FormNode::Values(_) => Err(Error::invalid_type(Unexpected::Other("text"), &visitor)),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let s = self.single()?;
        visitor.visit_enum(s.into_deserializer())
    }
    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }
    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Card {
        number: String,
        exp_month: u8,
    }

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Charge {
        amount: i64,
        capture: Option<bool>,
        card: Option<Card>,
        expand: Option<Vec<String>>,
        items: Option<Vec<Card>>,
        metadata: Option<BTreeMap<String, String>>,
        ratio: Option<f64>,
    }

    fn read<T: for<'de> Deserialize<'de>>(body: &str) -> Result<T, String> {
        let tree = parse(body.as_bytes()).map_err(|e| format!("{e:?}"))?;
        T::deserialize(deserializer(tree)).map_err(|e| e.to_string())
    }

    #[test]
    fn brackets_nest_and_text_takes_the_contract_type() {
        let c: Charge = read(
            "amount=2000&capture=true&card[number]=4242&card[exp_month]=12\
             &expand[]=customer&expand[]=invoice&items[1][number]=2&items[1][exp_month]=2\
             &items[0][number]=1&items[0][exp_month]=1&metadata[order%20id]=A%2B1&ratio=0.5",
        )
        .unwrap();
        assert_eq!(c.amount, 2000);
        assert_eq!(c.capture, Some(true));
        assert_eq!(c.card.unwrap().exp_month, 12);
        assert_eq!(c.expand.unwrap(), ["customer", "invoice"]);
        let items = c.items.unwrap();
        assert_eq!(
            (items[0].number.as_str(), items[1].number.as_str()),
            ("1", "2")
        );
        assert_eq!(c.metadata.unwrap()["order id"], "A+1");
        assert_eq!(c.ratio, Some(0.5));
        // Repeated keys are a list too.
        let c: Charge = read("amount=1&expand=a&expand=b").unwrap();
        assert_eq!(c.expand.unwrap(), ["a", "b"]);
    }

    #[test]
    fn what_does_not_fit_is_refused() {
        for body in [
            "amount=lots",
            "amount=1&amount=2",
            "amount[x]=1",
            "amount=1&capture=yes",
            "amount=1&card=4242",
            "amount=1&unknown=1",
            "amount=1&items[a][number]=1",
            "amount=1&card[exp_month]=300&card[number]=1",
        ] {
            assert!(read::<Charge>(body).is_err(), "{body}");
        }
        assert_eq!(
            read::<Charge>("amount=1&card=1&card[number]=2").unwrap_err(),
            "Conflict"
        );
        assert_eq!(read::<Charge>("a[b=1").unwrap_err(), "BadKey");
        assert_eq!(read::<Charge>("[a]=1").unwrap_err(), "BadKey");
        let deep = format!("a{}=1", "[x]".repeat(MAX_DEPTH));
        assert_eq!(read::<Charge>(&deep).unwrap_err(), "TooDeep");
        // The error names the expected type, never the text.
        let e = read::<Charge>("amount=%3Cscript%3E").unwrap_err();
        assert!(!e.contains("script"), "{e}");
    }
}
