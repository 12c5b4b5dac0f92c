//! The window's connection to one Novacore environment: the in-process Sandbox (started on first
//! use), the identity vault over whichever secret store start-up could get, and the signed-in
//! client. Held in `AppState`; commands go through it.

use std::path::Path;
use std::sync::{Arc, OnceLock};

use std::time::Duration;

use novadesk_core::{
    import_identity, keep_connected, sign_in, AppEvent, Environment, EventSink, IdentityVault,
    SandboxService, SecretStoreChoice, SessionRecord, SignedIn, SystemClock, Workspace,
    WorkspaceParts,
};
use tauri::async_runtime::JoinHandle;
use tokio::sync::{Mutex, OnceCell};

use crate::error::{CommandError, CommandResult};

/// The vault and, when there is no keychain, what to tell the user.
#[derive(Debug)]
struct Vault {
    vault: IdentityVault,
    notice: Option<String>,
}

/// The signed-in environment.
#[derive(Debug)]
pub struct Active {
    pub environment: Environment,
    pub base_url: String,
    pub signed_in: SignedIn,
    pub secrets_notice: Option<String>,
    /// Client, offline store, clock and events for the use-cases.
    pub workspace: Workspace,
    /// Brings the workspace back online by itself; aborted when this connection ends.
    reconnector: JoinHandle<()>,
}

impl Drop for Active {
    fn drop(&mut self) {
        self.reconnector.abort();
    }
}

/// Connection state shared by the session commands.
#[derive(Default)]
pub struct Connections {
    sandbox: SandboxService,
    vault: OnceCell<Vault>,
    active: Mutex<Option<Active>>,
    events: OnceLock<Arc<dyn EventSink>>,
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("sandbox", &self.sandbox)
            .finish_non_exhaustive()
    }
}

/// Used until the app installs its sink.
fn no_events(_: AppEvent) {}

impl Connections {
    /// Where the core's events go (installed once at setup; later calls are ignored).
    pub fn set_events(&self, sink: Arc<dyn EventSink>) {
        let _ = self.events.set(sink);
    }

    fn events(&self) -> Arc<dyn EventSink> {
        self.events
            .get()
            .cloned()
            .unwrap_or_else(|| Arc::new(no_events))
    }

    /// The signed-in workspace, or the "sign in first" error.
    pub async fn workspace(&self) -> CommandResult<Workspace> {
        let active = self.active.lock().await;
        Ok(active
            .as_ref()
            .ok_or_else(sign_in_required)?
            .workspace
            .clone())
    }

    /// The vault, probing the keychain once (the probe blocks for tens of ms, so off the
    /// async threads).
    async fn vault(&self) -> CommandResult<&Vault> {
        self.vault
            .get_or_try_init(|| async {
                let choice = tokio::task::spawn_blocking(SecretStoreChoice::detect)
                    .await
                    .map_err(|e| {
                        CommandError::failed(format!("Could not check the keychain: {e}"))
                    })?;
                if let Some(notice) = choice.user_notice() {
                    tracing::warn!(%notice, "no keychain; identities are session-only");
                }
                Ok(Vault {
                    vault: IdentityVault::new(choice.store()),
                    notice: choice.user_notice().map(str::to_string),
                })
            })
            .await
    }

