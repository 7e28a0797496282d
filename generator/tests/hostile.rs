//! Spec text crafted to break out of comments, strings and identifiers never becomes code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test helpers

mod common;
use common::generate_with;
use specguard_generator::Settings;

/// Injection attempts, JSON-escaped.
const EVIL: &str = r####"*/ \" \"# \"## \n}\nfn evil() {}\n#![deny(warnings)]\n#[allow(evil)] /* \u0000 \u202e\u2066 \r\n```rust\nfn evil() {}\n```\n"####;

/// For names used in `$ref`s (no `/` or `~`, which pointers escape).
const EVIL_NAME: &str = r####"E \" \"# \n}\nfn evil() {}\n#![deny(warnings)] *\u0000 \u202e"####;

fn spec() -> String {
    let e = EVIL;
    let n = EVIL_NAME;
    format!(
        r##"{{
  "openapi": "3.0.3",
  "info": {{"title": "Evil {e}", "version": "1", "description": "{e}"}},
  "security": [{{"k\"ey*/{e}": []}}],
  "paths": {{
    "/a\"b*/c#![x]/{{id}}": {{
      "get": {{
        "operationId": "op{e}",
        "summary": "{e}",
        "description": "{e}",
        "parameters": [
          {{"name": "id", "in": "path", "required": true, "description": "{e}",
            "schema": {{"type": "string", "pattern": "^(\\*/|\"|#!\\[|x)+$", "default": "{e}"}}}},
          {{"name": "q\"; fn evil() {{}} //{e}", "in": "query", "description": "{e}",
            "schema": {{"type": "string", "enum": ["{e}", "*/", "\"#", "#![no_std]", "\u0000", "a\u202eb"]}}}}
        ],
        "requestBody": {{
          "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/{n}"}}}}}}
        }},
        "responses": {{
          "200": {{"description": "{e}",
            "content": {{"application/json": {{"schema": {{"$ref": "#/components/schemas/{n}"}}}}}}}},
          "default": {{"description": "{e}"}}
        }}
      }}
    }}
  }},
  "components": {{
    "securitySchemes": {{
      "k\"ey*/{e}": {{"type": "apiKey", "in": "query", "name": "k\"*/{e}", "description": "{e}"}}
    }},
    "schemas": {{
      "{n}": {{
        "type": "object",
        "description": "{e}",
        "required": ["{e}"],
        "properties": {{
          "{e}": {{"type": "string", "description": "{e}", "default": "{e}", "maxLength": 5,
                  "pattern": "^[\"#*/]*$"}},
          "self": {{"type": "integer", "description": "{e}"}},
          "fn evil() {{}}": {{"type": "string", "enum": ["{e}", "x"]}},
          "type": {{"$ref": "#/components/schemas/{n}"}}
        }}
      }}
    }}
  }}
}}"##
    )
}

