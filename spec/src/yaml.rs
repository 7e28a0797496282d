//! YAML reader on granit-parser's event stream: spans on every event, aliases expanded under the
//! builder's node budget (alias bombs stop with an error), core-schema scalar typing.

use crate::build::Builder;
use crate::diag::LoadError;
use crate::source::Span;
use crate::tree::{NodeId, Value};
use granit_parser::{Event, Parser, ScalarStyle};
use std::borrow::Cow;
use std::collections::HashMap;

fn span_of(s: &granit_parser::Span) -> Span {
    match s.byte_range() {
        Some(r) => Span::new(r.start, r.end),
        None => Span::default(),
    }
}

/// Read `text` as YAML into the builder's tree.
pub(crate) fn read(text: &str, b: &mut Builder<'_>) -> Result<(), LoadError> {
    let file = b.file;
    let parser = Parser::new_from_str(text);
    let mut anchors: HashMap<usize, NodeId> = HashMap::new();
    let mut documents = 0;
    for next in parser {
        let (event, span) =
            match next {
                Ok(x) => x,
                Err(e) => {
                    let m = e.marker();
                    let at = m.byte_offset().unwrap_or(0);
                    let end = (at + 1).min(text.len()).max(at);
                    return Err(LoadError::new(
                        "yaml-syntax",
                        format!("invalid YAML: {}", e.info()),
                    )
                    .at(file, Span::new(at, end), "here"));
                }
            };
        let sp = span_of(&span);
        match event {
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(LoadError::new(
                        "yaml-multiple-documents",
                        "the file holds more than one YAML document",
                    )
                    .at(file, sp, "a second document starts here")
                    .help("an OpenAPI description is one document; split the others into their own files"));
                }
            }
            Event::Alias(id) => {
                let Some(&target) = anchors.get(&id) else {
                    return Err(
                        LoadError::new("yaml-syntax", "alias to an unknown anchor").at(
                            file,
                            sp,
                            "unknown anchor",
                        ),
                    );
                };
                if b.expecting_key() {
                    let key = match b.tree.value(target) {
                        Value::String(s) | Value::Number(s) => s.clone(),
                        Value::Bool(v) => v.to_string().into(),
                        Value::Null => "null".into(),
                        _ => return Err(complex_key(file, sp)),
                    };
                    b.key(key, sp);
                } else {
                    b.copy_subtree(target, sp)?;
                }
            }
            Event::Scalar(v, style, anchor, tag) => {
                if b.expecting_key() {
                    b.key(v.into_owned().into(), sp);
                    continue;
                }
                let tag_suffix = tag.as_ref().map(|t| {
                    if t.handle() == "tag:yaml.org,2002:" {
                        t.suffix().to_string()
                    } else {
                        String::new()
                    }
                });
                let value = scalar_value(v, style, tag_suffix.as_deref())
                    .map_err(|m| LoadError::new("yaml-syntax", m).at(file, sp, "here"))?;
                let id = b.scalar(value, sp)?;
                if anchor != 0 {
                    anchors.insert(anchor, id);
                }
            }
            Event::SequenceStart(_, anchor, _) => {
                if b.expecting_key() {
                    return Err(complex_key(file, sp));
                }
                let id = b.begin_array(sp.start as usize)?;
                if anchor != 0 {
                    anchors.insert(anchor, id);
                }
            }
            Event::MappingStart(_, anchor, _) => {
                if b.expecting_key() {
                    return Err(complex_key(file, sp));
                }
                let id = b.begin_object(sp.start as usize)?;
                if anchor != 0 {
                    anchors.insert(anchor, id);
                }
            }
            Event::SequenceEnd | Event::MappingEnd => b.end(sp.end as usize)?,
            _ => {}
        }
    }
    Ok(())
}

fn complex_key(file: crate::source::FileId, sp: Span) -> LoadError {
    LoadError::new(
        "yaml-complex-key",
        "a mapping key must be a scalar (OpenAPI keys are strings)",
    )
    .at(file, sp, "a collection used as a key")
}

