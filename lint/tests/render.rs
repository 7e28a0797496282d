#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The output formats: every format of one fixture is snapshotted; the SARIF validates against
//! the official SARIF 2.1.0 schema (tests/sarif/), the JUnit parses as XML 1.0, the JSON has
//! the documented keys, and awkward file names and messages are escaped in every format.

use specguard_lint::config::{Config, Selector};
use specguard_lint::render::{FileReport, Format, RunReport, render};
use specguard_lint::{Finding, Selection, lint, registry};
use specguard_spec::{Document, Input, LoadOptions, load};
use std::path::{Path, PathBuf};

/// The rules the fixtures exercise: a fixed selection, so rules added later do not change
/// these snapshots.
const RULES: [&str; 5] = [
    "operation-without-security",
    "api-key-in-query",
    "plain-http-server",
    "unbounded-string-input",
    "open-ended-response-object",
];

/// One rule lowered to info, so every severity shows up.
const CONFIG: &str = "[rules]\nopen-ended-response-object = \"warning\"\n";

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load_text(label: &str, text: &str) -> Document {
    load(
        &Input::Text {
            name: label.to_string(),
            text: text.as_bytes().to_vec(),
            base_dir: manifest().join("tests/fixtures/render"),
        },
        &LoadOptions::default(),
    )
    .unwrap_or_else(|f| panic!("{label} does not load:\n{f}"))
}

fn lint_doc(doc: &Document) -> (Vec<Finding>, usize, usize) {
    let config = Config::parse(CONFIG, Path::new("specguard.toml")).unwrap();
    let selection = Selection {
        select: RULES.iter().map(|r| Selector::parse(r).unwrap()).collect(),
        ignore: vec![],
    };
    lint(doc, &config, &selection, None)
}

fn fixture() -> Document {
    let text = std::fs::read_to_string(manifest().join("tests/fixtures/render/spec.yaml")).unwrap();
    load_text("tests/fixtures/render/spec.yaml", &text)
}

/// A second document under a file name with `%`, `:`, `,` and a space, whose only finding's
/// message carries a line break, a carriage return and a control character (BEL) that XML 1.0
/// cannot represent. The name is a label only (no such file exists: `:` is not portable).
const ODD_NAME: &str = "tests/fixtures/render/odd name,v1:100%.yaml";
const ODD: &str = "openapi: 3.0.3\ninfo: {title: Odd, version: \"1\"}\npaths:\n  \"/a\\nb\\r\\a%:,<&>'\":\n    get:\n      responses:\n        \"200\": {description: ok}\ncomponents:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-Key}\n";

