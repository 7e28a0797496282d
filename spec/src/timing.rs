//! Phase timings for profiling: with `SPECGUARD_TIMINGS=1` in the environment, each phase
//! prints its duration, when it started and ended (milliseconds since the first phase began: the
//! critical path across threads), and the process's resident memory to stderr when it ends.
//! Off by default and costs one atomic load.

use std::sync::OnceLock;
use std::time::Instant;

fn enabled() -> bool {
    static ON: OnceLock<bool> = OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("SPECGUARD_TIMINGS").is_some_and(|v| v != "0"))
}

/// A running phase; its duration is printed when it is dropped.
pub struct Phase {
    name: &'static str,
    start: Option<Instant>,
}

/// When the first phase began: phases print their start and end from here.
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

/// Start timing a phase named `name`.
pub fn phase(name: &'static str) -> Phase {
    Phase {
        name,
        start: enabled().then(|| {
            epoch();
            Instant::now()
        }),
    }
}

impl Drop for Phase {
    fn drop(&mut self) {
        if let Some(s) = self.start {
            let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
            eprintln!(
                "timing: {:<24} {:>8.1} ms (at {:>7.1} → {:>7.1}) {:>8} KiB resident",
                self.name,
                ms(s.elapsed()),
                ms(s.saturating_duration_since(epoch())),
                ms(epoch().elapsed()),
                resident_kib().map_or_else(|| "?".to_string(), |k| k.to_string())
            );
        }
    }
}

/// Resident memory of the process now, from `/proc/self/statm` (Linux; `None` elsewhere).
fn resident_kib() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4)
}
