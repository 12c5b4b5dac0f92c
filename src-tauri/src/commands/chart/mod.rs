//! Telemetry vs prices: the site chart's commands. Thin: each hands the window's input to a
//! `novadesk_core` chart use-case and returns its result (reshaped where [`views`] says why).

mod save_dialog;
mod views;

use novadesk_core as core;
use tauri::ipc::Channel;
use tauri::State;

use super::installer::id;
use super::report::ReportDialogs;
use crate::error::CommandResult;
use crate::state::AppState;

pub(crate) use save_dialog::save_path_override;
pub use save_dialog::{SaveDialog, SAVE_PATH_ENV};
pub use views::*;

/// Chart renders in flight (each fetch can be cancelled from its progress bar).
pub type ChartJobs = super::jobs::Jobs<ChartRender>;

/// The kind of [`ChartJobs`].
pub struct ChartRender;

/// The site's DERs and fields, price areas, currencies, grid tariffs and remembered choices.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn chart_options(
    state: State<'_, AppState>,
    site_id: String,
) -> CommandResult<ChartOptionsView> {
    id("site", &site_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::chart_options(&ws, &site_id).await?.into())
}

/// Remember the site's price area, currency and grid tariff.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn set_site_chart_prefs(
    state: State<'_, AppState>,
    site_id: String,
    prefs: core::ChartPrefs,
) -> CommandResult<core::ChartPrefs> {
    let ws = state.connections.workspace().await?;
    Ok(core::set_chart_prefs(&ws, &site_id, prefs)?)
}

/// Draw the site chart, fetching missing history and prices first (progress on `progress`;
/// `cancel_chart(request.request_id)` stops it).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, jobs, progress))]
pub async fn render_site_chart(
    state: State<'_, AppState>,
    jobs: State<'_, ChartJobs>,
    request: ChartRequestInput,
    progress: Channel<core::Progress>,
) -> CommandResult<RenderedChart> {
    id("site", &request.site_id)?;
    let ws = state.connections.workspace().await?;
    let token = jobs.start(&request.request_id)?;
    let report = move |p: core::Progress| {
        // The window may have gone away; the render still completes and is cached.
        let _ = progress.send(p);
    };
    let result = core::render_chart(&ws, &request.to_core(), &report, &token).await;
    jobs.finish(&request.request_id, &token);
    Ok(result?.into())
}

/// Stop the render with this id (its fetched data stays cached). `false` if none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_chart(jobs: State<'_, ChartJobs>, request_id: String) -> CommandResult<bool> {
    jobs.cancel(&request_id)
}

/// Export the chart as CSV, PNG or SVG to a file chosen in a save dialog.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, dialogs))]
pub async fn export_site_chart(
    state: State<'_, AppState>,
    dialogs: State<'_, ReportDialogs>,
    request: ChartRequestInput,
    format: core::ExportFormat,
) -> CommandResult<ExportResult> {
    id("site", &request.site_id)?;
    let ws = state.connections.workspace().await?;
    let ext = match format {
        core::ExportFormat::Csv => "csv",
        core::ExportFormat::Png => "png",
        core::ExportFormat::Svg => "svg",
    };
    let path = match save_dialog::save_path_override() {
        Some(p) => p,
        None => {
            // The site's name (from the cache: naming the file is no reason to go to the network)
            // makes a file name a person recognises.
            let site = core::cached_site_info(&ws, &request.site_id).await?;
            let today = ws.clock.now().format("%Y-%m-%d").to_string();
            let dialog = dialogs.saver()?;
            dialog
                .ask(&export_file_name(&site.name, &today, ext), ext)
                .await?
        }
    };
    let bytes = core::export_chart(&ws, &request.to_core(), format, &path).await?;
    Ok(ExportResult {
        path: path.display().to_string(),
        bytes: bytes as f64,
    })
}

/// "Cabin Luleå 2026-11-26.csv": the site's name with characters file systems refuse replaced.
pub(crate) fn export_file_name(site_name: &str, date: &str, ext: &str) -> String {
    let name: String = site_name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    let name = name.trim().trim_start_matches('.');
    let name = if name.is_empty() {
        "Novadesk chart"
    } else {
        name
    };
    format!("{name} {date}.{ext}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{CommandError, ErrorCode};

    #[test]
    fn export_file_names_are_the_site_name_and_date_made_safe() {
        assert_eq!(
            export_file_name("Cabin Luleå", "2026-11-26", "csv"),
            "Cabin Luleå 2026-11-26.csv"
        );
        assert_eq!(
            export_file_name("a/b:c", "2026-11-26", "png"),
            "a_b_c 2026-11-26.png"
        );
        assert_eq!(
            export_file_name(" ../ ", "2026-11-26", "svg"),
            "_ 2026-11-26.svg"
        );
        assert_eq!(
            export_file_name("", "2026-11-26", "svg"),
            "Novadesk chart 2026-11-26.svg"
        );
    }

    #[test]
    fn core_chart_errors_map_to_codes_the_view_acts_on() {
        let bad: CommandError =
            core::Error::InvalidInput("Choose both a start and an end.".into()).into();
        assert_eq!(bad, CommandError::failed("Choose both a start and an end."));
        let gone: CommandError = core::Error::NotFound("not cached".into()).into();
        assert_eq!(gone, CommandError::failed("not cached"));
        let export: CommandError = core::Error::Export {
            path: "/ro/chart.csv".into(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "denied"),
        }
        .into();
        assert_eq!(export.code, ErrorCode::Failed);
        assert!(
            export.message.contains("/ro/chart.csv") && export.message.contains("Choose a folder")
        );
        let cancelled: CommandError = core::Error::Cancelled.into();
        assert_eq!(cancelled.code, ErrorCode::Cancelled);
    }
}
