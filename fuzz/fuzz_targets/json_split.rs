//! The split JSON read (documents of 1 MiB and more are read by a main reader and a
//! helper that starts after a line break past the middle): for any text and any split point,
//! it must give exactly what one thread gives — the same tree, or the same error.
//! The first two bytes choose where the helper starts (a fraction of the text); the rest is
//! the text. Small limits make the depth and node-budget paths reachable.
#![no_main]
use libfuzzer_sys::fuzz_target;
use specguard_spec::ReadLimits;

fuzz_target!(|data: &[u8]| {
    let [a, b, rest @ ..] = data else { return };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let from = text.len() * usize::from(u16::from_le_bytes([*a, *b])) / 65536;
    let limits = ReadLimits {
        max_depth: 1 + usize::from(*a % 16),
        max_nodes: 4 + usize::from(*b) * 4,
        ..ReadLimits::default()
    };
    for limits in [ReadLimits::default(), limits] {
        if let Some((one, two)) = specguard_spec::split_read_outcomes(text, from, limits) {
            // ok: fuzz harness — a panic is how a failed oracle reports to libFuzzer.
            assert_eq!(one, two, "split read differs (from byte {from})");
        }
    }
});
