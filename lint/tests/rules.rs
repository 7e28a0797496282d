#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Every rule: its documentation examples behave as documented, and its fixtures
//! (tests/fixtures/<rule>/invalid.yaml fires, valid.yaml stays silent) match the snapshots.

use specguard_lint::config::{Config, Selector};
use specguard_lint::render::{FileReport, Format, RunReport, render};
use specguard_lint::{Selection, lint, registry};
use specguard_spec::{Input, LoadOptions, load};
use std::path::{Path, PathBuf};

fn run(name: &str, text: &str, label: &str, base: &Path) -> (usize, String) {
    let doc = match load(
        &Input::Text {
            name: label.to_string(),
            text: text.as_bytes().to_vec(),
            base_dir: base.to_path_buf(),
        },
        &LoadOptions::default(),
    ) {
        Ok(d) => d,
        Err(f) => panic!("{label} does not load:\n{f}"),
    };
    let selection = Selection {
        select: vec![Selector::parse(name).unwrap()],
        ignore: vec![],
    };
    let (findings, suppressed, baselined) = lint(&doc, &Config::default(), &selection, None);
    let report = RunReport {
        files: vec![FileReport {
            doc: &doc,
            findings: &findings,
            suppressed,
            baselined,
        }],
        elapsed: std::time::Duration::ZERO,
        color: false,
    };
    (findings.len(), render(Format::Concise, &report))
}

/// The first ```yaml block after a `## heading`.
fn yaml_block<'a>(docs: &'a str, heading: &str) -> Option<&'a str> {
    let start = docs.find(&format!("## {heading}\n"))?;
    let rest = &docs[start..];
    let open = rest.find("```yaml\n")? + "```yaml\n".len();
    let close = rest[open..].find("```")?;
    Some(&rest[open..open + close])
}

#[test]
fn docs_have_the_fixed_headings_and_examples_behave() {
    let base = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for rule in registry::all() {
        let m = rule.meta();
        let mut last = 0;
        for h in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            let at = m
                .docs
                .find(h)
                .unwrap_or_else(|| panic!("{}: docs lack `{h}`", m.name));
            assert!(at >= last, "{}: `{h}` out of order", m.name);
            last = at;
        }
        let bad =
            yaml_block(m.docs, "Example").unwrap_or_else(|| panic!("{}: no yaml Example", m.name));
        let good = yaml_block(m.docs, "Use instead")
            .unwrap_or_else(|| panic!("{}: no yaml Use instead", m.name));
        let (n, out) = run(m.name, bad, "example.yaml", &base);
        assert!(
            n > 0,
            "{}: the Example does not fire the rule:\n{out}",
            m.name
        );
        let (n, out) = run(m.name, good, "use-instead.yaml", &base);
        assert_eq!(n, 0, "{}: the Use instead fires the rule:\n{out}", m.name);
    }
}

#[test]
fn metadata_is_well_formed_and_unique() {
    let mut names = std::collections::HashSet::new();
    let mut codes = std::collections::HashSet::new();
    for rule in registry::all() {
        let m = rule.meta();
        assert!(names.insert(m.name), "duplicate name {}", m.name);
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(
            m.code.len() == 5 && m.code.starts_with("SG"),
            "{}: bad code {}",
            m.name,
            m.code
        );
        assert!(
            m.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c == '-' || c.is_ascii_digit()),
            "{}: not kebab-case",
            m.name
        );
        assert!(
            !m.summary.is_empty() && !m.summary.ends_with('.'),
            "{}: summary",
            m.name
        );
    }
}

#[test]
fn fixtures_fire_and_stay_silent() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for rule in registry::all() {
        let m = rule.meta();
        let rd = dir.join(m.name);
        let invalid = std::fs::read_to_string(rd.join("invalid.yaml"))
            .unwrap_or_else(|_| panic!("missing tests/fixtures/{}/invalid.yaml", m.name));
        let valid = std::fs::read_to_string(rd.join("valid.yaml"))
            .unwrap_or_else(|_| panic!("missing tests/fixtures/{}/valid.yaml", m.name));
        let (n, out) = run(m.name, &invalid, &format!("{}/invalid.yaml", m.name), &rd);
        assert!(n > 0, "{}: invalid.yaml does not fire", m.name);
        insta::assert_snapshot!(format!("{}__invalid", m.name), out);
        let (n, out) = run(m.name, &valid, &format!("{}/valid.yaml", m.name), &rd);
        assert_eq!(n, 0, "{}: valid.yaml fires:\n{out}", m.name);
    }
}
