//! Conformance with vacuum's own OWASP test cases (tests/fixtures/vacuum-owasp): each case is
//! linted with only the specguard rules that name the vacuum rule in `peers`. Cases where
//! specguard deliberately decides otherwise are listed with their reason in disagreements.toml;
//! the test fails when a case disagrees without being listed, or is listed but agrees.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use specguard_lint::config::{Config, Selector};
use specguard_lint::{Selection, lint, registry};
use specguard_spec::{Input, LoadOptions, load};
use std::collections::BTreeMap;
use std::path::PathBuf;

#[derive(serde::Deserialize)]
struct Index {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    rule: String,
    file: String,
    expect_errors: bool,
    /// A number, or a string like ">=1".
    expected_count: serde_json::Value,
}

impl Case {
    fn minimum(&self) -> usize {
        match &self.expected_count {
            serde_json::Value::Number(n) => n.as_u64().unwrap_or(1) as usize,
            serde_json::Value::String(s) => s.trim_start_matches(">=").trim().parse().unwrap_or(1),
            _ => 1,
        }
    }
}

#[test]
fn vacuum_owasp_cases() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/vacuum-owasp");
    let index: Index =
        serde_json::from_str(&std::fs::read_to_string(dir.join("index.json")).unwrap()).unwrap();
    let listed: BTreeMap<String, String> =
        toml::from_str(&std::fs::read_to_string(dir.join("disagreements.toml")).unwrap()).unwrap();
    let mut report = Vec::new();
    let mut problems = Vec::new();
    for case in &index.cases {
        let rules: Vec<Selector> = registry::all()
            .iter()
            .filter(|r| r.meta().peers.contains(&case.rule.as_str()))
            .map(|r| Selector::Rule(r.meta().name))
            .collect();
        assert!(!rules.is_empty(), "no specguard rule maps {}", case.rule);
        let path = dir.join(&case.file);
        // Like vacuum, lint the document even where it departs from the OpenAPI schema.
        let options = LoadOptions {
            validate: false,
            ..LoadOptions::default()
        };
        let found = match load(&Input::Path(path), &options) {
            Ok(doc) => {
                let selection = Selection {
                    select: rules,
                    ignore: vec![],
                };
                let (f, _, _) = lint(&doc, &Config::default(), &selection, None);
                Ok(f.len())
            }
            Err(e) => Err(e
                .errors
                .first()
                .map(|e| e.message.clone())
                .unwrap_or_default()),
        };
        let agrees = match (&found, case.expect_errors) {
            (Ok(n), true) => *n >= case.minimum().max(1),
            (Ok(n), false) => *n == 0,
            (Err(_), _) => false,
        };
        report.push(format!(
            "{} {} expects {} found {:?}",
            if agrees { "agree   " } else { "DISAGREE" },
            case.file,
            if case.expect_errors {
                format!(">= {}", case.minimum())
            } else {
                "0".into()
            },
            found
        ));
        match (agrees, listed.get(&case.file)) {
            (false, None) => problems.push(format!(
                "{} disagrees and is not in disagreements.toml: found {found:?}",
                case.file
            )),
            (true, Some(_)) => problems.push(format!(
                "{} agrees but is listed in disagreements.toml",
                case.file
            )),
            _ => {}
        }
    }
    for k in listed.keys() {
        if !index.cases.iter().any(|c| &c.file == k) {
            problems.push(format!("disagreements.toml names unknown case {k}"));
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n\nall cases:\n{}",
        problems.join("\n"),
        report.join("\n")
    );
}
