//! The installer's journal: the cloud steps that wait for Novacore (listed in the Installer's
//! "Waiting for the cloud" panel, counted in the status bar), and the installer's decisions on
//! refused ones (retry, drop). Replaying is core's, started by the connection's reconnect loop.

use novadesk_core as core;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// Every journal item, oldest first (queued, done and refused ones).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_installer_journal(
    state: State<'_, AppState>,
) -> CommandResult<Vec<core::JournalItem>> {
    let ws = state.connections.workspace().await?;
    Ok(core::journal(&ws)?)
}

/// How many items wait for the cloud and how many for a decision (the status bar polls it).
#[tauri::command]
#[specta::specta]
pub async fn get_journal_counts(state: State<'_, AppState>) -> CommandResult<core::JournalCounts> {
    let ws = state.connections.workspace().await?;
    Ok(core::journal_counts(&ws)?)
}

/// Put a refused item back in the queue and replay now (reading the platform before sending);
/// the journal as it then stands.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn retry_journal_item(
    state: State<'_, AppState>,
    id: u32,
) -> CommandResult<Vec<core::JournalItem>> {
    let ws = state.connections.workspace().await?;
    core::retry_item(&ws, id)?;
    core::replay(&ws).await?;
    Ok(core::journal(&ws)?)
}

/// Give up an item that is not done (nothing more is sent for it); the journal as it then stands.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn drop_journal_item(
    state: State<'_, AppState>,
    id: u32,
) -> CommandResult<Vec<core::JournalItem>> {
    let ws = state.connections.workspace().await?;
    core::drop_item(&ws, id)?;
    Ok(core::journal(&ws)?)
}
