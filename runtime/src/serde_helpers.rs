//! serde glue for generated types: OpenAPI distinguishes absent, `null` and a value.
//!
//! | contract                      | Rust type            | absent   | `null`      | value            |
//! |-------------------------------|----------------------|----------|-------------|------------------|
//! | required                      | `T`                  | error    | error       | `v`              |
//! | required, nullable            | `Option<T>`          | error    | `None`      | `Some(v)`        |
//! | optional                      | `Option<T>`          | `None`   | error       | `Some(v)`        |
//! | optional, nullable            | `Option<Option<T>>`  | `None`   | `Some(None)`| `Some(Some(v))`  |
//!
//! It also keeps JSON types apart where serde's derives blur them: a derived struct accepts a
//! JSON array of its fields in order (`["Rex", 3]` for `{"name": "Rex", "age": 3}`), and a
//! derived unit-variant enum accepts an object (`{"available": null}` for `"available"`). A
//! request type generated from the contract takes only what the contract says: an object for an
//! object schema ([`object_only!`](crate::object_only)), a string for a string enum
//! ([`string_enum`]).

use std::marker::PhantomData;

use serde::de::{Unexpected, Visitor};
use serde::{Deserialize, Deserializer};

use crate::param::FromParam;

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

/// A string enum from a JSON string only (never from an object naming the variant), through
/// its [`FromParam`] table. Use as the body of the type's `Deserialize::deserialize`.
pub fn string_enum<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromParam,
{
    struct V<T>(PhantomData<T>);
    impl<T: FromParam> Visitor<'_> for V<T> {
        type Value = T;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str(T::EXPECTED)
        }
        fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
            // The value is request input: the error names what was expected, not the value.
            T::from_param(s)
                .ok_or_else(|| E::invalid_value(Unexpected::Other("an unlisted string"), &self))
        }
    }
    d.deserialize_str(V(PhantomData))
}

/// Implements `Deserialize` and `Serialize` for a struct whose derives carry
/// `#[serde(remote = "Self")]` (which turns the derived impls into inherent functions):
/// deserialising accepts only a JSON object, then runs the derived field-by-field code;
/// serialising is the derived code unchanged. Generated code uses it on every request type.
#[macro_export]
macro_rules! object_only {
    ($t:ident) => {
        impl<'de> $crate::serde::Deserialize<'de> for $t {
            fn deserialize<D>(deserializer: D) -> ::core::result::Result<Self, D::Error>
            where
                D: $crate::serde::Deserializer<'de>,
            {
                struct ObjectVisitor;
                impl<'de> $crate::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $t;
                    fn expecting(&self, f: &mut ::core::fmt::Formatter) -> ::core::fmt::Result {
                        f.write_str("an object")
                    }
                    fn visit_map<A>(self, map: A) -> ::core::result::Result<$t, A::Error>
                    where
                        A: $crate::serde::de::MapAccess<'de>,
                    {
                        $t::deserialize($crate::serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }
        impl $crate::serde::Serialize for $t {
            fn serialize<S>(&self, serializer: S) -> ::core::result::Result<S::Ok, S::Error>
            where
                S: $crate::serde::Serializer,
            {
                $t::serialize(self, serializer)
            }
        }
    };
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

#[cfg(test)]
mod json_types {
    use serde::{Deserialize, Serialize};

    use crate::param::FromParam;

    #[derive(Deserialize, Serialize, Debug, PartialEq)]
    #[serde(remote = "Self", deny_unknown_fields)]
    struct Pet {
        name: String,
        age: u8,
    }
    crate::object_only!(Pet);

    #[derive(Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum PetOrAge {
        Pet(Pet),
        Age(u8),
    }

    #[derive(Debug, PartialEq)]
    enum Status {
        Available,
    }
    impl FromParam for Status {
        fn from_param(s: &str) -> Option<Self> {
            (s == "available").then_some(Status::Available)
        }
        const EXPECTED: &'static str = "one of the values the contract lists";
    }
    impl<'de> Deserialize<'de> for Status {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            super::string_enum(d)
        }
    }

    #[derive(Deserialize, Debug, PartialEq)]
    struct Holder {
        pets: Vec<Pet>,
        status: Status,
    }

    #[test]
    fn objects_only_from_objects() {
        let rex = Pet {
            name: "Rex".into(),
            age: 3,
        };
        assert_eq!(
            serde_json::from_str::<Pet>(r#"{"name": "Rex", "age": 3}"#).unwrap(),
            rex
        );
        let e = serde_json::from_str::<Pet>(r#"["Rex", 3]"#).unwrap_err();
        assert!(e.to_string().contains("expected an object"), "{e}");
        // Nested, and through serde's buffered paths (untagged enums, `Value`).
        assert!(
            serde_json::from_str::<Holder>(r#"{"pets": [["Rex", 3]], "status": "available"}"#)
                .is_err()
        );
        assert!(serde_json::from_str::<PetOrAge>(r#"["Rex", 3]"#).is_err());
        assert_eq!(
            serde_json::from_str::<PetOrAge>(r#"{"name": "Rex", "age": 3}"#).unwrap(),
            PetOrAge::Pet(rex)
        );
        assert!(serde_json::from_value::<Pet>(serde_json::json!(["Rex", 3])).is_err());
        // The derived field code still runs: unknown fields, missing fields.
        assert!(serde_json::from_str::<Pet>(r#"{"name": "Rex", "age": 3, "x": 1}"#).is_err());
        assert!(serde_json::from_str::<Pet>(r#"{"name": "Rex"}"#).is_err());
        // Serialising is unchanged.
        let json = serde_json::to_string(&Pet {
            name: "Rex".into(),
            age: 3,
        })
        .unwrap();
        assert_eq!(json, r#"{"name":"Rex","age":3}"#);
    }

    #[test]
    fn string_enums_only_from_strings() {
        let ok = serde_json::from_str::<Holder>(r#"{"pets": [], "status": "available"}"#);
        assert_eq!(ok.unwrap().status, Status::Available);
        for bad in [
            r#"{"available": null}"#,
            r#"["available"]"#,
            r#""sold""#,
            "1",
            "null",
        ] {
            let e = serde_json::from_str::<Status>(bad).unwrap_err();
            assert!(!e.to_string().contains("sold"), "{e}");
        }
        assert!(serde_json::from_value::<Status>(serde_json::json!({"available": null})).is_err());
    }
}
