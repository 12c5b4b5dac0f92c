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