fn item_names(items: &[syn::Item], out: &mut Vec<String>) {
    for item in items {
        match item {
            syn::Item::Fn(f) => out.push(f.sig.ident.to_string()),
            syn::Item::Struct(s) => out.push(s.ident.to_string()),
            syn::Item::Enum(e) => out.push(e.ident.to_string()),
            syn::Item::Static(s) => out.push(s.ident.to_string()),
            syn::Item::Const(c) => out.push(c.ident.to_string()),
            syn::Item::Trait(t) => {
                out.push(t.ident.to_string());
                for ti in &t.items {
                    if let syn::TraitItem::Fn(f) = ti {
                        out.push(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Impl(i) => {
                for ii in &i.items {
                    if let syn::ImplItem::Fn(f) = ii {
                        out.push(f.sig.ident.to_string());
                    }
                }
            }
            syn::Item::Mod(m) => {
                out.push(m.ident.to_string());
                if let Some((_, items)) = &m.content {
                    item_names(items, out);
                }
            }
            _ => {}
        }
    }
}

fn attributes(items: &[syn::Item], out: &mut Vec<String>) {
    fn push(attrs: &[syn::Attribute], out: &mut Vec<String>) {
        for a in attrs {
            let path = a
                .path()
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::");
            out.push(path);
        }
    }
    for item in items {
        match item {
            syn::Item::Fn(f) => push(&f.attrs, out),
            syn::Item::Struct(s) => {
                push(&s.attrs, out);
                for f in &s.fields {
                    push(&f.attrs, out);
                }
            }
            syn::Item::Enum(e) => {
                push(&e.attrs, out);
                for v in &e.variants {
                    push(&v.attrs, out);
                }
            }
            syn::Item::Static(s) => push(&s.attrs, out),
            syn::Item::Const(c) => push(&c.attrs, out),
            syn::Item::Trait(t) => {
                push(&t.attrs, out);
                for ti in &t.items {
                    if let syn::TraitItem::Fn(f) = ti {
                        push(&f.attrs, out);
                    }
                }
            }
            syn::Item::Impl(i) => {
                push(&i.attrs, out);
                for ii in &i.items {
                    if let syn::ImplItem::Fn(f) = ii {
                        push(&f.attrs, out);
                    }
                }
            }
            syn::Item::Mod(m) => {
                push(&m.attrs, out);
                if let Some((_, items)) = &m.content {
                    attributes(items, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn hostile_text_stays_inert() {
    let g = match generate_with(&spec(), Settings::default()) {
        Ok(g) => g,
        Err(e) => panic!("{e}"),
    };
    for (what, code) in [
        ("module", g.module.as_str()),
        (
            "handlers",
            g.files
                .iter()
                .find(|f| f.path.ends_with("handlers.rs"))
                .map(|f| f.contents.as_str())
                .unwrap_or(""),
        ),
        (
            "main",
            g.files
                .iter()
                .find(|f| f.path.ends_with("main.rs"))
                .map(|f| f.contents.as_str())
                .unwrap_or(""),
        ),
    ] {
        let file =
            syn::parse_file(code).unwrap_or_else(|e| panic!("{what} does not parse: {e}\n{code}"));
        assert!(
            file.attrs.is_empty(),
            "{what}: inner attributes {:?}",
            file.attrs.len()
        );
        let mut names = Vec::new();
        item_names(&file.items, &mut names);
        assert!(
            !names.iter().any(|n| n == "evil"),
            "{what}: an item named evil: {names:?}"
        );
        let mut attrs = Vec::new();
        attributes(&file.items, &mut attrs);
        for a in &attrs {
            assert!(
                ["doc", "derive", "serde", "allow", "cfg", "tokio::main"].contains(&a.as_str()),
                "{what}: unexpected attribute #[{a}]"
            );
        }
        // The only `cfg` of the module is the debug-build response check.
        if what == "module" {
            assert_eq!(
                code.matches("#[cfg(").count(),
                code.matches("#[cfg(debug_assertions)]").count(),
                "{what}: a cfg other than debug_assertions"
            );
        }
        for bad in ['\u{202e}', '\u{2066}', '\u{0}', '\r'] {
            assert!(!code.contains(bad), "{what}: raw {:?} in the output", bad);
        }
        // A doctest would run spec text: every code block the docs open is a `text` block,
        // and text inside it never closes it early (CommonMark fence rules).
        let mut open: Option<usize> = None;
        for line in code.lines() {
            let t = line.trim_start();
            let Some(rest) = t.strip_prefix("///") else {
                open = None;
                continue;
            };
            let rest = rest.trim_start();
            let ticks = rest.chars().take_while(|c| *c == '`').count();
            if ticks < 3 {
                continue;
            }
            let info = rest[ticks..].trim();
            match open {
                None => {
                    assert_eq!(info, "text", "{what}: a code block that is not text: {t:?}");
                    open = Some(ticks);
                }
                Some(n) if ticks >= n && info.is_empty() => open = None,
                Some(_) => {}
            }
        }
    }
    // The only `#[allow]`s are the generator's own.
    for line in g.module.lines() {
        if line.trim_start().starts_with("#[allow") {
            assert!(
                [
                    "#[allow(dead_code)]",
                    "#[allow(clippy::enum_variant_names)]",
                    "#[allow(non_camel_case_types)]"
                ]
                .contains(&line.trim()),
                "{line}"
            );
        }
    }
    // The hostile names became plain identifiers, and the hostile values stayed literals.
    assert!(
        g.module.contains("pub r#type:"),
        "a `type` property is `r#type`"
    );
    assert!(
        g.module.contains("pub self_:"),
        "a `self` property is `self_`"
    );
}

#[test]
fn hostile_spec_generates_deterministically() {
    let a = generate_with(&spec(), Settings::default())
        .map(|g| g.module)
        .ok();
    let b = generate_with(&spec(), Settings::default())
        .map(|g| g.module)
        .ok();
    assert!(a.is_some());
    assert_eq!(a, b);
}

#[test]
#[ignore = "prints the generated code for inspection"]
fn dump_hostile() {
    if let Ok(g) = generate_with(&spec(), Settings::default()) {
        println!("{}", g.module);
    }
}
