//! The generator's identifier and doc-text sanitising (`naming` and `docs` are private): a
//! small template document whose title, descriptions, path, operationId, parameter, schema,
//! property, security-scheme names and enum values are fields of the input (separated by NUL
//! bytes; the first byte picks 3.0 or 3.1 and nullable or not). The generated module and the
//! scaffold must parse as Rust.
#![no_main]
use libfuzzer_sys::fuzz_target;
use serde_json::{Value, json};

/// A name usable as the last segment of a `#/components/schemas/...` pointer: JSON-pointer
/// escaped, then `%` percent-encoded (fragments are percent-decoded before the pointer is read).
fn pointer_segment(s: &str) -> String {
    specguard_spec::pointer::escape(s).replace('%', "%25")
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let fields: Vec<&str> = text.split('\0').collect();
    let f = |i: usize| fields.get(i).copied().unwrap_or("");
    let v31 = flags & 1 == 1;
    let nullable = flags & 2 == 2;
    let (title, description, segment, op_id, summary) = (f(0), f(1), f(2), f(3), f(4));
    let (query, header, schema_name, prop_a, prop_b) = (f(5), f(6), f(7), f(8), f(9));
    let (scheme, nested) = (f(10), f(11));
    let enum_values: Vec<Value> = fields.iter().skip(12).map(|s| json!(s)).collect();
    let int_values: Vec<Value> = rest
        .chunks(8)
        .take(6)
        .map(|c| {
            let mut b = [0u8; 8];
            b[..c.len()].copy_from_slice(c);
            json!(i64::from_le_bytes(b) >> (flags % 64))
        })
        .collect();
    let string_ty = if nullable && v31 {
        json!(["string", "null"])
    } else {
        json!("string")
    };
    let mut enum_schema =
        json!({"type": string_ty, "enum": enum_values, "description": description});
    if nullable && !v31 {
        enum_schema["nullable"] = json!(true);
    }
    let schema_ref = format!("#/components/schemas/{}", pointer_segment(schema_name));
    let doc = json!({
        "openapi": if v31 { "3.1.0" } else { "3.0.3" },
        "info": {"title": title, "version": "1", "description": description},
        "security": [{scheme: []}],
        "paths": {
            format!("/{}/{{id}}", segment.replace(['{', '}', '/'], "")): {
                "post": {
                    "operationId": op_id,
                    "summary": summary,
                    "description": description,
                    "parameters": [
                        {"name": "id", "in": "path", "required": true,
                         "schema": {"type": "integer", "format": "int64", "minimum": 0}},
                        {"name": query, "in": "query", "description": description,
                         "schema": enum_schema.clone()},
                        {"name": header, "in": "header",
                         "schema": {"type": "integer", "enum": int_values}}
                    ],
                    "requestBody": {"required": true, "content": {"application/json": {
                        "schema": {"$ref": schema_ref}}}},
                    "responses": {
                        "200": {"description": description, "content": {"application/json": {
                            "schema": {"type": "array", "maxItems": 10,
                                       "items": {"$ref": schema_ref}}}}},
                        "default": {"description": summary}
                    }
                }
            }
        },
        "components": {
            "securitySchemes": {
                scheme: {"type": "apiKey", "in": "header", "name": scheme, "description": description}
            },
            "schemas": {
                schema_name: {
                    "type": "object",
                    "description": description,
                    "required": [prop_a],
                    "properties": {
                        prop_a: {"type": "string", "maxLength": 64, "description": description},
                        prop_b: enum_schema,
                        nested: {"type": "object", "properties": {
                            prop_b: {"type": "array", "maxItems": 3,
                                     "items": {"type": "array", "maxItems": 3,
                                               "items": {"type": "number"}}},
                            prop_a: {"$ref": schema_ref}
                        }}
                    }
                }
            }
        }
    });
    let Ok(bytes) = serde_json::to_vec(&doc) else {
        return;
    };
    if let Ok(doc) = specguard_fuzz::load_bytes("fuzz.json", &bytes) {
        specguard_fuzz::generate_and_check(&doc);
    }
});
