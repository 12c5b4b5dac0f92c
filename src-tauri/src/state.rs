//! Shared state managed by Tauri and handed to commands.

use std::sync::{Mutex, OnceLock};

use crate::commands::settings::ThemeChanged;
use crate::paths::AppPaths;
use crate::settings::{self, Settings};

/// Where the shell's events go. Commands stay runtime-agnostic (plain functions over `AppState`);
/// the app installs a sink bound to its `AppHandle` at setup, tests install a recording one.
pub trait ShellEvents: Send + Sync {
    fn theme_changed(&self, event: ThemeChanged);
}

/// Used until the app has installed its sink (events before setup have no listener anyway).
struct NoEvents;

impl ShellEvents for NoEvents {
    fn theme_changed(&self, _event: ThemeChanged) {}
}

/// The app's state. Later issues add `Arc<novadesk_core::App>` and the live-stream registry here.
#[derive(Debug)]
pub struct AppState {
    pub paths: AppPaths,
    /// The environment asked for on the command line, if any.
    pub requested_env: Option<String>,
    settings: Mutex<Settings>,
    /// The environment connection (Sandbox, vault, signed-in client).
    pub connections: crate::connection::Connections,
    events: OnceLock<Box<dyn ShellEvents>>,
}

impl std::fmt::Debug for dyn ShellEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShellEvents")
    }
}

impl AppState {
    pub fn new(paths: AppPaths, requested_env: Option<String>) -> Self {
        let settings = settings::load(&Self::settings_path(&paths));
        Self {
            paths,
            requested_env,
            settings: Mutex::new(settings),
            connections: Default::default(),
            events: OnceLock::new(),
        }
    }

    /// Install the event sink (once; later calls are ignored).
    pub fn set_events(&self, sink: Box<dyn ShellEvents>) {
        let _ = self.events.set(sink);
    }

    pub fn events(&self) -> &dyn ShellEvents {
        self.events.get().map(|b| b.as_ref()).unwrap_or(&NoEvents)
    }

    fn settings_path(paths: &AppPaths) -> std::path::PathBuf {
        paths.config_dir.join("settings.json")
    }

    pub fn settings(&self) -> Settings {
        self.settings
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Apply `change`, persist, and return the new settings; on a write failure the in-memory
    /// settings stay as they were, so what the UI shows matches what is on disk.
    pub fn update_settings(
        &self,
        change: impl FnOnce(&mut Settings),
    ) -> Result<Settings, settings::SettingsError> {
        let mut guard = self.settings.lock().unwrap_or_else(|p| p.into_inner());
        let mut next = guard.clone();
        change(&mut next);
        settings::save(&Self::settings_path(&self.paths), &next)?;
        *guard = next.clone();
        Ok(next)
    }
}
