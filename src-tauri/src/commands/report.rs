//! The Installer view's "Report" panel: make the commissioning report of the open Zap (signed by
//! the Zap; saved as JSON plus a printable HTML page where the installer picks) and verify a
//! report file (chosen in the open dialog, typed as a path, or its contents).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use novadesk_core as core;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::{AppHandle, Manager, Runtime, State};
use tokio::sync::oneshot;

use super::chart::SaveDialog;
use super::installer::text;
use crate::error::{CommandError, CommandResult};
use crate::state::AppState;

/// The native file dialogs (save: a report or a chart export; pick: a report to verify), managed
/// from the start and filled once the app is set up (a window without them, e.g. the mock
/// runtime's, gets a sentence, not a missing-state error).
#[derive(Default)]
pub struct ReportDialogs {
    pub save: OnceLock<SaveDialog>,
    pub pick: OnceLock<ReportPicker>,
}

const NO_DIALOG: &str = "no file dialog is available in this window";

impl ReportDialogs {
    /// The save dialog (reports and every export use it), or a sentence saying how to save
    /// without one.
    pub(crate) fn saver(&self) -> CommandResult<&SaveDialog> {
        self.save.get().ok_or_else(|| {
            CommandError::failed(format!(
                "Could not ask where to save ({NO_DIALOG}). Set {} to a file path to save without the dialog.",
                super::chart::SAVE_PATH_ENV
            ))
        })
    }
}

/// Where a made report was saved.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SavedReport {
    pub serial: String,
    /// SHA-256 of the canonical report, the digest the Zap signed.
    pub digest: String,
    pub json_path: String,
    pub html_path: String,
}

/// A report to verify: a file's path, or its contents (exactly one).
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ReportSource {
    pub path: Option<String>,
    pub contents: Option<String>,
}

fn invalid(message: impl Into<String>) -> CommandError {
    core::Error::InvalidInput(message.into()).into()
}

/// The JSON and HTML paths for what the installer chose (`x`, `x.json` or `x.html` alike).
fn report_paths(chosen: &Path) -> (PathBuf, PathBuf) {
    (chosen.with_extension("json"), chosen.with_extension("html"))
}

/// Make the commissioning report of the Zap at `address` (claimed; it signs) and save it, JSON and
/// printable HTML side by side, where the save dialog says.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, dialogs))]
pub async fn make_report(
    state: State<'_, AppState>,
    dialogs: State<'_, ReportDialogs>,
    address: String,
) -> CommandResult<SavedReport> {
    let address = text("Zap's address", &address)?;
    let ws = state.connections.workspace().await?;
    let made = core::make_report(&ws, address).await?;
    let chosen = match super::chart::save_path_override() {
        Some(p) => p,
        None => {
            dialogs
                .saver()?
                .ask_titled(
                    "Save the commissioning report",
                    &format!("{}.json", made.file_stem),
                    "json",
                )
                .await?
        }
    };
    let (json_path, html_path) = report_paths(&chosen);
    for (path, content) in [(&json_path, &made.json), (&html_path, &made.html)] {
        std::fs::write(path, content).map_err(|e| {
            invalid(format!(
                "Could not save {}: {e}. Choose another folder.",
                path.display()
            ))
        })?;
    }
    Ok(SavedReport {
        serial: made.serial,
        digest: made.digest,
        json_path: json_path.display().to_string(),
        html_path: html_path.display().to_string(),
    })
}

/// The bytes of a report to verify, bounded; bad arguments and unreadable files are sentences.
fn source_bytes(source: ReportSource) -> CommandResult<Vec<u8>> {
    let max = core::MAX_REPORT_BYTES;
    match (source.path, source.contents) {
        (Some(path), None) => {
            let path = core::input::file_path("report file", &path)?;
            // A FIFO or a device would block or never end: only a regular file is read.
            let meta = std::fs::metadata(path)
                .map_err(|e| invalid(format!("Could not read {}: {e}.", path.display())))?;
            if !meta.is_file() {
                return Err(invalid(format!(
                    "Could not read {}: it is not a file.",
                    path.display()
                )));
            }
            let mut bytes = Vec::new();
            std::fs::File::open(path)
                .and_then(|f| f.take(max as u64 + 1).read_to_end(&mut bytes))
                .map_err(|e| invalid(format!("Could not read {}: {e}.", path.display())))?;
            Ok(bytes)
        }
        (None, Some(contents)) => {
            if contents.len() > max {
                return Err(invalid(
                    "That file is far larger than a commissioning report: it is not one of ours.",
                ));
            }
            Ok(contents.into_bytes())
        }
        _ => Err(invalid(
            "Give either the report file's path or its contents.",
        )),
    }
}

