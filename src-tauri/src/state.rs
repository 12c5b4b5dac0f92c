//! Shared state managed by Tauri and handed to commands.

use std::sync::{Arc, OnceLock};

use novadesk_core::{Connections, SettingsFile};

use crate::commands::settings::ThemeChanged;
use crate::paths::AppPaths;

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

/// The app's state: the core's settings and session lifecycle, plus what only the shell knows.
/// (The live streams and chart jobs are managed beside it, see `lib.rs`.)
#[derive(Debug)]
pub struct AppState {
    pub paths: AppPaths,
    /// The environment asked for on the command line, if any.
    pub requested_env: Option<String>,
    /// The persisted preferences (`<config dir>/settings.json`).
    pub settings: Arc<SettingsFile>,
    /// The environment connection (Sandbox, vault, signed-in workspace).
    pub connections: Connections,
    events: OnceLock<Box<dyn ShellEvents>>,
}

impl std::fmt::Debug for dyn ShellEvents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ShellEvents")
    }
}

impl AppState {
    pub fn new(paths: AppPaths, requested_env: Option<String>) -> Self {
        let settings = Arc::new(SettingsFile::open(&paths.config_dir));
        let connections = Connections::new(paths.data_dir.clone(), settings.clone());
        Self {
            paths,
            requested_env,
            settings,
            connections,
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
}
