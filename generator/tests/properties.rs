//! Property tests: random documents (objects with keyword, unicode and digit-led property
//! names, enums of odd values, nested arrays and objects, maps, nullable schemas, random
//! `required` subsets, references between component schemas; operations with random names,
//! paths and parameters) always generate, the module and the scaffold parse as Rust, and
//! generating twice gives the same bytes.
//!
//! `PROPTEST_CASES=N` runs more cases (the default keeps `cargo test` fast).
//!
//! Serde round trips of random values through the generated types need the generated code
//! compiled: `roundtrip.rs` does that for a fixed, seeded batch of random schemas.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use serde_json::{Map, Value, json};
use specguard_generator::{Generated, Generator, Settings};

/// Names that trip identifier generation: keywords (strict, reserved, weak, not raw-able),
/// prelude and runtime names that generated code must not shadow, and case collisions.
const TRICKY: &[&str] = &[
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "fn",
    "r#type",
    "async",
    "await",
    "gen",
    "try",
    "union",
    "macro_rules",
    "default",
    "dyn",
    "static",
    "abstract",
    "Box",
    "Option",
    "Some",
    "None",
    "Ok",
    "Err",
    "Result",
    "String",
    "Vec",
    "str",
    "core",
    "std",
    "serde",
    "specguard",
    "axum",
    "_",
    "__",
    "-",
    "$ref",
    "",
    " ",
    "a-b",
    "a_b",
    "aB",
    "AB",
    "A_B",
    "ÿ",
];

fn name() -> BoxedStrategy<String> {
    prop_oneof![
        4 => "[a-z][a-zA-Z0-9_]{0,10}",
        3 => prop::sample::select(TRICKY).prop_map(str::to_string),
        1 => "[0-9][a-z0-9_-]{0,6}",
        1 => "[ _.$@-]{0,3}[a-zA-Z]{0,4}[ _.$@-]{0,2}",
        1 => "[ぁ-んÀ-ÿ]{1,5}",
        1 => "\\PC{0,8}",
    ]
    .boxed()
}

/// An HTTP header name (a token): the generator rightly refuses others.
fn header_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z][A-Za-z0-9-]{0,12}",
        prop::sample::select(&["X-Type", "self", "Self", "fn", "x-1", "If-Match"][..])
            .prop_map(str::to_string),
    ]
}

/// A path segment: any name without the characters that end or template a segment.
fn segment() -> impl Strategy<Value = String> {
    name().prop_map(|s| {
        s.chars()
            .filter(|c| !matches!(c, '/' | '{' | '}' | '?' | '#') && !c.is_whitespace())
            .collect()
    })
}

fn unique(mut v: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    v.retain(|s| seen.insert(s.clone()));
    v
}

/// A schema, before it becomes JSON.
#[derive(Clone, Debug)]
enum Kind {
    Str {
        max_length: Option<u32>,
    },
    Int {
        format: Option<&'static str>,
        max: Option<i64>,
    },
    Num,
    Bool,
    Enum(Vec<String>),
    Array(Box<Schema>, Option<u32>),
    Object(Vec<(String, Schema, bool)>),
    Map(Box<Schema>),
    /// A component schema, by index (modulo the number of components).
    Ref(usize),
}

#[derive(Clone, Debug)]
struct Schema {
    kind: Kind,
    nullable: bool,
    description: Option<String>,
}

fn leaf() -> impl Strategy<Value = Kind> {
    prop_oneof![
        proptest::option::of(0u32..100).prop_map(|max_length| Kind::Str { max_length }),
        (
            prop::sample::select(&[None, Some("int32"), Some("int64"), Some("uint8")][..]),
            proptest::option::of(any::<i64>())
        )
            .prop_map(|(format, max)| Kind::Int { format, max }),
        Just(Kind::Num),
        Just(Kind::Bool),
        prop::collection::vec(name(), 1..6).prop_map(|v| Kind::Enum(unique(v))),
        (0usize..8).prop_map(Kind::Ref),
    ]
}

fn schema() -> impl Strategy<Value = Schema> {
    let kind = leaf().prop_recursive(4, 24, 5, |inner| {
        let s = (inner, any::<bool>(), proptest::option::of(name()))
            .prop_map(|(kind, nullable, description)| Schema {
                kind,
                nullable,
                description,
            })
            .boxed();
        prop_oneof![
            (s.clone(), proptest::option::of(0u32..50))
                .prop_map(|(s, max)| Kind::Array(Box::new(s), max)),
            prop::collection::vec((name(), s.clone(), any::<bool>()), 0..6).prop_map(|props| {
                let mut seen = std::collections::HashSet::new();
                Kind::Object(
                    props
                        .into_iter()
                        .filter(|(n, _, _)| seen.insert(n.clone()))
                        .collect(),
                )
            }),
            s.prop_map(|s| Kind::Map(Box::new(s))),
        ]
    });
    (kind, any::<bool>(), proptest::option::of(name())).prop_map(|(kind, nullable, description)| {
        Schema {
            kind,
            nullable,
            description,
        }
    })
}

