//! [`IdentityVault`]: where the app keeps each environment's identity key and session token,
//! on top of whichever [`SecretStore`] start-up chose. The key's encoding is the SDK's business;
//! the vault stores it opaque.

use std::sync::Arc;

use crate::environment::Environment;
use crate::error::Result;
use crate::secret_store::{Persistence, SecretKey, SecretStore};
use novacore::Secret;

/// Secret name of an environment's identity key (keychain account `<env-id>/identity`).
pub const IDENTITY_SECRET: &str = "identity";
/// Secret name of an environment's session token (keychain account `<env-id>/session`).
pub const SESSION_SECRET: &str = "session";

/// Identity and session secrets per environment.
#[derive(Debug, Clone)]
pub struct IdentityVault {
    store: Arc<dyn SecretStore>,
}

impl IdentityVault {
    /// A vault over `store` (from [`crate::SecretStoreChoice::store`], or a memory store in tests).
    pub fn new(store: Arc<dyn SecretStore>) -> Self {
        Self { store }
    }

    /// Whether what the vault holds survives a restart.
    pub fn persistence(&self) -> Persistence {
        self.store.persistence()
    }

    /// The environment's identity key, if one was created or imported.
    pub fn identity(&self, env: &Environment) -> Result<Option<Secret>> {
        self.store.get(&key(env, IDENTITY_SECRET)?)
    }

    /// Stores a new identity key for the environment. Any session token is removed first: it
    /// was issued to the previous identity.
    pub fn save_identity(&self, env: &Environment, identity: &Secret) -> Result<()> {
        self.clear_session(env)?;
        self.store.set(&key(env, IDENTITY_SECRET)?, identity)
    }

    /// The environment's session token, if signed in before.
    pub fn session(&self, env: &Environment) -> Result<Option<Secret>> {
        self.store.get(&key(env, SESSION_SECRET)?)
    }

    /// Keeps the session token (so a restart can sign in offline from the keychain).
    pub fn save_session(&self, env: &Environment, token: &Secret) -> Result<()> {
        self.store.set(&key(env, SESSION_SECRET)?, token)
    }

    /// The stored session with the identity it was issued to, for signing in offline. `None`
    /// when there is none, or it was saved by an older version as a bare token.
    pub fn session_record(&self, env: &Environment) -> Result<Option<SessionRecord>> {
        Ok(self
            .session(env)?
            .and_then(|s| serde_json::from_str::<RawRecord>(s.expose()).ok())
            .map(|raw| SessionRecord {
                token: Secret::new(raw.token),
                identity_id: raw.identity_id,
            }))
    }

    /// Keeps the session token and its identity id (one keychain entry, JSON).
    pub fn save_session_record(&self, env: &Environment, record: &SessionRecord) -> Result<()> {
        let json = serde_json::json!({ "token": record.token.expose(), "identity_id": record.identity_id });
        self.save_session(env, &Secret::new(json.to_string()))
    }

    /// Sign-out: drops the session token, keeps the identity. `true` if there was one.
    pub fn clear_session(&self, env: &Environment) -> Result<bool> {
        self.store.delete(&key(env, SESSION_SECRET)?)
    }

    /// Forget identity: removes the session token and the identity key. `true` if there was
    /// an identity.
    pub fn forget(&self, env: &Environment) -> Result<bool> {
        self.clear_session(env)?;
        self.store.delete(&key(env, IDENTITY_SECRET)?)
    }
}

/// A session token and the identity id it belongs to, as kept in the keychain.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    /// The bearer token.
    pub token: Secret,
    /// The identity the token was issued to (names the offline store).
    pub identity_id: String,
}

/// What the vault keeps of a session the SDK logged in with.
impl From<&novacore::Session> for SessionRecord {
    fn from(session: &novacore::Session) -> Self {
        Self {
            token: session.token.clone(),
            identity_id: session.identity_id.clone(),
        }
    }
}

#[derive(serde::Deserialize)]
struct RawRecord {
    token: String,
    identity_id: String,
}

fn key(env: &Environment, name: &str) -> Result<SecretKey> {
    SecretKey::new(env.id(), name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_store::MemorySecretStore;

    fn vault() -> (IdentityVault, Arc<MemorySecretStore>) {
        let store = Arc::new(MemorySecretStore::new());
        (IdentityVault::new(store.clone()), store)
    }

    #[test]
    fn identity_and_session_per_environment() {
        let (v, store) = vault();
        let custom = Environment::parse("http://127.0.0.1:9000").unwrap();
        v.save_identity(&Environment::Testnet, &Secret::new("key-t"))
            .unwrap();
        v.save_identity(&custom, &Secret::new("key-c")).unwrap();
        v.save_session(&Environment::Testnet, &Secret::new("tok-t"))
            .unwrap();
        assert_eq!(
            v.identity(&Environment::Testnet).unwrap().unwrap().expose(),
            "key-t"
        );
        assert_eq!(v.identity(&custom).unwrap().unwrap().expose(), "key-c");
        assert!(v.identity(&Environment::Mainnet).unwrap().is_none());
        assert!(v.session(&custom).unwrap().is_none());
        assert_eq!(store.len(), 3);
        // The keychain accounts the app uses, as documented.
        let account = SecretKey::new("testnet", "session").unwrap();
        assert_eq!(store.get(&account).unwrap().unwrap().expose(), "tok-t");
        assert_eq!(v.persistence(), Persistence::SessionOnly);
    }

    #[test]
    fn sign_out_keeps_the_identity_forget_removes_both() {
        let (v, store) = vault();
        let env = Environment::Sandbox;
        v.save_identity(&env, &Secret::new("key")).unwrap();
        v.save_session(&env, &Secret::new("tok")).unwrap();
        assert!(v.clear_session(&env).unwrap());
        assert!(v.identity(&env).unwrap().is_some());
        v.save_session(&env, &Secret::new("tok2")).unwrap();
        assert!(v.forget(&env).unwrap());
        assert!(v.identity(&env).unwrap().is_none());
        assert!(v.session(&env).unwrap().is_none());
        assert!(store.is_empty());
        assert!(!v.forget(&env).unwrap());
    }

    #[test]
    fn a_new_identity_drops_the_old_identitys_session() {
        let (v, _) = vault();
        let env = Environment::Testnet;
        v.save_identity(&env, &Secret::new("old")).unwrap();
        v.save_session(&env, &Secret::new("old-token")).unwrap();
        v.save_identity(&env, &Secret::new("new")).unwrap();
        assert_eq!(v.identity(&env).unwrap().unwrap().expose(), "new");
        assert!(v.session(&env).unwrap().is_none());
    }

    #[test]
    fn session_records_round_trip_and_bare_tokens_are_not_records() {
        let (vault, _) = vault();
        let env = Environment::Sandbox;
        assert!(vault.session_record(&env).unwrap().is_none());
        vault
            .save_session(&env, &Secret::new("bare.jwt.token"))
            .unwrap();
        assert!(
            vault.session_record(&env).unwrap().is_none(),
            "legacy bare token"
        );
        let record = SessionRecord {
            token: Secret::new("a.b.c"),
            identity_id: "idt-7".into(),
        };
        vault.save_session_record(&env, &record).unwrap();
        let back = vault.session_record(&env).unwrap().unwrap();
        assert_eq!(back.token.expose(), "a.b.c");
        assert_eq!(back.identity_id, "idt-7");
        assert!(
            !format!("{back:?}").contains("a.b.c"),
            "Debug must not show the token"
        );
    }
}
