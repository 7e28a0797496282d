//! Load (YAML or JSON), then run every rule (including `ignore-without-reason`) and every
//! output format.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specguard_lint::render::{FileReport, Format, RunReport, render};
use specguard_lint::{Config, Selection};

fuzz_target!(|data: &[u8]| {
    let Ok(doc) = specguard_fuzz::load_bytes("fuzz.yaml", data) else {
        return;
    };
    let config = Config {
        require_reason: true,
        ..Config::default()
    };
    let (findings, suppressed, baselined) =
        specguard_lint::lint(&doc, &config, &Selection::default(), None);
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
    for format in [
        Format::Full,
        Format::Concise,
        Format::Json,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ] {
        let _ = render(format, &report);
    }
});
