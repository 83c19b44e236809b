//! WebKitGTK settings of the program's window that keep its memory down (issue #18 item 5).
//!
//! The program is one page that never navigates away, so WebKit's browser-sized caches (the page
//! cache of pages left behind, decoded resources kept for revisits) hold nothing useful.
//!
//! Compositing is deliberately left on, although without a GPU it costs memory (Mesa's llvmpipe
//! buffers in WebKitWebProcess: 459 MiB after the first pass through every screen against 344 MiB
//! without it, release build). With it off — `WEBKIT_DISABLE_COMPOSITING_MODE` or the
//! hardware-acceleration policy `Never`, either one — WebKitGTK 2.50's WebDriver screenshot never
//! answers: the request stays pending while the program and WebKit's web process both sit idle, so
//! the e2e suite hung for good at its first screenshot (first-run's recovery page; found by turning
//! each setting of branch mem18 off in turn). The suite's screenshots are how every screen is
//! checked, so that saving is not worth losing them.

use tauri::{App, Manager};

/// Applies the settings to the main window's webview. Failing to reach the webview is not fatal:
/// the program works with WebKit's defaults, only heavier.
pub fn tune(app: &App) {
    let Some(window) = app.get_webview_window("main") else { return };
    #[cfg(target_os = "linux")]
    let _ = window.with_webview(|webview| {
        use webkit2gtk::{CacheModel, SettingsExt, WebContextExt, WebViewExt};
        let view = webview.inner();
        if let Some(settings) = WebViewExt::settings(&view) {
            settings.set_enable_page_cache(false);
        }
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