/// Verify a commissioning report: its digest and the Zap's signature, and, signed in and online,
/// that the platform holds its key for that gateway. Each check with its sentence.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, source))]
pub async fn verify_report(
    state: State<'_, AppState>,
    source: ReportSource,
) -> CommandResult<core::ReportVerification> {
    let bytes = source_bytes(source)?;
    let ws = state.connections.workspace().await.ok();
    Ok(core::verify_report(ws.as_ref(), &bytes).await?)
}

type Answer = Result<Option<PathBuf>, String>;
type Picker = dyn Fn() -> oneshot::Receiver<Answer> + Send + Sync;

/// The native open dialog for report files, type-erased like [`SaveDialog`] (the mock runtime in
/// tests has none; asking there says so).
pub struct ReportPicker(Box<Picker>);

impl ReportPicker {
    pub fn new<R: Runtime>(handle: AppHandle<R>) -> Self {
        Self(Box::new(move || {
            let (tx, rx) = oneshot::channel();
            match handle.try_state::<tauri_plugin_dialog::Dialog<R>>() {
                Some(dialog) => dialog
                    .file()
                    .set_title("Verify a commissioning report")
                    .add_filter("Commissioning report (JSON)", &["json"])
                    .pick_file(move |chosen| {
                        let answer = match chosen {
                            None => Ok(None),
                            Some(p) => p.into_path().map(Some).map_err(|e| e.to_string()),
                        };
                        let _ = tx.send(answer);
                    }),
                None => {
                    let _ = tx.send(Err("no open dialog is available in this window".into()));
                }
            }
            rx
        }))
    }
}

/// Ask for a report file in the open dialog: its path, or `None` when dismissed.
#[tauri::command]
#[specta::specta]
pub async fn choose_report_file(
    dialogs: State<'_, ReportDialogs>,
) -> CommandResult<Option<String>> {
    let Some(picker) = dialogs.pick.get() else {
        return Err(CommandError::failed(format!(
            "Could not open the file dialog ({NO_DIALOG}). Type the report file's path instead."
        )));
    };
    let answer = (picker.0)()
        .await
        .map_err(|_| CommandError::failed("The open dialog closed unexpectedly. Try again."))?;
    match answer {
        Ok(p) => Ok(p.map(|p| p.display().to_string())),
        Err(why) => Err(CommandError::failed(format!(
            "Could not open the file dialog ({why}). Type the report file's path instead."
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_and_html_side_by_side() {
        for chosen in ["/tmp/r", "/tmp/r.json", "/tmp/r.html"] {
            let (j, h) = report_paths(Path::new(chosen));
            assert_eq!(j, Path::new("/tmp/r.json"));
            assert_eq!(h, Path::new("/tmp/r.html"));
        }
    }

    #[test]
    fn sources_are_checked() {
        let src = |path: Option<&str>, contents: Option<&str>| ReportSource {
            path: path.map(str::to_string),
            contents: contents.map(str::to_string),
        };
        for bad in [
            src(None, None),
            src(Some("/a"), Some("{}")),
            src(Some("  "), None),
            src(Some("relative/report.json"), None),
            src(Some("/a\u{0}b"), None),
            src(Some("/nonexistent/report.json"), None),
        ] {
            let e = source_bytes(bad).unwrap_err();
            assert!(!e.message.is_empty());
        }
        assert_eq!(source_bytes(src(None, Some("{}"))).unwrap(), b"{}");
        let huge = "x".repeat(core::MAX_REPORT_BYTES + 1);
        assert!(source_bytes(src(None, Some(&huge))).is_err());
    }
}
