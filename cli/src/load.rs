//! Reading documents from paths or stdin and printing load errors.

use crate::LoadArgs;
use specguard_spec::diag::{render_human, render_warning, to_json};
use specguard_spec::{Document, Input, LoadFailure, LoadOptions};
use std::io::{IsTerminal, Read};
use std::path::Path;

pub fn options(a: &LoadArgs) -> LoadOptions {
    LoadOptions {
        max_file_size: a.max_file_size,
        allow_ref_dirs: a.allow_ref_dir.clone(),
        // `sigbus::install` (at start) turns a file truncated under us into exit code 2.
        map_large_files: true,
        ..LoadOptions::default()
    }
}

/// Load `path` (`-` = stdin). With `strict`, warnings become a failure.
pub fn load(path: &Path, a: &LoadArgs) -> Result<Document, LoadFailure> {
    load_with(path, a, |_| ()).map(|(doc, ())| doc)
}

/// [`load`], running `work` on the document while its structural check runs.
pub fn load_with<R: Send>(
    path: &Path,
    a: &LoadArgs,
    work: impl FnOnce(&Document) -> R + Send,
) -> Result<(Document, R), LoadFailure> {
    let opts = options(a);
    let input = if path == Path::new("-") {
        let mut text = Vec::new();
        if let Err(e) = std::io::stdin()
            .take(opts.max_file_size + 1)
            .read_to_end(&mut text)
        {
            return Err(LoadFailure {
                files: Vec::new(),
                errors: vec![specguard_spec::LoadError::new(
                    "io",
                    format!("cannot read stdin: {e}"),
                )],
            });
        }
        Input::Text {
            name: "-".into(),
            text,
            base_dir: std::env::current_dir().unwrap_or_default(),
        }
    } else {
        Input::Path(path.to_path_buf())
    };
    let (doc, r) = specguard_spec::load::load_with(&input, &opts, work)?;
    if a.strict && !doc.warnings.is_empty() {
        return Err(LoadFailure {
            errors: doc.warnings.clone(),
            files: doc.tree.files,
        });
    }
    Ok((doc, r))
}

pub fn color(choice: crate::ColorChoice, stream_is_tty: bool) -> bool {
    match choice {
        crate::ColorChoice::Always => true,
        crate::ColorChoice::Never => false,
        crate::ColorChoice::Auto => stream_is_tty && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Write `text` to standard output. A closed pipe (`specguard … | head`) ends the output
/// quietly instead of aborting the run (`print!` panics on it).
pub fn stdout(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// Print load errors to stderr (human) or as JSON to stdout.
pub fn report_failure(f: &LoadFailure, json: bool) {
    if json {
        let errs: Vec<_> = f.errors.iter().map(|e| to_json(&f.files, e)).collect();
        let v = serde_json::json!({"version": 1, "errors": errs});
        stdout(&(serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"));
    } else {
        let c = color(crate::ColorChoice::Auto, std::io::stderr().is_terminal());
        for e in &f.errors {
            eprintln!("{}\n", render_human(&f.files, e, c));
        }
    }
}

/// Print load warnings to stderr.
pub fn report_warnings(doc: &Document) {
    if doc.warnings.is_empty() {
        return;
    }
    let c = color(crate::ColorChoice::Auto, std::io::stderr().is_terminal());
    for w in &doc.warnings {
        eprintln!("{}\n", render_warning(&doc.tree.files, w, c));
    }
}
