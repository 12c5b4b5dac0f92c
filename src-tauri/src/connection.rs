//! The window's connection to one Novacore environment: the in-process Sandbox (started on first
//! use), the identity vault over whichever secret store start-up could get, and the signed-in
//! client. Held in `AppState`; commands go through it.

use novadesk_core::{
    organizations, sign_in, Environment, IdentityVault, OrganizationRow, SandboxService,
    SecretStoreChoice, SignedIn,
};
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
}

/// Connection state shared by the session commands.
#[derive(Debug, Default)]
pub struct Connections {
    sandbox: SandboxService,
    vault: OnceCell<Vault>,
    active: Mutex<Option<Active>>,
}

impl Connections {
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
    pub async fn connect(&self, environment: Environment) -> CommandResult<ActiveSummary> {
        let base_url = match environment.fixed_base_url() {
            Some(url) => url,
            None => self.sandbox.base_url_for(&environment).await?,
        };
        let vault = self.vault().await?;
        let signed_in = sign_in(&environment, &base_url, &vault.vault).await?;
        tracing::info!(environment = %environment.id(), identity = %signed_in.identity_id, "signed in");
        let active = Active {
            environment,
            base_url,
            signed_in,
            secrets_notice: vault.notice.clone(),
        };
        let summary = ActiveSummary::of(&active);
        *self.active.lock().await = Some(active);
        Ok(summary)
    }

    /// The organizations of the signed-in identity, with its role in each.
    pub async fn organizations(&self) -> CommandResult<Vec<OrganizationRow>> {
        let active = self.active.lock().await;
        let active = active.as_ref().ok_or_else(|| {
            CommandError::new(
                crate::error::ErrorCode::SignInRequired,
                "Choose an environment and sign in first.",
            )
        })?;
        Ok(organizations(&active.signed_in).await?)
    }
}

/// What the window shows about the connection.
#[derive(Debug, Clone, serde::Serialize, specta::Type)]
pub struct ActiveSummary {
    pub environment_id: String,
    pub environment_name: String,
    pub base_url: String,
    pub identity_id: String,
    pub public_key: String,
    pub new_identity: bool,
    /// Set when no keychain is available and the identity lives only for this session.
    pub secrets_notice: Option<String>,
}

impl ActiveSummary {
    fn of(active: &Active) -> Self {
        Self {
            environment_id: active.environment.id(),
            environment_name: active.environment.display_name(),
            base_url: active.base_url.clone(),
            identity_id: active.signed_in.identity_id.clone(),
            public_key: active.signed_in.public_key.clone(),
            new_identity: active.signed_in.created_identity,
            secrets_notice: active.secrets_notice.clone(),
        }
    }
}
