//! WebKitGTK settings for what Novadesk is: one document-like window whose pages and scripts come
//! from memory (the embedded ui/), never from the web. WebKit's default cache model is the web
//! browser's, sizing memory and disk caches for revisiting remote pages; the document-viewer model
//! turns those caches off (no disk cache, no page cache, small memory caches), which lowers the
//! webview's floor without changing what the window shows. `make bench` measures the floor with
//! and without it (src-tauri/examples/bare_window.rs).

/// Applies the settings to `window`'s web context. Call it before the event loop runs, so the first
/// page load already uses them. Not available on the mock runtime's windows (tests).
#[cfg(target_os = "linux")]
pub fn tune(window: &tauri::WebviewWindow) {
    let tuned = window.with_webview(|platform| {
        use webkit2gtk::{CacheModel, WebContextExt, WebViewExt};
        if let Some(context) = platform.inner().context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
    });
    if let Err(err) = tuned {
        tracing::warn!(%err, "could not apply the webview settings");
    }
}

/// Other platforms' webviews size their caches themselves.
#[cfg(not(target_os = "linux"))]
pub fn tune(_window: &tauri::WebviewWindow) {}
