//! serde glue for generated types: OpenAPI distinguishes absent, `null` and a value.
//!
//! | contract                      | Rust type            | absent   | `null`      | value            |
//! |-------------------------------|----------------------|----------|-------------|------------------|
//! | required                      | `T`                  | error    | error       | `v`              |
//! | required, nullable            | `Option<T>`          | error    | `None`      | `Some(v)`        |
//! | optional                      | `Option<T>`          | `None`   | error       | `Some(v)`        |
//! | optional, nullable            | `Option<Option<T>>`  | `None`   | `Some(None)`| `Some(Some(v))`  |

use serde::{Deserialize, Deserializer};

/// Required and nullable: present, `null` allowed (serde would otherwise accept absence).
/// Use with `deserialize_with`.
pub fn required_nullable<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d)
}

/// Optional but not nullable: absent is `None` (with `#[serde(default)]`), `null` is an error.
pub fn optional_non_null<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// Optional and nullable: absent is `None` (with `#[serde(default)]`), `null` is `Some(None)`.
pub fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Deserialize, Debug, PartialEq)]
    struct S {
        #[serde(deserialize_with = "super::required_nullable")]
        rn: Option<u8>,
        #[serde(default, deserialize_with = "super::optional_non_null")]
        o: Option<u8>,
        #[serde(default, deserialize_with = "super::double_option")]
        on: Option<Option<u8>>,
    }

    #[test]
    fn absent_null_value() {
        let s: S = serde_json::from_str(r#"{"rn": null}"#).unwrap();
        assert_eq!((s.rn, s.o, s.on), (None, None, None));
        let s: S = serde_json::from_str(r#"{"rn": 1, "o": 2, "on": null}"#).unwrap();
        assert_eq!((s.rn, s.o, s.on), (Some(1), Some(2), Some(None)));
        let s: S = serde_json::from_str(r#"{"rn": 1, "on": 3}"#).unwrap();
        assert_eq!(s.on, Some(Some(3)));
        assert!(serde_json::from_str::<S>(r#"{}"#).is_err());
        assert!(serde_json::from_str::<S>(r#"{"rn": 1, "o": null}"#).is_err());
    }
}