    /// Sign in to `environment` (starting the Sandbox if that is the choice), replacing any
    /// previous connection. Returns a summary for the window.
    pub async fn connect(
        &self,
        environment: Environment,
        data_dir: &Path,
    ) -> CommandResult<ActiveSummary> {
        let base_url = match environment.fixed_base_url() {
            Some(url) => url,
            None => self.sandbox.base_url_for(&environment).await?,
        };
        let vault = self.vault().await?;
        let signed_in = sign_in(&environment, &base_url, &vault.vault).await?;
        tracing::info!(environment = %environment.id(), identity = %signed_in.identity_id, "signed in");
        let parts = WorkspaceParts {
            environment: environment.clone(),
            base_url: base_url.clone(),
            client: signed_in.client.clone(),
            identity_id: signed_in.identity_id.clone(),
            clock: Arc::new(SystemClock),
            events: self.events(),
        };
        let data_dir = data_dir.to_path_buf();
        // Opening migrates the schema: blocking file I/O, off the async threads.
        let workspace = tokio::task::spawn_blocking(move || Workspace::open(parts, &data_dir))
            .await
            .map_err(|e| {
                CommandError::failed(format!("Could not open the offline store: {e}"))
            })??;
        if signed_in.offline {
            workspace.connectivity.report_offline(format!(
                "{} cannot be reached; signed in from the saved session.",
                environment.display_name()
            ));
        } else {
            workspace.connectivity.report_online();
        }
        let reconnector = {
            let vault = vault.vault.clone();
            let env = environment.clone();
            tauri::async_runtime::spawn(keep_connected(
                workspace.clone(),
                Duration::from_secs(1),
                Duration::from_secs(30),
                move |session| {
                    let record = SessionRecord {
                        token: novadesk_core::Secret::new(session.token.expose()),
                        identity_id: session.identity_id.clone(),
                    };
                    if let Err(err) = vault.save_session_record(&env, &record) {
                        tracing::warn!(%err, "could not keep the new session in the keychain");
                    }
                },
            ))
        };
        let active = Active {
            environment,
            base_url,
            signed_in,
            secrets_notice: vault.notice.clone(),
            workspace,
            reconnector,
        };
        let summary = ActiveSummary::of(&active);
        *self.active.lock().await = Some(active);
        Ok(summary)
    }

    /// Sign out: the session token is dropped from the keychain (the identity stays).
    pub async fn sign_out(&self) -> CommandResult<()> {
        let Some(active) = self.active.lock().await.take() else {
            return Ok(());
        };
        let vault = self.vault().await?;
        vault.vault.clear_session(&active.environment)?;
        tracing::info!(environment = %active.environment.id(), "signed out");
        Ok(())
    }

    /// Sign out and remove the environment's identity key from this computer.
    pub async fn forget_identity(&self, environment: &Environment) -> CommandResult<bool> {
        let mut active = self.active.lock().await;
        if active
            .as_ref()
            .is_some_and(|a| &a.environment == environment)
        {
            *active = None;
        }
        drop(active);
        let vault = self.vault().await?;
        let forgotten = vault.vault.forget(environment)?;
        tracing::info!(environment = %environment.id(), forgotten, "identity forgotten");
        Ok(forgotten)
    }

    /// Use an imported private key as the environment's identity (signing out of it first).
    pub async fn import_identity(
        &self,
        environment: &Environment,
        key_text: &str,
    ) -> CommandResult<String> {
        let vault = self.vault().await?;
        let public_key = import_identity(environment, &vault.vault, key_text).map_err(|e| {
            match e {
                novadesk_core::Error::Novacore(novacore::Error::InvalidInput(why)) => {
                    CommandError::invalid_input(format!(
                        "That is not an Ed25519 private key Novadesk can read ({why}). Paste a PKCS#8 PEM, or the 32-byte seed in hex, base64 or base58."
                    ))
                }
                other => other.into(),
            }
        })?;
        let mut active = self.active.lock().await;
        if active
            .as_ref()
            .is_some_and(|a| &a.environment == environment)
        {
            *active = None;
        }
        Ok(public_key)
    }

    /// Whether the environment has an identity on this computer (for the welcome view).
    pub async fn has_identity(&self, environment: &Environment) -> CommandResult<bool> {
        Ok(self.vault().await?.vault.identity(environment)?.is_some())
    }
}

fn sign_in_required() -> CommandError {
    CommandError::new(
        crate::error::ErrorCode::SignInRequired,
        "Choose an environment and sign in first.",
    )
}

/// What the window shows about the connection.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct ActiveSummary {
    /// What `connect` and the identity commands take (`sandbox`, …, or the URL).
    pub environment: String,
    pub environment_id: String,
    pub environment_name: String,
    pub base_url: String,
    pub identity_id: String,
    pub public_key: String,
    pub new_identity: bool,
    /// Set when no keychain is available and the identity lives only for this session.
    pub secrets_notice: Option<String>,
    /// Signed in from the saved session because the server could not be reached.
    pub offline: bool,
}

impl ActiveSummary {
    fn of(active: &Active) -> Self {
        Self {
            environment: active.environment.to_string(),
            environment_id: active.environment.id(),
            environment_name: active.environment.display_name(),
            base_url: active.base_url.clone(),
            identity_id: active.signed_in.identity_id.clone(),
            public_key: active.signed_in.public_key.clone(),
            new_identity: active.signed_in.created_identity,
            secrets_notice: active.secrets_notice.clone(),
            offline: active.signed_in.offline,
        }
    }
}
