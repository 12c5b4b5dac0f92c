//! WebKitGTK settings for what Novadesk is: one document-like window whose pages and scripts come
//! from memory (the embedded ui/), never from the web. WebKit's default cache model is the web
//! browser's, sizing memory and disk caches for revisiting remote pages; the document-viewer model
//! turns those caches off (no disk cache, no page cache, small memory caches), which lowers the
//! webview's floor without changing what the window shows. The page has no animation, canvas or
//! WebGL, so it is drawn without accelerated compositing: that mode keeps a GL context and layer
//! backing stores in the web process (on a machine without a GPU, Mesa's llvmpipe: about 75 MiB
//! of the web process's memory, measured idle on the organizations list), for nothing a static
//! document needs. `make bench` measures the floor with and without these settings
//! (src-tauri/examples/bare_window.rs).

/// Applies the settings to `window`'s web context and view. Call it from the setup hook (the config's
/// windows exist there, before their first page load; before `App::run` they do not exist yet), so
/// the first page load already uses them. The mock runtime's windows (tests) have no webview to tune.
#[cfg(target_os = "linux")]
pub fn tune<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    let label = window.label().to_owned();
    let tuned = window.with_webview(move |platform| {
        use webkit2gtk::{
            CacheModel, HardwareAccelerationPolicy, SettingsExt, WebContextExt, WebViewExt,
        };
        let view = platform.inner();
        if let Some(context) = view.context() {
            context.set_cache_model(CacheModel::DocumentViewer);
        }
        if let Some(settings) = view.settings() {
            settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
        }
        // Read back: WebKit may keep its own choice where the system forces one.
        let cache = view.context().map(|c| c.cache_model());
        let compositing = view.settings().map(|s| s.hardware_acceleration_policy());
        tracing::info!(window = %label, ?cache, ?compositing, "webview settings applied");
    });
    if let Err(err) = tuned {
        tracing::warn!(%err, "could not apply the webview settings");
    }
}

/// Other platforms' webviews size their caches themselves.
#[cfg(not(target_os = "linux"))]
pub fn tune<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {}
