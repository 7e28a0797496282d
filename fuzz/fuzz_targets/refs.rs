//! `$ref` resolution across files: the input is split at lines `---8<---` into a root document
//! and up to four fragment files, written to a scratch directory as `openapi.yaml`, `a.yaml`,
//! `b.json`, `sub/c.yaml` and `sub/d.yaml` (an empty or missing part removes its file), and the
//! root is loaded from its path.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specguard_spec::{Input, LoadOptions};

const SEPARATOR: &[u8] = b"\n---8<---\n";
const FILES: [&str; 5] = [
    "openapi.yaml",
    "a.yaml",
    "b.json",
    "sub/c.yaml",
    "sub/d.yaml",
];

fn split(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        parts.push(&rest[..i]);
        rest = &rest[i + SEPARATOR.len()..];
    }
    parts.push(rest);
    parts
}

fuzz_target!(|data: &[u8]| {
    let dir = specguard_fuzz::scratch_dir();
    let _ = std::fs::create_dir_all(dir.join("sub"));
    let parts = split(data);
    for (i, name) in FILES.iter().enumerate() {
        let path = dir.join(name);
        match parts.get(i) {
            Some(p) if i == 0 || !p.is_empty() => std::fs::write(&path, p).expect("write"),
            _ => {
                let _ = std::fs::remove_file(&path);
            }
        }
    }
    let input = Input::Path(dir.join(FILES[0]));
    match specguard_spec::load(&input, &LoadOptions::default()) {
        Ok(doc) => specguard_fuzz::exercise(&doc),
        Err(f) => specguard_fuzz::render_failure(&f),
    }
});
