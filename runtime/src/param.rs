//! Typed path, query, header and cookie parameters.
//!
//! [`RequestInput`] is built after authentication; generated code asks it for each parameter of
//! the contract by name. A scalar given twice (`?limit=1&limit=2`) is an error, not a guess
//! (HTTP parameter pollution); unparseable values are reported without echoing them.

use crate::problem::{Location, Problem};
use crate::validate::{Errors, Pointer};
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequestParts, RawPathParams};
use http::request::Parts;

/// Parse one parameter value.
pub trait FromParam: Sized {
    fn from_param(s: &str) -> Option<Self>;
    /// What a value must look like, for the error message.
    const EXPECTED: &'static str;
}

impl FromParam for String {
    fn from_param(s: &str) -> Option<Self> {
        Some(s.to_string())
    }
    const EXPECTED: &'static str = "a string";
}

impl FromParam for bool {
    fn from_param(s: &str) -> Option<Self> {
        match s {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }
    const EXPECTED: &'static str = "`true` or `false`";
}

macro_rules! int_param {
    ($($t:ty),*) => {$(
        impl FromParam for $t {
            fn from_param(s: &str) -> Option<Self> {
                if s.starts_with('+') { return None; }
                s.parse().ok()
            }
            const EXPECTED: &'static str = "an integer in range";
        }
    )*};
}
int_param!(i32, i64, u32, u64);

macro_rules! float_param {
    ($($t:ty),*) => {$(
        impl FromParam for $t {
            fn from_param(s: &str) -> Option<Self> {
                let v: $t = s.parse().ok()?;
                v.is_finite().then_some(v)
            }
            const EXPECTED: &'static str = "a finite number";
        }
    )*};
}
float_param!(f32, f64);

/// Whether a query key belongs to the parameter `name` (`name`, or `name[...]`).
fn key_of(key: &str, name: &str) -> bool {
    key.strip_prefix(name)
        .is_some_and(|r| r.is_empty() || r.starts_with('['))
}

/// The raw parameters of one request.
#[derive(Debug, Default)]
pub struct RequestInput {
    path: Vec<(String, String)>,
    query: Vec<(String, String)>,
    headers: http::HeaderMap,
    cookies: Vec<(String, String)>,
    bad_cookie_header: bool,
}

impl RequestInput {
    /// [`RequestInput::new`] without an `.await`: axum's path parameters are read from the
    /// request's extensions, so that future is ready at once. Generated handlers use this one
    /// (an `.await` fewer in each handler's state machine).
    pub fn from_parts(parts: &mut Parts) -> Result<RequestInput, Problem> {
        use futures_util::FutureExt;
        RequestInput::new(parts)
            .now_or_never()
            .unwrap_or_else(|| Err(Problem::internal()))
    }

