//! Responses hold only what the contract lists.
//!
//! Generated response types are structs with exactly the contract's properties (writeOnly ones
//! removed), so a handler cannot add a field. Where the contract itself is open-ended (a
//! free-form object, `additionalProperties: true`), the generated field is an
//! [`AllowlistedMap`]: it can only be filled through an explicit list of keys the service
//! decided to expose, so copying a whole database row or upstream JSON object into a response
//! takes a visible decision instead of happening by accident.

use crate::validate::{Errors, Pointer, Validate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;

/// A free-form response map that only holds allowlisted keys.
#[derive(Clone, Debug, PartialEq)]
pub struct AllowlistedMap<V = serde_json::Value> {
    entries: BTreeMap<String, V>,
}

impl<V> Default for AllowlistedMap<V> {
    fn default() -> Self {
        AllowlistedMap {
            entries: BTreeMap::new(),
        }
    }
}

impl<V> AllowlistedMap<V> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Keep the entries of `map` whose key is in `allowed`; drop the rest.
    pub fn from_entries<I>(map: I, allowed: &[&str]) -> Self
    where
        I: IntoIterator<Item = (String, V)>,
    {
        AllowlistedMap {
            entries: map
                .into_iter()
                .filter(|(k, _)| allowed.contains(&k.as_str()))
                .collect(),
        }
    }

    /// Insert when `key` is in `allowed`; returns whether it was inserted.
    pub fn insert_allowed(&mut self, allowed: &[&str], key: &str, value: V) -> bool {
        if allowed.contains(&key) {
            self.entries.insert(key.to_string(), value);
            true
        } else {
            false
        }
    }

    pub fn get(&self, key: &str) -> Option<&V> {
        self.entries.get(key)
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.entries.iter()
    }
}

impl AllowlistedMap<serde_json::Value> {
    /// Keep the allowlisted members of a JSON object (anything else gives an empty map).
    pub fn from_json(value: serde_json::Value, allowed: &[&str]) -> Self {
        match value {
            serde_json::Value::Object(m) => Self::from_entries(m, allowed),
            _ => Self::default(),
        }
    }
}

impl<V: Serialize> Serialize for AllowlistedMap<V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.entries.serialize(s)
    }
}

/// Reading one back (a client, a test) accepts any keys: the allowlist guards what is *sent*.
impl<'de, V: Deserialize<'de>> Deserialize<'de> for AllowlistedMap<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(AllowlistedMap {
            entries: BTreeMap::deserialize(d)?,
        })
    }
}

impl<V> Validate for AllowlistedMap<V> {
    fn validate(&self, _: &mut Pointer, _: &mut Errors) {}
}

/// Remove every member of a JSON object whose key is not in `allowed` (nested values are
/// kept as they are).
pub fn retain_keys(value: &mut serde_json::Value, allowed: &[&str]) {
    if let serde_json::Value::Object(m) = value {
        m.retain(|k, _| allowed.contains(&k.as_str()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_allowed_keys_are_serialized() {
        let row = serde_json::json!({"name": "rex", "password_hash": "x", "owner_email": "e"});
        let m = AllowlistedMap::from_json(row.clone(), &["name"]);
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"name":"rex"}"#);
        let mut m2 = AllowlistedMap::new();
        assert!(!m2.insert_allowed(&["name"], "password_hash", 1));
        assert!(m2.insert_allowed(&["name"], "name", 2));
        let mut v = row;
        retain_keys(&mut v, &["name"]);
        assert_eq!(v, serde_json::json!({"name": "rex"}));
    }
}
