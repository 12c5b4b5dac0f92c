//! The session lifecycle, as the window drives it: connect to an environment (starting the
//! in-process Sandbox when that is the choice), sign in as its identity, open the offline store
//! and keep coming back online by itself; sign out, forget or import an identity. [`sign_in`] is
//! one step of it; [`Connections`] is the whole, and the only thing the shell holds.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{Mutex, OnceCell};
use tokio::task::JoinHandle;

use crate::clock::SystemClock;
use crate::environment::Environment;
use crate::error::{Error, Result};
use crate::events::{AppEvent, EventSink};
use crate::reconnect::keep_connected;
use crate::sandbox::SandboxService;
use crate::secret_store::SecretStoreChoice;
use crate::settings::SettingsFile;
use crate::signin::{import_identity, sign_in};
use crate::vault::{IdentityVault, SessionRecord};
use crate::workspace::{Workspace, WorkspaceParts};

/// First and longest wait between attempts to reach an offline environment again.
const RECONNECT_BACKOFF: (Duration, Duration) = (Duration::from_secs(1), Duration::from_secs(30));

/// What the window shows about the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
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

/// The vault and, when there is no keychain, what to tell the user.
#[derive(Debug)]
struct Secrets {
    vault: IdentityVault,
    notice: Option<String>,
}

impl From<SecretStoreChoice> for Secrets {
    fn from(choice: SecretStoreChoice) -> Self {
        Self {
            vault: IdentityVault::new(choice.store()),
            notice: choice.user_notice().map(str::to_string),
        }
    }
}

/// Starts what runs in the background for a signed-in workspace (the shell's peak and silence
/// monitors); the tasks returned are aborted when that sign-in ends (sign-out, forgetting or
/// importing its identity, connecting elsewhere).
pub type OnSignedIn = Arc<dyn Fn(&Workspace) -> Vec<JoinHandle<()>> + Send + Sync>;

/// The signed-in environment.
#[derive(Debug)]
struct Active {
    workspace: Workspace,
    /// Brings the workspace back online by itself; aborted when this connection ends.
    reconnector: JoinHandle<()>,
    /// What [`OnSignedIn`] started; aborted when this connection ends.
    background: Vec<JoinHandle<()>>,
}

impl Drop for Active {
    fn drop(&mut self) {
        self.reconnector.abort();
        for task in &self.background {
            task.abort();
        }
    }
}

/// The app's connection to one environment at a time: the Sandbox (started on first use), the
/// identity vault over whichever secret store the machine offers, the signed-in workspace, and
/// the settings that remember where to open next time.
pub struct Connections {
    data_dir: PathBuf,
    settings: Arc<SettingsFile>,
    sandbox: SandboxService,
    secrets: OnceCell<Secrets>,
    active: Mutex<Option<Active>>,
    events: OnceLock<Arc<dyn EventSink>>,
    on_signed_in: OnceLock<OnSignedIn>,
}

impl std::fmt::Debug for Connections {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connections")
            .field("data_dir", &self.data_dir)
            .field("sandbox", &self.sandbox)
            .finish_non_exhaustive()
    }
}

/// Used until the app installs its sink.
fn no_events(_: AppEvent) {}

impl Connections {
    /// Nothing connected yet. Offline stores go under `data_dir`; the environment signed in to is
    /// remembered in `settings`. The keychain is probed on first use.
    pub fn new(data_dir: impl Into<PathBuf>, settings: Arc<SettingsFile>) -> Self {
        Self {
            data_dir: data_dir.into(),
            settings,
            sandbox: SandboxService::new(),
            secrets: OnceCell::new(),
            active: Mutex::new(None),
            events: OnceLock::new(),
            on_signed_in: OnceLock::new(),
        }
    }

    /// Uses `choice` instead of probing the keychain (tests, and callers that probed already).
    pub fn with_secret_store(mut self, choice: SecretStoreChoice) -> Self {
        self.secrets = OnceCell::new_with(Some(Secrets::from(choice)));
        self
    }

    /// Where the core's events go (installed once at setup; later calls are ignored).
    pub fn set_events(&self, sink: Arc<dyn EventSink>) {
        let _ = self.events.set(sink);
    }

    /// What to start with every sign-in (installed once at setup; later calls are ignored).
    pub fn set_on_signed_in(&self, start: OnSignedIn) {
        let _ = self.on_signed_in.set(start);
    }

    fn events(&self) -> Arc<dyn EventSink> {
        self.events
            .get()
            .cloned()
            .unwrap_or_else(|| Arc::new(no_events))
    }

    /// The base URLs of the Sandbox's Zaps (starting the Sandbox if needed): what the Installer
    /// view lists on its own when the environment is the Sandbox, signed in or not.
    pub async fn sandbox_zap_urls(&self) -> Result<Vec<String>> {
        self.sandbox.zap_urls().await
    }

    /// The signed-in workspace, or [`Error::NotSignedIn`].
    pub async fn workspace(&self) -> Result<Workspace> {
        let active = self.active.lock().await;
        Ok(active.as_ref().ok_or(Error::NotSignedIn)?.workspace.clone())
    }

    /// The vault, probing the keychain once (the probe blocks for tens of ms, so off the async
    /// threads).
    async fn secrets(&self) -> Result<&Secrets> {
        self.secrets
            .get_or_try_init(|| async {
                let choice = tokio::task::spawn_blocking(SecretStoreChoice::detect)
                    .await
                    .map_err(|e| Error::Interrupted {
                        what: "check the keychain",
                        reason: e.to_string(),
                    })?;
                if let Some(notice) = choice.user_notice() {
                    tracing::warn!(%notice, "no keychain; identities are session-only");
                }
                Ok(Secrets::from(choice))
            })
            .await
    }

