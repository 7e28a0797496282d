//! `specguard.toml`: rule levels, per-path overrides, the sensitive word list, rule options.

use crate::registry;
use crate::rule::{Owasp, RuleMeta, Severity};
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const CONFIG_FILE: &str = "specguard.toml";

/// What a rule entry sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Off,
    /// On at its default severity.
    On,
    At(Severity),
}

impl Level {
    fn parse(s: &str) -> Option<Level> {
        Some(match s {
            "off" | "false" => Level::Off,
            "on" | "true" => Level::On,
            s => Level::At(Severity::parse(s)?),
        })
    }
}

/// Which rules an entry names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    Rule(&'static str),
    Category(Owasp),
    All,
}

impl Selector {
    /// A rule name, a rule code, an OWASP category (`API4`) or `all`.
    pub fn parse(s: &str) -> Option<Selector> {
        if s == "all" || s == "ALL" {
            return Some(Selector::All);
        }
        if let Some(r) = registry::find(s) {
            return Some(Selector::Rule(r.meta().name));
        }
        Owasp::parse(s).map(Selector::Category)
    }
    fn matches(&self, m: &RuleMeta) -> bool {
        match self {
            Selector::Rule(n) => *n == m.name,
            Selector::Category(c) => *c == m.owasp,
            Selector::All => true,
        }
    }
    /// More specific selectors win.
    fn rank(&self) -> u8 {
        match self {
            Selector::All => 0,
            Selector::Category(_) => 1,
            Selector::Rule(_) => 2,
        }
    }
}

#[derive(Debug)]
pub struct Override {
    pub paths: Option<GlobSet>,
    pub files: Option<GlobSet>,
    pub rules: Vec<(Selector, Level)>,
}

/// The loaded configuration.
#[derive(Debug)]
pub struct Config {
    /// Where it was read from, if anywhere.
    pub path: Option<PathBuf>,
    pub fail_on: Severity,
    pub rules: Vec<(Selector, Level)>,
    pub overrides: Vec<Override>,
    pub sensitive: specguard_spec::sensitive::SensitiveWords,
    pub options: toml::Table,
    pub require_reason: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            path: None,
            fail_on: Severity::Error,
            rules: Vec::new(),
            overrides: Vec::new(),
            sensitive: Default::default(),
            options: toml::Table::new(),
            require_reason: false,
        }
    }
}

/// A configuration problem, with the config file's line where there is one.
#[derive(Debug, thiserror::Error)]
#[error("{}{message}", location.as_ref().map(|(f, l, c)| format!("{}:{l}:{c}: ", f.display())).unwrap_or_default())]
pub struct ConfigError {
    pub message: String,
    pub location: Option<(PathBuf, usize, usize)>,
}

#[derive(serde::Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    fail_on: Option<String>,
    #[serde(default)]
    require_reason: bool,
    #[serde(default)]
    rules: BTreeMap<String, String>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    sensitive: Option<RawSensitive>,
    #[serde(default)]
    options: toml::Table,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    #[serde(default)]
    paths: Vec<String>,
    #[serde(default)]
    files: Vec<String>,
    #[serde(default)]
    rules: BTreeMap<String, String>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSensitive {
    #[serde(default)]
    secret: Vec<String>,
    #[serde(default)]
    personal: Vec<String>,
    #[serde(default)]
    replace_defaults: bool,
}

