//! Baselines: record today's findings by fingerprint; later runs report only new ones.

use crate::finding::Finding;
use std::collections::HashMap;
use std::path::Path;

pub const BASELINE_VERSION: u32 = 1;

#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct Baseline {
    pub version: u32,
    pub findings: Vec<Entry>,
}

#[derive(Debug, serde::Serialize, serde::Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct Entry {
    pub rule: String,
    pub file: String,
    pub pointer: String,
    pub fingerprint: String,
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("cannot read baseline {0}: {1}")]
    Io(String, std::io::Error),
    #[error("{0} is not a specguard baseline: {1}")]
    Format(String, serde_json::Error),
    #[error("{0}: baseline version {1} is not supported (expected {BASELINE_VERSION})")]
    Version(String, u32),
}

impl Baseline {
    pub fn from_findings<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Baseline {
        let mut v: Vec<Entry> = findings
            .into_iter()
            .map(|f| Entry {
                rule: f.rule.name.to_string(),
                file: f.file.trim_start_matches("./").to_string(),
                pointer: f.pointer.clone(),
                fingerprint: f.fingerprint.clone(),
            })
            .collect();
        v.sort();
        Baseline {
            version: BASELINE_VERSION,
            findings: v,
        }
    }

    pub fn read(path: &Path) -> Result<Baseline, BaselineError> {
        let p = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| BaselineError::Io(p.clone(), e))?;
        let b: Baseline =
            serde_json::from_str(&text).map_err(|e| BaselineError::Format(p.clone(), e))?;
        if b.version != BASELINE_VERSION {
            return Err(BaselineError::Version(p, b.version));
        }
        Ok(b)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default() + "\n"
    }

    /// Drop the findings the baseline knows (each entry absorbs one finding).
    pub fn filter(&self, findings: Vec<Finding>) -> Vec<Finding> {
        let mut budget: HashMap<&str, usize> = HashMap::new();
        for e in &self.findings {
            *budget.entry(e.fingerprint.as_str()).or_default() += 1;
        }
        findings
            .into_iter()
            .filter(|f| match budget.get_mut(f.fingerprint.as_str()) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            })
            .collect()
    }
}
