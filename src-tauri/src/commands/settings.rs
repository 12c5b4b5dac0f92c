//! Reading and changing the persisted preferences.

use novadesk_core::{Settings, ThemePreference};
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// Emitted after the theme preference changed, so every window follows.
#[derive(Debug, Clone, Serialize, Deserialize, Type, tauri_specta::Event)]
pub struct ThemeChanged {
    pub theme: ThemePreference,
}

/// The current preferences.
#[tauri::command]
#[specta::specta]
pub fn get_settings(state: State<'_, AppState>) -> CommandResult<Settings> {
    Ok(state.settings.get())
}

/// Choose light, dark or system theme; persisted and broadcast as `ThemeChanged`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub fn set_theme(state: State<'_, AppState>, theme: ThemePreference) -> CommandResult<Settings> {
    let settings = state.settings.update(|s| s.theme = theme)?;
    state.events().theme_changed(ThemeChanged { theme });
    Ok(settings)
}

/// Turn a site's power-peak desktop notifications on or off (persisted; the banner stays).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub fn set_peak_notifications(
    state: State<'_, AppState>,
    site_id: String,
    enabled: bool,
) -> CommandResult<Settings> {
    super::live::check_site_id(&site_id)?;
    Ok(state
        .settings
        .update(|s| s.set_peak_notifications(&site_id, enabled))?)
}

/// How many minutes without a reading make a site's silence an incident (1 to 1440; the Fleet
/// view's monitor applies it on its next refresh).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub fn set_silence_threshold(state: State<'_, AppState>, minutes: u32) -> CommandResult<Settings> {
    let mut checked = state.settings.get();
    checked.set_silence_minutes(minutes)?;
    Ok(state
        .settings
        .update(|s| s.silence_threshold_minutes = checked.silence_threshold_minutes)?)
}
