//! Desktop notifications: the one place the app sends one (tauri-plugin-notification; on Linux
//! `org.freedesktop.Notifications` on the session bus), with "once per key" for callers whose
//! events repeat. *Whether* something deserves a notification is decided in novadesk-core
//! (e.g. `peak::PeakAlerts`: once per site and hour); this module only delivers.
//!
//! ```ignore
//! notify::send(&app, "Uppsala: a new power peak at 17:00", "This hour would add ≈ SEK 41 …");
//! notify::send_once(&app, &format!("incident:{id}"), &title, &body); // true the first time only
//! ```

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use tauri::{AppHandle, Manager, Runtime};

type Deliver = dyn Fn(&str, &str) -> bool + Send + Sync;

/// What a recording [`Notifier`] saw: (title, body) in order.
pub type Sent = Arc<Mutex<Vec<(String, String)>>>;

/// Sends desktop notifications (managed state, installed at setup). Type-erased over the
/// runtime so commands stay runtime-agnostic; without the plugin (the mock runtime in tests) a
/// send is logged and reported as not delivered.
/// Clones share the delivery and the keys already sent (cheap: two `Arc`s).
#[derive(Clone)]
pub struct Notifier {
    deliver: Arc<Deliver>,
    sent_keys: Arc<Mutex<HashSet<String>>>,
}

impl std::fmt::Debug for Notifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Notifier").finish_non_exhaustive()
    }
}

impl Notifier {
    /// Delivers through the app's notification plugin.
    pub fn new<R: Runtime>(handle: AppHandle<R>) -> Self {
        Self::with(move |title, body| {
            let Some(plugin) = handle.try_state::<tauri_plugin_notification::Notification<R>>()
            else {
                tracing::warn!("no notification plugin: a desktop notification was not shown");
                return false;
            };
            match plugin.builder().title(title).body(body).show() {
                Ok(()) => true,
                Err(err) => {
                    tracing::warn!(%err, "desktop notification failed");
                    false
                }
            }
        })
    }

    /// Delivers with `deliver` (tests record what would be shown).
    pub fn with(deliver: impl Fn(&str, &str) -> bool + Send + Sync + 'static) -> Self {
        Self {
            deliver: Arc::new(deliver),
            sent_keys: Arc::new(Mutex::new(HashSet::new())),
        }
    }

    /// A notifier that records every notification (title, body) in the returned list.
    pub fn recording() -> (Self, Sent) {
        let log = Arc::new(Mutex::new(Vec::new()));
        let sink = log.clone();
        let n = Self::with(move |t, b| {
            lock(&sink).push((t.to_string(), b.to_string()));
            true
        });
        (n, log)
    }

    /// Shows a notification now; whether it was handed to the desktop.
    pub fn send(&self, title: &str, body: &str) -> bool {
        tracing::info!(title, "desktop notification");
        (self.deliver)(title, body)
    }

    /// Shows it unless one with `key` was shown already in this run; whether it was shown.
    pub fn send_once(&self, key: &str, title: &str, body: &str) -> bool {
        if !lock(&self.sent_keys).insert(key.to_string()) {
            return false;
        }
        self.send(title, body)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Shows a notification through the app's [`Notifier`] (false when none is installed).
pub fn send<R: Runtime>(app: &AppHandle<R>, title: &str, body: &str) -> bool {
    app.try_state::<Notifier>()
        .is_some_and(|n| n.send(title, body))
}

/// [`Notifier::send_once`] through the app's notifier.
pub fn send_once<R: Runtime>(app: &AppHandle<R>, key: &str, title: &str, body: &str) -> bool {
    app.try_state::<Notifier>()
        .is_some_and(|n| n.send_once(key, title, body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn send_once_shows_a_key_once_and_send_always() {
        let (n, log) = Notifier::recording();
        assert!(n.send_once("peak:sit-a:1", "t", "b"));
        assert!(!n.send_once("peak:sit-a:1", "t", "b"));
        assert!(n.send_once("peak:sit-a:2", "t2", "b2"));
        assert!(n.send("t3", "b3"));
        let titles: Vec<String> = lock(&log).iter().map(|(t, _)| t.clone()).collect();
        assert_eq!(titles, vec!["t", "t2", "t3"]);
    }
}
