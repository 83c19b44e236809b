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
//! JavaScriptCore's just-in-time compilers are turned off in WebKit's web process, which inherits
//! this process's environment. Their machine code, the profiling data kept to produce it and the
//! larger heaps they let the page keep cost about 100 MiB once every screen has been opened: the
//! web process held 302–422 MiB after the first three passes of a 2.5-minute session with them
//! and 223–238 MiB without (release build, 2026-12-08). The program is forms, tables and a few
//! charts, which JavaScriptCore's interpreter runs fast enough: a scripted pass through all 21
//! screens took about 15% longer. Whoever sets `JSC_useJIT` themselves keeps their choice.
//!
//! WebKit's compositing is turned off in `webview.rs`.

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
    for (name, value) in JSC_DEFAULTS {
        if let Some(value) = jsc_setting(std::env::var_os(name).as_deref(), value) {
            // SAFETY: no other thread exists yet (this runs first in `main`), so nothing reads
            // the environment while it changes.
            unsafe { std::env::set_var(name, value) };
        }
    }
}

/// The value to give a JavaScriptCore option, or `None` to leave the one already set.
fn jsc_setting(current: Option<&std::ffi::OsStr>, default: &'static str) -> Option<&'static str> {
    current.is_none().then_some(default)
}

/// JavaScriptCore's options, read from the environment by every web process WebKit starts: no
/// just-in-time compilers. (Telling it the machine has 512 MiB, `JSC_forceRAMSize`, was tried: the
/// page's heap grew by the same 6–7 MiB a pass through the screens.)
const JSC_DEFAULTS: [(&str, &str); 1] = [("JSC_useJIT", "false")];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_web_process_gets_the_settings_unless_the_environment_says_otherwise() {
        assert_eq!(jsc_setting(None, "false"), Some("false"));
        assert_eq!(jsc_setting(Some(std::ffi::OsStr::new("true")), "false"), None);
        assert!(JSC_DEFAULTS.contains(&("JSC_useJIT", "false")));
    }
}
