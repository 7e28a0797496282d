//! Names that look like personal or secret data.
//!
//! A name is split into lower-case words (`creditCardNumber` → credit, card, number) and matches
//! when a listed word or phrase is its *head*: the last words, optionally followed by a word that
//! still denotes the value (`password_hash`, `token_value`). So `access_token`, `userEmail` and
//! `card_number` match while `token_type`, `password_policy` and `email_verified` do not.

use heck::ToSnakeCase;
use rustc_hash::FxHashMap as HashMap;
use std::sync::{Arc, LazyLock, RwLock};

/// What kind of data a name suggests.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Credentials and secrets: never in a response.
    Secret,
    /// Personal data: in a response only when the client needs it.
    Personal,
}

/// The configurable word list.
#[derive(Debug)]
pub struct SensitiveWords {
    entries: Vec<(Vec<String>, Category)>,
    /// Names already classified: the same property names recur thousands of times in a large
    /// spec, and splitting a name into words is the costly part. Shared by the rules that run
    /// in parallel.
    cache: RwLock<HashMap<Box<str>, Option<Category>>>,
}

impl Clone for SensitiveWords {
    fn clone(&self) -> Self {
        SensitiveWords::from_entries(self.entries.clone())
    }
}

/// Words that may follow a sensitive head and still denote its value.
const VALUE_SUFFIXES: [&str; 7] = [
    "hash",
    "hashed",
    "value",
    "digest",
    "encrypted",
    "plain",
    "raw",
];

pub const DEFAULT_SECRET: &[&str] = &[
    "password",
    "passwd",
    "passphrase",
    "pwd",
    "secret",
    "client secret",
    "token",
    "access token",
    "refresh token",
    "api key",
    "apikey",
    "private key",
    "secret key",
    "cvv",
    "cvc",
    "cvv2",
    "pin",
    "otp",
    "totp seed",
    "mfa secret",
    "credentials",
    "session id",
];

pub const DEFAULT_PERSONAL: &[&str] = &[
    "email",
    "email address",
    "phone",
    "phone number",
    "mobile",
    "mobile number",
    "ssn",
    "social security number",
    "tax id",
    "national id",
    "passport number",
    "card number",
    "credit card",
    "pan",
    "iban",
    "account number",
    "routing number",
    "dob",
    "date of birth",
    "birth date",
    "birthdate",
    "birthday",
    "address",
    "street address",
    "postal code",
    "ip address",
    "salary",
];

impl Default for SensitiveWords {
    fn default() -> Self {
        let mut entries = Vec::new();
        for w in DEFAULT_SECRET {
            entries.push((words(w).to_vec(), Category::Secret));
        }
        for w in DEFAULT_PERSONAL {
            entries.push((words(w).to_vec(), Category::Personal));
        }
        SensitiveWords::from_entries(entries)
    }
}

/// Split a name into lower-case words.
pub fn words(name: &str) -> Words {
    // Rules ask for the words of the same few thousand names again and again (every
    // parameter, property and path segment of a large API, once per rule): split each once.
    static CACHE: LazyLock<RwLock<HashMap<Box<str>, Words>>> = LazyLock::new(Default::default);
    if let Ok(cache) = CACHE.read()
        && let Some(w) = cache.get(name)
    {
        return w.clone();
    }
    let w: Words = name
        .to_snake_case()
        .split('_')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if let Ok(mut cache) = CACHE.write() {
        cache.insert(name.into(), w.clone());
    }
    w
}

/// The lower-case words of a name, shared (see [`words`]).
pub type Words = Arc<[String]>;

impl SensitiveWords {
    /// A list from configuration: each entry a word or phrase (`"card number"`, `card_number`).
    pub fn new(secret: &[String], personal: &[String]) -> Self {
        let mut entries = Vec::new();
        for w in secret {
            entries.push((words(w).to_vec(), Category::Secret));
        }
        for w in personal {
            entries.push((words(w).to_vec(), Category::Personal));
        }
        entries.retain(|(w, _)| !w.is_empty());
        SensitiveWords::from_entries(entries)
    }

    fn from_entries(entries: Vec<(Vec<String>, Category)>) -> Self {
        SensitiveWords {
            entries,
            cache: RwLock::new(HashMap::default()),
        }
    }

    /// The category of a field name, if it looks sensitive.
    pub fn classify(&self, name: &str) -> Option<Category> {
        if let Ok(cache) = self.cache.read()
            && let Some(c) = cache.get(name)
        {
            return *c;
        }
        let c = self.classify_uncached(name);
        if let Ok(mut cache) = self.cache.write() {
            cache.insert(name.into(), c);
        }
        c
    }

    fn classify_uncached(&self, name: &str) -> Option<Category> {
        let mut ws = words(name).to_vec();
        if ws.len() > 1
            && let Some(last) = ws.last()
            && VALUE_SUFFIXES.contains(&last.as_str())
        {
            ws.pop();
        }
        let mut best: Option<(usize, Category)> = None;
        for (phrase, cat) in &self.entries {
            if phrase.len() <= ws.len() && ws[ws.len() - phrase.len()..] == phrase[..] {
                // The longest phrase wins (`access token` over `token`); secrets win ties.
                let better = match best {
                    None => true,
                    Some((l, c)) => {
                        phrase.len() > l
                            || (phrase.len() == l
                                && *cat == Category::Secret
                                && c != Category::Secret)
                    }
                };
                if better {
                    best = Some((phrase.len(), *cat));
                }
            }
        }
        best.map(|(_, c)| c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn head_words_match_and_modifiers_do_not() {
        let w = SensitiveWords::default();
        for (name, cat) in [
            ("password", Category::Secret),
            ("access_token", Category::Secret),
            ("refreshToken", Category::Secret),
            ("password_hash", Category::Secret),
            ("userEmail", Category::Personal),
            ("card_number", Category::Personal),
            ("creditCardNumber", Category::Personal),
            ("SSN", Category::Personal),
            ("date_of_birth", Category::Personal),
            ("billing-address", Category::Personal),
        ] {
            assert_eq!(w.classify(name), Some(cat), "{name}");
        }
        for name in [
            "token_type",
            "password_policy",
            "email_verified",
            "address_count",
            "tokens_used_total",
            "id",
            "name",
            "expires_in",
            "spanner",
            "happen",
        ] {
            assert_eq!(w.classify(name), None, "{name}");
        }
    }
}
