//! Finding and loading the document a macro names; making its files build inputs; turning
//! load problems into compile errors.

use proc_macro2::{Span, TokenStream};
use quote::quote;
use specguard_spec::{Document, Input, LoadFailure, LoadOptions, SourceFile};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::SystemTime;

/// The environment variable that, when set, replaces `CARGO_MANIFEST_DIR` as the directory
/// relative spec paths are resolved against. Meant for test harnesses (trybuild builds test
/// cases in a scratch crate whose manifest directory holds no specs). Cargo does not track it:
/// changing it does not rebuild.
pub const SPEC_ROOT_VAR: &str = "SPECGUARD_SPEC_ROOT";

/// A spec path resolved against its root.
pub struct SpecPath {
    /// The absolute path of the root document.
    pub path: PathBuf,
    /// The directory paths are shown relative to (canonical when possible).
    pub root: PathBuf,
}

/// Resolve a path written in a macro: absolute paths stay; relative ones are joined to
/// `SPECGUARD_SPEC_ROOT` when set, else to `CARGO_MANIFEST_DIR`.
pub fn resolve(written: &str, span: Span) -> syn::Result<SpecPath> {
    if written.trim().is_empty() {
        return Err(syn::Error::new(
            span,
            "the spec path is empty; name the OpenAPI document, relative to the crate's Cargo.toml directory (e.g. \"openapi.yaml\")",
        ));
    }
    let root = match std::env::var_os(SPEC_ROOT_VAR).filter(|v| !v.is_empty()) {
        Some(r) => PathBuf::from(r),
        None => match std::env::var_os("CARGO_MANIFEST_DIR") {
            Some(r) => PathBuf::from(r),
            None => {
                return Err(syn::Error::new(
                    span,
                    "CARGO_MANIFEST_DIR is not set, so the spec path cannot be resolved; build with cargo, or set SPECGUARD_SPEC_ROOT to the directory the path is relative to",
                ));
            }
        },
    };
    let path = root.join(written);
    if !path.is_file() {
        let base = if std::env::var_os(SPEC_ROOT_VAR).is_some_and(|v| !v.is_empty()) {
            SPEC_ROOT_VAR
        } else {
            "CARGO_MANIFEST_DIR"
        };
        return Err(syn::Error::new(
            span,
            format!(
                "spec file `{written}` not found (looked for {}); paths are relative to the directory of the crate's Cargo.toml (${base})",
                path.display()
            ),
        ));
    }
    let root = root.canonicalize().unwrap_or(root);
    Ok(SpecPath { path, root })
}

/// Show paths under `root` relative to it (diagnostics then read `openapi.yaml:42:7`).
fn relativize(files: &mut [SourceFile], root: &Path) {
    for f in files {
        if let Ok(rel) = f.path.strip_prefix(root) {
            f.display = rel.display().to_string();
        }
    }
}

/// What a file looked like when it was loaded (to reuse a cached document).
type Stamp = Vec<(PathBuf, Option<SystemTime>, u64)>;

fn stamp(paths: impl Iterator<Item = PathBuf>) -> Stamp {
    paths
        .map(|p| {
            let meta = std::fs::metadata(&p).ok();
            let modified = meta.as_ref().and_then(|m| m.modified().ok());
            let len = meta.map_or(u64::MAX, |m| m.len());
            (p, modified, len)
        })
        .collect()
}

thread_local! {
    /// Documents already loaded by this compiler process (several derives usually name the
    /// same spec); reused only while none of their files changed.
    static CACHE: RefCell<HashMap<PathBuf, (Stamp, Rc<Document>)>> = RefCell::new(HashMap::new());
}

/// Load a document (cached per compiler process for the derives).
pub fn load(sp: &SpecPath, cache: bool) -> Result<Rc<Document>, LoadFailure> {
    let key = sp.path.canonicalize().unwrap_or_else(|_| sp.path.clone());
    if cache {
        let hit = CACHE.with(|c| {
            let c = c.borrow();
            let (st, doc) = c.get(&key)?;
            let now = stamp(st.iter().map(|s| s.0.clone()));
            (now == *st).then(|| Rc::clone(doc))
        });
        if let Some(doc) = hit {
            return Ok(doc);
        }
    }
    let mut doc = specguard_spec::load(&Input::Path(sp.path.clone()), &LoadOptions::default())
        .map_err(|mut f| {
            relativize(&mut f.files, &sp.root);
            f
        })?;
    relativize(&mut doc.tree.files, &sp.root);
    let doc = Rc::new(doc);
    if cache {
        let st = stamp(doc.tree.files.iter().map(|f| f.path.clone()));
        CACHE.with(|c| {
            c.borrow_mut().insert(key, (st, Rc::clone(&doc)));
        });
    }
    Ok(doc)
}

