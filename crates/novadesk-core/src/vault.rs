//! [`IdentityVault`]: where the app keeps each environment's identity key and session token,
//! on top of whichever [`SecretStore`] start-up chose. The key's encoding is the SDK's business;
//! the vault stores it opaque.

use std::sync::Arc;

use crate::environment::Environment;
use crate::error::Result;
use crate::secret::Secret;
use crate::secret_store::{Persistence, SecretKey, SecretStore};

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
}
