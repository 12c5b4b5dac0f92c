//! [`SecretStoreChoice`]: the start-up decision between the keychain and session-only memory.

use std::sync::Arc;

use super::{KeyringSecretStore, MemorySecretStore, SecretStore};
use crate::error::{Error, Result};

/// Which secret store the app runs with, and what to tell the user about it.
#[derive(Debug, Clone)]
pub enum SecretStoreChoice {
    /// The keychain passed the probe.
    Keychain(Arc<KeyringSecretStore>),
    /// No usable keychain: identities live in memory for this session only.
    SessionOnly {
        /// The memory store to use.
        store: Arc<MemorySecretStore>,
        /// The user-facing explanation (see [`SecretStoreChoice::user_notice`]).
        reason: String,
    },
}

impl SecretStoreChoice {
    /// Probes the OS keychain with a real set → get → delete and picks it when that works,
    /// else the memory store with a reason. Blocks briefly (D-Bus); call once at start-up.
    pub fn detect() -> Self {
        let keychain = KeyringSecretStore::new();
        let probe = keychain.probe();
        Self::from_probe(keychain, probe)
    }

    /// The decision for a given probe outcome (what [`SecretStoreChoice::detect`] does after
    /// probing; public so the fallback can be tested without touching a keychain).
    pub fn from_probe(keychain: KeyringSecretStore, probe: Result<()>) -> Self {
        match probe {
            Ok(()) => Self::Keychain(Arc::new(keychain)),
            Err(e) => {
                let cause = match e {
                    Error::KeychainUnavailable { reason } | Error::Keychain { reason } => reason,
                    other => other.to_string(),
                };
                tracing::warn!(%cause, "no usable keychain; secrets are kept for this session only");
                Self::SessionOnly {
                    store: Arc::new(MemorySecretStore::new()),
                    reason: format!(
                        "No keychain is available ({cause}). Your identity is kept for this \
                         session only and never written to disk."
                    ),
                }
            }
        }
    }

    /// The store to hand to the use-cases.
    pub fn store(&self) -> Arc<dyn SecretStore> {
        match self {
            Self::Keychain(k) => k.clone(),
            Self::SessionOnly { store, .. } => store.clone(),
        }
    }

    /// What to tell the user, when there is something to tell (the session-only fallback); the
    /// window shows it with the signed-in summary.
    pub fn user_notice(&self) -> Option<&str> {
        match self {
            Self::Keychain(_) => None,
            Self::SessionOnly { reason, .. } => Some(reason),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret_store::{Persistence, SecretKey};
    use novacore::Secret;

    #[test]
    fn a_failed_probe_falls_back_to_memory_and_says_why() {
        let choice = SecretStoreChoice::from_probe(
            KeyringSecretStore::with_service("novadesk.test.unused"),
            Err(Error::KeychainUnavailable {
                reason: "org.freedesktop.DBus.Error.ServiceUnknown".into(),
            }),
        );
        let notice = choice.user_notice().expect("a notice for the user");
        assert!(notice
            .starts_with("No keychain is available (org.freedesktop.DBus.Error.ServiceUnknown)."));
        assert!(notice.contains("for this session only and never written to disk"));
        let store = choice.store();
        assert_eq!(store.persistence(), Persistence::SessionOnly);
        // The fallback is a working store, not a stub.
        let k = SecretKey::new("sandbox", "identity").unwrap();
        store.set(&k, &Secret::new("seed")).unwrap();
        assert_eq!(store.get(&k).unwrap().unwrap().expose(), "seed");
    }

    #[test]
    fn a_passed_probe_picks_the_keychain_without_a_notice() {
        let choice = SecretStoreChoice::from_probe(
            KeyringSecretStore::with_service("novadesk.test.unused"),
            Ok(()),
        );
        assert!(choice.user_notice().is_none());
        assert_eq!(choice.store().persistence(), Persistence::Keychain);
    }
}
