//! Where the app keeps its files, resolved before Tauri starts (logging and the window-state check
//! need them before any plugin loads). Mirrors Tauri's own `app_*_dir` resolution so both agree.

use std::path::PathBuf;

/// The app's directories.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppPaths {
    /// Offline store and other data.
    pub data_dir: PathBuf,
    /// Settings and the window-state file.
    pub config_dir: PathBuf,
    /// Log files.
    pub log_dir: PathBuf,
}

impl AppPaths {
    /// The platform's directories for `identifier`, or everything under `data_dir` when given
    /// (used by tests and portable setups).
    pub fn resolve(identifier: &str, data_dir: Option<PathBuf>) -> Self {
        if let Some(root) = data_dir {
            return Self {
                config_dir: root.join("config"),
                log_dir: root.join("logs"),
                data_dir: root,
            };
        }
        let base = |dir: Option<PathBuf>| dir.unwrap_or_else(std::env::temp_dir).join(identifier);
        let data_dir = base(dirs::data_dir());
        let log_dir = if cfg!(target_os = "macos") {
            dirs::home_dir()
                .unwrap_or_else(std::env::temp_dir)
                .join("Library/Logs")
                .join(identifier)
        } else {
            base(dirs::data_local_dir()).join("logs")
        };
        Self {
            config_dir: base(dirs::config_dir()),
            data_dir,
            log_dir,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_data_dir_holds_everything() {
        let p = AppPaths::resolve("x.y.z", Some(PathBuf::from("/tmp/nd")));
        assert_eq!(p.data_dir, PathBuf::from("/tmp/nd"));
        assert_eq!(p.config_dir, PathBuf::from("/tmp/nd/config"));
        assert_eq!(p.log_dir, PathBuf::from("/tmp/nd/logs"));
    }

    #[test]
    fn platform_dirs_end_in_the_identifier() {
        let p = AppPaths::resolve("dev.novadesk.desktop", None);
        assert!(p.data_dir.ends_with("dev.novadesk.desktop"));
        assert!(p.config_dir.ends_with("dev.novadesk.desktop"));
        assert!(p.log_dir.to_string_lossy().contains("dev.novadesk.desktop"));
    }
}