fn report<'a>(parts: &'a [(&'a Document, Vec<Finding>, usize, usize)]) -> RunReport<'a> {
    RunReport {
        files: parts
            .iter()
            .map(|(doc, findings, suppressed, baselined)| FileReport {
                doc,
                findings,
                suppressed: *suppressed,
                baselined: *baselined,
            })
            .collect(),
        elapsed: std::time::Duration::ZERO,
        color: false,
    }
}

fn sarif_validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(manifest().join("tests/sarif/sarif-schema-2.1.0.json"))
        .expect("vendored SARIF schema");
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

fn assert_valid_sarif(out: &str) -> serde_json::Value {
    let v: serde_json::Value = serde_json::from_str(out).expect("SARIF output is JSON");
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF schema errors:\n{}",
        errors.join("\n")
    );
    v
}

/// The SARIF as snapshotted: `tool.driver.rules` lists every registered rule, so the snapshot
/// keeps only the descriptors results refer to and stands in for the rule docs, which belong
/// to the rules (both checked here first).
fn sarif_for_snapshot(mut v: serde_json::Value) -> serde_json::Value {
    let run = &mut v["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap().clone();
    let names: Vec<&str> = registry::all().iter().map(|r| r.meta().name).collect();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, names, "driver.rules is the registry, in order");
    let mut used = std::collections::BTreeSet::new();
    for res in run["results"].as_array().unwrap() {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"], "ruleIndex points at ruleId");
        used.insert(i);
    }
    let kept: Vec<serde_json::Value> = rules
        .into_iter()
        .enumerate()
        .filter(|(i, _)| used.contains(i))
        .map(|(_, mut r)| {
            let rule = registry::find(r["id"].as_str().unwrap()).unwrap().meta();
            assert_eq!(r["help"]["markdown"], rule.docs);
            assert_eq!(r["help"]["text"], rule.docs);
            assert!(
                rule.docs
                    .contains(r["fullDescription"]["text"].as_str().unwrap())
            );
            r["help"]["markdown"] = format!("[docs of {}]", rule.name).into();
            r["help"]["text"] = format!("[docs of {}]", rule.name).into();
            r["fullDescription"]["text"] = format!("[What it does of {}]", rule.name).into();
            r
        })
        .collect();
    run["tool"]["driver"]["rules"] = kept.into();
    run["tool"]["driver"]["version"] = "[version]".into();
    run["tool"]["driver"]["semanticVersion"] = "[version]".into();
    v
}

#[test]
fn every_format_of_the_fixture() {
    let doc = fixture();
    let (findings, suppressed, baselined) = lint_doc(&doc);
    let severities: std::collections::BTreeSet<_> = findings.iter().map(|f| f.severity).collect();
    assert_eq!(severities.len(), 3, "the fixture shows every severity");
    let parts = [(&doc, findings, suppressed, baselined)];
    let r = report(&parts);
    for (name, format) in [
        ("full", Format::Full),
        ("concise", Format::Concise),
        ("github", Format::Github),
        ("junit", Format::Junit),
    ] {
        let out = render(format, &r);
        assert_eq!(out, render(format, &r), "{name} is deterministic");
        insta::assert_snapshot!(name, out);
    }
    let json = render(Format::Json, &r);
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["tool"]["version"] = "[version]".into();
    insta::assert_json_snapshot!("json", v);
    let sarif = render(Format::Sarif, &r);
    let v = assert_valid_sarif(&sarif);
    // The results are spliced into the log at their depth: the bytes must be those of one
    // pretty-printing of the whole log.
    assert_eq!(sarif, serde_json::to_string_pretty(&v).unwrap() + "\n");
    insta::assert_json_snapshot!("sarif", sarif_for_snapshot(v));
}

#[test]
fn json_has_the_documented_keys() {
    let doc = fixture();
    let (findings, suppressed, baselined) = lint_doc(&doc);
    let parts = [(&doc, findings, suppressed, baselined)];
    let v: serde_json::Value =
        serde_json::from_str(&render(Format::Json, &report(&parts))).expect("JSON output parses");
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(keys(&v), ["version", "tool", "findings", "summary"]);
    assert_eq!(v["version"], 1);
    assert_eq!(keys(&v["tool"]), ["name", "version"]);
    assert_eq!(v["tool"]["name"], "specguard");
    assert_eq!(v["tool"]["version"], env!("CARGO_PKG_VERSION"));
    let findings = v["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    for f in findings {
        assert_eq!(
            keys(f),
            [
                "rule",
                "code",
                "severity",
                "message",
                "help",
                "file",
                "line",
                "column",
                "end_line",
                "end_column",
                "pointer",
                "owasp",
                "owasp_title",
                "cwe",
                "fingerprint"
            ]
        );
        assert!(["error", "warning", "info"].contains(&f["severity"].as_str().unwrap()));
        assert!(f["line"].as_u64().unwrap() >= 1 && f["column"].as_u64().unwrap() >= 1);
        assert!(
            f["cwe"]
                .as_array()
                .unwrap()
                .iter()
                .all(|c| c.as_str().unwrap().starts_with("CWE-"))
        );
    }
    assert_eq!(
        keys(&v["summary"]),
        [
            "files",
            "errors",
            "warnings",
            "info",
            "suppressed",
            "baselined"
        ]
    );
}

/// Large reports are serialised in parallel chunks: the result must be the bytes a single
/// `to_string_pretty` gives, findings in order (here 1 000+ findings over two files, the odd
/// one's message full of characters JSON escapes).
#[test]
fn a_large_json_report_is_what_one_serialisation_gives() {
    let doc = fixture();
    let odd = load_text(ODD_NAME, ODD);
    let (one, _, _) = lint_doc(&doc);
    let (two, _, _) = lint_doc(&odd);
    let many =
        |f: &[Finding], n: usize| -> Vec<Finding> { f.iter().cycle().take(n).cloned().collect() };
    let parts = [(&doc, many(&one, 777), 1, 2), (&odd, many(&two, 301), 0, 0)];
    let out = render(Format::Json, &report(&parts));
    let v: serde_json::Value = serde_json::from_str(&out).expect("JSON output parses");
    assert_eq!(out, serde_json::to_string_pretty(&v).unwrap() + "\n");
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 777 + 301);
    let messages: Vec<&str> = findings
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    let expected: Vec<&str> = parts
        .iter()
        .flat_map(|(_, f, _, _)| f.iter().map(|f| f.message.as_str()))
        .collect();
    assert_eq!(messages, expected);
    assert_eq!(v["summary"]["suppressed"], 1);
    // The small report of the same findings is one serialisation too.
    let small = [(&doc, one, 0, 0)];
    let out = render(Format::Json, &report(&small));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(out, serde_json::to_string_pretty(&v).unwrap() + "\n");
}

