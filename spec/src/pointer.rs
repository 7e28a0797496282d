//! RFC 6901 JSON pointers and the fragments of `$ref` URIs.

use percent_encoding::percent_decode_str;

/// Append `segment` escaped per RFC 6901 (`~` → `~0`, `/` → `~1`).
pub fn escape_into(segment: &str, out: &mut String) {
    for c in segment.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
}

pub fn escape(segment: &str) -> String {
    let mut s = String::with_capacity(segment.len());
    escape_into(segment, &mut s);
    s
}

/// Why a pointer could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PointerError {
    NotAbsolute,
    BadEscape(String),
    BadPercent,
}

impl std::fmt::Display for PointerError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PointerError::NotAbsolute => write!(f, "a JSON pointer must start with `/`"),
            PointerError::BadEscape(s) => write!(
                f,
                "`{s}` has a `~` not followed by 0 or 1 (write `~0` for `~` and `~1` for `/`)"
            ),
            PointerError::BadPercent => write!(f, "the pointer is not valid percent-encoded UTF-8"),
        }
    }
}

/// Split a URI fragment (`/components/schemas/a~1b`, percent-encoded) into unescaped segments.
pub fn parse_fragment(fragment: &str) -> Result<Vec<String>, PointerError> {
    let decoded = percent_decode_str(fragment)
        .decode_utf8()
        .map_err(|_| PointerError::BadPercent)?;
    parse_pointer(&decoded)
}

/// Split an RFC 6901 pointer into unescaped segments.
pub fn parse_pointer(pointer: &str) -> Result<Vec<String>, PointerError> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(PointerError::NotAbsolute);
    };
    rest.split('/')
        .map(|seg| {
            let mut out = String::with_capacity(seg.len());
            let mut chars = seg.chars();
            while let Some(c) = chars.next() {
                if c == '~' {
                    match chars.next() {
                        Some('0') => out.push('~'),
                        Some('1') => out.push('/'),
                        _ => return Err(PointerError::BadEscape(seg.to_string())),
                    }
                } else {
                    out.push(c);
                }
            }
            Ok(out)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_round_trip() {
        let segs = parse_fragment("/paths/~1pets~1%7Bid%7D/get/a~0b").unwrap();
        assert_eq!(segs, ["paths", "/pets/{id}", "get", "a~b"]);
        assert_eq!(escape("/pets/{id}"), "~1pets~1{id}");
        assert_eq!(escape("a~b"), "a~0b");
        assert!(parse_pointer("/a~2").is_err());
        assert_eq!(parse_pointer("nope"), Err(PointerError::NotAbsolute));
    }
}
