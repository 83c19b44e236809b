//! Process-wide settings, made before anything else starts, that keep the program's memory down
//! over a working day (issue #18 item 5). Measured on the release build under Xvfb with
//! `tests/e2e/memory.mjs` (PSS after each pass through every screen; see BENCHMARKS.md).
//!
//! glibc's allocator gives every thread that allocates its own arena (up to eight per core), and
//! raises its threshold for serving large blocks from their own mappings each time such a block is
//! freed. Commands run on tokio's blocking threads and notice previews allocate page images of
//! several megabytes, so the program's arenas kept growing pass after pass (36 → 55 MiB in one arena
//! over two passes). Two arenas and a fixed threshold: 214 → 175 MiB after the first pass.
//!
//! WebKit's compositing stays on (see `webview.rs` for why it must).

/// Applies the settings. Must run first in `main`, before any thread starts.
#[allow(unsafe_code)]
pub fn before_start() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only changes the allocator's parameters; it is called before any other
    // thread exists, so no allocation runs concurrently with the change.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 2);
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}
