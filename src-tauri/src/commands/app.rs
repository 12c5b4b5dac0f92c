//! Facts about the running app.

use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// What the About box and status bar show.
#[derive(Debug, Clone, Serialize, Type, PartialEq, Eq)]
pub struct AppInfo {
    pub name: String,
    pub version: String,
    /// The commit built from (`unknown` outside a git checkout).
    pub commit: String,
    /// `debug` or `release`.
    pub profile: String,
    pub data_dir: String,
    pub log_dir: String,
    pub config_dir: String,
    /// The environment requested with `--env`, if any.
    pub requested_env: Option<String>,
    /// The environment to open in: `--env`, else the last one signed in to (unless the user
    /// signed out of it).
    pub open_env: Option<String>,
    /// The environment used last, to preselect in the picker.
    pub last_env: Option<String>,
}

/// Build facts and where the app keeps its files.
#[tauri::command]
#[specta::specta]
pub fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    let settings = state.settings.get();
    Ok(AppInfo {
        name: "Novadesk".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        commit: env!("NOVADESK_COMMIT").into(),
        profile: if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
        .into(),
        data_dir: state.paths.data_dir.display().to_string(),
        log_dir: state.paths.log_dir.display().to_string(),
        config_dir: state.paths.config_dir.display().to_string(),
        requested_env: state.requested_env.clone(),
        open_env: settings.environment_to_open(state.requested_env.as_deref()),
        last_env: settings.last_environment,
    })
}
