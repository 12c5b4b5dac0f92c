//! Where an export goes: the native save dialog, or the developer/test override.

use std::path::PathBuf;

use tauri::{AppHandle, Manager, Runtime};
use tokio::sync::oneshot;

use crate::error::{CommandError, CommandResult, ErrorCode};

/// Developer/test override of the save dialog: when set, exports go to this path without asking
/// (E2E cannot drive the native GTK dialog). Read in [`save_path_override`] only.
pub const SAVE_PATH_ENV: &str = "NOVADESK_SAVE_PATH";

/// The override path, when [`SAVE_PATH_ENV`] is set (and not empty).
pub(crate) fn save_path_override() -> Option<PathBuf> {
    std::env::var_os(SAVE_PATH_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

type Answer = Result<Option<PathBuf>, String>;
type Asker = dyn Fn(String, String, String) -> oneshot::Receiver<Answer> + Send + Sync;

/// The native save dialog, type-erased so the commands stay independent of the runtime (the mock
/// runtime in tests has no dialog; asking there says so instead of panicking).
pub struct SaveDialog(Box<Asker>);

impl SaveDialog {
    pub fn new<R: Runtime>(handle: AppHandle<R>) -> Self {
        Self(Box::new(
            move |title: String, file_name: String, ext: String| {
                let (tx, rx) = oneshot::channel();
                match handle.try_state::<tauri_plugin_dialog::Dialog<R>>() {
                    Some(dialog) => dialog
                        .file()
                        .set_title(title)
                        .set_file_name(file_name)
                        .add_filter(ext.to_ascii_uppercase(), &[ext.as_str()])
                        .save_file(move |chosen| {
                            let answer = match chosen {
                                None => Ok(None),
                                Some(p) => p.into_path().map(Some).map_err(|e| e.to_string()),
                            };
                            let _ = tx.send(answer);
                        }),
                    None => {
                        let _ = tx.send(Err("no save dialog is available in this window".into()));
                    }
                }
                rx
            },
        ))
    }

    /// Asks where to save a chart export; dismissing the dialog is `cancelled`.
    pub(super) async fn ask(&self, file_name: &str, ext: &str) -> CommandResult<PathBuf> {
        self.ask_titled("Export chart", file_name, ext).await
    }

    /// Asks where to save, the dialog titled `title`; dismissing it is `cancelled`.
    pub(crate) async fn ask_titled(
        &self,
        title: &str,
        file_name: &str,
        ext: &str,
    ) -> CommandResult<PathBuf> {
        let answer = (self.0)(title.to_string(), file_name.to_string(), ext.to_string())
            .await
            .map_err(|_| CommandError::failed("The save dialog closed unexpectedly. Try again."))?;
        match answer {
            Ok(Some(path)) => Ok(path),
            Ok(None) => Err(CommandError::new(ErrorCode::Cancelled, "Saving cancelled.")),
            Err(why) => Err(CommandError::failed(format!(
                "Could not ask where to save ({why}). Set {SAVE_PATH_ENV} to a file path to save without the dialog."
            ))),
        }
    }
}
