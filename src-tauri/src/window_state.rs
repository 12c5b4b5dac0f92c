//! Guard for tauri-plugin-window-state's file: a corrupt file is moved aside (and logged) before the
//! plugin loads, so a damaged file never stops the app from starting and the window opens at its
//! default size instead.

use std::path::{Path, PathBuf};

/// The plugin's file name inside the app config directory.
pub const FILE_NAME: &str = ".window-state.json";

/// What the check found.
#[derive(Debug, PartialEq, Eq)]
pub enum Check {
    Missing,
    Valid,
    /// The file was not valid state and was renamed to the given path.
    Reset(PathBuf),
}

/// Validate the window-state file in `config_dir`; move a corrupt one aside.
pub fn check(config_dir: &Path) -> Check {
    let path = config_dir.join(FILE_NAME);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Check::Missing,
        Err(err) => {
            tracing::warn!(path = %path.display(), %err, "window state unreadable; resetting it");
            return reset(&path);
        }
    };
    // The plugin stores a map from window label to geometry.
    match serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(&bytes) {
        Ok(map) if map.values().all(serde_json::Value::is_object) => Check::Valid,
        Ok(_) | Err(_) => {
            tracing::warn!(path = %path.display(), "window state file is corrupt; resetting window size and position");
            reset(&path)
        }
    }
}

fn reset(path: &Path) -> Check {
    let aside = path.with_extension("json.corrupt");
    if let Err(err) = std::fs::rename(path, &aside) {
        tracing::warn!(path = %path.display(), %err, "could not move corrupt window state aside; removing it");
        let _ = std::fs::remove_file(path);
    }
    Check::Reset(aside)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_valid_and_corrupt_files() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(check(dir.path()), Check::Missing);

        let path = dir.path().join(FILE_NAME);
        std::fs::write(
            &path,
            br#"{"main":{"width":1200,"height":800,"x":0,"y":0}}"#,
        )
        .unwrap();
        assert_eq!(check(dir.path()), Check::Valid);

        std::fs::write(&path, b"\0\0garbage{{").unwrap();
        match check(dir.path()) {
            Check::Reset(aside) => {
                assert!(!path.exists(), "corrupt file must be gone");
                assert_eq!(std::fs::read(aside).unwrap(), b"\0\0garbage{{");
            }
            other => panic!("expected reset, got {other:?}"),
        }
    }

    #[test]
    fn json_of_the_wrong_shape_is_reset() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE_NAME), br#"{"main": 3}"#).unwrap();
        assert!(matches!(check(dir.path()), Check::Reset(_)));
        std::fs::write(dir.path().join(FILE_NAME), br#"[1,2]"#).unwrap();
        assert!(matches!(check(dir.path()), Check::Reset(_)));
    }
}