    /// What to tell the user about where identities are kept (`None`: in the keychain).
    pub async fn secrets_notice(&self) -> Result<Option<String>> {
        Ok(self.secrets().await?.notice.clone())
    }

    /// Signs in to `environment` (starting the Sandbox if that is the choice), replacing any
    /// previous connection, and remembers it as the one to reopen next start (a failed save is
    /// logged: it only costs that convenience). When the server cannot be reached but a session
    /// was kept, opens offline on the cached data and keeps trying to come back.
    pub async fn connect(&self, environment: Environment) -> Result<ActiveSummary> {
        let base_url = self.sandbox.base_url_for(&environment).await?;
        let secrets = self.secrets().await?;
        let signed_in = sign_in(&environment, &base_url, &secrets.vault).await?;
        tracing::info!(environment = %environment.id(), identity = %signed_in.identity_id, "signed in");
        let parts = WorkspaceParts {
            environment: environment.clone(),
            base_url: base_url.clone(),
            client: signed_in.client.clone(),
            identity_id: signed_in.identity_id.clone(),
            clock: Arc::new(SystemClock),
            events: self.events(),
        };
        let data_dir = self.data_dir.clone();
        let opening = std::time::Instant::now();
        // Opening migrates the schema: blocking file I/O, off the async threads.
        let workspace = tokio::task::spawn_blocking(move || Workspace::open(parts, &data_dir))
            .await
            .map_err(|e| Error::Interrupted {
                what: "open the offline store",
                reason: e.to_string(),
            })??;
        tracing::debug!(
            ms = opening.elapsed().as_millis() as u64,
            "offline store opened"
        );
        if signed_in.offline {
            workspace.connectivity.report_offline(format!(
                "{} cannot be reached; signed in from the saved session.",
                environment.display_name()
            ));
        } else {
            workspace.connectivity.report_online();
        }
        let reconnector = {
            let vault = secrets.vault.clone();
            let environment = environment.clone();
            let (initial, max) = RECONNECT_BACKOFF;
            tokio::spawn(keep_connected(
                workspace.clone(),
                initial,
                max,
                move |session| {
                    let record = SessionRecord::from(session);
                    if let Err(err) = vault.save_session_record(&environment, &record) {
                        tracing::warn!(%err, "could not keep the new session in the keychain");
                    }
                },
            ))
        };
        let summary = ActiveSummary {
            environment: environment.to_string(),
            environment_id: environment.id(),
            environment_name: environment.display_name(),
            base_url,
            identity_id: signed_in.identity_id,
            public_key: signed_in.public_key,
            new_identity: signed_in.created_identity,
            secrets_notice: secrets.notice.clone(),
            offline: signed_in.offline,
        };
        let mut active = self.active.lock().await;
        // The previous sign-in's background stops before this one's starts (both may watch the
        // same identity's sites: the new tasks must not join the old workspace's).
        drop(active.take());
        let background = self
            .on_signed_in
            .get()
            .map(|start| start(&workspace))
            .unwrap_or_default();
        *active = Some(Active {
            workspace,
            reconnector,
            background,
        });
        drop(active);
        self.remember(Some(environment.to_string()), true);
        Ok(summary)
    }

    /// Signs out: the session token leaves the keychain (the identity stays) and the next start
    /// waits on the welcome view.
    pub async fn sign_out(&self) -> Result<()> {
        let active = self.active.lock().await.take();
        if let Some(active) = active {
            let environment = &active.workspace.environment;
            self.secrets().await?.vault.clear_session(environment)?;
            tracing::info!(environment = %environment.id(), "signed out");
        }
        self.remember(None, false);
        Ok(())
    }

    /// Signs out of `environment` if it is the connected one and removes its identity key and
    /// session from this computer. `true` if there was an identity.
    pub async fn forget_identity(&self, environment: &Environment) -> Result<bool> {
        self.disconnect_from(environment).await;
        let forgotten = self.secrets().await?.vault.forget(environment)?;
        tracing::info!(environment = %environment.id(), forgotten, "identity forgotten");
        self.remember(None, false);
        Ok(forgotten)
    }

    /// Uses an imported private key as the environment's identity (signing out of it). Returns
    /// its public key (base64). Text that is not a key is [`Error::InvalidInput`] and changes
    /// nothing.
    pub async fn import_identity(
        &self,
        environment: &Environment,
        key_text: &str,
    ) -> Result<String> {
        let public_key = import_identity(environment, &self.secrets().await?.vault, key_text)?;
        self.disconnect_from(environment).await;
        Ok(public_key)
    }

    /// Whether the environment has an identity on this computer (for the welcome view).
    pub async fn has_identity(&self, environment: &Environment) -> Result<bool> {
        Ok(self.secrets().await?.vault.identity(environment)?.is_some())
    }

    /// Ends the connection if it is to `environment` (its reconnector stops with it).
    async fn disconnect_from(&self, environment: &Environment) {
        let mut active = self.active.lock().await;
        if active
            .as_ref()
            .is_some_and(|a| &a.workspace.environment == environment)
        {
            *active = None;
        }
    }

    /// Keeps the environment to reopen for the next start; a failed write only costs that
    /// convenience.
    fn remember(&self, environment: Option<String>, reopen: bool) {
        let result = self.settings.update(|s| {
            if environment.is_some() {
                s.last_environment = environment;
            }
            s.reopen_last = reopen;
        });
        if let Err(err) = result {
            tracing::warn!(%err, "could not remember the environment");
        }
    }
}
