//! The webview stays on the app's own pages: a navigation anywhere else (a link, a redirect,
//! `location = …` from injected content) is refused and logged, so no remote page ever runs
//! with access to the app's commands.

use tauri::plugin::{Builder, TauriPlugin};
use tauri::{Runtime, Url};

/// Whether the webview may go to `url`: the bundled UI's origin on each platform
/// (`tauri://localhost`, or `http(s)://tauri.localhost` where custom schemes are served that
/// way) and the blank page.
pub fn allowed(url: &Url) -> bool {
    match url.scheme() {
        "tauri" => url.host_str() == Some("localhost"),
        "http" | "https" => url.host_str() == Some("tauri.localhost") && url.port().is_none(),
        "about" => url.path() == "blank",
        _ => false,
    }
}

/// The guard as a plugin, so it covers every webview the app opens.
pub fn guard<R: Runtime>() -> TauriPlugin<R> {
    Builder::new("navigation-guard")
        .on_navigation(|_webview, url| {
            let ok = allowed(url);
            if !ok {
                // The host only: a URL may carry tokens in its query.
                tracing::warn!(
                    scheme = url.scheme(),
                    host = url.host_str().unwrap_or(""),
                    "navigation off the app refused"
                );
            }
            ok
        })
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn only_the_apps_own_pages_are_allowed() {
        for ok in [
            "tauri://localhost/index.html#sites",
            "http://tauri.localhost/index.html",
            "https://tauri.localhost/",
            "about:blank",
        ] {
            assert!(allowed(&url(ok)), "{ok}");
        }
        for refused in [
            "https://novacore-mainnet.sourceful.dev/",
            "http://127.0.0.1:8080/",
            "http://tauri.localhost.evil.example/",
            "http://tauri.localhost:8080/",
            "tauri://evil/",
            "file:///etc/passwd",
            "javascript:alert(1)",
            "data:text/html,<script>1</script>",
        ] {
            assert!(!allowed(&url(refused)), "{refused}");
        }
    }
}
