//! docs/rules.md and docs/rules/<name>.md are generated from the registry; this test fails when
//! they are stale. Regenerate with `SPECGUARD_BLESS=1 cargo test -p specguard-lint --test docs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

#[test]
fn rule_docs_are_up_to_date() {
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let bless = std::env::var_os("SPECGUARD_BLESS").is_some();
    let mut expected = vec![(docs.join("rules.md"), specguard_lint::registry_markdown())];
    for r in specguard_lint::registry::all() {
        let m = r.meta();
        expected.push((
            docs.join("rules").join(format!("{}.md", m.name)),
            specguard_lint::rule_markdown(m),
        ));
    }
    let mut stale = Vec::new();
    for (path, text) in &expected {
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            if bless {
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
    }
    // No page for a rule that no longer exists.
    if let Ok(entries) = std::fs::read_dir(docs.join("rules")) {
        for e in entries.flatten() {
            let p = e.path();
            if !expected.iter().any(|(x, _)| *x == p) {
                if bless {
                    std::fs::remove_file(&p).unwrap();
                } else {
                    stale.push(format!("{} (no such rule)", p.display()));
                }
            }
        }
    }
    assert!(
        stale.is_empty(),
        "stale rule docs (regenerate with SPECGUARD_BLESS=1 cargo test -p specguard-lint --test docs): {stale:#?}"
    );
}
