//! The loader on JSON: bytes that start with `{` or `[`, then everything built on a loaded
//! document.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if !specguard_fuzz::looks_like_json(data) {
        return;
    }
    specguard_fuzz::load_and_exercise("fuzz.json", data);
});
