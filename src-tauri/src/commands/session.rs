//! Choosing an environment, signing in, and what the signed-in identity can see.

use novadesk_core::Environment;
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
    let id = environment.to_string();
    let summary = state
        .connections
        .connect(environment, &state.paths.data_dir)
        .await?;
    remember(&state, Some(id), true);
    Ok(summary)
}

/// Keep the last environment for the next start; a failed write only costs that convenience.
fn remember(state: &AppState, environment: Option<String>, reopen: bool) {
    let result = state.update_settings(|s| {
        if environment.is_some() {
            s.last_environment = environment;
        }
        s.reopen_last = reopen;
    });
    if let Err(err) = result {
        tracing::warn!(%err, "could not remember the environment");
    }
}

/// Sign out of the current environment: the session token leaves the keychain, the identity
/// stays for the next sign-in.
#[tauri::command]
#[specta::specta]
pub async fn sign_out(state: State<'_, AppState>) -> CommandResult<()> {
    state.connections.sign_out().await?;
    remember(&state, None, false);
    Ok(())
}

/// Remove the environment's identity (private key and session) from this computer. The window
/// confirms first: without a copy of the key elsewhere, it cannot be recovered.
#[tauri::command]
#[specta::specta]
pub async fn forget_identity(
    state: State<'_, AppState>,
    environment: String,
) -> CommandResult<bool> {
    let environment = Environment::parse(&environment)?;
    let forgotten = state.connections.forget_identity(&environment).await?;
    remember(&state, None, false);
    Ok(forgotten)
}

/// Use an existing Ed25519 private key (PEM, or the seed in hex/base64/base58) as the
/// environment's identity. Returns its public key (base64). Signs out of that environment.
#[tauri::command]
#[specta::specta]
pub async fn import_identity(
    state: State<'_, AppState>,
    environment: String,
    key: String,
) -> CommandResult<String> {
    let environment = Environment::parse(&environment)?;
    let key = zeroize::Zeroizing::new(key);
    state
        .connections
        .import_identity(&environment, key.as_str())
        .await
}

/// Whether this computer holds an identity for the environment.
#[tauri::command]
#[specta::specta]
pub async fn has_identity(state: State<'_, AppState>, environment: String) -> CommandResult<bool> {
    let environment = Environment::parse(&environment)?;
    state.connections.has_identity(&environment).await
}