#[test]
fn junit_parses_as_xml_and_counts_add_up() {
    let doc = fixture();
    let odd = load_text(ODD_NAME, ODD);
    let (a, s1, b1) = lint_doc(&doc);
    let (b, s2, b2) = lint_doc(&odd);
    let (na, nb) = (a.len(), b.len());
    assert_eq!(nb, 1);
    assert!(b[0].message.contains('\u{7}') && b[0].message.contains('\n'));
    let parts = [(&doc, a, s1, b1), (&odd, b, s2, b2)];
    let out = render(Format::Junit, &report(&parts));
    let xml = roxmltree::Document::parse(&out).unwrap_or_else(|e| panic!("{e}\n{out}"));
    let root = xml.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    assert_eq!(
        root.attribute("failures"),
        Some((na + nb).to_string().as_str())
    );
    let suites: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name("testsuite"))
        .collect();
    assert_eq!(suites.len(), 2);
    assert_eq!(suites[1].attribute("name"), Some(ODD_NAME));
    let failures: Vec<_> = suites[1]
        .descendants()
        .filter(|n| n.has_tag_name("failure"))
        .collect();
    assert_eq!(failures.len(), 1);
    // `<&>'` and the line break survive the round trip; BEL, which XML 1.0 cannot carry,
    // is spelled out.
    let message = failures[0].attribute("message").unwrap();
    assert!(message.contains("/a\nb\r\\u{7}%:,<&>'"), "{message:?}");
    insta::assert_snapshot!("junit_odd", out);
}

#[test]
fn a_file_without_findings_is_one_passing_testcase() {
    let doc = load_text(
        "clean.yaml",
        "openapi: 3.0.3\ninfo: {title: Clean, version: \"1\"}\npaths: {}\n",
    );
    let (f, s, b) = lint_doc(&doc);
    assert!(f.is_empty());
    let parts = [(&doc, f, s, b)];
    let r = report(&parts);
    let out = render(Format::Junit, &r);
    let xml = roxmltree::Document::parse(&out).unwrap();
    let cases: Vec<_> = xml
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].children().filter(|n| n.is_element()).count(), 0);
    let sarif = assert_valid_sarif(&render(Format::Sarif, &r));
    assert_eq!(sarif["runs"][0]["results"], serde_json::json!([]));
    assert_eq!(
        render(Format::Github, &r),
        "0 errors, 0 warnings, 0 info in 1 file (0.00s)\n"
    );
}

