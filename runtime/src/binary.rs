//! [`Binary`]: a `type: string, format: binary` value — any octets, such as a file uploaded in
//! a `multipart/form-data` part.

use serde::de::{Deserialize, Deserializer, Error, SeqAccess, Visitor};
use serde::{Serialize, Serializer};

use crate::param::FromParam;

/// The octets of a `format: binary` string. Read from a multipart file part as sent, from
/// JSON or text as the text's UTF-8 bytes; written as text (invalid UTF-8 replaced), since
/// JSON has no other way to carry it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Binary(pub Vec<u8>);

impl Binary {
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
    pub fn len(&self) -> usize {
        self.0.len()
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<Vec<u8>> for Binary {
    fn from(v: Vec<u8>) -> Binary {
        Binary(v)
    }
}

impl<'de> Deserialize<'de> for Binary {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Binary, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Binary;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("binary content")
            }
            fn visit_str<E: Error>(self, s: &str) -> Result<Binary, E> {
                Ok(Binary(s.as_bytes().to_vec()))
            }
            fn visit_string<E: Error>(self, s: String) -> Result<Binary, E> {
                Ok(Binary(s.into_bytes()))
            }
            fn visit_bytes<E: Error>(self, b: &[u8]) -> Result<Binary, E> {
                Ok(Binary(b.to_vec()))
            }
            fn visit_byte_buf<E: Error>(self, b: Vec<u8>) -> Result<Binary, E> {
                Ok(Binary(b))
            }
            /// Never from a list of numbers: that is not a string.
            fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<Binary, A::Error> {
                Err(A::Error::invalid_type(serde::de::Unexpected::Seq, &self))
            }
        }
        d.deserialize_byte_buf(V)
    }
}

impl Serialize for Binary {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&String::from_utf8_lossy(&self.0))
    }
}

impl FromParam for Binary {
    fn from_param(s: &str) -> Option<Binary> {
        Some(Binary(s.as_bytes().to_vec()))
    }
    const EXPECTED: &'static str = "text";
}

#[cfg(test)]
mod tests {
    use super::Binary;

    #[test]
    fn from_json_text_only() {
        let b: Binary = serde_json::from_str(r#""héllo""#).unwrap();
        assert_eq!(b.as_bytes(), "héllo".as_bytes());
        assert!(serde_json::from_str::<Binary>("[104, 105]").is_err());
        assert!(serde_json::from_str::<Binary>("1").is_err());
        assert_eq!(
            serde_json::to_string(&Binary(vec![b'a', 0xff])).unwrap(),
            "\"a\u{fffd}\""
        );
    }
}
