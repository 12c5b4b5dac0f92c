//! Sign-in: the environment's identity from the vault (created on first use), challenge/verify
//! login through the SDK, and the session token kept in the vault for the next start.

use novacore::{Client, Identity, Session};

use crate::environment::Environment;
use crate::error::{Error, Result};
use crate::vault::{IdentityVault, SessionRecord};

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
    /// Signed in from the keychain-held session because the server could not be reached:
    /// cached data only until it comes back.
    pub offline: bool,
}

/// Sign in to `base_url` as the environment's identity, creating one if the vault has none.
///
/// When the server cannot be reached and the vault holds a session from an earlier sign-in,
/// that session is restored instead (`offline: true`), so the app can open its cached data; the
/// SDK logs in afresh once requests get through again.
pub async fn sign_in(env: &Environment, base_url: &str, vault: &IdentityVault) -> Result<SignedIn> {
    let (identity, created_identity) = match vault.identity(env)? {
        Some(key) => (Identity::import(key.expose())?, false),
        None => {
            let identity = Identity::generate();
            vault.save_identity(env, &identity.to_pem()?)?;
            (identity, true)
        }
    };
    let public_key = identity.public_key_base64();
    let client = Client::builder(base_url).identity(identity).build()?;
    match client.login().await {
        Ok(session) => {
            vault.save_session_record(env, &SessionRecord::from(&session))?;
            Ok(SignedIn {
                client,
                identity_id: session.identity_id,
                public_key,
                created_identity,
                offline: false,
            })
        }
        Err(err) if err.is_offline() => {
            let Some(record) = vault.session_record(env)? else {
                return Err(err.into());
            };
            tracing::info!(environment = %env.id(), "server unreachable; signed in from the stored session");
            client.set_session(Some(Session::from_token(
                record.token.expose(),
                record.identity_id.clone(),
            )));
            Ok(SignedIn {
                client,
                identity_id: record.identity_id,
                public_key,
                created_identity,
                offline: true,
            })
        }
        Err(err) => Err(err.into()),
    }
}

/// Replaces the environment's identity with an imported private key (PEM, or the seed in
/// hex/base64/base58). Returns the public key (base64). The previous identity's session is
/// dropped; the previous key is gone from this computer afterwards, so the window confirms first.
/// Text that is not a key is `Error::InvalidInput` with the sentence for the key field (never
/// quoting the text).
pub fn import_identity(env: &Environment, vault: &IdentityVault, key_text: &str) -> Result<String> {
    let unreadable = |e: novacore::Error| {
        match e {
        novacore::Error::InvalidInput(why) => Error::InvalidInput(format!(
            "That is not an Ed25519 private key Novadesk can read ({why}). Paste a PKCS#8 PEM, or the 32-byte seed in hex, base64 or base58."
        )),
        other => other.into(),
    }
    };
    let identity = Identity::import(key_text).map_err(unreadable)?;
    let pem = identity.to_pem().map_err(unreadable)?;
    vault.save_identity(env, &pem)?;
    Ok(identity.public_key_base64())
}
