//! Runs the rules over one document: severity from the configuration, inline ignores,
//! baseline, deterministic order.

use crate::baseline::Baseline;
use crate::config::{Config, Selector};
use crate::context::Context;
use crate::finding::Finding;
use crate::registry;
use crate::rule::{Report, Rule};
use rayon::prelude::*;
use sha2::{Digest, Sha256};
use specguard_spec::view::Views;
use specguard_spec::{Document, NodeId, Tree, Value};

/// One run's rule selection on top of the configuration (`--select`, `--ignore`).
#[derive(Debug, Default, Clone)]
pub struct Selection {
    pub select: Vec<Selector>,
    pub ignore: Vec<Selector>,
}

impl Selection {
    fn allows(&self, r: &dyn Rule) -> bool {
        let m = r.meta();
        let hit = |s: &Selector| match s {
            Selector::Rule(n) => *n == m.name,
            Selector::Category(c) => *c == m.owasp,
            Selector::All => true,
        };
        (self.select.is_empty() || self.select.iter().any(hit)) && !self.ignore.iter().any(hit)
    }
    /// Whether the rule was named explicitly by `--select` (then it runs even if off by config).
    fn forces(&self, r: &dyn Rule) -> bool {
        self.select
            .iter()
            .any(|s| matches!(s, Selector::Rule(n) if *n == r.meta().name))
    }
}