#[test]
fn odd_names_and_messages_are_escaped() {
    let odd = load_text(ODD_NAME, ODD);
    let (f, s, b) = lint_doc(&odd);
    let parts = [(&odd, f, s, b)];
    let r = report(&parts);

    let gh = render(Format::Github, &r);
    let lines: Vec<&str> = gh.lines().collect();
    assert_eq!(lines.len(), 2, "one command and the summary: {gh}");
    assert!(
        lines[0].starts_with(
            "::error file=tests/fixtures/render/odd name%2Cv1%3A100%25.yaml,line=5,col=5,"
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[0].contains("::GET /a%0Ab%0D\\u{7}%25:,<&>'"),
        "{}",
        lines[0]
    );
    insta::assert_snapshot!("github_odd", gh);

    let sarif = assert_valid_sarif(&render(Format::Sarif, &r));
    let loc = &sarif["runs"][0]["results"][0]["locations"][0];
    assert_eq!(
        loc["physicalLocation"]["artifactLocation"],
        serde_json::json!({
            "uri": "tests/fixtures/render/odd%20name%2Cv1%3A100%25.yaml",
            "uriBaseId": "%SRCROOT%"
        })
    );
    assert_eq!(
        loc["logicalLocations"][0]["fullyQualifiedName"],
        "/paths/~1a\nb\r\u{7}%:,<&>'/get"
    );
}

#[test]
fn artifact_uris() {
    use specguard_lint::render::sarif::artifact_location;
    let j = |s: &str| artifact_location(s).to_string();
    assert_eq!(
        j("./specs/a b.yaml"),
        r#"{"uri":"specs/a%20b.yaml","uriBaseId":"%SRCROOT%"}"#
    );
    assert_eq!(
        j(r"specs\v1\api.yaml"),
        r#"{"uri":"specs/v1/api.yaml","uriBaseId":"%SRCROOT%"}"#
    );
    assert_eq!(
        j("../shared/x#1?.yaml"),
        r#"{"uri":"../shared/x%231%3F.yaml","uriBaseId":"%SRCROOT%"}"#
    );
    assert_eq!(j("/abs/api.yaml"), r#"{"uri":"file:///abs/api.yaml"}"#);
    assert_eq!(
        j(r"C:\specs\api.yaml"),
        r#"{"uri":"file:///C:/specs/api.yaml"}"#
    );
    assert_eq!(
        j("spécs/ü.yaml"),
        r#"{"uri":"sp%C3%A9cs/%C3%BC.yaml","uriBaseId":"%SRCROOT%"}"#
    );
}

#[test]
fn the_vendored_schema_rejects_a_broken_log() {
    let doc = fixture();
    let (f, s, b) = lint_doc(&doc);
    let parts = [(&doc, f, s, b)];
    let mut v: serde_json::Value =
        serde_json::from_str(&render(Format::Sarif, &report(&parts))).unwrap();
    assert!(sarif_validator().is_valid(&v));
    v["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(
        !sarif_validator().is_valid(&v),
        "an unknown level is caught"
    );
    v["runs"][0]["results"][0]["level"] = "error".into();
    v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        "a b:\\c".into();
    assert!(!sarif_validator().is_valid(&v), "a malformed URI is caught");
}

/// A minified document is one line: a finding deep into it gets a code frame of a few hundred
/// bytes around the span, headed by its true line and column (the frame's text starts inside
/// the line), and SARIF leaves out a context region it would have to copy the whole line for.
/// Before, each finding's frame scanned and rendered the whole line: `--format full` on
/// Stripe's minified spec took 102 s and on MS Graph's did not end.
#[test]
fn findings_on_a_long_minified_line_get_bounded_frames() {
    let padding = "x".repeat(6000);
    let text = format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"Min","version":"1","description":"{padding}"}},"servers":[{{"url":"http://api.example.com"}}],"paths":{{"/a":{{"get":{{"security":[],"parameters":[{{"name":"q","in":"query","schema":{{"type":"string"}}}}],"responses":{{"200":{{"description":"ok"}}}}}}}}}}}}"#
    );
    let doc = load_text("min.json", &text);
    let (findings, suppressed, baselined) = lint_doc(&doc);
    assert!(findings.len() >= 2, "{findings:?}");
    assert!(
        findings
            .iter()
            .all(|f| f.start.line == 1 && f.start.column > 6000)
    );
    let parts = [(&doc, findings, suppressed, baselined)];
    let r = report(&parts);
    let full = render(Format::Full, &r);
    // The header of each frame is the finding's own position, as the concise format gives it.
    let concise = render(Format::Concise, &r);
    let heads: Vec<&str> = full
        .lines()
        .filter_map(|l| l.strip_prefix(" --> "))
        .collect();
    let positions: Vec<&str> = concise
        .lines()
        .filter_map(|l| l.split(": ").next().filter(|p| p.starts_with("min.json:")))
        .collect();
    assert_eq!(heads, positions);
    assert!(
        full.lines().all(|l| l.len() < 300),
        "a frame line is bounded:\n{full}"
    );
    assert!(!full.contains(":::"), "{full}");
    insta::assert_snapshot!("full_minified", full);
    let sarif = render(Format::Sarif, &r);
    let v = assert_valid_sarif(&sarif);
    assert_eq!(sarif, serde_json::to_string_pretty(&v).unwrap() + "\n");
    for result in v["runs"][0]["results"].as_array().unwrap() {
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["region"]["startColumn"].as_u64().unwrap() > 6000);
        assert!(location.get("contextRegion").is_none(), "{location}");
    }
}
