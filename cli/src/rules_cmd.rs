//! `specguard rules` and `specguard rule NAME`.

use clap::{Args, ValueEnum};
use specguard_lint::registry;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Args, Debug)]
pub struct RulesArgs {
    #[arg(long, short = 'f', value_enum, default_value_t = RulesFormat::Table)]
    pub format: RulesFormat,
}

pub fn run_rules(a: RulesArgs) -> u8 {
    let out = match a.format {
        RulesFormat::Table => table(),
        RulesFormat::Json => json(),
        RulesFormat::Markdown => specguard_lint::registry_markdown(),
    };
    crate::load::stdout(&out);
    0
}

fn table() -> String {
    let rows: Vec<[String; 5]> = registry::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            [
                m.code.to_string(),
                m.name.to_string(),
                m.severity.as_str().to_string(),
                m.owasp.id().to_string(),
                m.summary.to_string(),
            ]
        })
        .collect();
    let headers = ["CODE", "NAME", "SEVERITY", "OWASP", "SUMMARY"];
    let mut w = headers.map(str::len);
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            w[i] = w[i].max(c.len());
        }
    }
    let fmt = |cols: [&str; 5]| {
        format!(
            "{:<w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}\n",
            cols[0],
            cols[1],
            cols[2],
            cols[3],
            cols[4],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3]
        )
    };
    let mut out = fmt(headers);
    for r in &rows {
        out.push_str(&fmt([&r[0], &r[1], &r[2], &r[3], &r[4]]));
    }
    out.push_str(&format!("\n{} rules. `specguard rule NAME` prints one rule's documentation; `--format json` adds peers and CWE.\n", rows.len()));
    out
}

fn json() -> String {
    let rules: Vec<_> = registry::all()
        .iter()
        .map(|r| {
            let m = r.meta();
            serde_json::json!({
                "code": m.code,
                "name": m.name,
                "severity": m.severity.as_str(),
                "owasp": format!("{}:2023", m.owasp.id()),
                "owasp_title": m.owasp.title(),
                "cwe": m.cwe.iter().map(|c| format!("CWE-{c}")).collect::<Vec<_>>(),
                "peers": m.peers,
                "summary": m.summary,
                "url": m.doc_url(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({"version": 1, "rules": rules}))
        .unwrap_or_default()
        + "\n"
}

pub fn run_rule(name: &str) -> u8 {
    match registry::find(name) {
        Some(r) => {
            crate::load::stdout(&specguard_lint::rule_markdown(r.meta()));
            0
        }
        None => {
            eprintln!("error: unknown rule `{name}`; `specguard rules` lists them");
            2
        }
    }
}
