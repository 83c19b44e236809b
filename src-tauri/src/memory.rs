//! Process-wide settings, made before anything else starts, that keep the program's memory down
//! over a working day (issue #18 item 5). Each was measured on the release build under Xvfb with
//! `tests/e2e/memory.mjs` (PSS after each pass through every screen; see BENCHMARKS.md).
//!
//! - glibc's allocator gives every thread that allocates its own arena (up to eight per core), and
//!   raises its threshold for serving large blocks from their own mappings each time such a block
//!   is freed. Commands run on tokio's blocking threads and notice previews allocate page images of
//!   several megabytes, so the program's arenas kept growing pass after pass (36 → 55 MiB in one
//!   arena over two passes). Two arenas and a fixed threshold: 214 → 175 MiB after the first pass.
//! - WebKit composites the page through OpenGL by default; without a GPU (Xvfb, many office
//!   machines) that is Mesa's llvmpipe, whose buffers sat in WebKitWebProcess (459 → 344 MiB after
//!   the first pass with compositing off). The variable makes WebKit start without it, so the first
//!   screen is never painted the composited way; `webview.rs` sets the same policy on the view.

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
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        // SAFETY: no other thread exists yet (see above), so nothing reads the environment while it
        // changes; WebKit's processes, started later, inherit it.
        unsafe { std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1") };
    }
}