/// A rule and what it reported.
type Ran = (&'static dyn Rule, Vec<Report>);

/// The rules that take longest on large documents (`SPECGUARD_TIMINGS=1` on GitHub's and
/// MS Graph's specs), longest first.
const HEAVY_FIRST: &[&str] = &[
    "secret-in-example",
    "unsafe-markup-in-description",
    "unsatisfiable-all-of",
    "ambiguous-one-of",
    "unrestricted-url-input",
    "server-owned-field-writable",
    "unbounded-string-input",
    "unbounded-number-input",
    "password-in-response",
    "invalid-pattern",
    "collection-without-page-limit",
];

/// Lint a loaded document.
pub fn lint(
    doc: &Document,
    config: &Config,
    selection: &Selection,
    baseline: Option<&Baseline>,
) -> (Vec<Finding>, usize, usize) {
    let t = &doc.tree;
    // The objects that carry `x-specguard-ignore` (few, if any): asking each ancestor of each
    // finding for the key scanned `paths` and `components/schemas` member by member. Looking
    // for them reads the whole tree, so it runs beside the building of the views (one thread),
    // as does indexing the lines of each file for the findings' positions (a pass over 13 MB
    // on GitHub's spec); beside the rules they only took turns with them.
    let (views, ignoring): (Views, Vec<NodeId>) = rayon::join(
        || {
            let _ph = specguard_spec::timing::phase("views");
            Views::new(doc)
        },
        || {
            let _ph = specguard_spec::timing::phase("find-ignores+index-lines");
            rayon::join(
                || ignore_holders(t),
                || t.files.iter().for_each(|f| f.index_lines()),
            )
            .0
        },
    );
    let cx = Context {
        doc,
        views: &views,
        sensitive: &config.sensitive,
        options: &config.options,
        input_schemas: std::sync::OnceLock::new(),
    };
    let mut findings = Vec::new();
    let mut suppressed = 0;
    // The rules run in parallel; their reports are then processed in registry order, and
    // the findings sorted, so the output does not depend on scheduling.
    let chosen: Vec<&'static dyn Rule> = registry::all()
        .iter()
        .copied()
        .filter(|rule| {
            selection.allows(*rule)
                && (rule.meta().name != crate::rules::ignore_without_reason::NAME
                    || config.require_reason
                    || selection.forces(*rule))
        })
        .collect();
    // Longest first: the rules that take longest on large documents start first, so that
    // neither thread is left running one of them alone at the end (on GitHub's spec
    // `secret-in-example` alone is a fifth of the rules' time). A stable sort: the rest keep
    // registry order, and the reports are ordered after the run anyway.
    let mut chosen = chosen;
    chosen.sort_by_key(|rule| {
        HEAVY_FIRST
            .iter()
            .position(|n| *n == rule.meta().name)
            .unwrap_or(HEAVY_FIRST.len())
    });
    let ran: Vec<Ran> = chosen
        .into_par_iter()
        .with_max_len(1)
        .map(|rule| {
            let mut reports: Vec<Report> = Vec::new();
            let _ph = specguard_spec::timing::phase(rule.meta().name);
            rule.check(&cx, &mut reports);
            (rule, reports)
        })
        .collect();
    let ph = specguard_spec::timing::phase("place");
    // Placing each report (severity by path, inline ignores, pointer, fingerprint, positions)
    // is independent work too.
    enum Placed {
        Off,
        Suppressed,
        Kept(Box<Finding>),
    }
    let placed: Vec<Placed> = ran
        .into_par_iter()
        .flat_map_iter(|(rule, reports)| reports.into_iter().map(move |r| (rule, r)))
        .map(|(rule, r)| {
            let m = rule.meta();
            let node = t.node(r.node);
            let file = t.file(node.file);
            let api_path = api_path_of(doc, r.node);
            let severity = match config.level(m, api_path.as_deref(), &file.display) {
                Some(s) => s,
                None if selection.forces(rule) => m.severity,
                None => return Placed::Off,
            };
            if suppressed_by(t, r.node, m.name, m.code, &ignoring) {
                return Placed::Suppressed;
            }
            // A scalar is shown by its value (`http://…`), a collection by its key.
            let span = match t.value(r.node) {
                Value::Object(_) | Value::Array(_) => t.report_span(r.node),
                _ => node.span,
            };
            let pointer = t.pointer(r.node);
            let fingerprint = fingerprint(m.name, &file.display, &pointer, t, r.node);
            Placed::Kept(Box::new(Finding {
                rule: m,
                severity,
                message: r.message,
                help: r.help,
                file_id: node.file,
                file: file.display.clone(),
                span,
                start: file.line_col(span.start),
                end: file.line_col(span.end),
                pointer,
                node: r.node,
                fingerprint,
            }))
        })
        .collect();
    for p in placed {
        match p {
            Placed::Off => {}
            Placed::Suppressed => suppressed += 1,
            Placed::Kept(f) => findings.push(*f),
        }
    }
    drop(ph);
    let _ph = specguard_spec::timing::phase("sort");
    findings.sort_by(|a, b| {
        (a.file_id, a.start, a.rule.name, &a.message).cmp(&(
            b.file_id,
            b.start,
            b.rule.name,
            &b.message,
        ))
    });
    findings
        .dedup_by(|a, b| a.node == b.node && a.rule.name == b.rule.name && a.message == b.message);
    let mut baselined = 0;
    if let Some(b) = baseline {
        let before = findings.len();
        findings = b.filter(findings);
        baselined = before - findings.len();
    }
    (findings, suppressed, baselined)
}

/// The API path a node belongs to, when it sits under `paths` (or is an operation there).
pub fn api_path_of(doc: &Document, id: NodeId) -> Option<String> {
    let t = &doc.tree;
    let paths = t.get(doc.root, "paths")?;
    let mut cur = id;
    while let Some((parent, idx)) = t.node(cur).parent() {
        if parent == paths {
            return t
                .members(parent)
                .get(idx as usize)
                .map(|m| m.key.to_string());
        }
        cur = parent;
    }
    None
}

/// The objects that have an `x-specguard-ignore` member.
fn ignore_holders(t: &Tree) -> Vec<NodeId> {
    (0..u32::try_from(t.nodes.len()).unwrap_or(u32::MAX))
        .map(NodeId)
        // Each node's key filter answers for almost every object without reading its members.
        .filter(|&id| t.get_member(id, "x-specguard-ignore").is_some())
        .collect()
}

/// Whether `x-specguard-ignore` on the node or an ancestor names the rule.
pub fn is_suppressed(t: &Tree, id: NodeId, name: &str, code: &str) -> bool {
    let mut cur = Some(id);
    while let Some(n) = cur {
        if ignores_here(t, n, name, code) {
            return true;
        }
        cur = t.node(n).parent().map(|(p, _)| p);
    }
    false
}

/// [`is_suppressed`], given the objects that have the member (sorted): the ancestors that
/// have none are not searched for it.
fn suppressed_by(t: &Tree, id: NodeId, name: &str, code: &str, holders: &[NodeId]) -> bool {
    if holders.is_empty() {
        return false;
    }
    let mut cur = Some(id);
    while let Some(n) = cur {
        if holders.binary_search(&n).is_ok() && ignores_here(t, n, name, code) {
            return true;
        }
        cur = t.node(n).parent().map(|(p, _)| p);
    }
    false
}

/// Whether the node's own `x-specguard-ignore` names the rule.
fn ignores_here(t: &Tree, n: NodeId, name: &str, code: &str) -> bool {
    let Some(list) = t.get(n, "x-specguard-ignore") else {
        return false;
    };
    let names = |v: NodeId| -> Option<String> {
        match t.value(v) {
            Value::String(s) => Some(s.to_string()),
            Value::Object(_) => t.get_str(v, "rule").map(str::to_string),
            _ => None,
        }
    };
    match t.value(list) {
        Value::Array(items) => items
            .iter()
            .filter_map(|&i| names(i))
            .any(|s| s == name || s == code || s == "all"),
        _ => names(list).is_some_and(|s| s == name || s == code || s == "all"),
    }
}

/// rule + file + pointer + a hash of the node's own content (not its descendants, not
/// its position), so edits elsewhere and shifted lines keep the fingerprint.
pub fn fingerprint(rule: &str, file: &str, pointer: &str, t: &Tree, id: NodeId) -> String {
    let mut h = Sha256::new();
    h.update(rule.as_bytes());
    h.update([0]);
    h.update(file.trim_start_matches("./").as_bytes());
    h.update([0]);
    h.update(pointer.as_bytes());
    h.update([0]);
    shallow(t, id, &mut h);
    let d = h.finalize();
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(20);
    for b in d.iter().take(10) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

/// How a member's value enters the fingerprint: scalars by their text, collections by their
/// shape only (`[3]`, `{}`), so that edits deeper down do not change it.
fn shallow_text<'a>(t: &'a Tree, id: NodeId, buf: &'a mut String) -> &'a str {
    match t.value(id) {
        Value::String(s) | Value::Number(s) => s,
        Value::Bool(true) => "true",
        Value::Bool(false) => "false",
        Value::Null => "null",
        Value::Array(a) => {
            use std::fmt::Write as _;
            buf.clear();
            let _ = write!(buf, "[{}]", a.len());
            buf
        }
        Value::Object(_) => "{}",
    }
}

fn shallow(t: &Tree, id: NodeId, h: &mut Sha256) {
    match t.value(id) {
        Value::Object(m) => {
            // Sorted by key, then by value text (keys are unique in a loaded document, but the
            // order must not depend on that).
            let mut members: Vec<&specguard_spec::tree::Member> = m.iter().collect();
            let (mut x, mut y) = (String::new(), String::new());
            members.sort_by(|a, b| {
                (*a.key).cmp(&*b.key).then_with(|| {
                    shallow_text(t, a.value, &mut x).cmp(shallow_text(t, b.value, &mut y))
                })
            });
            for m in members {
                h.update(m.key.as_bytes());
                h.update([1]);
                h.update(shallow_text(t, m.value, &mut x).as_bytes());
                h.update([2]);
            }
        }
        Value::String(s) => h.update(s.as_bytes()),
        Value::Number(n) => h.update(n.as_bytes()),
        Value::Bool(b) => h.update([u8::from(*b)]),
        Value::Null => h.update(b"null"),
        Value::Array(a) => h.update(a.len().to_le_bytes()),
    }
}

#[cfg(test)]
mod tests {
    use super::HEAVY_FIRST;

    #[test]
    fn heavy_first_names_registered_rules_once_each() {
        for (i, name) in HEAVY_FIRST.iter().enumerate() {
            assert!(
                crate::registry::all()
                    .iter()
                    .any(|r| r.meta().name == *name),
                "{name} is not a rule"
            );
            assert!(!HEAVY_FIRST[..i].contains(name), "{name} is listed twice");
        }
    }

    /// Fingerprints are stored in users' baseline files: the same node must keep the same
    /// fingerprint across versions. Pinned values (every kind of member value, in unsorted order).
    #[test]
    #[allow(clippy::expect_used)]
    fn fingerprints_stay_the_same_across_versions() {
        let text = br#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {},
            "x-node": {"zeta": "s", "alpha": 12.50, "flag": true, "none": null,
                       "list": [1, 2, 3], "obj": {"a": 1}, "flag2": false}}"#;
        let doc = specguard_spec::load(
            &specguard_spec::Input::Text {
                name: "fp.json".into(),
                text: text.to_vec(),
                base_dir: std::path::PathBuf::from("."),
            },
            &specguard_spec::LoadOptions::default(),
        )
        .expect("loads");
        let t = &doc.tree;
        let node = t.get(doc.root, "x-node").expect("x-node");
        let zeta = t.get(node, "zeta").expect("zeta");
        let list = t.get(node, "list").expect("list");
        let got = [
            super::fingerprint("rule-a", "./fp.json", "/x-node", t, node),
            super::fingerprint("rule-a", "fp.json", "/x-node/zeta", t, zeta),
            super::fingerprint("rule-b", "fp.json", "/x-node/list", t, list),
        ];
        assert_eq!(
            got,
            [
                "dbfe57ae2f2abcadc9ca",
                "23de9bed4514b88c0c22",
                "455b92a551fade877360"
            ]
        );
    }
}
