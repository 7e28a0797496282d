//! Helpers shared by the fuzz targets: loading from bytes, exercising everything the loader
//! offers on a loaded document, rendering every diagnostic of a failed load.

use specguard_spec::diag::{render_human, render_plain_line, render_warning, to_json};
use specguard_spec::{Document, Input, LoadFailure, LoadOptions};
use std::path::Path;
use std::sync::OnceLock;

/// An empty directory, one per process, that relative `$ref`s of in-memory documents resolve
/// against (so they find nothing and never reach the rest of the file system).
pub fn scratch_dir() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    // ok: fuzz harness — a panic is how a failed oracle reports to libFuzzer.
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir"))
        .path()
}

/// Load bytes as if read from stdin under `name`.
pub fn load_bytes(name: &str, bytes: &[u8]) -> Result<Document, LoadFailure> {
    let input = Input::Text {
        name: name.to_string(),
        text: bytes.to_vec(),
        base_dir: scratch_dir().to_path_buf(),
    };
    specguard_spec::load(&input, &LoadOptions::default())
}

/// Whether the first significant character makes the loader read the bytes as JSON.
pub fn looks_like_json(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    matches!(
        text.trim_start_matches('\u{feff}')
            .trim_start()
            .chars()
            .next(),
        Some('{' | '[')
    )
}

/// Render every error of a failed load the ways the CLI does (code frames index into the text
/// by the error's spans: the place where bad positions panic).
pub fn render_failure(f: &LoadFailure) {
    let _ = f.to_string();
    for e in &f.errors {
        let _ = render_plain_line(&f.files, e);
        let _ = render_human(&f.files, e, false);
        let _ = render_human(&f.files, e, true);
        let _ = to_json(&f.files, e);
    }
}

/// Everything the loader crate offers on a loaded document.
pub fn exercise(doc: &Document) {
    for w in &doc.warnings {
        let _ = render_warning(&doc.tree.files, w, false);
        let _ = to_json(&doc.tree.files, w);
    }
    for &(id, _) in &doc.objects {
        let _ = doc.display_location(id);
        let _ = doc.tree.pointer(id);
    }
    let views = specguard_spec::view::Views::new(doc);
    let words = specguard_spec::sensitive::SensitiveWords::default();
    let inv = specguard_spec::inventory::inventory(doc, &views, &words);
    let _ = serde_json::to_string(&inv);
    // A document that loaded without structural warnings fits the typed model. (One with
    // warnings may not: a parameter without `schema` or `content` loads with a warning, and
    // `typed` then returns an error, which is fine.)
    match specguard_spec::model::typed(doc) {
        Err(e) if doc.warnings.is_empty() => {
            // ok: fuzz harness — a panic is how a failed oracle reports to libFuzzer.
            panic!("a document that loaded cleanly does not fit the typed model: {e}")
        }
        _ => {}
    }
}

/// Load, then exercise or render.
pub fn load_and_exercise(name: &str, bytes: &[u8]) {
    match load_bytes(name, bytes) {
        Ok(doc) => exercise(&doc),
        Err(f) => render_failure(&f),
    }
}

/// Generate (operations without security allowed, as warnings) and check the result: the
/// module and every scaffold `.rs` file parse as Rust, and a refusal is never the generator's
/// internal "generated code does not parse" error.
pub fn generate_and_check(doc: &Document) {
    let settings = specguard_generator::Settings {
        allow_unauthenticated: true,
        ..specguard_generator::Settings::default()
    };
    match specguard_generator::Generator::new(settings).generate(doc) {
        Ok(g) => {
            if let Err(e) = syn::parse_file(&g.module) {
                // ok: fuzz harness — a panic is how a failed oracle reports to libFuzzer.
                panic!("the generated module does not parse: {e}\n{}", g.module);
            }
            for f in &g.files {
                if f.path.extension().is_some_and(|e| e == "rs")
                    && let Err(e) = syn::parse_file(&f.contents)
                {
                    // ok: fuzz harness — a panic is how a failed oracle reports to libFuzzer.
                    panic!("{} does not parse: {e}\n{}", f.path.display(), f.contents);
                }
            }
        }
        Err(e) => {
            for p in &e.problems {
                assert!(
                    p.location != "specguard-generator",
                    "internal generator error: {p}"
                );
            }
        }
    }
}
