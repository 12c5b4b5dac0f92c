//! The shell's event sink: typed events emitted to every window through tauri-specta.

use tauri::{AppHandle, Runtime};
use tauri_specta::Event;

use crate::commands::settings::ThemeChanged;
use crate::state::ShellEvents;

/// Emits events with the app's handle.
pub struct TauriEvents<R: Runtime> {
    handle: AppHandle<R>,
}

impl<R: Runtime> TauriEvents<R> {
    pub fn new(handle: AppHandle<R>) -> Self {
        Self { handle }
    }
}

impl<R: Runtime> ShellEvents for TauriEvents<R> {
    fn theme_changed(&self, event: ThemeChanged) {
        if let Err(err) = event.emit(&self.handle) {
            tracing::warn!(%err, "could not broadcast theme change");
        }
    }
}

/// The environment became reachable or unreachable (drives the offline banner).
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct ConnectivityChanged {
    pub online: bool,
    /// Why it is offline, or what restored it.
    pub reason: Option<String>,
}

/// Forward one core event to the window as its typed tauri event (every core event has one).
pub fn forward_core_event<R: Runtime>(handle: &AppHandle<R>, event: novadesk_core::AppEvent) {
    use novadesk_core::AppEvent as E;
    let sent = match event {
        E::ConnectivityChanged { online, reason } => {
            ConnectivityChanged { online, reason }.emit(handle)
        }
    };
    if let Err(err) = sent {
        tracing::warn!(%err, "could not send an event to the window");
    }
}

/// A silence incident started or cleared (decided once per incident by the core's Fleet
/// monitor): to the window as a typed event, and a start also as one desktop notification (the
/// return needs none: the view's line clears).
pub fn silence_incident<R: Runtime>(
    handle: &AppHandle<R>,
    change: crate::commands::fleet::SilenceIncidentChanged,
) {
    tracing::info!(key = %change.key, "silence incident");
    if matches!(
        change.change,
        novadesk_core::fleet::IncidentChange::Started { .. }
    ) {
        crate::notify::send_once(handle, &change.key, &change.title, &change.body);
    }
    if let Err(err) = change.emit(handle) {
        tracing::warn!(%err, "could not send a silence incident to the window");
    }
}
