//! `specguard lint`.

use crate::{ColorChoice, LoadArgs, load};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use specguard_lint::baseline::Baseline;
use specguard_lint::config::{self, Config, Selector};
use specguard_lint::render::{FileReport, Format, RunReport, render_to};
use specguard_lint::{Finding, Selection, Severity};
use specguard_spec::{Document, LoadFailure};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// Code frames with the spec's lines, help and OWASP reference (default on a terminal).
    Full,
    /// One line per finding: file:line:col: severity[rule] message.
    Concise,
    /// Versioned JSON (see docs/output-formats.md).
    Json,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
    /// JUnit XML for CI dashboards.
    Junit,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    Info,
    Warning,
    Error,
    /// Never fail because of findings (exit 0 unless a file cannot be loaded).
    Never,
}

#[derive(Args, Debug)]
pub struct LintArgs {
    /// OpenAPI files or directories to lint (`-` reads one document from stdin).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Output format [default: full on a terminal, concise otherwise].
    #[arg(long, short = 'f', value_enum)]
    pub format: Option<OutputFormat>,
    /// Configuration file [default: specguard.toml found by walking up from the first path].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any specguard.toml.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// Run only these rules (comma-separated names, codes or OWASP categories like API4).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Do not run these rules (comma-separated names, codes or OWASP categories).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// Exit with 1 when a finding is at or over this severity [default: error, or `fail-on` in
    /// specguard.toml].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Record the current findings in FILE (then exit 0): adopt specguard on an existing API
    /// and see only new findings with --baseline FILE.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    pub write_baseline: Option<PathBuf>,
    /// Report `x-specguard-ignore` entries that give no reason.
    #[arg(long)]
    pub require_reason: bool,
    /// Skip given files that are not OpenAPI documents (for hooks that pass every changed
    /// *.yaml/*.json file) instead of reporting them as errors.
    #[arg(long)]
    pub skip_non_openapi: bool,
    /// When to use colour.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// Whether a file is an OpenAPI root document (not a fragment only used as a `$ref` target).
fn is_openapi_document(path: &Path) -> bool {
    use std::io::Read;
    let Ok(f) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    if f.take(64 * 1024).read_to_end(&mut head).is_err() {
        return false;
    }
    let text = String::from_utf8_lossy(&head);
    text.lines().any(|l| {
        let l = l.trim_end();
        l.starts_with("openapi:")
            || l.starts_with("\"openapi\":")
            || l.starts_with("'openapi':")
            || l.trim_start().starts_with("\"openapi\"") && (text.trim_start().starts_with('{'))
    })
}

fn collect(paths: &[PathBuf], skip_non_openapi: bool) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p == Path::new("-") {
            out.push(p.clone());
        } else if p.is_file() {
            if !skip_non_openapi || is_openapi_document(p) {
                out.push(p.clone());
            }
        } else if p.is_dir() {
            let mut stack = vec![p.clone()];
            let mut found = Vec::new();
            while let Some(d) = stack.pop() {
                let entries = std::fs::read_dir(&d)
                    .map_err(|e| format!("cannot read {}: {e}", d.display()))?;
                for e in entries.flatten() {
                    let path = e.path();
                    let name = e.file_name().to_string_lossy().into_owned();
                    if name.starts_with('.') || name == "node_modules" || name == "target" {
                        continue;
                    }
                    if path.is_dir() {
                        stack.push(path);
                    } else if matches!(
                        path.extension().and_then(|x| x.to_str()),
                        Some("yaml" | "yml" | "json")
                    ) && is_openapi_document(&path)
                    {
                        found.push(path);
                    }
                }
            }
            found.sort();
            out.extend(found);
        } else {
            return Err(format!("{}: no such file or directory", p.display()));
        }
    }
    Ok(out)
}

fn selectors(list: &[String], what: &str) -> Result<Vec<Selector>, String> {
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| {
            Selector::parse(s.trim()).ok_or_else(|| {
                format!("{what}: unknown rule `{s}` (use a rule name, a code like SG001 or an OWASP category like API4; `specguard rules` lists them)")
            })
        })
        .collect()
}

fn usage_error(msg: &str) -> u8 {
    eprintln!("error: {msg}");
    2
}

