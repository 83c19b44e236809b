//! WebKitGTK settings of the program's window that keep its memory down (issue #18 item 5).
//!
//! Measured on the release build under Xvfb (`tests/e2e/memory.mjs`, PSS after the first pass
//! through every screen): with WebKit's default policy the page is composited through OpenGL, which
//! without a GPU is Mesa's llvmpipe; its buffers sit in WebKitWebProcess's anonymous memory
//! (459 MiB there against 344 MiB with compositing off). The screens are forms, lists and static
//! charts: nothing on them needs the GPU. `memory.rs` makes WebKit start that way; the policy set
//! here is the documented setting, so it holds if WebKit stops reading the variable.
//! The program is one page that never navigates away, so WebKit's browser-sized caches (the page
//! cache of pages left behind, decoded resources kept for revisits) hold nothing useful.

use tauri::{App, Manager};

/// Applies the settings to the main window's webview. Failing to reach the webview is not fatal:
/// the program works with WebKit's defaults, only heavier.
pub fn tune(app: &App) {
    let Some(window) = app.get_webview_window("main") else { return };
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
            settings.set_enable_page_cache(false);
        }
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
