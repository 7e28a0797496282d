//! `specguard inventory`: the attack surface at a glance.

use crate::{LoadArgs, load};
use clap::{Args, ValueEnum};
use specguard_lint::config::{self, Config};
use specguard_spec::inventory::{Inventory, InventoryOperation, inventory};
use specguard_spec::view::Views;
use std::path::PathBuf;

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InventoryFormat {
    /// Aligned columns for a terminal.
    Table,
    /// Versioned JSON (`schema_version`); one object per operation.
    Json,
    Csv,
    Markdown,
}

#[derive(Args, Debug)]
pub struct InventoryArgs {
    /// The OpenAPI document (`-` reads stdin).
    #[arg(value_name = "SPEC")]
    pub spec: PathBuf,
    #[arg(long, short = 'f', value_enum, default_value_t = InventoryFormat::Table)]
    pub format: InventoryFormat,
    /// Configuration file for the sensitive-field word list [default: specguard.toml found by
    /// walking up from SPEC].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub load: LoadArgs,
}

pub fn run(a: InventoryArgs) -> u8 {
    let config = match a.config.clone().or_else(|| config::discover(&a.spec)) {
        Some(p) => match Config::load(&p) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                return 2;
            }
        },
        None => Config::default(),
    };
    let json = a.format == InventoryFormat::Json;
    let doc = match load::load(&a.spec, &a.load) {
        Ok(d) => d,
        Err(f) => {
            load::report_failure(&f, json);
            return 2;
        }
    };
    load::report_warnings(&doc);
    let views = Views::new(&doc);
    let inv = inventory(&doc, &views, &config.sensitive);
    let out = match a.format {
        InventoryFormat::Table => table(&inv),
        InventoryFormat::Json => serde_json::to_string_pretty(&inv).unwrap_or_default() + "\n",
        InventoryFormat::Csv => csv(&inv),
        InventoryFormat::Markdown => markdown(&inv),
    };
    crate::load::stdout(&out);
    0
}

const HEADERS: [&str; 9] = [
    "METHOD",
    "PATH",
    "OPERATION ID",
    "SECURITY",
    "DEPRECATED",
    "ID PARAMETERS",
    "REQUEST",
    "RESPONSES",
    "SENSITIVE FIELDS",
];

fn cells(op: &InventoryOperation) -> [String; 9] {
    let ids = op
        .id_parameters
        .iter()
        .map(|p| {
            let f = p
                .format
                .as_deref()
                .map(|f| format!("/{f}"))
                .unwrap_or_default();
            format!("{}:{}{f} {}", p.name, p.r#type, p.bounds)
        })
        .collect::<Vec<_>>()
        .join("; ");
    let sensitive = op
        .sensitive_fields
        .iter()
        .map(|s| s.field.clone())
        .collect::<Vec<_>>()
        .join(", ");
    [
        op.method.clone(),
        op.path.clone(),
        op.operation_id.clone().unwrap_or_else(|| "-".into()),
        op.security_text.clone(),
        if op.deprecated {
            "yes".into()
        } else {
            "-".into()
        },
        if ids.is_empty() { "-".into() } else { ids },
        if op.request_media_types.is_empty() {
            "-".into()
        } else {
            op.request_media_types.join(", ")
        },
        op.response_codes.join(" "),
        if sensitive.is_empty() {
            "-".into()
        } else {
            sensitive
        },
    ]
}

fn summary_lines(inv: &Inventory) -> Vec<String> {
    let s = &inv.summary;
    let mut out = vec![
        format!(
            "{} operations in {} ({} {})",
            s.operations, inv.file, inv.title, inv.openapi
        ),
        format!(
            "  unauthenticated (no security, not marked public): {}",
            s.unauthenticated
        ),
        format!("  explicitly public: {}", s.public),
        format!(
            "  anonymous access allowed as an alternative: {}",
            s.optional_auth
        ),
        format!("  deprecated: {}", s.deprecated),
        format!(
            "  returning sensitive-looking fields: {}",
            s.returning_sensitive
        ),
    ];
    if s.servers.is_empty() {
        out.push("  servers: none declared".into());
    } else {
        let list: Vec<String> = s
            .servers
            .iter()
            .map(|x| format!("{} ({})", x.url, x.scheme))
            .collect();
        out.push(format!("  servers: {}", list.join(", ")));
    }
    out
}

fn table(inv: &Inventory) -> String {
    let rows: Vec<[String; 9]> = inv.operations.iter().map(cells).collect();
    let mut width = HEADERS.map(|h| h.chars().count());
    for r in &rows {
        for (i, c) in r.iter().enumerate() {
            width[i] = width[i].max(c.chars().count());
        }
    }
    let line = |cols: &[String]| -> String {
        let mut s = String::new();
        for (i, c) in cols.iter().enumerate() {
            if i + 1 == cols.len() {
                s.push_str(c);
            } else {
                s.push_str(c);
                s.push_str(&" ".repeat(width[i] - c.chars().count() + 2));
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(&HEADERS.map(String::from));
    for r in &rows {
        out.push_str(&line(r));
    }
    out.push('\n');
    for l in summary_lines(inv) {
        out.push_str(&l);
        out.push('\n');
    }
    out
}

fn csv_field(s: &str) -> String {
    // A leading = + - @ would make spreadsheets evaluate the cell: quote and prefix it.
    let guarded = if s.starts_with(['=', '+', '-', '@']) && s != "-" {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) || guarded != s {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn csv(inv: &Inventory) -> String {
    let mut out = HEADERS
        .map(|h| h.to_lowercase().replace(' ', "_"))
        .join(",")
        + "\n";
    for op in &inv.operations {
        let c = cells(op);
        out.push_str(&c.iter().map(|x| csv_field(x)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

fn md_cell(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('\n', " ")
        .replace('<', "&lt;")
}

fn markdown(inv: &Inventory) -> String {
    let mut out = format!(
        "## Inventory of {} ({})\n\n",
        md_cell(&inv.title),
        md_cell(&inv.file)
    );
    out.push_str(&format!("| {} |\n", HEADERS.join(" | ")));
    out.push_str(&format!("|{}\n", "---|".repeat(HEADERS.len())));
    for op in &inv.operations {
        let c = cells(op);
        let c: Vec<String> = c.iter().map(|x| md_cell(x)).collect();
        out.push_str(&format!("| {} |\n", c.join(" | ")));
    }
    out.push('\n');
    for l in summary_lines(inv) {
        let l = l.trim_start();
        out.push_str(&format!("- {}\n", md_cell(l)));
    }
    out
}