/// `const _: &[u8] = include_bytes!("/abs/file");` for each file, so that cargo rebuilds the
/// crate when any file of the document changes.
pub fn build_inputs<'a>(paths: impl IntoIterator<Item = &'a Path>) -> TokenStream {
    let mut out = TokenStream::new();
    let mut seen = std::collections::BTreeSet::new();
    for p in paths {
        let abs = p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let Some(s) = abs.to_str() else { continue };
        if seen.insert(s.to_string()) {
            out.extend(quote!(
                const _: &[u8] = ::core::include_bytes!(#s);
            ));
        }
    }
    out
}

/// The root path plus every file a failure managed to read.
pub fn failure_inputs(sp: &SpecPath, f: &LoadFailure) -> TokenStream {
    let mut paths: Vec<&Path> = vec![sp.path.as_path()];
    paths.extend(f.files.iter().map(|f| f.path.as_path()));
    build_inputs(paths)
}

/// Every load error as one compile error at `span`.
pub fn load_errors(f: &LoadFailure, span: Span) -> syn::Error {
    let mut errors: Option<syn::Error> = None;
    let n = f.errors.len();
    for e in &f.errors {
        let mut msg = format!(
            "the OpenAPI document does not load ({n} problem{}): {}",
            if n == 1 { "" } else { "s" },
            specguard_spec::diag::render_plain_line(&f.files, e)
        );
        if let Some(p) = e.pointer.as_deref().filter(|p| !p.is_empty()) {
            msg.push_str(&format!("\n  note: at JSON pointer `{p}`"));
        }
        for s in &e.secondary {
            if let Some((file, line, col)) = specguard_spec::diag::label_location(&f.files, s) {
                msg.push_str(&format!("\n  note: {file}:{line}:{col}: {}", s.message));
            }
        }
        if let Some(h) = &e.help {
            msg.push_str(&format!("\n  help: {h}"));
        }
        push(&mut errors, syn::Error::new(span, msg));
    }
    errors.unwrap_or_else(|| syn::Error::new(span, "the OpenAPI document does not load"))
}

/// Add an error to a combined one.
pub fn push(acc: &mut Option<syn::Error>, e: syn::Error) {
    match acc {
        Some(a) => a.combine(e),
        None => *acc = Some(e),
    }
}

#[cfg(test)]
#[allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_against_the_manifest_dir_and_show_relative() {
        if std::env::var_os(SPEC_ROOT_VAR).is_some() {
            return; // the harness of another test set it; this one checks the default
        }
        let sp = resolve("tests/specs/users.yaml", Span::call_site()).expect("found");
        assert!(sp.path.is_absolute());
        let doc = load(&sp, true).map_err(|f| f.to_string()).expect("loads");
        assert_eq!(doc.tree.files[0].display, "tests/specs/users.yaml");
        // A second load comes from the cache (same document).
        let again = load(&sp, true).map_err(|f| f.to_string()).expect("loads");
        assert!(Rc::ptr_eq(&doc, &again));
        let inputs = build_inputs(doc.tree.files.iter().map(|f| f.path.as_path())).to_string();
        assert!(inputs.contains("include_bytes") && inputs.contains("users.yaml"));
        let e = resolve("tests/specs/nope.yaml", Span::call_site())
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(e.contains("`tests/specs/nope.yaml` not found"), "{e}");
        assert!(resolve(" ", Span::call_site()).is_err());
    }

    #[test]
    fn every_load_error_is_reported_with_its_location() {
        if std::env::var_os(SPEC_ROOT_VAR).is_some() {
            return;
        }
        let sp = resolve("tests/specs/broken.yaml", Span::call_site()).expect("found");
        let Err(f) = load(&sp, false) else {
            panic!("broken.yaml must not load")
        };
        let e = load_errors(&f, Span::call_site());
        let messages: Vec<String> = e.into_iter().map(|e| e.to_string()).collect();
        assert_eq!(messages.len(), 2);
        assert!(messages[0].contains("tests/specs/broken.yaml:15:23: error[ref-not-found]"));
        assert!(messages[1].contains("help: check the spelling"));
    }
}
