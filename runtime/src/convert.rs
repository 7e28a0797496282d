//! Conversion of your own types into the generated ones.
//!
//! `#[derive(specguard::ApiResponse)]` with `#[specguard(spec = "..", schema = "Pet",
//! into = "crate::api::Pet")]` implements `From<YourPet> for api::Pet` field by field: each
//! field goes through [`IntoApi`], so the conversion is checked by the compiler, lossless, and
//! recursive through `Option`, `Vec` (and the other sequences), `Box` and string-keyed maps.
//! A nested type of yours converts when it derives the same conversion (or implements
//! [`IntoApi`] by hand); `specguard::api!` makes every generated type convert into itself.
//!
//! ```
//! use specguard::IntoApi;
//! let tags: Vec<String> = std::collections::BTreeSet::from(["a".to_string()]).into_api();
//! let n: Option<i64> = Some(7u32).into_api();
//! assert_eq!((tags, n), (vec!["a".to_string()], Some(7)));
//! ```

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};

/// A lossless conversion into a type of the generated module (or one of its field types).
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be converted into `{T}` of the generated module",
    label = "no lossless conversion from `{Self}` into `{T}`",
    note = "fields convert through `specguard::IntoApi`: the same type, a lossless integer or float widening, `Option`/`Vec`/sets/`Box`/string-keyed maps of convertible types, or a type of yours that derives `ApiResponse` with `into` naming the generated type"
)]
pub trait IntoApi<T> {
    fn into_api(self) -> T;
}

macro_rules! same {
    ($($t:ty),* $(,)?) => {$(
        impl IntoApi<$t> for $t {
            fn into_api(self) -> $t {
                self
            }
        }
    )*};
}
same!(
    String,
    bool,
    i8,
    i16,
    i32,
    i64,
    i128,
    u8,
    u16,
    u32,
    u64,
    u128,
    f32,
    f64,
    (),
    serde_json::Value,
    crate::allowlist::AllowlistedMap,
);

/// Lossless widenings (the ones `std` implements `From` for).
macro_rules! widen {
    ($($from:ty => $($to:ty),+;)*) => {$($(
        impl IntoApi<$to> for $from {
            fn into_api(self) -> $to {
                <$to>::from(self)
            }
        }
    )+)*};
}
widen! {
    i8 => i16, i32, i64, i128, f32, f64;
    i16 => i32, i64, i128, f32, f64;
    i32 => i64, i128, f64;
    i64 => i128;
    u8 => i16, i32, i64, i128, u16, u32, u64, u128, f32, f64;
    u16 => i32, i64, i128, u32, u64, u128, f32, f64;
    u32 => i64, i128, u64, u128, f64;
    u64 => i128, u128;
    f32 => f64;
}

impl IntoApi<String> for &str {
    fn into_api(self) -> String {
        self.to_string()
    }
}

impl IntoApi<String> for Box<str> {
    fn into_api(self) -> String {
        self.into_string()
    }
}

impl IntoApi<String> for std::borrow::Cow<'_, str> {
    fn into_api(self) -> String {
        self.into_owned()
    }
}

impl IntoApi<String> for char {
    fn into_api(self) -> String {
        self.to_string()
    }
}

impl<T: IntoApi<U>, U> IntoApi<Option<U>> for Option<T> {
    fn into_api(self) -> Option<U> {
        self.map(IntoApi::into_api)
    }
}

impl<T: IntoApi<U>, U> IntoApi<Box<U>> for Box<T> {
    fn into_api(self) -> Box<U> {
        Box::new((*self).into_api())
    }
}

impl<T: IntoApi<U>, U> IntoApi<Vec<U>> for Vec<T> {
    fn into_api(self) -> Vec<U> {
        self.into_iter().map(IntoApi::into_api).collect()
    }
}

impl<T: IntoApi<U>, U, const N: usize> IntoApi<Vec<U>> for [T; N] {
    fn into_api(self) -> Vec<U> {
        self.into_iter().map(IntoApi::into_api).collect()
    }
}

impl<T: IntoApi<U>, U> IntoApi<Vec<U>> for VecDeque<T> {
    fn into_api(self) -> Vec<U> {
        self.into_iter().map(IntoApi::into_api).collect()
    }
}

/// A set serialises as an array of distinct items (`uniqueItems`), in its own order.
impl<T: IntoApi<U>, U> IntoApi<Vec<U>> for BTreeSet<T> {
    fn into_api(self) -> Vec<U> {
        self.into_iter().map(IntoApi::into_api).collect()
    }
}

impl<T: IntoApi<U>, U, S> IntoApi<Vec<U>> for HashSet<T, S> {
    fn into_api(self) -> Vec<U> {
        self.into_iter().map(IntoApi::into_api).collect()
    }
}

impl<T: IntoApi<U>, U> IntoApi<BTreeMap<String, U>> for BTreeMap<String, T> {
    fn into_api(self) -> BTreeMap<String, U> {
        self.into_iter().map(|(k, v)| (k, v.into_api())).collect()
    }
}

impl<T: IntoApi<U>, U, S> IntoApi<BTreeMap<String, U>> for HashMap<String, T, S> {
    fn into_api(self) -> BTreeMap<String, U> {
        self.into_iter().map(|(k, v)| (k, v.into_api())).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_convert_item_by_item() {
        let v: Vec<Option<i64>> = vec![Some(1u8), None].into_api();
        assert_eq!(v, [Some(1), None]);
        let m: BTreeMap<String, f64> = HashMap::from([("a".to_string(), 1.5f32)]).into_api();
        assert_eq!(m.get("a"), Some(&1.5));
        let b: Box<String> = Box::new("x").into_api();
        assert_eq!(*b, "x");
        let a: Vec<String> = ['a', 'b'].into_api();
        assert_eq!(a, ["a", "b"]);
    }
}
