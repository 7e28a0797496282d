use crate::prelude::*;
use std::collections::BTreeMap;

pub struct SupersededOperationVersion;

static META: RuleMeta = RuleMeta {
    code: "SG082",
    name: "superseded-operation-version",
    severity: Severity::Warning,
    owasp: Owasp::Api9,
    cwe: &[1059],
    peers: &[],
    summary: "Older version of an operation is still served next to a newer one and not deprecated",
    docs: r#"## What it does
Finds operations that exist in several versions side by side — the same method and the same path
once version segments are set aside (`/v1/…`, `/v2beta1/…`, `/2023-01-01/…`) — and reports every
version older than the newest one that is not marked `deprecated: true`. Versions compare by
number, then stage (`alpha` < `beta` < final), then stage number; dated versions compare by date.

## Why is this bad?
The old version of an endpoint is where fixed vulnerabilities live on: `/v3/check-otp` got rate
limiting, `/v2/check-otp` did not, and attackers simply call the old one. Old versions that are
still served but not even marked deprecated are "zombie" APIs nobody tracks (OWASP API9:2023
Improper Inventory Management). Deprecate them with a sunset date (see
`deprecated-without-sunset`) or remove them.

## Example
```yaml
openapi: 3.0.3
info: {title: Identity, version: "3"}
paths:
  /identity/v2/check-otp:
    post:
      responses:
        "200": {description: checked}
  /identity/v3/check-otp:
    post:
      responses:
        "200": {description: checked}
```

## Use instead
```yaml
openapi: 3.0.3
info: {title: Identity, version: "3"}
paths:
  /identity/v2/check-otp:
    post:
      deprecated: true
      description: Replaced by /identity/v3/check-otp; removed on 2026-01-31.
      responses:
        "200": {description: checked}
  /identity/v3/check-otp:
    post:
      responses:
        "200": {description: checked}
```

## References
- OWASP API9:2023 Improper Inventory Management
- CWE-1059: Insufficient Technical Documentation
"#,
};

/// A sortable version: (kind, numbers, stage, stage number). Kind 0 = date, 1 = vN.
type Version = (u8, Vec<u64>, u8, u64);

/// Parse a path segment that is only a version: `v1`, `v2.1`, `v1beta2`, `v3alpha`,
/// `2023-01-01`, `20230101`.
fn version_of(seg: &str) -> Option<Version> {
    let s = seg.to_ascii_lowercase();
    if s.len() == 10 && s.as_bytes().get(4) == Some(&b'-') && s.as_bytes().get(7) == Some(&b'-') {
        let parts: Vec<u64> = s.split('-').filter_map(|p| p.parse().ok()).collect();
        if parts.len() == 3 && (1990..2200).contains(&parts[0]) {
            return Some((0, parts, 3, 0));
        }
        return None;
    }
    let rest = s.strip_prefix('v')?;
    let num_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (num, tail) = rest.split_at(num_end);
    if num.is_empty() || num.starts_with('.') || num.ends_with('.') {
        return None;
    }
    let numbers: Vec<u64> = num.split('.').filter_map(|p| p.parse().ok()).collect();
    if numbers.is_empty() {
        return None;
    }
    let (stage, stage_tail) = if let Some(x) = tail.strip_prefix("alpha") {
        (1, x)
    } else if let Some(x) = tail.strip_prefix("beta") {
        (2, x)
    } else if tail.is_empty() {
        (3, "")
    } else {
        return None;
    };
    let stage_num = if stage_tail.is_empty() {
        0
    } else {
        stage_tail.parse().ok()?
    };
    Some((1, numbers, stage, stage_num))
}

fn cmp_version(a: &Version, b: &Version) -> std::cmp::Ordering {
    a.0.cmp(&b.0)
        .then_with(|| {
            let n = a.1.len().max(b.1.len());
            for i in 0..n {
                let x = a.1.get(i).copied().unwrap_or(0);
                let y = b.1.get(i).copied().unwrap_or(0);
                if x != y {
                    return x.cmp(&y);
                }
            }
            std::cmp::Ordering::Equal
        })
        .then(a.2.cmp(&b.2))
        .then(a.3.cmp(&b.3))
}

impl Rule for SupersededOperationVersion {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, cx: &Context<'_>, out: &mut Vec<Report>) {
        // (method, normalised path) → operations with their versions.
        let mut groups: BTreeMap<(String, String), Vec<(Version, &Operation)>> = BTreeMap::new();
        for op in cx.operations() {
            if op.webhook {
                continue;
            }
            let mut version: Option<Version> = None;
            let mut norm = Vec::new();
            for seg in op.path.split('/') {
                match version_of(seg) {
                    Some(v) if version.is_none() => {
                        version = Some(v);
                        norm.push("{version}".to_string());
                    }
                    _ => {
                        // Template parameter names do not matter.
                        if seg.starts_with('{') {
                            norm.push("{}".to_string());
                        } else {
                            norm.push(seg.to_string());
                        }
                    }
                }
            }
            if let Some(v) = version {
                groups
                    .entry((op.method.to_string(), norm.join("/")))
                    .or_default()
                    .push((v, op));
            }
        }
        for list in groups.values() {
            let Some(newest) = list.iter().max_by(|a, b| cmp_version(&a.0, &b.0)) else {
                continue;
            };
            for (v, op) in list {
                if op.deprecated || cmp_version(v, &newest.0) != std::cmp::Ordering::Less {
                    continue;
                }
                out.push(Report {
                    node: op.node,
                    message: format!(
                        "{} is an older version of {} and is not deprecated",
                        op.label(),
                        newest.1.label()
                    ),
                    help:
                        "mark the old version `deprecated: true` with a sunset date, or remove it"
                            .into(),
                });
            }
        }
    }
}
