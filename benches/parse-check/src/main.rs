//! For each path read from stdin (one a line) print `path<TAB>ok` or
//! `path<TAB>error<TAB>line:column: message` (or `unreadable: …`). Exit 0 unless stdin fails.

use std::io::{BufRead, Write};

fn main() -> std::io::Result<()> {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    for line in std::io::stdin().lock().lines() {
        let path = line?;
        if path.is_empty() {
            continue;
        }
        match std::fs::read_to_string(&path) {
            Err(e) => writeln!(out, "{path}\terror\tunreadable: {e}")?,
            Ok(text) => match syn::parse_file(&text) {
                Ok(_) => writeln!(out, "{path}\tok")?,
                Err(e) => {
                    let at = e.span().start();
                    let msg = e.to_string().replace(['\t', '\n'], " ");
                    writeln!(out, "{path}\terror\t{}:{}: {msg}", at.line, at.column + 1)?;
                }
            },
        }
    }
    Ok(())
}