/// A `#/components/schemas/...` reference to a name: pointer-escaped, `%` percent-encoded.
fn reference(name: &str) -> Value {
    let seg = specguard_spec::pointer::escape(name).replace('%', "%25");
    json!({ "$ref": format!("#/components/schemas/{seg}") })
}

fn to_json(s: &Schema, v31: bool, components: &[String]) -> Value {
    let (ty, mut out) = match &s.kind {
        Kind::Str { max_length } => {
            let mut m = json!({});
            if let Some(n) = max_length {
                m["maxLength"] = json!(n);
            }
            ("string", m)
        }
        Kind::Int { format, max } => {
            let mut m = json!({});
            if let Some(f) = format {
                m["format"] = json!(f);
            }
            if let Some(x) = max {
                m["maximum"] = json!(x);
            }
            ("integer", m)
        }
        Kind::Num => ("number", json!({})),
        Kind::Bool => ("boolean", json!({})),
        Kind::Enum(values) => {
            let mut values: Vec<Value> = values.iter().map(|v| json!(v)).collect();
            if s.nullable {
                values.push(Value::Null);
            }
            ("string", json!({ "enum": values }))
        }
        Kind::Array(items, max) => {
            let mut m = json!({ "items": to_json(items, v31, components) });
            if let Some(n) = max {
                m["maxItems"] = json!(n);
            }
            ("array", m)
        }
        Kind::Object(props) => {
            let mut properties = Map::new();
            let mut required = Vec::new();
            for (n, p, req) in props {
                properties.insert(n.clone(), to_json(p, v31, components));
                if *req {
                    required.push(json!(n));
                }
            }
            let mut m = json!({ "properties": properties });
            if !required.is_empty() {
                m["required"] = json!(required);
            }
            ("object", m)
        }
        Kind::Map(values) => (
            "object",
            json!({ "additionalProperties": to_json(values, v31, components) }),
        ),
        Kind::Ref(i) => {
            return match components.get(i % components.len().max(1)) {
                Some(n) => reference(n),
                None => json!({ "type": "string" }),
            };
        }
    };
    out["type"] = match (s.nullable, v31) {
        (true, true) => json!([ty, "null"]),
        _ => json!(ty),
    };
    if s.nullable && !v31 {
        out["nullable"] = json!(true);
    }
    if let Some(d) = &s.description {
        out["description"] = json!(d);
    }
    out
}

/// A parameter's schema: what the generator supports in parameters.
fn param_schema() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(json!({"type": "string", "maxLength": 20})),
        Just(json!({"type": "integer", "format": "int32", "minimum": -5})),
        Just(json!({"type": "boolean"})),
        Just(json!({"type": "number"})),
        prop::collection::vec(name(), 1..5)
            .prop_map(|v| json!({"type": "string", "enum": unique(v)})),
    ]
}

#[derive(Clone, Debug)]
struct Op {
    segments: Vec<String>,
    path_param: Option<String>,
    method: &'static str,
    operation_id: Option<String>,
    query: Vec<(String, Value, bool)>,
    headers: Vec<(String, Value)>,
    body: Option<Schema>,
    response: Option<Schema>,
    public: bool,
    description: Option<String>,
}

fn op() -> impl Strategy<Value = Op> {
    (
        (
            prop::collection::vec(segment(), 0..3),
            proptest::option::of("[a-z][a-zA-Z0-9_]{0,8}"),
            prop::sample::select(&["get", "post", "put", "patch", "delete"][..]),
            proptest::option::of(name()),
        ),
        (
            prop::collection::vec((name(), param_schema(), any::<bool>()), 0..4),
            prop::collection::vec((header_name(), param_schema()), 0..3),
        ),
        (
            proptest::option::of(schema()),
            proptest::option::of(schema()),
            any::<bool>(),
            proptest::option::of(name()),
        ),
    )
        .prop_map(
            |(
                (segments, path_param, method, operation_id),
                (query, headers),
                (body, response, public, description),
            )| Op {
                segments,
                path_param,
                method,
                operation_id,
                query,
                headers,
                body,
                response,
                public,
                description,
            },
        )
}

