//! Sign-in: the environment's identity from the vault (created on first use), challenge/verify
//! login through the SDK, and the session token kept in the vault for the next start.

use novacore::{Client, Identity};

use crate::environment::Environment;
use crate::error::Result;
use crate::secret::Secret;
use crate::vault::IdentityVault;

/// A signed-in connection to one environment.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The SDK client, holding the identity and session (it re-authenticates by itself).
    pub client: Client,
    /// The identity id the platform issued the token to.
    pub identity_id: String,
    /// The identity's public key (base64), for the user to copy.
    pub public_key: String,
    /// Whether this sign-in created the identity.
    pub created_identity: bool,
}

/// Sign in to `base_url` as the environment's identity, creating one if the vault has none.
pub async fn sign_in(env: &Environment, base_url: &str, vault: &IdentityVault) -> Result<SignedIn> {
    let (identity, created_identity) = match vault.identity(env)? {
        Some(key) => (Identity::import(key.expose())?, false),
        None => {
            let identity = Identity::generate();
            vault.save_identity(env, &Secret::new(identity.to_pem()?.expose()))?;
            (identity, true)
        }
    };
    let public_key = identity.public_key_base64();
    let client = Client::builder(base_url).identity(identity).build()?;
    let session = client.login().await?;
    vault.save_session(env, &Secret::new(session.token.expose()))?;
    Ok(SignedIn {
        client,
        identity_id: session.identity_id,
        public_key,
        created_identity,
    })
}
