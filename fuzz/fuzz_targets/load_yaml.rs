//! The loader on YAML: any bytes that do not start like JSON (the loader picks the syntax by
//! the first significant character), then everything built on a loaded document.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if specguard_fuzz::looks_like_json(data) {
        return;
    }
    specguard_fuzz::load_and_exercise("fuzz.yaml", data);
});
