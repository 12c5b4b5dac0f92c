//! The app's small persisted preferences — the theme, the environment signed in to last and
//! whether to reopen it — kept as JSON in `<config dir>/settings.json`.
//!
//! A missing or unreadable file falls back to defaults (and is logged), so a damaged settings file
//! never stops the app from starting. Saves go to a synced temporary sibling that is renamed over
//! the file, so a crash mid-save leaves the old or the new file, never half of one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The settings file's name inside the directory given to [`SettingsFile::open`].
pub const SETTINGS_FILE: &str = "settings.json";

/// The user's theme choice; `System` follows `prefers-color-scheme`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ThemePreference {
    #[default]
    System,
    Light,
    Dark,
}

/// Persisted preferences.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(default)]
pub struct Settings {
    pub theme: ThemePreference,
    /// The environment signed in to last (`sandbox`, `testnet`, `mainnet` or a URL).
    pub last_environment: Option<String>,
    /// Whether the next start signs in to `last_environment` by itself: true after a sign-in,
    /// false once the user signed out or forgot the identity.
    pub reopen_last: bool,
    /// Sites whose power-peak desktop notifications are turned off (site ids, sorted). The
    /// banner in the site view still shows.
    pub peak_notifications_off: Vec<String>,
    /// Minutes without a reading after which a site counts as a silence incident (Fleet view);
    /// `None` = [`DEFAULT_SILENCE_MINUTES`]. Set through [`Settings::set_silence_minutes`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub silence_threshold_minutes: Option<u32>,
}

/// A site silent this long starts an incident unless the user chose otherwise.
pub const DEFAULT_SILENCE_MINUTES: u32 = 15;
/// The longest silence threshold one can choose (a day).
pub const MAX_SILENCE_MINUTES: u32 = 24 * 60;

impl Settings {
    /// Whether power-peak desktop notifications are on for `site_id` (on unless turned off).
    pub fn peak_notifications_on(&self, site_id: &str) -> bool {
        !self.peak_notifications_off.iter().any(|s| s == site_id)
    }

    /// Turns power-peak desktop notifications on or off for `site_id`.
    pub fn set_peak_notifications(&mut self, site_id: &str, on: bool) {
        self.peak_notifications_off.retain(|s| s != site_id);
        if !on {
            self.peak_notifications_off.push(site_id.to_string());
            self.peak_notifications_off.sort();
        }
    }

    /// How long a site may be silent before it is an incident, in minutes.
    pub fn silence_minutes(&self) -> u32 {
        self.silence_threshold_minutes
            .unwrap_or(DEFAULT_SILENCE_MINUTES)
    }

    /// Sets the silence threshold: 1 minute to a day, else a clear error and no change.
    pub fn set_silence_minutes(&mut self, minutes: u32) -> Result<()> {
        if !(1..=MAX_SILENCE_MINUTES).contains(&minutes) {
            return Err(Error::InvalidInput(format!(
                "A site counts as silent after 1 to {MAX_SILENCE_MINUTES} minutes, not {minutes}."
            )));
        }
        self.silence_threshold_minutes = Some(minutes);
        Ok(())
    }

    /// The environment the app opens in: the one asked for on the command line, else the last
    /// one signed in to unless the user signed out of it; `None` opens the welcome view. Not
    /// parsed here: connecting checks it and says what is wrong.
    pub fn environment_to_open(&self, requested: Option<&str>) -> Option<String> {
        requested.map(str::to_string).or_else(|| {
            self.reopen_last
                .then(|| self.last_environment.clone())
                .flatten()
        })
    }
}

/// The settings file and the copy of it the app reads.
#[derive(Debug)]
pub struct SettingsFile {
    path: PathBuf,
    current: Mutex<Settings>,
}

impl SettingsFile {
    /// Settings kept in `<dir>/settings.json` (the directory is created on the first save),
    /// loaded now.
    pub fn open(dir: impl AsRef<Path>) -> Self {
        let path = dir.as_ref().join(SETTINGS_FILE);
        let current = Mutex::new(load(&path));
        Self { path, current }
    }

    /// The settings file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The current settings.
    pub fn get(&self) -> Settings {
        self.lock().clone()
    }

