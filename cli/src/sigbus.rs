//! Input files of 1 MiB and more are mapped into memory rather than read
//! (`LoadOptions::map_large_files`). If another process truncates such a file while it is
//! mapped, touching a page past the new end raises `SIGBUS`, which would end the process
//! with a core dump and no word of why. This handler says what happened and exits with 2,
//! the code of every other load error.

/// What the handler prints (and the test checks).
const MESSAGE: &[u8] = b"error[file-changed]: an input file shrank or became unreadable while \
specguard was reading it (files of 1 MiB and more are mapped into memory); nothing was \
checked. Run again once the file is fully written.\n";

/// Install the handler (once, at start).
#[cfg(unix)]
#[allow(unsafe_code)]
pub fn install() {
    extern "C" fn on_sigbus(_: libc::c_int) {
        // SAFETY: write(2) and _exit(2) are async-signal-safe; MESSAGE is static.
        unsafe {
            libc::write(2, MESSAGE.as_ptr().cast(), MESSAGE.len());
            libc::_exit(2);
        }
    }
    // SAFETY: a zeroed `sigaction` is a valid "no flags, empty mask" value; the handler
    // above only calls async-signal-safe functions and never returns.
    unsafe {
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as extern "C" fn(libc::c_int) as libc::sighandler_t;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

/// Elsewhere a mapped file cannot be truncated while mapped (Windows refuses).
#[cfg(not(unix))]
pub fn install() {}

#[cfg(all(test, unix))]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    /// The truncation itself, in a child process (this test binary run again with only this
    /// test): it installs the handler, maps a 2 MiB file, truncates the file and touches a page
    /// past the new end.
    #[test]
    #[ignore = "run by `sigbus_is_a_message_and_exit_code_2` in a child process"]
    #[allow(unsafe_code)]
    fn child_truncates_a_mapped_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.json");
        std::fs::write(&path, vec![b' '; 2 << 20]).unwrap();
        let f = std::fs::File::open(&path).unwrap();
        super::install();
        // SAFETY: the point of this test is what happens when the file is truncated.
        let map = unsafe { memmap2::Mmap::map(&f) }.unwrap();
        std::fs::File::create(&path).unwrap(); // truncates to 0 bytes
        let byte = std::hint::black_box(map[1 << 20]);
        // Reaching this line means no SIGBUS: the parent sees exit code 0, not 2.
        println!("read {byte} past the end of a truncated file");
    }

    #[test]
    fn sigbus_is_a_message_and_exit_code_2() {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "sigbus::tests::child_truncates_a_mapped_file",
                "--exact",
                "--ignored",
                "--nocapture",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "stderr:\n{stderr}");
        assert!(
            stderr.contains(std::str::from_utf8(super::MESSAGE).unwrap()),
            "stderr:\n{stderr}"
        );
    }
}
