//! App settings that must survive a restart (the last used environment), behind a small
//! `SettingsStore` port: a JSON file written atomically, or memory for tests.

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize};

use crate::environment::Environment;
use crate::error::{Error, Result};

/// The settings file's name inside the directory given to [`JsonFileSettings::in_dir`].
pub const SETTINGS_FILE: &str = "settings.json";

/// Everything persisted. Keys this version does not know are kept in `other` and written
/// back, so an older build does not erase what a newer one saved.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The environment the user last chose. An unparseable value (hand-edited file, URL rule
    /// tightened since) reads as `None` rather than failing the whole file.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "lenient_environment"
    )]
    pub last_environment: Option<Environment>,
    /// Unknown keys, preserved verbatim.
    #[serde(flatten)]
    pub other: serde_json::Map<String, serde_json::Value>,
}

fn lenient_environment<'de, D: Deserializer<'de>>(
    d: D,
) -> std::result::Result<Option<Environment>, D::Error> {
    let raw = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match raw {
        Some(serde_json::Value::String(s)) => match Environment::parse(&s) {
            Ok(e) => Some(e),
            Err(e) => {
                tracing::warn!(error = %e, "ignoring the saved environment");
                None
            }
        },
        _ => None,
    })
}

/// Load/save of [`Settings`].
pub trait SettingsStore: Send + Sync + fmt::Debug {
    /// The saved settings; defaults when nothing was saved yet.
    fn load(&self) -> Result<Settings>;
    /// Replaces the saved settings.
    fn save(&self, settings: &Settings) -> Result<()>;

    /// The environment used last, if any.
    fn last_environment(&self) -> Result<Option<Environment>> {
        Ok(self.load()?.last_environment)
    }

    /// Remembers `environment` as the last used one, keeping every other setting.
    fn remember_environment(&self, environment: &Environment) -> Result<()> {
        let mut s = self.load()?;
        s.last_environment = Some(environment.clone());
        self.save(&s)
    }
}

/// Settings in `<dir>/settings.json`. Saves go to a temporary sibling that is synced and then
/// renamed over the file, so a crash mid-save leaves the old or the new file, never half of one.
#[derive(Debug, Clone)]
pub struct JsonFileSettings {
    dir: PathBuf,
}

impl JsonFileSettings {
    /// Settings kept in `dir` (created on first save).
    pub fn in_dir(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    /// The settings file's path.
    pub fn path(&self) -> PathBuf {
        self.dir.join(SETTINGS_FILE)
    }
}

impl SettingsStore for JsonFileSettings {
    fn load(&self) -> Result<Settings> {
        let path = self.path();
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Settings::default()),
            Err(source) => return Err(Error::SettingsIo { path, source }),
        };
        serde_json::from_slice(&bytes).map_err(|e| Error::SettingsCorrupt {
            path,
            reason: e.to_string(),
        })
    }

    fn save(&self, settings: &Settings) -> Result<()> {
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| Error::SettingsIo { path, source }
        };
        fs::create_dir_all(&self.dir).map_err(io(&self.dir))?;
        let json = serde_json::to_vec_pretty(settings).map_err(|e| Error::SettingsCorrupt {
            path: self.path(),
            reason: e.to_string(),
        })?;
        let tmp = self.dir.join(format!(
            ".{SETTINGS_FILE}.{}.tmp",
            uuid::Uuid::new_v4().simple()
        ));
        let written = (|| -> std::io::Result<()> {
            let mut f = fs::File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()?;
            fs::rename(&tmp, self.path())
        })();
        if let Err(source) = written {
            let _ = fs::remove_file(&tmp);
            return Err(Error::SettingsIo { path: tmp, source });
        }
        // Make the rename itself durable; not every platform can open a directory, so best effort.
        if let Ok(d) = fs::File::open(&self.dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }
}

/// Settings in memory (tests, and a fallback when no settings directory is writable).
#[derive(Debug, Default)]
pub struct MemorySettings {
    settings: Mutex<Settings>,
}

impl MemorySettings {
    /// Empty settings.
    pub fn new() -> Self {
        Self::default()
    }
}

impl SettingsStore for MemorySettings {
    fn load(&self) -> Result<Settings> {
        Ok(self
            .settings
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone())
    }

    fn save(&self, settings: &Settings) -> Result<()> {
        *self.settings.lock().unwrap_or_else(|e| e.into_inner()) = settings.clone();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_saved_reads_as_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let s = JsonFileSettings::in_dir(dir.path().join("not-yet"));
        assert_eq!(s.load().unwrap(), Settings::default());
        assert_eq!(s.last_environment().unwrap(), None);
    }

    #[test]
    fn last_environment_survives_a_new_store_instance() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("novadesk");
        let custom = Environment::parse("http://127.0.0.1:8080").unwrap();
        JsonFileSettings::in_dir(&sub)
            .remember_environment(&custom)
            .unwrap();
        assert_eq!(
            JsonFileSettings::in_dir(&sub).last_environment().unwrap(),
            Some(custom)
        );
        JsonFileSettings::in_dir(&sub)
            .remember_environment(&Environment::Testnet)
            .unwrap();
        let text = fs::read_to_string(sub.join(SETTINGS_FILE)).unwrap();
        assert!(text.contains("\"last_environment\": \"testnet\""), "{text}");
        // Only the settings file remains: the temporary file was renamed, not left behind.
        let names: Vec<_> = fs::read_dir(&sub)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from(SETTINGS_FILE)]);
    }

    #[test]
    fn unknown_keys_are_kept_and_bad_environments_are_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let s = JsonFileSettings::in_dir(dir.path());
        fs::write(
            s.path(),
            r#"{"last_environment":"http://evil.example","theme":"dark","chart":{"area":"SE3"}}"#,
        )
        .unwrap();
        let loaded = s.load().unwrap();
        assert_eq!(loaded.last_environment, None);
        assert_eq!(loaded.other["theme"], "dark");
        s.remember_environment(&Environment::Mainnet).unwrap();
        let again = s.load().unwrap();
        assert_eq!(again.last_environment, Some(Environment::Mainnet));
        assert_eq!(again.other["chart"]["area"], "SE3");
    }

    #[test]
    fn a_corrupt_file_is_a_typed_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let s = JsonFileSettings::in_dir(dir.path());
        fs::write(s.path(), b"{\"last_environment\": ").unwrap();
        match s.load() {
            Err(Error::SettingsCorrupt { path, reason }) => {
                assert_eq!(path, s.path());
                assert!(!reason.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unwritable_location_is_an_io_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file-not-dir");
        fs::write(&blocker, b"x").unwrap();
        let s = JsonFileSettings::in_dir(&blocker);
        assert!(matches!(
            s.remember_environment(&Environment::Sandbox),
            Err(Error::SettingsIo { .. })
        ));
    }

    #[test]
    fn memory_settings_remember() {
        let s = MemorySettings::new();
        assert_eq!(s.last_environment().unwrap(), None);
        s.remember_environment(&Environment::Sandbox).unwrap();
        assert_eq!(s.last_environment().unwrap(), Some(Environment::Sandbox));
    }
}
