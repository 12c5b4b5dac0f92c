//! The webview's floor for `make bench`: a Tauri window on the same WebKitGTK, the same Tauri
//! version and config (identifier, security, release profile) as Novadesk, showing one tiny page
//! and nothing else — no state, no plugins, no commands. e2e/measure.js measures its
//! time-to-first-paint and memory in the same run as the app's, so the app's own cost is the
//! difference. Its webview gets the app's settings (novadesk::webview::tune), so both stand on the
//! same floor; `--default-webview` leaves WebKit's defaults, to measure what the settings save.
//! `cargo build --release -p novadesk --example bare_window --features tauri/custom-protocol`

use tauri::http::Response;
use tauri::{WebviewUrl, WebviewWindowBuilder};

/// What the floor paints: one element the measurement waits for.
const PAGE: &str = "<!doctype html><html><head><meta charset=utf-8><title>bare</title></head>\
<body><p id=bare>bare Tauri window</p></body></html>";

fn main() {
    let mut context = tauri::generate_context!("../tauri.conf.json");
    // Not the app's window (and so not its page or capability): the floor opens its own.
    context.config_mut().app.windows.clear();
    let tuned = !std::env::args().any(|a| a == "--default-webview");
    let app = tauri::Builder::default()
        .register_uri_scheme_protocol("bare", |_ctx, _request| {
            Response::builder()
                .header("Content-Type", "text/html; charset=utf-8")
                .body(PAGE.as_bytes().to_vec())
                .unwrap_or_default()
        })
        .setup(move |app| {
            let url = "bare://localhost/".parse()?;
            let window = WebviewWindowBuilder::new(app, "bare", WebviewUrl::CustomProtocol(url))
                .title("bare")
                .inner_size(1280.0, 800.0)
                .build()?;
            if tuned {
                novadesk::webview::tune(&window);
            }
            Ok(())
        })
        .build(context);
    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            eprintln!("bare_window: could not start: {err}");
            std::process::exit(1);
        }
    }
}