fn document() -> impl Strategy<Value = Value> {
    (
        any::<bool>(),
        name(),
        prop::collection::vec((name(), schema()), 0..5),
        prop::collection::vec(op(), 1..4),
    )
        .prop_map(|(v31, title, components, ops)| {
            let mut seen = std::collections::HashSet::new();
            let components: Vec<(String, Schema)> = components
                .into_iter()
                .filter(|(n, _)| seen.insert(n.clone()))
                .collect();
            let names: Vec<String> = components.iter().map(|(n, _)| n.clone()).collect();
            let mut schemas = Map::new();
            for (n, s) in &components {
                // A component that is only a `$ref` could close a loop of references that never
                // reaches a schema (which the loader rightly refuses): wrap it in an array.
                let s = match s.kind {
                    Kind::Ref(_) => Schema {
                        kind: Kind::Array(Box::new(s.clone()), None),
                        nullable: false,
                        description: None,
                    },
                    _ => s.clone(),
                };
                schemas.insert(n.clone(), to_json(&s, v31, &names));
            }
            let mut paths = Map::new();
            let mut ids = std::collections::HashSet::new();
            for (i, o) in ops.iter().enumerate() {
                let mut path = format!("/r{i}");
                for s in &o.segments {
                    path.push('/');
                    path.push_str(s);
                }
                let mut parameters = Vec::new();
                if let Some(p) = &o.path_param {
                    path.push_str(&format!("/{{{p}}}"));
                    parameters.push(json!({"name": p, "in": "path", "required": true,
                        "schema": {"type": "string", "maxLength": 64}}));
                }
                let mut taken = std::collections::HashSet::new();
                for (n, s, required) in &o.query {
                    if taken.insert(("query", n.clone())) {
                        let mut q = json!({"name": n, "in": "query", "required": required,
                            "schema": s});
                        if let Some(d) = &o.description {
                            q["description"] = json!(d);
                        }
                        parameters.push(q);
                    }
                }
                for (n, s) in &o.headers {
                    if taken.insert(("header", n.to_ascii_lowercase())) {
                        parameters.push(json!({"name": n, "in": "header", "schema": s}));
                    }
                }
                let mut operation = json!({
                    "parameters": parameters,
                    "responses": {"default": {"description": "error"}},
                });
                if let Some(id) = &o.operation_id
                    && ids.insert(id.clone())
                {
                    operation["operationId"] = json!(id);
                }
                if let Some(d) = &o.description {
                    operation["description"] = json!(d);
                    operation["summary"] = json!(d);
                }
                if o.public {
                    operation["security"] = json!([]);
                }
                if let Some(b) = &o.body {
                    operation["requestBody"] = json!({"required": true, "content": {
                        "application/json": {"schema": to_json(b, v31, &names)}}});
                }
                let mut ok = json!({"description": "ok"});
                if let Some(r) = &o.response {
                    ok["content"] =
                        json!({"application/json": {"schema": to_json(r, v31, &names)}});
                }
                operation["responses"]["200"] = ok;
                let mut item = Map::new();
                item.insert(o.method.to_string(), operation);
                paths.insert(path, Value::Object(item));
            }
            json!({
                "openapi": if v31 { "3.1.0" } else { "3.0.3" },
                "info": {"title": title, "version": "1"},
                "security": [{"key": []}],
                "paths": paths,
                "components": {
                    "securitySchemes": {"key": {"type": "apiKey", "in": "header", "name": "X-Key"}},
                    "schemas": schemas,
                },
            })
        })
}

fn generate(text: &str) -> Result<Generated, String> {
    let doc = common::load(text);
    Generator::new(Settings::default())
        .generate(&doc)
        .map_err(|e| e.to_string())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(24)
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))),
        ..ProptestConfig::with_cases(cases())
    })]

    #[test]
    fn random_documents_generate_parsable_deterministic_code(doc in document()) {
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let a = match generate(&text) {
            Ok(g) => g,
            Err(e) => panic!("generation failed:\n{e}\ndocument:\n{text}"),
        };
        if let Err(e) = syn::parse_file(&a.module) {
            panic!("the module does not parse: {e}\ndocument:\n{text}\nmodule:\n{}", a.module);
        }
        for f in a.files.iter().filter(|f| f.path.extension().is_some_and(|e| e == "rs")) {
            if let Err(e) = syn::parse_file(&f.contents) {
                panic!("{} does not parse: {e}\ndocument:\n{text}", f.path.display());
            }
        }
        let b = generate(&text).unwrap();
        prop_assert_eq!(&a.module, &b.module);
        prop_assert_eq!(&a.files, &b.files);
    }
}
