//! The app's small persisted preferences (theme for now), kept as JSON in the config directory.
//!
//! A missing or unreadable file falls back to defaults (and is logged), so a damaged settings file
//! never stops the app from starting; writes go to a temp file and are renamed into place so a crash
//! mid-write cannot leave a half-written file.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use specta::Type;

/// The user's theme choice; `System` follows `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ThemePreference {
    #[default]
    System,
    Light,
    Dark,
}

/// Persisted preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(default)]
pub struct Settings {
    pub theme: ThemePreference,
    /// The environment signed in to last (`sandbox`, `testnet`, `mainnet` or a URL).
    pub last_environment: Option<String>,
    /// Whether the next start signs in to `last_environment` by itself: true after a sign-in,
    /// false once the user signed out or forgot the identity.
    pub reopen_last: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("Could not save settings to {path}: {source}. Check that the folder is writable.")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Load settings; anything unreadable yields defaults and a warning in the log.
pub fn load(path: &Path) -> Settings {
    match std::fs::read(path) {
        Ok(bytes) => serde_json::from_slice(&bytes).unwrap_or_else(|err| {
            tracing::warn!(path = %path.display(), %err, "settings file is not valid; using defaults");
            Settings::default()
        }),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => Settings::default(),
        Err(err) => {
            tracing::warn!(path = %path.display(), %err, "settings file unreadable; using defaults");
            Settings::default()
        }
    }
}

/// Save settings atomically (write a sibling temp file, then rename).
pub fn save(path: &Path, settings: &Settings) -> Result<(), SettingsError> {
    let write_err = |source| SettingsError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(write_err)?;
    }
    let tmp = path.with_extension("json.tmp");
    let body = serde_json::to_vec_pretty(settings).expect("settings serialize");
    std::fs::write(&tmp, body).map_err(write_err)?;
    std::fs::rename(&tmp, path).map_err(write_err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_defaults_when_missing_or_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");
        assert_eq!(load(&path), Settings::default());

        let dark = Settings {
            last_environment: None,
            reopen_last: false,
            theme: ThemePreference::Dark,
        };
        save(&path, &dark).unwrap();
        assert_eq!(load(&path), dark);

        std::fs::write(&path, b"{not json").unwrap();
        assert_eq!(load(&path), Settings::default());
    }

    #[test]
    fn unknown_fields_are_ignored_and_missing_ones_defaulted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        std::fs::write(&path, br#"{"theme":"light","future":1}"#).unwrap();
        assert_eq!(load(&path).theme, ThemePreference::Light);
        std::fs::write(&path, br#"{}"#).unwrap();
        assert_eq!(load(&path).theme, ThemePreference::System);
    }

    #[test]
    fn save_into_unwritable_place_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, b"x").unwrap();
        // A path whose parent is a regular file cannot be created.
        let err = save(&file.join("settings.json"), &Settings::default()).unwrap_err();
        assert!(err.to_string().contains("Could not save settings"), "{err}");
    }
}
