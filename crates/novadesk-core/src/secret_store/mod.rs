//! The `SecretStore` port: named secrets per environment, kept in the OS keychain when there is
//! one and in memory (for this session only) when there is not.

mod choice;
mod keychain;
mod memory;

use std::fmt;

use serde::Serialize;

pub use choice::SecretStoreChoice;
pub use keychain::{KeyringSecretStore, DEFAULT_SERVICE};
pub use memory::MemorySecretStore;

use crate::error::{Error, Result};
use novacore::Secret;

/// Longest accepted secret name.
const MAX_NAME_LEN: usize = 64;
/// Longest accepted environment id (custom URLs make these long, but not unbounded).
const MAX_ENVIRONMENT_LEN: usize = 512;

/// Where a secret lives: which environment it belongs to and its name within it.
///
/// The keychain account is `<environment-id>/<name>`; names cannot contain `/`, so the account
/// splits unambiguously at its last `/` even when the environment id is a URL.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SecretKey {
    environment: String,
    name: String,
}

impl SecretKey {
    /// A key for `name` (ASCII letters, digits, `.`, `_`, `-`; at most 64) in the environment with
    /// id `environment` (see [`crate::Environment::id`]).
    pub fn new(environment: impl Into<String>, name: impl Into<String>) -> Result<Self> {
        let environment = environment.into();
        let name = name.into();
        let bad = |reason: &str| Error::InvalidSecretName {
            name: name.clone(),
            reason: reason.to_owned(),
        };
        if name.is_empty() {
            return Err(bad("the name is empty"));
        }
        if name.len() > MAX_NAME_LEN {
            return Err(bad("the name is longer than 64 characters"));
        }
        if !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        {
            return Err(bad(
                "only ASCII letters, digits, '.', '_' and '-' are allowed",
            ));
        }
        if environment.is_empty()
            || environment.len() > MAX_ENVIRONMENT_LEN
            || environment.chars().any(char::is_control)
        {
            return Err(bad(
                "the environment id is empty, too long or has control characters",
            ));
        }
        Ok(Self { environment, name })
    }

    /// The environment id part.
    pub fn environment(&self) -> &str {
        &self.environment
    }

    /// The name part.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The keychain account string, `<environment-id>/<name>`.
    pub fn account(&self) -> String {
        format!("{}/{}", self.environment, self.name)
    }
}

/// How long a store keeps what it is given — the UI tells the user which one is in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Persistence {
    /// The OS keychain: survives restarts.
    Keychain,
    /// Process memory: gone when the app quits, never written to disk.
    SessionOnly,
}

/// Get/set/delete of named secrets.
///
/// Calls are synchronous: the keychain implementation talks D-Bus and may block for a few
/// milliseconds, so async callers with many calls should use `spawn_blocking`.
pub trait SecretStore: Send + Sync + fmt::Debug {
    /// The secret under `key`, or `None` when there is none.
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>>;
    /// Stores `value` under `key`, replacing any previous value.
    fn set(&self, key: &SecretKey, value: &Secret) -> Result<()>;
    /// Removes the secret under `key`; `true` when there was one.
    fn delete(&self, key: &SecretKey) -> Result<bool>;
    /// Whether the store survives a restart.
    fn persistence(&self) -> Persistence;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_is_environment_slash_name_even_for_url_ids() {
        let k = SecretKey::new("custom:https://nc.example.com/api", "identity").unwrap();
        assert_eq!(k.account(), "custom:https://nc.example.com/api/identity");
        let (env, name) = k
            .account()
            .rsplit_once('/')
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
            .unwrap();
        assert_eq!((env.as_str(), name.as_str()), (k.environment(), k.name()));
    }

    #[test]
    fn bad_names_are_refused_with_a_reason() {
        for name in ["", "a/b", "with space", "ünïcode", &"x".repeat(65)] {
            match SecretKey::new("testnet", name) {
                Err(Error::InvalidSecretName { name: n, reason }) => {
                    assert_eq!(n, name);
                    assert!(!reason.is_empty());
                }
                other => panic!("{name:?} accepted: {other:?}"),
            }
        }
        assert!(SecretKey::new("", "identity").is_err());
        assert!(SecretKey::new("test\nnet", "identity").is_err());
        assert!(SecretKey::new("testnet", "session.token-v1_2").is_ok());
    }
}