    /// Applies `change`, saves, and returns the new settings. On a failed save the settings stay
    /// as they were, so what the window shows is what is on disk.
    pub fn update(&self, change: impl FnOnce(&mut Settings)) -> Result<Settings> {
        let mut current = self.lock();
        let mut next = current.clone();
        change(&mut next);
        save(&self.path, &next)?;
        *current = next.clone();
        Ok(next)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Settings> {
        self.current.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The saved settings; anything unreadable yields defaults and a warning in the log.
fn load(path: &Path) -> Settings {
    match fs::read(path) {
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

/// Writes `settings` to `path` atomically: a synced temporary sibling, then a rename.
fn save(path: &Path, settings: &Settings) -> Result<()> {
    let failed = |source| Error::SettingsWrite {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(failed)?;
    let json = serde_json::to_vec_pretty(settings).map_err(|e| failed(e.into()))?;
    let tmp = dir.join(format!(
        ".{SETTINGS_FILE}.{}.tmp",
        uuid::Uuid::new_v4().simple()
    ));
    let written = (|| -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(&json)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(source) = written {
        let _ = fs::remove_file(&tmp);
        return Err(failed(source));
    }
    // Make the rename itself durable; not every platform can open a directory, so best effort.
    if let Ok(d) = fs::File::open(dir) {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peak_notifications_are_on_per_site_until_turned_off_and_old_files_load() {
        let old: Settings = serde_json::from_str(r#"{"theme":"dark","reopen_last":true}"#).unwrap();
        assert!(old.peak_notifications_on("sit-a"));
        let dir = tempfile::tempdir().unwrap();
        let file = SettingsFile::open(dir.path());
        file.update(|s| s.set_peak_notifications("sit-b", false))
            .unwrap();
        file.update(|s| s.set_peak_notifications("sit-a", false))
            .unwrap();
        file.update(|s| s.set_peak_notifications("sit-a", false))
            .unwrap();
        let s = SettingsFile::open(dir.path()).get();
        assert_eq!(s.peak_notifications_off, vec!["sit-a", "sit-b"]);
        assert!(!s.peak_notifications_on("sit-a") && s.peak_notifications_on("sit-c"));
        file.update(|s| s.set_peak_notifications("sit-a", true))
            .unwrap();
        assert!(SettingsFile::open(dir.path())
            .get()
            .peak_notifications_on("sit-a"));
    }

    #[test]
    fn round_trips_and_defaults_when_missing_or_corrupt() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested/settings.json");
        assert_eq!(load(&path), Settings::default());

        let dark = Settings {
            last_environment: None,
            reopen_last: false,
            theme: ThemePreference::Dark,
            peak_notifications_off: vec!["sit-x".into()],
            silence_threshold_minutes: Some(5),
        };
        save(&path, &dark).unwrap();
        assert_eq!(load(&path), dark);

        fs::write(&path, b"{not json").unwrap();
        assert_eq!(load(&path), Settings::default());
    }

    #[test]
    fn unknown_fields_are_ignored_and_missing_ones_defaulted() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("settings.json");
        fs::write(&path, br#"{"theme":"light","future":1}"#).unwrap();
        assert_eq!(load(&path).theme, ThemePreference::Light);
        fs::write(&path, br#"{}"#).unwrap();
        assert_eq!(load(&path).theme, ThemePreference::System);
    }

    #[test]
    fn save_into_unwritable_place_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        fs::write(&file, b"x").unwrap();
        // A path whose parent is a regular file cannot be created.
        let err = save(&file.join("settings.json"), &Settings::default()).unwrap_err();
        assert!(err.to_string().contains("Could not save settings"), "{err}");
        assert!(matches!(err, Error::SettingsWrite { .. }), "{err:?}");
    }

    #[test]
    fn nothing_saved_reads_as_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let s = SettingsFile::open(dir.path().join("not-yet"));
        assert_eq!(s.get(), Settings::default());
        assert_eq!(s.get().last_environment, None);
    }

    #[test]
    fn the_last_environment_survives_a_new_instance_and_no_temporary_file_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let sub = dir.path().join("novadesk");
        let custom = "http://127.0.0.1:8080".to_string();
        SettingsFile::open(&sub)
            .update(|s| s.last_environment = Some(custom.clone()))
            .unwrap();
        assert_eq!(
            SettingsFile::open(&sub).get().last_environment,
            Some(custom)
        );
        SettingsFile::open(&sub)
            .update(|s| s.last_environment = Some("testnet".into()))
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
    fn a_failed_save_leaves_the_settings_as_they_were() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file-not-dir");
        fs::write(&blocker, b"x").unwrap();
        let s = SettingsFile::open(&blocker);
        let err = s.update(|s| s.theme = ThemePreference::Light).unwrap_err();
        match &err {
            Error::SettingsWrite { path, .. } => assert_eq!(path, s.path()),
            other => panic!("{other:?}"),
        }
        assert_eq!(s.get().theme, ThemePreference::System);
    }

    #[test]
    fn opens_in_the_requested_environment_then_the_reopened_one_then_the_welcome_view() {
        let url = "http://127.0.0.1:8123";
        let mut s = Settings {
            last_environment: Some(url.into()),
            reopen_last: true,
            ..Settings::default()
        };
        assert_eq!(s.environment_to_open(None).as_deref(), Some(url));
        // Signed out last time: preselect it, but wait for the user.
        s.reopen_last = false;
        assert_eq!(s.environment_to_open(None), None);
        // The command line wins over both.
        assert_eq!(
            s.environment_to_open(Some("testnet")).as_deref(),
            Some("testnet")
        );
        s.reopen_last = true;
        assert_eq!(
            s.environment_to_open(Some("testnet")).as_deref(),
            Some("testnet")
        );
        assert_eq!(Settings::default().environment_to_open(None), None);
    }

    #[test]
    fn serializes_in_the_shape_the_window_reads() {
        let s = Settings {
            theme: ThemePreference::Dark,
            last_environment: Some("sandbox".into()),
            reopen_last: true,
            peak_notifications_off: vec!["sit-a".into()],
            ..Settings::default()
        };
        assert_eq!(
            serde_json::to_value(&s).unwrap(),
            serde_json::json!({"theme": "dark", "last_environment": "sandbox", "reopen_last": true,
                "peak_notifications_off": ["sit-a"]})
        );
    }

    #[test]
    fn the_silence_threshold_defaults_to_15_minutes_and_takes_1_to_1440() {
        let mut s: Settings = serde_json::from_str(r#"{"theme":"dark"}"#).unwrap();
        assert_eq!(s.silence_minutes(), DEFAULT_SILENCE_MINUTES);
        s.set_silence_minutes(3).unwrap();
        assert_eq!(s.silence_minutes(), 3);
        for bad in [0, MAX_SILENCE_MINUTES + 1] {
            let err = s.set_silence_minutes(bad).unwrap_err();
            assert!(err.to_string().contains("1 to 1440 minutes"), "{err}");
        }
        assert_eq!(s.silence_minutes(), 3, "a refused value changes nothing");
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["silence_threshold_minutes"], 3);
        let back: Settings = serde_json::from_value(json).unwrap();
        assert_eq!(back, s);
    }
}
