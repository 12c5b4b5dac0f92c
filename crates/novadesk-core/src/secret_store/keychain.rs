//! [`KeyringSecretStore`]: the OS keychain through `keyring` v3 (Secret Service on Linux).

use super::{Persistence, SecretKey, SecretStore};
use crate::error::{Error, Result};
use novacore::Secret;

/// The keychain service name every Novadesk secret is filed under.
pub const DEFAULT_SERVICE: &str = "dev.novadesk.desktop";

/// Secrets in the OS keychain: service [`DEFAULT_SERVICE`], account `<env-id>/<name>`.
///
/// Constructing one touches nothing; the first call does. Run [`KeyringSecretStore::probe`]
/// (or [`super::SecretStoreChoice::detect`]) at start-up before relying on it.
#[derive(Debug, Clone)]
pub struct KeyringSecretStore {
    service: String,
}

impl Default for KeyringSecretStore {
    fn default() -> Self {
        Self::new()
    }
}

impl KeyringSecretStore {
    /// The store under [`DEFAULT_SERVICE`].
    pub fn new() -> Self {
        Self::with_service(DEFAULT_SERVICE)
    }

    /// The store under another service name (keychain tests use their own, so they cannot
    /// clobber an identity even when pointed at a real keychain by mistake).
    pub fn with_service(service: impl Into<String>) -> Self {
        Self {
            service: service.into(),
        }
    }

    /// The service name.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// A real round trip — set, get, compare, delete — under a throwaway account.
    ///
    /// Whether the keychain crate *compiles in* a backend says nothing about whether a Secret
    /// Service is running and unlocked, so only this tells the app it may rely on the keychain.
    pub fn probe(&self) -> Result<()> {
        let nonce = uuid::Uuid::new_v4().simple().to_string();
        let key = SecretKey::new("novadesk-probe", format!("probe-{nonce}"))?;
        let value = Secret::new(format!("probe-value-{nonce}"));
        self.set(&key, &value)?;
        // Delete whatever the read says, so a failed probe does not leave an entry behind.
        let read = self.get(&key);
        let deleted = self.delete(&key);
        match read? {
            Some(v) if v.expose() == value.expose() => {}
            Some(_) => {
                return Err(Error::Keychain {
                    reason: "the keychain returned a different value than was stored".into(),
                })
            }
            None => {
                return Err(Error::Keychain {
                    reason: "the keychain lost a value right after storing it".into(),
                })
            }
        }
        if !deleted? {
            return Err(Error::Keychain {
                reason: "the keychain could not find the probe entry to delete".into(),
            });
        }
        if self.get(&key)?.is_some() {
            return Err(Error::Keychain {
                reason: "the keychain kept an entry after deleting it".into(),
            });
        }
        Ok(())
    }

    fn entry(&self, key: &SecretKey) -> Result<keyring::Entry> {
        keyring::Entry::new(&self.service, &key.account()).map_err(map_error)
    }
}

impl SecretStore for KeyringSecretStore {
    fn get(&self, key: &SecretKey) -> Result<Option<Secret>> {
        match self.entry(key)?.get_password() {
            Ok(v) => Ok(Some(Secret::from(v))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, key: &SecretKey, value: &Secret) -> Result<()> {
        self.entry(key)?
            .set_password(value.expose())
            .map_err(map_error)
    }

    fn delete(&self, key: &SecretKey) -> Result<bool> {
        match self.entry(key)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_error(e)),
        }
    }

    fn persistence(&self) -> Persistence {
        Persistence::Keychain
    }
}

/// Sorts keyring failures into "there is no usable keychain" and "the keychain said no".
/// Keyring errors never carry secret values, so their text is safe to show and log.
fn map_error(e: keyring::Error) -> Error {
    match e {
        // The inner text says what is missing; keyring's own prefix adds nothing for a person.
        keyring::Error::PlatformFailure(inner) => Error::KeychainUnavailable {
            reason: inner.to_string(),
        },
        keyring::Error::NoStorageAccess(inner) => Error::KeychainUnavailable {
            reason: format!("the keychain is locked or access was refused: {inner}"),
        },
        other => Error::Keychain {
            reason: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platform_failures_mean_unavailable_other_failures_do_not() {
        let e = map_error(keyring::Error::NoStorageAccess("prompt dismissed".into()));
        assert!(
            matches!(e, Error::KeychainUnavailable { ref reason } if reason.ends_with(": prompt dismissed"))
        );
        let e = map_error(keyring::Error::PlatformFailure("no bus".into()));
        assert!(
            matches!(e, Error::KeychainUnavailable { ref reason } if reason.contains("no bus"))
        );
        let e = map_error(keyring::Error::TooLong("user".into(), 10));
        assert!(matches!(e, Error::Keychain { .. }));
    }

    #[test]
    fn construction_touches_nothing_and_defaults_to_the_app_service() {
        assert_eq!(KeyringSecretStore::new().service(), "dev.novadesk.desktop");
        assert_eq!(
            KeyringSecretStore::with_service("x.test").service(),
            "x.test"
        );
        assert_eq!(
            KeyringSecretStore::new().persistence(),
            Persistence::Keychain
        );
    }
}
