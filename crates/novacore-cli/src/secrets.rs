//! Where the identity key and cached tokens live: the OS keychain by default.
//!
//! `NOVACORE_SECRET_STORE` selects the store: `keychain` (default), `none` (store nothing;
//! tests and CI use this so they never touch the real keychain), or `dir:<path>` (one file per
//! entry, mode 0600, for headless machines without a keychain and for tests of token caching).

use std::path::PathBuf;

use crate::error::{CliError, Result};

/// Keychain service name of every entry.
const SERVICE: &str = "novacore";

/// A small key → secret store.
pub trait SecretStore {
    /// The secret under `key`, `None` when absent.
    fn get(&self, key: &str) -> Result<Option<String>>;
    /// Stores `value` under `key`.
    fn set(&self, key: &str, value: &str) -> Result<()>;
    /// Human description for messages.
    fn describe(&self) -> String;
    /// Whether anything written survives the command (false for `none`).
    fn persistent(&self) -> bool {
        true
    }
}

/// Picks the store named by `NOVACORE_SECRET_STORE`.
pub fn from_env() -> Result<Box<dyn SecretStore>> {
    let spec = std::env::var("NOVACORE_SECRET_STORE").unwrap_or_default();
    match spec.as_str() {
        "" | "keychain" => Ok(Box::new(Keychain)),
        "none" => Ok(Box::new(NoStore)),
        s if s.starts_with("dir:") => Ok(Box::new(DirStore(PathBuf::from(&s[4..])))),
        other => Err(CliError::Usage(format!(
            "NOVACORE_SECRET_STORE={other:?}: expected keychain, none or dir:<path>"
        ))),
    }
}

/// The OS keychain via `keyring` (Secret Service on Linux, Keychain on macOS, Credential
/// Manager on Windows).
pub struct Keychain;

impl SecretStore for Keychain {
    fn get(&self, key: &str) -> Result<Option<String>> {
        let entry = keyring::Entry::new(SERVICE, key).map_err(keychain_error)?;
        match entry.get_password() {
            Ok(v) => Ok(Some(v)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keychain_error(e)),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        keyring::Entry::new(SERVICE, key)
            .and_then(|e| e.set_password(value))
            .map_err(keychain_error)
    }

    fn describe(&self) -> String {
        "the OS keychain".into()
    }
}

fn keychain_error(e: keyring::Error) -> CliError {
    CliError::SecretStore(format!(
        "OS keychain unavailable ({e}); pass --identity FILE or set NOVACORE_IDENTITY, \
         or NOVACORE_SECRET_STORE=dir:<path> on machines without a keychain"
    ))
}

/// Stores nothing: reads find nothing, writes are refused.
pub struct NoStore;

impl SecretStore for NoStore {
    fn get(&self, _key: &str) -> Result<Option<String>> {
        Ok(None)
    }

    fn set(&self, _key: &str, _value: &str) -> Result<()> {
        Err(CliError::SecretStore(
            "secret storage is disabled (NOVACORE_SECRET_STORE=none)".into(),
        ))
    }

    fn describe(&self) -> String {
        "no secret store".into()
    }

    fn persistent(&self) -> bool {
        false
    }
}

/// One file per entry in a directory.
pub struct DirStore(pub PathBuf);

impl DirStore {
    fn path(&self, key: &str) -> PathBuf {
        // Keys contain ':' and '/' (URLs); keep file names portable.
        let name: String = key
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '.' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.0.join(name)
    }
}

impl SecretStore for DirStore {
    fn get(&self, key: &str) -> Result<Option<String>> {
        let path = self.path(key);
        match std::fs::read_to_string(&path) {
            Ok(v) => Ok(Some(v)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CliError::SecretStore(format!("{}: {e}", path.display()))),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<()> {
        std::fs::create_dir_all(&self.0)
            .map_err(|e| CliError::SecretStore(format!("{}: {e}", self.0.display())))?;
        crate::identity::write_private_file(&self.path(key), value)
    }

    fn describe(&self) -> String {
        format!("the directory {}", self.0.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dir_store_round_trips_and_sanitises_names() {
        let dir = tempfile::tempdir().unwrap();
        let store = DirStore(dir.path().join("secrets"));
        assert_eq!(store.get("token:http://127.0.0.1:1").unwrap(), None);
        store.set("token:http://127.0.0.1:1", "abc").unwrap();
        assert_eq!(
            store.get("token:http://127.0.0.1:1").unwrap().as_deref(),
            Some("abc")
        );
        let names: Vec<_> = std::fs::read_dir(dir.path().join("secrets"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names, vec!["token_http___127.0.0.1_1".to_string()]);
    }

    #[test]
    fn no_store_refuses_writes() {
        assert!(NoStore.get("identity").unwrap().is_none());
        assert!(matches!(
            NoStore.set("identity", "x"),
            Err(CliError::SecretStore(_))
        ));
    }
}