/// Type a scalar by the YAML 1.2 core schema (quoted scalars are strings).
fn scalar_value(v: Cow<'_, str>, style: ScalarStyle, tag: Option<&str>) -> Result<Value, String> {
    match tag {
        Some("str") => return Ok(Value::String(v.into_owned().into())),
        Some("int" | "float") => {
            return number(&v)
                .map(Value::Number)
                .ok_or_else(|| format!("`{v}` is tagged as a number but is not one"));
        }
        Some("bool") => {
            return match &*v {
                "true" | "True" | "TRUE" => Ok(Value::Bool(true)),
                "false" | "False" | "FALSE" => Ok(Value::Bool(false)),
                _ => Err(format!("`{v}` is tagged as a boolean but is not one")),
            };
        }
        Some("null") => return Ok(Value::Null),
        _ => {}
    }
    if style != ScalarStyle::Plain {
        return Ok(Value::String(v.into_owned().into()));
    }
    Ok(match &*v {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        s => match number(s) {
            Some(n) => Value::Number(n),
            None => Value::String(v.into_owned().into()),
        },
    })
}

/// The decimal text of a core-schema number, or None when `s` is not one.
fn number(s: &str) -> Option<crate::tree::Str> {
    let bytes = s.as_bytes();
    if let Some(h) = s.strip_prefix("0x") {
        return u128::from_str_radix(h, 16)
            .ok()
            .map(|n| n.to_string().into());
    }
    if let Some(o) = s.strip_prefix("0o") {
        return u128::from_str_radix(o, 8)
            .ok()
            .map(|n| n.to_string().into());
    }
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" | "-.inf" | "-.Inf" | "-.INF"
        | ".nan" | ".NaN" | ".NAN" => {
            // Not representable in JSON; keep as text so nothing downstream mistakes it for a bound.
            return None;
        }
        _ => {}
    }
    let mut i = 0;
    if matches!(bytes.first(), Some(b'-' | b'+')) {
        i = 1;
    }
    let int_start = i;
    while matches!(bytes.get(i), Some(b'0'..=b'9')) {
        i += 1;
    }
    let int_digits = i - int_start;
    let mut frac_digits = 0;
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let f = i;
        while matches!(bytes.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        frac_digits = i - f;
    }
    if int_digits + frac_digits == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let e = i;
        while matches!(bytes.get(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == e {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    // Normalise to JSON number syntax: no `+`, no leading zeros, digits around the point.
    let mut t = s.trim_start_matches('+').to_string();
    let neg = t.starts_with('-');
    let body = t.trim_start_matches('-').to_string();
    let (int, rest) = match body.find(['.', 'e', 'E']) {
        Some(p) => body.split_at(p),
        None => (body.as_str(), ""),
    };
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut rest = rest.to_string();
    if rest.starts_with('.') {
        let after = &rest[1..];
        let digits_end = after.find(['e', 'E']).unwrap_or(after.len());
        if digits_end == 0 {
            rest = format!(".0{after}");
        }
    }
    t = format!("{}{int}{rest}", if neg { "-" } else { "" });
    Some(t.into())
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn core_schema_numbers() {
        assert_eq!(number("42").as_deref(), Some("42"));
        assert_eq!(number("+007").as_deref(), Some("7"));
        assert_eq!(number("-1.5e3").as_deref(), Some("-1.5e3"));
        assert_eq!(number("1.").as_deref(), Some("1.0"));
        assert_eq!(number(".5").as_deref(), Some("0.5"));
        assert_eq!(number("0x1F").as_deref(), Some("31"));
        assert_eq!(number("1.2.3"), None);
        assert_eq!(number("v1"), None);
        assert_eq!(
            number("12345678901234567890123").as_deref(),
            Some("12345678901234567890123")
        );
    }
}
