//! Any document that loads, through the generator: no panic, and what it generates parses.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(doc) = specguard_fuzz::load_bytes("fuzz.yaml", data) {
        specguard_fuzz::generate_and_check(&doc);
    }
});
