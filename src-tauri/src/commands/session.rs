//! Choosing an environment, signing in, and what the signed-in identity can see.

use novadesk_core::Environment;
use serde::Serialize;
use specta::Type;
use tauri::State;

use crate::connection::ActiveSummary;
use crate::error::CommandResult;
use crate::state::AppState;

/// Connect to `environment` (`sandbox`, `testnet`, `mainnet` or a URL) and sign in, creating an
/// identity for it on first use.
#[tauri::command]
#[specta::specta]
pub async fn connect(
    state: State<'_, AppState>,
    environment: String,
) -> CommandResult<ActiveSummary> {
    let environment = Environment::parse(&environment)?;
    state
        .connections
        .connect(environment, &state.paths.data_dir)
        .await
}

/// One row of the organizations list.
#[derive(Debug, Clone, Serialize, Type)]
pub struct OrganizationItem {
    pub id: String,
    pub name: String,
    /// Your role in it (owner, admin, operator, viewer), when known.
    pub role: Option<String>,
}

/// The organizations you belong to, with your role in each.
#[tauri::command]
#[specta::specta]
pub async fn list_organizations(
    state: State<'_, AppState>,
) -> CommandResult<Vec<OrganizationItem>> {
    let rows = state.connections.organizations().await?;
    Ok(rows
        .into_iter()
        .map(|r| OrganizationItem {
            id: r.id,
            name: r.name,
            role: r.role,
        })
        .collect())
}