/// Find `specguard.toml` walking up from `start` (a file or directory).
pub fn discover(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    let mut dir = if start.is_dir() {
        Some(start.as_path())
    } else {
        start.parent()
    };
    while let Some(d) = dir {
        let c = d.join(CONFIG_FILE);
        if c.is_file() {
            return Some(c);
        }
        dir = d.parent();
    }
    None
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

/// Where a key first appears in the config text (for errors about names).
fn find_key(text: &str, key: &str) -> Option<(usize, usize)> {
    for pat in [format!("\"{key}\""), format!("'{key}'"), key.to_string()] {
        if let Some(i) = text.find(&pat) {
            return Some(line_col(text, i));
        }
    }
    None
}

impl Config {
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
            message: format!("cannot read {}: {e}", path.display()),
            location: None,
        })?;
        Config::parse(&text, path)
    }

    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let location = e.span().map(|s| {
                let (l, c) = line_col(text, s.start);
                (path.to_path_buf(), l, c)
            });
            ConfigError {
                message: e.message().trim().to_string(),
                location,
            }
        })?;
        let err_at = |key: &str, message: String| ConfigError {
            message,
            location: find_key(text, key).map(|(l, c)| (path.to_path_buf(), l, c)),
        };
        let parse_rules =
            |m: &BTreeMap<String, String>| -> Result<Vec<(Selector, Level)>, ConfigError> {
                let mut out = Vec::new();
                for (k, v) in m {
                    let sel = Selector::parse(k).ok_or_else(|| {
                    err_at(k, format!("unknown rule `{k}` (use a rule name, a code like SG001, or an OWASP category like API4; `specguard rules` lists them)"))
                })?;
                    let lvl = Level::parse(v).ok_or_else(|| {
                    err_at(k, format!("`{k}` = \"{v}\": expected \"off\", \"on\", \"info\", \"warning\" or \"error\""))
                })?;
                    out.push((sel, lvl));
                }
                out.sort_by_key(|(s, _)| s.rank());
                Ok(out)
            };
        let globs = |pats: &[String]| -> Result<Option<GlobSet>, ConfigError> {
            if pats.is_empty() {
                return Ok(None);
            }
            let mut b = GlobSetBuilder::new();
            for p in pats {
                let g = Glob::new(p).map_err(|e| err_at(p, format!("bad glob `{p}`: {e}")))?;
                b.add(g);
            }
            b.build().map(Some).map_err(|e| ConfigError {
                message: e.to_string(),
                location: None,
            })
        };
        let fail_on = match raw.fail_on.as_deref() {
            None => Severity::Error,
            Some(s) => Severity::parse(s).ok_or_else(|| {
                err_at(
                    "fail-on",
                    format!("fail-on = \"{s}\": expected \"info\", \"warning\" or \"error\""),
                )
            })?,
        };
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            overrides.push(Override {
                paths: globs(&o.paths)?,
                files: globs(&o.files)?,
                rules: parse_rules(&o.rules)?,
            });
        }
        for k in raw.options.keys() {
            if registry::find(k).is_none() {
                return Err(err_at(k, format!("[options.{k}]: unknown rule `{k}`")));
            }
        }
        let sensitive = match &raw.sensitive {
            None => Default::default(),
            Some(s) => {
                let mut secret = s.secret.clone();
                let mut personal = s.personal.clone();
                if !s.replace_defaults {
                    secret.extend(
                        specguard_spec::sensitive::DEFAULT_SECRET
                            .iter()
                            .map(|s| s.to_string()),
                    );
                    personal.extend(
                        specguard_spec::sensitive::DEFAULT_PERSONAL
                            .iter()
                            .map(|s| s.to_string()),
                    );
                }
                specguard_spec::sensitive::SensitiveWords::new(&secret, &personal)
            }
        };
        Ok(Config {
            path: Some(path.to_path_buf()),
            fail_on,
            rules: parse_rules(&raw.rules)?,
            overrides,
            sensitive,
            options: raw.options,
            require_reason: raw.require_reason,
        })
    }

    /// The severity of a rule for a finding at an API path in a file, or None when off.
    pub fn level(&self, m: &RuleMeta, api_path: Option<&str>, file: &str) -> Option<Severity> {
        let mut sev = Some(m.severity);
        let apply = |sev: &mut Option<Severity>, entries: &[(Selector, Level)]| {
            for (s, l) in entries {
                if s.matches(m) {
                    *sev = match l {
                        Level::Off => None,
                        Level::On => Some(m.severity),
                        Level::At(x) => Some(*x),
                    };
                }
            }
        };
        apply(&mut sev, &self.rules);
        for o in &self.overrides {
            let path_ok = match (&o.paths, api_path) {
                (None, _) => true,
                (Some(g), Some(p)) => g.is_match(p),
                (Some(_), None) => false,
            };
            let file_ok = match &o.files {
                None => true,
                Some(g) => g.is_match(file) || g.is_match(file.trim_start_matches("./")),
            };
            if path_ok && file_ok && (o.paths.is_some() || o.files.is_some()) {
                apply(&mut sev, &o.rules);
            }
        }
        sev
    }
}
