//! The scaffold: whole files a user owns, filled from tera skeletons with names computed here.
//! Rust items inside them come from `quote!` (see [`crate::emit::scaffold_handlers`]); no spec
//! text reaches a template.

use crate::naming::{Case, Namer, base};
use crate::{GenError, GeneratedFile, Settings};
use std::path::PathBuf;

const BUILTIN: [(&str, &str); 4] = [
    (
        "Cargo.toml.tera",
        include_str!("../templates/Cargo.toml.tera"),
    ),
    ("main.rs.tera", include_str!("../templates/main.rs.tera")),
    (
        "handlers.rs.tera",
        include_str!("../templates/handlers.rs.tera"),
    ),
    (
        "README.md.tera",
        include_str!("../templates/README.md.tera"),
    ),
];

/// A module name that is a plain identifier (no raw `r#`, not a keyword).
pub fn module_name(requested: &str) -> String {
    let n = Namer::new().name(requested, Case::Value, "api");
    match n.strip_prefix("r#") {
        Some(k) => format!("{k}_api"),
        None if n.ends_with('_') => format!("{n}api"),
        None => n,
    }
}

fn crate_name(settings: &Settings, title: &str) -> String {
    let raw = settings.crate_name.as_deref().unwrap_or(title);
    let b = base(raw, Case::Value, "api_server");
    let b = if b.starts_with(|c: char| c.is_ascii_digit()) || b.starts_with('_') {
        format!("api_{b}")
    } else {
        b
    };
    b.replace('_', "-")
}

/// A TOML basic string.
fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn template(settings: &Settings, name: &str) -> Result<String, GenError> {
    if let Some(dir) = &settings.templates_dir {
        let p = dir.join(name);
        if p.exists() {
            return std::fs::read_to_string(&p).map_err(|e| GenError {
                problems: vec![crate::Diagnostic {
                    location: p.display().to_string(),
                    message: format!("cannot read the template: {e}"),
                    help: None,
                    rule: None,
                }],
            });
        }
    }
    Ok(BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| t.to_string())
        .unwrap_or_default())
}

fn render(settings: &Settings, name: &str, cx: &tera::Context) -> Result<String, GenError> {
    let t = template(settings, name)?;
    tera::Tera::one_off(&t, cx, false).map_err(|e| {
        let mut msg = e.to_string();
        let mut src = std::error::Error::source(&e);
        while let Some(s) = src {
            msg.push_str(": ");
            msg.push_str(&s.to_string());
            src = s.source();
        }
        GenError {
            problems: vec![crate::Diagnostic {
                location: name.to_string(),
                message: format!("the template does not render: {msg}"),
                help: Some("templates may use: crate_name, module, trait_name, auth_trait_name, specguard_dependency, items, operation_count, hooks, auth_traits".into()),
                rule: None,
            }],
        }
    })
}

pub fn files(
    settings: &Settings,
    doc: &specguard_spec::Document,
    api: &crate::ir::Api,
    module: &str,
    module_source: &str,
    handlers_source: &str,
) -> Result<Vec<GeneratedFile>, GenError> {
    let t = &doc.tree;
    let title = t
        .get(doc.root, "info")
        .and_then(|i| t.get_str(i, "title"))
        .unwrap_or("");
    let dependency = match &settings.runtime_path {
        Some(p) => format!("{{ path = {} }}", toml_string(&p.display().to_string())),
        None => format!("\"{}\"", env!("CARGO_PKG_VERSION")),
    };
    let auth_traits: Vec<&str> = {
        let mut v = Vec::new();
        for s in &api.schemes {
            let n = match s.kind {
                crate::ir::SchemeKind::ApiKey { .. } => "ApiKeyAuth",
                crate::ir::SchemeKind::Basic => "BasicAuth",
                crate::ir::SchemeKind::Bearer => "BearerAuth",
                crate::ir::SchemeKind::OAuth2 => "OAuth2Auth",
                crate::ir::SchemeKind::OpenIdConnect => "OpenIdConnectAuth",
                crate::ir::SchemeKind::Http(_) => "HttpAuth",
            };
            if !v.contains(&n) {
                v.push(n);
            }
        }
        v
    };
    let hooks: Vec<String> = api
        .hooks
        .iter()
        .map(|h| format!("`{}`", h.method.trim_start_matches("r#")))
        .collect();
    let handlers_items = handlers_source
        .strip_prefix(crate::GENERATED_HEADER)
        .unwrap_or(handlers_source);
    let mut cx = tera::Context::new();
    cx.insert("crate_name", &crate_name(settings, title));
    cx.insert("module", module);
    cx.insert("trait_name", &api.trait_name);
    cx.insert("auth_trait_name", &api.auth_trait_name);
    cx.insert("specguard_dependency", &dependency);
    cx.insert("items", handlers_items.trim_end());
    cx.insert("operation_count", &api.operations.len());
    cx.insert("hooks", &hooks.join(", "));
    cx.insert(
        "auth_traits",
        &auth_traits
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    Ok(vec![
        GeneratedFile {
            path: PathBuf::from("Cargo.toml"),
            contents: render(settings, "Cargo.toml.tera", &cx)?,
            user_owned: true,
        },
        GeneratedFile {
            path: PathBuf::from("src/main.rs"),
            contents: render(settings, "main.rs.tera", &cx)?,
            user_owned: true,
        },
        GeneratedFile {
            path: PathBuf::from("src/handlers.rs"),
            contents: render(settings, "handlers.rs.tera", &cx)?,
            user_owned: true,
        },
        GeneratedFile {
            path: PathBuf::from("README.md"),
            contents: render(settings, "README.md.tera", &cx)?,
            user_owned: true,
        },
        GeneratedFile {
            path: PathBuf::from(format!("src/{module}.rs")),
            contents: module_source.to_string(),
            user_owned: false,
        },
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(module_name("api"), "api");
        assert_eq!(module_name("mod"), "mod_api");
        assert_eq!(module_name("self"), "self_api");
        assert_eq!(toml_string("a\"b\\c\n"), "\"a\\\"b\\\\c\\u000A\"");
        let s = Settings::default();
        assert_eq!(crate_name(&s, "Swagger Petstore"), "swagger-petstore");
        assert_eq!(crate_name(&s, "3D API"), "n3d-api");
        assert_eq!(crate_name(&s, "\"; evil"), "evil");
    }
}
