//! WebKitGTK settings of the program's window that keep its memory down (issue #18 item 5).
//!
//! The program is one page that never navigates away, so WebKit's browser-sized caches (the page
//! cache of pages left behind, decoded resources kept for revisits) hold nothing useful.
//!
//! Compositing is turned off (hardware acceleration `Never`). Without a GPU, as on the offices'
//! virtual and 信创 machines and under Xvfb, it is drawn by Mesa's llvmpipe into buffers of
//! WebKitWebProcess: 459 MiB after the first pass through every screen against 344 MiB without it
//! (release build, branch mem18), and at the login screen of the debug build 175 against
//! 104–109 MiB. The program is forms, tables and charts, which WebKit paints without it. With it
//! off WebKitGTK 2.50's WebDriver screenshot never answers, so the e2e suite takes its screenshots
//! from the X display instead (`tests/e2e/lib.mjs`).

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
            settings.set_enable_page_cache(false);
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    #[cfg(not(target_os = "linux"))]
    let _ = window;
}