    /// Collect path captures, query pairs, headers and cookies. Fails (400) only when a path
    /// segment is not valid UTF-8 once percent-decoded.
    pub async fn new(parts: &mut Parts) -> Result<RequestInput, Problem> {
        let path = match RawPathParams::from_request_parts(parts, &()).await {
            Ok(p) => p
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
            Err(RawPathParamsRejection::InvalidUtf8InPathParam(_)) => {
                return Err(Problem::bad_request(
                    "a path segment is not valid UTF-8",
                    Vec::new(),
                ));
            }
            // A route without captures.
            Err(_) => Vec::new(),
        };
        let query = form_urlencoded::parse(parts.uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let mut cookies = Vec::new();
        let mut bad_cookie_header = false;
        for h in parts.headers.get_all(http::header::COOKIE) {
            match h.to_str() {
                Ok(h) => {
                    for pair in h.split(';') {
                        if let Some((k, v)) = pair.trim_matches(' ').split_once('=') {
                            cookies.push((k.to_string(), v.trim_matches('"').to_string()));
                        }
                    }
                }
                Err(_) => bad_cookie_header = true,
            }
        }
        Ok(RequestInput {
            path,
            query,
            headers: parts.headers.clone(),
            cookies,
            bad_cookie_header,
        })
    }

    /// Split the path capture `capture` by a segment template: `literals` are the texts around
    /// the segment's parameters (`{base}...{head}` → `["", "...", ""]`), `parts` the capture
    /// names given to the pieces. Each piece is non-empty and ends at the first occurrence of
    /// the text that follows it. A segment that does not fit the template is 404, as for any
    /// path the router does not serve.
    pub fn split_segment(
        &mut self,
        capture: &str,
        literals: &[&str],
        parts: &[&'static str],
    ) -> Result<(), Problem> {
        let value = self
            .path
            .iter()
            .find(|(k, _)| k == capture)
            .map(|(_, v)| v.clone())
            .ok_or_else(Problem::not_found)?;
        let pieces = split_template(&value, literals)
            .filter(|p| p.len() == parts.len())
            .ok_or_else(Problem::not_found)?;
        for (name, piece) in parts.iter().zip(pieces) {
            self.path.push(((*name).to_string(), piece));
        }
        Ok(())
    }

    /// The raw values of a parameter (several for repeated query keys or header lines).
    fn raw(&self, location: Location, name: &str) -> Result<Vec<&str>, &'static str> {
        Ok(match location {
            Location::Path => self
                .path
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect(),
            Location::Query => self
                .query
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect(),
            Location::Header => {
                let mut out = Vec::new();
                for v in self.headers.get_all(name) {
                    out.push(v.to_str().map_err(|_| "must be visible ASCII")?);
                }
                out
            }
            Location::Cookie => {
                if self.bad_cookie_header {
                    return Err("the Cookie header must be visible ASCII");
                }
                self.cookies
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
                    .collect()
            }
            Location::Body => Vec::new(),
        })
    }

    /// A `style: deepObject` query parameter of any type: the query's pairs as a form tree
    /// ([`crate::form`]: `name[a]=1&name[b][]=2`), the subtree under `name` read into `T`.
    /// A query that is not a well-formed form, or a value that does not fit `T`, is recorded
    /// in `errors` without echoing it.
    pub fn deep<T: serde::de::DeserializeOwned>(
        &self,
        name: &'static str,
        required: bool,
        errors: &mut Errors,
    ) -> Option<T> {
        // Only this parameter's keys: another key's odd brackets are not its problem.
        self.read_tree(
            name,
            |k| key_of(k, name),
            required,
            errors,
            |mut tree| tree.remove(name),
        )
    }

    /// An object in query with `style: form, explode: true`: each property is a query key of
    /// its own (`?gt=1&lt=5` for `{gt, lt}`), so `T` is read from every query key that no
    /// other parameter of the operation (`others`, by name; bracketed `name[...]` keys too)
    /// claims. Absent when none is left.
    pub fn exploded<T: serde::de::DeserializeOwned>(
        &self,
        name: &'static str,
        others: &[&str],
        required: bool,
        errors: &mut Errors,
    ) -> Option<T> {
        let unclaimed = |k: &str| !others.iter().any(|o| key_of(k, o));
        self.read_tree(name, unclaimed, required, errors, |tree| {
            (!tree.is_empty()).then(|| crate::form::deserializer(tree))
        })
    }

    /// The query pairs whose keys `keep` accepts, as a form tree; `pick` chooses the node `T`
    /// is read from (`None`: the parameter is absent).
    fn read_tree<T: serde::de::DeserializeOwned>(
        &self,
        name: &'static str,
        keep: impl Fn(&str) -> bool,
        required: bool,
        errors: &mut Errors,
        pick: impl FnOnce(
            std::collections::BTreeMap<String, crate::form::FormNode>,
        ) -> Option<crate::form::FormNode>,
    ) -> Option<T> {
        let at = Pointer::param(Location::Query, name);
        let pairs = self
            .query
            .iter()
            .filter(|(k, _)| keep(k))
            .map(|(k, v)| (k.as_str(), v.clone()));
        let tree = match crate::form::from_pairs(pairs) {
            Ok(t) => t,
            Err(_) => {
                errors.add(&at, "is not well-formed (a key used both for a value and an object, unbalanced brackets, or brackets nested too deep)");
                return None;
            }
        };
        let Some(node) = pick(tree) else {
            if required {
                errors.add(&at, "is required");
            }
            return None;
        };
        read_form_node(node, &at, errors)
    }

    /// A scalar parameter. `name` is the contract's name; for path parameters `capture` is the
    /// route's capture name. Missing required values and unparseable values are recorded in
    /// `errors`.
    pub fn scalar<T: FromParam>(
        &self,
        location: Location,
        name: &'static str,
        capture: &'static str,
        required: bool,
        errors: &mut Errors,
    ) -> Option<T> {
        let at = Pointer::param(location, name);
        let v = self.single(location, name, capture, required, errors)?;
        match T::from_param(v) {
            Some(v) => Some(v),
            None => {
                errors.add(&at, format!("must be {}", T::EXPECTED));
                None
            }
        }
    }

    /// An object in a path segment or header (`style: simple`): `k1,v1,k2,v2`, or
    /// `k1=v1,k2=v2` when `explode`; each value is read as its property's type (as in a form
    /// body). A value that does not split into pairs, or whose keys are bracketed, is
    /// recorded in `errors` without echoing it.
    pub fn simple_object<T: serde::de::DeserializeOwned>(
        &self,
        location: Location,
        name: &'static str,
        capture: &'static str,
        explode: bool,
        required: bool,
        errors: &mut Errors,
    ) -> Option<T> {
        let at = Pointer::param(location, name);
        let v = self.single(location, name, capture, required, errors)?;
        let pairs: Option<Vec<(&str, String)>> = if v.is_empty() {
            Some(Vec::new())
        } else if explode {
            v.split(',')
                .map(|kv| kv.split_once('=').map(|(k, v)| (k, v.to_string())))
                .collect()
        } else {
            let parts: Vec<&str> = v.split(',').collect();
            parts.len().is_multiple_of(2).then(|| {
                parts
                    .chunks_exact(2)
                    .filter_map(|c| match c {
                        [k, v] => Some((*k, (*v).to_string())),
                        _ => None,
                    })
                    .collect()
            })
        };
        let tree = pairs
            .filter(|p| {
                p.iter()
                    .all(|(k, _)| !k.is_empty() && !k.contains(['[', ']']))
            })
            .and_then(|p| crate::form::from_pairs(p).ok());
        let Some(tree) = tree else {
            errors.add(&at, "is not a list of `key,value` pairs (style `simple`)");
            return None;
        };
        read_form_node(crate::form::deserializer(tree), &at, errors)
    }

    /// A parameter described with `content: {application/json: …}`: its one value is JSON
    /// text, read into `T` (a value that is not JSON, or does not fit, is recorded in `errors`
    /// without echoing it).
    pub fn json<T: serde::de::DeserializeOwned>(
        &self,
        location: Location,
        name: &'static str,
        capture: &'static str,
        required: bool,
        errors: &mut Errors,
    ) -> Option<T> {
        let at = Pointer::param(location, name);
        let v = self.single(location, name, capture, required, errors)?;
        match serde_json::from_str(v) {
            Ok(v) => Some(v),
            Err(e) if e.is_syntax() || e.is_eof() => {
                errors.add(&at, "must be JSON text");
                None
            }
            Err(_) => {
                errors.add(&at, crate::problem::DOES_NOT_FIT);
                None
            }
        }
    }

    /// The one raw value of a parameter (`None` when absent, given more than once, or not
    /// readable; recorded in `errors`).
    fn single(
        &self,
        location: Location,
        name: &'static str,
        capture: &'static str,
        required: bool,
        errors: &mut Errors,
    ) -> Option<&str> {
        let at = Pointer::param(location, name);
        let key = if location == Location::Path {
            capture
        } else {
            name
        };
        let values = match self.raw(location, key) {
            Ok(v) => v,
            Err(why) => {
                errors.add(&at, why);
                return None;
            }
        };
        match values.as_slice() {
            [] => {
                if required {
                    errors.add(&at, "is required");
                }
                None
            }
            [v] => Some(v),
            _ => {
                errors.add(&at, "must be given once");
                None
            }
        }
    }

    /// An array parameter (`capture` as for [`Self::scalar`]): repeated keys (`split: None`,
    /// query `explode: true`) or one value split at a delimiter (`,` for `form` and `simple`,
    /// ` ` for `spaceDelimited`, `|` for `pipeDelimited`). Header lines are always
    /// comma-separated and may repeat.
    pub fn list<T: FromParam>(
        &self,
        location: Location,
        name: &'static str,
        capture: &'static str,
        split: Option<char>,
        required: bool,
        errors: &mut Errors,
    ) -> Option<Vec<T>> {
        let at = Pointer::param(location, name);
        let key = if location == Location::Path {
            capture
        } else {
            name
        };
        let values = match self.raw(location, key) {
            Ok(v) => v,
            Err(why) => {
                errors.add(&at, why);
                return None;
            }
        };
        if values.is_empty() {
            if required {
                errors.add(&at, "is required");
            }
            return None;
        }
        let items: Vec<&str> = if split.is_none() && location == Location::Query {
            values
        } else if let (Some(d), [one]) = (split.filter(|d| *d != ','), values.as_slice()) {
            one.split(d).collect()
        } else if values.len() == 1 {
            values[0].split(',').map(|s| s.trim_matches(' ')).collect()
        } else if location == Location::Header {
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(|s| s.trim_matches(' '))
                .collect()
        } else {
            errors.add(&at, "must be given once");
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match T::from_param(item) {
                Some(v) => out.push(v),
                None => {
                    errors.add(&at, format!("items must be {}", T::EXPECTED));
                    return None;
                }
            }
        }
        Some(out)
    }
}

/// The end of reading an operation's parameters: 400 listing every problem found, if any.
pub fn finish(errors: &mut Errors) -> Result<(), Problem> {
    if errors.is_empty() {
        return Ok(());
    }
    Err(Problem::bad_request(
        "a parameter does not satisfy the contract",
        std::mem::take(errors).into_vec(),
    ))
}

/// A parameter the operation requires (its absence was recorded by [`finish`] already).
pub fn required<T>(value: Option<T>) -> Result<T, Problem> {
    value.ok_or_else(|| Problem::bad_request("a required parameter is missing", Vec::new()))
}

/// Whether the request's path captures fit these segment templates, as `(capture, literals)`
/// (see [`RequestInput::split_segment`]). Generated routers use it to choose between
/// operations whose paths differ only inside a segment; it reads nothing but the path.
pub async fn path_fits(parts: &mut Parts, templates: &[(&str, &[&str])]) -> bool {
    let Ok(params) = RawPathParams::from_request_parts(parts, &()).await else {
        return false;
    };
    templates.iter().all(|(capture, literals)| {
        params
            .iter()
            .find(|(k, _)| k == capture)
            .and_then(|(_, v)| split_template(v, literals))
            .is_some()
    })
}

/// The pieces of `s` between `literals` (see [`RequestInput::split_segment`]).
fn split_template(s: &str, literals: &[&str]) -> Option<Vec<String>> {
    let (first, rest) = literals.split_first()?;
    let (last, middle) = rest.split_last()?;
    let mut s = s.strip_prefix(first)?.strip_suffix(last)?;
    let mut out = Vec::with_capacity(middle.len() + 1);
    for text in middle {
        // At least one character, then up to the first occurrence of the next text.
        let start = s.chars().next()?.len_utf8();
        let at = start + s.get(start..)?.find(text)?;
        out.push(s.get(..at)?.to_string());
        s = s.get(at + text.len()..)?;
    }
    if s.is_empty() {
        return None;
    }
    out.push(s.to_string());
    Some(out)
}

/// A form tree read into `T`; what does not fit is recorded in `errors`, never echoed.
fn read_form_node<T: serde::de::DeserializeOwned>(
    node: crate::form::FormNode,
    at: &Pointer,
    errors: &mut Errors,
) -> Option<T> {
    match T::deserialize(node) {
        Ok(v) => Some(v),
        Err(_) => {
            errors.add(at, crate::problem::DOES_NOT_FIT);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(uri: &str, headers: &[(&str, &str)]) -> RequestInput {
        let mut b = http::Request::builder().uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        let (mut parts, ()) = b.body(()).unwrap().into_parts();
        // What generated handlers call: no executor needed.
        RequestInput::from_parts(&mut parts).unwrap()
    }

    #[test]
    fn scalars() {
        let i = input("/?limit=5&dup=1&dup=2&bad=x&f=NaN", &[("x-n", "7")]);
        let mut e = Errors::new();
        assert_eq!(
            i.scalar::<i64>(Location::Query, "limit", "", true, &mut e),
            Some(5)
        );
        assert_eq!(
            i.scalar::<i64>(Location::Header, "x-n", "", true, &mut e),
            Some(7)
        );
        assert!(e.is_empty());
        assert_eq!(
            i.scalar::<i64>(Location::Query, "dup", "", true, &mut e),
            None
        );
        assert_eq!(
            i.scalar::<i64>(Location::Query, "bad", "", true, &mut e),
            None
        );
        assert_eq!(
            i.scalar::<f64>(Location::Query, "f", "", true, &mut e),
            None
        );
        assert_eq!(
            i.scalar::<i64>(Location::Query, "missing", "", true, &mut e),
            None
        );
        assert_eq!(
            i.scalar::<i64>(Location::Query, "optional", "", false, &mut e),
            None
        );
        let errs = e.into_vec();
        assert_eq!(errs.len(), 4);
        assert_eq!(errs[0].pointer, "/dup");
        assert!(errs.iter().all(|e| !e.detail.contains('x')));
    }

    #[test]
    fn segment_templates() {
        let t = |s: &str, l: &[&str]| split_template(s, l);
        assert_eq!(
            t("main...feature/x", &["", "...", ""]),
            Some(vec!["main".into(), "feature/x".into()])
        );
        assert_eq!(
            t("a....b", &["", "...", ""]),
            Some(vec!["a".into(), ".b".into()])
        );
        assert_eq!(t("v12.json", &["v", ".json"]), Some(vec!["12".into()]));
        assert_eq!(t("...b", &["", "...", ""]), None, "empty first piece");
        assert_eq!(t("a...", &["", "...", ""]), None, "empty last piece");
        assert_eq!(t("ab", &["", "...", ""]), None);
        assert_eq!(t("v.json", &["v", ".json"]), None);
        assert_eq!(
            t("é...ü", &["", "...", ""]),
            Some(vec!["é".into(), "ü".into()])
        );

        let mut i = input("/", &[]);
        i.path.push(("p0".into(), "main...dev".into()));
        assert!(
            i.split_segment("p0", &["", "...", ""], &["p0_0", "p0_1"])
                .is_ok()
        );
        let mut e = Errors::new();
        assert_eq!(
            i.scalar::<String>(Location::Path, "head", "p0_1", true, &mut e),
            Some("dev".into())
        );
        let mut i = input("/", &[]);
        i.path.push(("p0".into(), "nodots".into()));
        let r = i.split_segment("p0", &["", "...", ""], &["p0_0", "p0_1"]);
        assert_eq!(r.map_err(|p| p.status().as_u16()), Err(404));
    }

    #[test]
    fn lists() {
        let i = input("/?t=a&t=b&c=1,2", &[]);
        let mut e = Errors::new();
        assert_eq!(
            i.list::<String>(Location::Query, "t", "", None, true, &mut e),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert_eq!(
            i.list::<i64>(Location::Query, "c", "", Some(','), true, &mut e),
            Some(vec![1, 2])
        );
        // Path arrays (`simple`) come from the route capture; `pipeDelimited` splits at `|`.
        let mut i = input("/?v=1|2|3&s=a%20b", &[]);
        i.path.push(("p0".into(), "7,8".into()));
        assert_eq!(
            i.list::<i64>(Location::Path, "ids", "p0", Some(','), true, &mut e),
            Some(vec![7, 8])
        );
        assert_eq!(
            i.list::<i64>(Location::Query, "v", "", Some('|'), true, &mut e),
            Some(vec![1, 2, 3])
        );
        assert_eq!(
            i.list::<String>(Location::Query, "s", "", Some(' '), true, &mut e),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert!(e.is_empty());
        assert_eq!(
            i.list::<i64>(Location::Query, "v", "", Some(','), true, &mut e),
            None,
            "`1|2|3` is one item for a comma-separated list"
        );
        assert_eq!(e.into_vec().len(), 1);
    }

    #[test]
    fn simple_objects() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct Range {
            from: u32,
            to: Option<u32>,
        }
        let i = input(
            "/",
            &[
                ("x-a", "from,1,to,5"),
                ("x-b", "from=2"),
                ("x-odd", "from,1,to"),
                ("x-type", "from,x"),
                ("x-bracket", "from[a],1"),
            ],
        );
        let mut e = Errors::new();
        let mut read = |name: &'static str, explode: bool| -> Option<Range> {
            i.simple_object(Location::Header, name, "", explode, true, &mut e)
        };
        assert_eq!(
            read("x-a", false),
            Some(Range {
                from: 1,
                to: Some(5)
            })
        );
        assert_eq!(read("x-b", true), Some(Range { from: 2, to: None }));
        assert_eq!(read("x-b", false), None, "not pairs without explode");
        assert_eq!(read("x-odd", false), None);
        assert_eq!(read("x-type", false), None);
        assert_eq!(read("x-bracket", false), None);
        assert_eq!(read("x-absent", false), None);
        let errs = e.into_vec();
        assert_eq!(errs.len(), 5, "{errs:?}");
        assert!(
            errs.iter().all(|e| !e.detail.contains("from")),
            "echoed: {errs:?}"
        );
    }

    #[test]
    fn json_parameters() {
        let i = input("/?w=%7B%22a%22%3A1%7D&bad=%7Bx&two=1&two=2", &[]);
        let mut e = Errors::new();
        let v: Option<serde_json::Value> = i.json(Location::Query, "w", "", true, &mut e);
        assert_eq!(v, Some(serde_json::json!({"a": 1})));
        assert!(e.is_empty());
        assert_eq!(i.json::<u8>(Location::Query, "w", "", true, &mut e), None);
        assert_eq!(
            i.json::<serde_json::Value>(Location::Query, "bad", "", true, &mut e),
            None
        );
        assert_eq!(
            i.json::<serde_json::Value>(Location::Query, "two", "", true, &mut e),
            None
        );
        assert_eq!(
            i.json::<serde_json::Value>(Location::Query, "absent", "", true, &mut e),
            None
        );
        let errs = e.into_vec();
        let details: Vec<&str> = errs.iter().map(|e| &*e.detail).collect();
        assert_eq!(details.len(), 4, "{details:?}");
        assert!(details[1].contains("JSON"), "{details:?}");
        assert!(
            details.iter().all(|d| !d.contains('{')),
            "echoed: {details:?}"
        );
    }
}
