//! Choosing an environment, signing in, and the identity kept for it: thin adapters over
//! `novadesk_core::Connections`, which owns the whole lifecycle.

use novadesk_core::{ActiveSummary, Environment};
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// Connect to `environment` (`sandbox`, `testnet`, `mainnet` or a URL) and sign in, creating an
/// identity for it on first use.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn connect(
    state: State<'_, AppState>,
    environment: String,
) -> CommandResult<ActiveSummary> {
    let environment = Environment::parse(&environment)?;
    Ok(state.connections.connect(environment).await?)
}

/// Sign out of the current environment: the session token leaves the keychain, the identity
/// stays for the next sign-in.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn sign_out(state: State<'_, AppState>) -> CommandResult<()> {
    Ok(state.connections.sign_out().await?)
}

/// Remove the environment's identity (private key and session) from this computer. The window
/// confirms first: without a copy of the key elsewhere, it cannot be recovered.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn forget_identity(
    state: State<'_, AppState>,
    environment: String,
) -> CommandResult<bool> {
    let environment = Environment::parse(&environment)?;
    Ok(state.connections.forget_identity(&environment).await?)
}

/// Use an existing Ed25519 private key (PEM, or the seed in hex/base64/base58) as the
/// environment's identity. Returns its public key (base64). Signs out of that environment.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, key))]
pub async fn import_identity(
    state: State<'_, AppState>,
    environment: String,
    key: String,
) -> CommandResult<String> {
    let environment = Environment::parse(&environment)?;
    let key = zeroize::Zeroizing::new(key);
    Ok(state
        .connections
        .import_identity(&environment, key.as_str())
        .await?)
}

/// Whether this computer holds an identity for the environment.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn has_identity(state: State<'_, AppState>, environment: String) -> CommandResult<bool> {
    let environment = Environment::parse(&environment)?;
    Ok(state.connections.has_identity(&environment).await?)
}
