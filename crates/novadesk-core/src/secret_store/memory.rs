//! [`MemorySecretStore`]: the session-only fallback and the store every core test uses.

use std::collections::HashMap;
use std::sync::Mutex;

use super::{Persistence, SecretKey, SecretStore};
use crate::error::Result;
use novacore::Secret;

/// Secrets in process memory only: nothing is written to disk, everything is gone on exit.
#[derive(Debug, Default)]
pub struct MemorySecretStore {
    secrets: Mutex<HashMap<String, Secret>>,
}

impl MemorySecretStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many secrets are held (for tests and diagnostics; never the values).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no secret is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Secret>> {
        // A panic elsewhere while holding the lock leaves the map itself consistent.
        self.secrets.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl SecretStore for MemorySecretStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>> {
        Ok(self.lock().get(&key.account()).cloned())
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<()> {
        self.lock().insert(key.account(), value.clone());
        Ok(())
    }

    fn delete(&self, key: &SecretKey) -> Result<bool> {
        Ok(self.lock().remove(&key.account()).is_some())
    }

    fn persistence(&self) -> Persistence {
        Persistence::SessionOnly
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(env: &str, name: &str) -> SecretKey {
        SecretKey::new(env, name).unwrap()
    }

    #[test]
    fn set_get_replace_delete() {
        let s = MemorySecretStore::new();
        let k = key("testnet", "identity");
        assert!(s.get(&k).unwrap().is_none());
        s.set(&k, &Secret::new("one")).unwrap();
        assert_eq!(s.get(&k).unwrap().unwrap().expose(), "one");
        s.set(&k, &Secret::new("two")).unwrap();
        assert_eq!(s.get(&k).unwrap().unwrap().expose(), "two");
        assert_eq!(s.len(), 1);
        assert!(s.delete(&k).unwrap());
        assert!(!s.delete(&k).unwrap());
        assert!(s.get(&k).unwrap().is_none());
        assert!(s.is_empty());
        assert_eq!(s.persistence(), Persistence::SessionOnly);
    }

    #[test]
    fn environments_do_not_share_secrets() {
        let s = MemorySecretStore::new();
        s.set(&key("testnet", "identity"), &Secret::new("t"))
            .unwrap();
        s.set(&key("mainnet", "identity"), &Secret::new("m"))
            .unwrap();
        assert_eq!(
            s.get(&key("testnet", "identity"))
                .unwrap()
                .unwrap()
                .expose(),
            "t"
        );
        assert_eq!(
            s.get(&key("mainnet", "identity"))
                .unwrap()
                .unwrap()
                .expose(),
            "m"
        );
        assert!(s.get(&key("sandbox", "identity")).unwrap().is_none());
    }

    #[test]
    fn debug_output_does_not_leak_values() {
        let s = MemorySecretStore::new();
        s.set(&key("testnet", "identity"), &Secret::new("hunter2"))
            .unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
