//! docs/rules.md and docs/rules/<name>.md are generated from the registry; this test fails when
//! they are stale. Regenerate with `SPECGUARD_BLESS=1 cargo test -p specguard-lint --test docs`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

#[test]
fn rule_docs_are_up_to_date() {
    let docs = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs");
    let bless = std::env::var_os("SPECGUARD_BLESS").is_some();
    let mut expected = vec![
        (docs.join("rules.md"), specguard_lint::registry_markdown()),
        (
            docs.join("peers.md"),
            format!(
                "# specguard ↔ Spectral OWASP ↔ vacuum\n\nGenerated from the rules' `peers` (a test fails when it is stale). Where specguard's semantics differ from the peer's, the rule's page says how and why.\n\n{}",
                specguard_lint::peers_markdown().replace("(docs/rules/", "(rules/")
            ),
        ),
    ];
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

#[test]
fn every_peer_rule_is_covered() {
    let all: Vec<&str> = specguard_lint::registry::all()
        .iter()
        .flat_map(|r| r.meta().peers.iter().copied())
        .collect();
    for p in specguard_lint::SPECTRAL_OWASP_RULES
        .iter()
        .chain(specguard_lint::VACUUM_OWASP_RULES.iter())
    {
        assert!(all.contains(p), "no specguard rule names the peer rule {p}");
    }
    for p in &all {
        assert!(
            specguard_lint::SPECTRAL_OWASP_RULES.contains(p)
                || specguard_lint::VACUUM_OWASP_RULES.contains(p),
            "unknown peer id {p}"
        );
    }
}

#[test]
fn readme_peer_table_is_up_to_date() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (start, end) = ("<!-- peers:start -->\n", "<!-- peers:end -->");
    let a = readme
        .find(start)
        .expect("README lacks the peers:start marker")
        + start.len();
    let b = readme.find(end).expect("README lacks the peers:end marker");
    let table = specguard_lint::peers_markdown();
    if readme[a..b] != table {
        if std::env::var_os("SPECGUARD_BLESS").is_some() {
            std::fs::write(&path, format!("{}{table}{}", &readme[..a], &readme[b..])).unwrap();
        } else {
            panic!(
                "README's peer table is stale: SPECGUARD_BLESS=1 cargo test -p specguard-lint --test docs"
            );
        }
    }
}