pub fn run(a: LintArgs) -> u8 {
    let start = Instant::now();
    let files = match collect(&a.paths, a.skip_non_openapi) {
        Ok(f) => f,
        Err(e) => return usage_error(&e),
    };
    let config_path = if a.no_config {
        None
    } else {
        a.config.clone().or_else(|| {
            a.paths.first().and_then(|p| {
                config::discover(if p == Path::new("-") {
                    Path::new(".")
                } else {
                    p
                })
            })
        })
    };
    let mut config = match &config_path {
        Some(p) => match Config::load(p) {
            Ok(c) => c,
            Err(e) => return usage_error(&e.to_string()),
        },
        None => Config::default(),
    };
    if a.require_reason {
        config.require_reason = true;
    }
    let selection = match (
        selectors(&a.select, "--select"),
        selectors(&a.ignore, "--ignore"),
    ) {
        (Ok(select), Ok(ignore)) => Selection { select, ignore },
        (Err(e), _) | (_, Err(e)) => return usage_error(&e),
    };
    let baseline = match &a.baseline {
        Some(p) => match Baseline::read(p) {
            Ok(b) => Some(b),
            Err(e) => return usage_error(&e.to_string()),
        },
        None => None,
    };
    if files.is_empty() {
        if a.skip_non_openapi {
            return 0;
        }
        return usage_error("no OpenAPI documents found in the given paths");
    }
    let format = a.format.unwrap_or(if std::io::stdout().is_terminal() {
        OutputFormat::Full
    } else {
        OutputFormat::Concise
    });
    let machine = matches!(
        format,
        OutputFormat::Json | OutputFormat::Sarif | OutputFormat::Junit
    );

    type One = Result<(Document, Vec<Finding>, usize, usize), LoadFailure>;
    let results: Vec<One> = files
        .par_iter()
        .map(|f| {
            let ph = specguard_spec::timing::phase("load+lint");
            let (doc, (findings, suppressed, baselined)) = load::load_with(f, &a.load, |doc| {
                let _ph = specguard_spec::timing::phase("lint");
                specguard_lint::lint(doc, &config, &selection, baseline.as_ref())
            })?;
            drop(ph);
            Ok((doc, findings, suppressed, baselined))
        })
        .collect();

    let mut load_failed = false;
    let mut ok = Vec::new();
    for r in results {
        match r {
            Ok(x) => ok.push(x),
            Err(f) => {
                load_failed = true;
                load::report_failure(&f, false);
            }
        }
    }
    if !machine {
        for (doc, ..) in &ok {
            load::report_warnings(doc);
        }
    }
    if let Some(path) = &a.write_baseline {
        let b = Baseline::from_findings(ok.iter().flat_map(|(_, f, ..)| f.iter()));
        if let Err(e) = std::fs::write(path, b.to_json()) {
            return usage_error(&format!("cannot write {}: {e}", path.display()));
        }
        eprintln!("wrote {} findings to {}", b.findings.len(), path.display());
        return if load_failed { 2 } else { 0 };
    }
    let report = RunReport {
        files: ok
            .iter()
            .map(|(doc, findings, suppressed, baselined)| FileReport {
                doc,
                findings,
                suppressed: *suppressed,
                baselined: *baselined,
            })
            .collect(),
        elapsed: start.elapsed(),
        color: load::color(a.color, std::io::stdout().is_terminal()),
    };
    let f = match format {
        OutputFormat::Full => Format::Full,
        OutputFormat::Concise => Format::Concise,
        OutputFormat::Json => Format::Json,
        OutputFormat::Sarif => Format::Sarif,
        OutputFormat::Github => Format::Github,
        OutputFormat::Junit => Format::Junit,
    };
    if !(load_failed && report.files.is_empty()) {
        let _t = specguard_spec::timing::phase("render");
        // A closed pipe (`specguard lint … | head`) ends the output, not the run.
        let mut stdout = std::io::stdout().lock();
        let _ = render_to(f, &report, &mut stdout).and_then(|()| stdout.flush());
    }
    if load_failed {
        return 2;
    }
    let threshold = match a.fail_on {
        Some(FailOn::Never) => return 0,
        Some(FailOn::Info) => Severity::Info,
        Some(FailOn::Warning) => Severity::Warning,
        Some(FailOn::Error) => Severity::Error,
        None => config.fail_on,
    };
    let failing = report.findings().any(|(_, f)| f.severity >= threshold);
    // The process ends now: freeing every node of large documents one by one would only
    // delay the exit (a tenth of the run on GitHub's spec).
    std::mem::forget(report);
    std::mem::forget(ok);
    u8::from(failing)
}
