//! Telemetry vs prices: the site chart's commands. Thin: each maps the window's input to a
//! `novadesk_core` chart use-case and its result to a view type. Timestamps cross as epoch-ms
//! numbers (exact in a JS number up to the year 285,616).

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use novadesk_core as core;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::{AppHandle, Manager, Runtime, State};
use tokio::sync::oneshot;

use crate::error::{CommandError, CommandResult, ErrorCode};
use crate::state::AppState;

/// Developer/test override of the save dialog: when set, exports go to this path without asking
/// (E2E cannot drive the native GTK dialog). Read here only.
pub const SAVE_PATH_ENV: &str = "NOVADESK_SAVE_PATH";

fn save_path_override() -> Option<PathBuf> {
    std::env::var_os(SAVE_PATH_ENV)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Cancel tokens of the renders in flight, by the window's request id.
#[derive(Default)]
pub struct ChartJobs(Mutex<HashMap<String, core::CancelToken>>);

impl ChartJobs {
    fn start(&self, id: &str) -> core::CancelToken {
        let token = core::CancelToken::new();
        let mut jobs = self.0.lock().unwrap_or_else(|p| p.into_inner());
        // A reused id cancels the older render: only the newest one is wanted.
        if let Some(old) = jobs.insert(id.to_string(), token.clone()) {
            old.cancel();
        }
        token
    }

    fn finish(&self, id: &str, token: &core::CancelToken) {
        let mut jobs = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if jobs.get(id).is_some_and(|t| t.same_as(token)) {
            jobs.remove(id);
        }
    }

    fn cancel(&self, id: &str) -> bool {
        let jobs = self.0.lock().unwrap_or_else(|p| p.into_inner());
        jobs.get(id).map(|t| t.cancel()).is_some()
    }
}

/// The range buttons.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum RangePresetName {
    Day,
    Week,
    Month,
    Year,
    Custom,
}

/// A DER's field to draw.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct SeriesPick {
    pub der_id: String,
    pub field: String,
}

/// What to draw.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ChartRequestInput {
    /// Chosen by the window; `cancel_chart` with the same id stops the fetch.
    pub request_id: String,
    pub site_id: String,
    pub preset: RangePresetName,
    /// Custom range start, epoch ms.
    pub from_ms: Option<f64>,
    /// Custom range end (exclusive), epoch ms.
    pub to_ms: Option<f64>,
    /// Empty = the grid meter's power.
    pub series: Vec<SeriesPick>,
    pub width: u32,
    pub height: u32,
    pub dark: bool,
}

impl ChartRequestInput {
    fn to_core(&self) -> core::ChartRequest {
        core::ChartRequest {
            site_id: self.site_id.clone(),
            preset: match self.preset {
                RangePresetName::Day => core::RangePreset::Day,
                RangePresetName::Week => core::RangePreset::Week,
                RangePresetName::Month => core::RangePreset::Month,
                RangePresetName::Year => core::RangePreset::Year,
                RangePresetName::Custom => core::RangePreset::Custom,
            },
            from_ms: self.from_ms.map(|v| v as i64),
            to_ms: self.to_ms.map(|v| v as i64),
            series: self
                .series
                .iter()
                .map(|s| core::SeriesChoice {
                    der_id: s.der_id.clone(),
                    field: s.field.clone(),
                })
                .collect(),
            width: self.width,
            height: self.height,
            dark: self.dark,
        }
    }
}

/// Fetch progress: `fraction` 0..1 and what is being fetched.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ChartProgress {
    pub fraction: f64,
    pub what: String,
}

/// A time range, epoch ms.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RangeView {
    pub from_ms: f64,
    pub to_ms: f64,
}

/// One of the month's peaks behind the power charge.
#[derive(Debug, Clone, Serialize, Type)]
pub struct PeakView {
    pub start_ms: f64,
    pub kw: f64,
}

/// The cost of the shown range.
#[derive(Debug, Clone, Serialize, Type)]
pub struct CostSummaryView {
    pub currency: String,
    pub tariff_id: String,
    pub import_kwh: f64,
    pub export_kwh: f64,
    pub spot_cost: f64,
    pub export_revenue: f64,
    pub grid_energy_fee: f64,
    pub power_charge: f64,
    pub fixed_fee: f64,
    pub total_ex_vat: f64,
    pub vat: f64,
    pub total_inc_vat: f64,
    pub peaks: Vec<PeakView>,
    pub metered_fraction: f64,
    pub priced_fraction: f64,
}

/// A drawn chart and what goes beside it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RenderedChart {
    /// SVG document.
    pub svg: String,
    pub from_ms: f64,
    pub to_ms: f64,
    pub resolution_ms: f64,
    pub series: Vec<SeriesPick>,
    pub summary: Option<CostSummaryView>,
    /// Why there is no (or a partial) summary.
    pub summary_note: Option<String>,
    /// Not cached ranges (shaded).
    pub missing: Vec<RangeView>,
    /// When the oldest drawn data was fetched, epoch ms.
    pub cached_at: Option<f64>,
    /// The fetch stopped because the server cannot be reached.
    pub offline: bool,
    pub fetch_note: Option<String>,
    pub network_requests: u32,
}

/// A selectable field.
#[derive(Debug, Clone, Serialize, Type)]
pub struct FieldView {
    pub field: String,
    pub label: String,
    pub unit: String,
}

/// A DER in the picker.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DerView {
    pub id: String,
    pub label: String,
    pub der_type: String,
    pub fields: Vec<FieldView>,
}

/// A grid tariff to choose.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TariffView {
    pub id: String,
    pub label: String,
}

/// The per-site choices.
#[derive(Debug, Clone, Serialize, Deserialize, Type)]
pub struct ChartPrefsView {
    pub price_area: String,
    pub currency: String,
    /// `null` = the tariff found for the site's location.
    pub tariff_id: Option<String>,
}

/// What the chart view's pickers offer for a site.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ChartOptionsView {
    pub site_id: String,
    pub site_name: String,
    pub time_zone: String,
    pub ders: Vec<DerView>,
    pub prefs: ChartPrefsView,
    pub price_areas: Vec<String>,
    pub currencies: Vec<String>,
    pub tariffs: Vec<TariffView>,
    pub suggested_tariff_id: Option<String>,
    /// When the site was fetched, epoch ms.
    pub fetched_at: f64,
}

/// Export formats.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormatName {
    Csv,
    Png,
    Svg,
}

/// Where an export went.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ExportResult {
    pub path: String,
    pub bytes: f64,
}

fn prefs_view(p: core::ChartPrefs) -> ChartPrefsView {
    ChartPrefsView {
        price_area: p.price_area,
        currency: p.currency,
        tariff_id: p.tariff_id,
    }
}

/// A site to chart.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ChartSiteItem {
    pub id: String,
    pub name: String,
    pub organization: String,
}

/// Every site you can see (cached when offline), for the chart view's site picker.
#[tauri::command]
#[specta::specta]
pub async fn chart_sites(state: State<'_, AppState>) -> CommandResult<Vec<ChartSiteItem>> {
    let ws = state.connections.workspace().await?;
    Ok(core::chart_sites(&ws)
        .await?
        .into_iter()
        .map(|s| ChartSiteItem {
            id: s.id,
            name: s.name,
            organization: s.organization,
        })
        .collect())
}

/// The site's DERs and fields, price areas, currencies, grid tariffs and remembered choices.
#[tauri::command]
#[specta::specta]
pub async fn chart_options(
    state: State<'_, AppState>,
    site_id: String,
) -> CommandResult<ChartOptionsView> {
    let ws = state.connections.workspace().await?;
    let o = core::chart_options(&ws, &site_id).await?;
    Ok(ChartOptionsView {
        site_id: o.site.id,
        site_name: o.site.name,
        time_zone: o.site.time_zone,
        fetched_at: o.site.fetched_at as f64,
        ders: o
            .ders
            .into_iter()
            .map(|d| DerView {
                id: d.id,
                label: d.label,
                der_type: d.der_type,
                fields: d
                    .fields
                    .into_iter()
                    .map(|f| FieldView {
                        field: f.field,
                        label: f.label,
                        unit: f.unit,
                    })
                    .collect(),
            })
            .collect(),
        prefs: prefs_view(o.prefs),
        price_areas: o.price_areas,
        currencies: o.currencies,
        tariffs: o
            .tariffs
            .into_iter()
            .map(|t| TariffView {
                id: t.id,
                label: t.label,
            })
            .collect(),
        suggested_tariff_id: o.suggested_tariff_id,
    })
}

/// Remember the site's price area, currency and grid tariff.
#[tauri::command]
#[specta::specta]
pub async fn set_site_chart_prefs(
    state: State<'_, AppState>,
    site_id: String,
    prefs: ChartPrefsView,
) -> CommandResult<ChartPrefsView> {
    let ws = state.connections.workspace().await?;
    let saved = core::set_chart_prefs(
        &ws,
        &site_id,
        core::ChartPrefs {
            price_area: prefs.price_area,
            currency: prefs.currency,
            tariff_id: prefs.tariff_id,
        },
    )?;
    Ok(prefs_view(saved))
}

/// Draw the site chart, fetching missing history and prices first (progress on `progress`;
/// `cancel_chart(request.request_id)` stops it).
#[tauri::command]
#[specta::specta]
pub async fn render_site_chart(
    state: State<'_, AppState>,
    jobs: State<'_, ChartJobs>,
    request: ChartRequestInput,
    progress: Channel<ChartProgress>,
) -> CommandResult<RenderedChart> {
    let ws = state.connections.workspace().await?;
    let token = jobs.start(&request.request_id);
    let report = move |p: core::Progress| {
        // The window may have gone away; the render still completes and is cached.
        let _ = progress.send(ChartProgress {
            fraction: p.fraction,
            what: p.what,
        });
    };
    let result = core::render_chart(&ws, &request.to_core(), &report, &token).await;
    jobs.finish(&request.request_id, &token);
    Ok(rendered_view(result?))
}

fn rendered_view(o: core::ChartOutput) -> RenderedChart {
    RenderedChart {
        svg: o.svg,
        from_ms: o.from_ms as f64,
        to_ms: o.to_ms as f64,
        resolution_ms: o.resolution_ms as f64,
        series: o
            .series
            .into_iter()
            .map(|s| SeriesPick {
                der_id: s.der_id,
                field: s.field,
            })
            .collect(),
        summary: o.summary.map(|s| CostSummaryView {
            currency: s.currency,
            tariff_id: s.tariff_id,
            import_kwh: s.import_kwh,
            export_kwh: s.export_kwh,
            spot_cost: s.spot_cost,
            export_revenue: s.export_revenue,
            grid_energy_fee: s.grid_energy_fee,
            power_charge: s.power_charge,
            fixed_fee: s.fixed_fee,
            total_ex_vat: s.total_ex_vat,
            vat: s.vat,
            total_inc_vat: s.total_inc_vat,
            peaks: s
                .peaks
                .into_iter()
                .map(|p| PeakView {
                    start_ms: p.start_ms as f64,
                    kw: p.kw,
                })
                .collect(),
            metered_fraction: s.metered_fraction,
            priced_fraction: s.priced_fraction,
        }),
        summary_note: o.summary_note,
        missing: o
            .missing
            .into_iter()
            .map(|m| RangeView {
                from_ms: m.start as f64,
                to_ms: m.end as f64,
            })
            .collect(),
        cached_at: o.cached_at.map(|t| t as f64),
        offline: o.offline,
        fetch_note: o.fetch_note,
        network_requests: o.network_requests,
    }
}

/// Stop the render with this id (its fetched data stays cached). `false` if none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_chart(jobs: State<'_, ChartJobs>, request_id: String) -> bool {
    jobs.cancel(&request_id)
}

/// Export the chart as CSV, PNG or SVG to a file chosen in a save dialog.
#[tauri::command]
#[specta::specta]
pub async fn export_site_chart(
    state: State<'_, AppState>,
    dialog: State<'_, SaveDialog>,
    request: ChartRequestInput,
    format: ExportFormatName,
) -> CommandResult<ExportResult> {
    let ws = state.connections.workspace().await?;
    let (core_format, ext) = match format {
        ExportFormatName::Csv => (core::ExportFormat::Csv, "csv"),
        ExportFormatName::Png => (core::ExportFormat::Png, "png"),
        ExportFormatName::Svg => (core::ExportFormat::Svg, "svg"),
    };
    let path = match save_path_override() {
        Some(p) => p,
        None => {
            dialog
                .ask(&format!("novadesk-{}.{ext}", request.site_id), ext)
                .await?
        }
    };
    let bytes = core::export_chart(&ws, &request.to_core(), core_format, &path).await?;
    Ok(ExportResult {
        path: path.display().to_string(),
        bytes: bytes as f64,
    })
}

type Answer = Result<Option<PathBuf>, String>;
type Asker = dyn Fn(String, String) -> oneshot::Receiver<Answer> + Send + Sync;

/// The native save dialog, type-erased so the commands stay independent of the runtime (the mock
/// runtime in tests has no dialog; asking there says so instead of panicking).
pub struct SaveDialog(Box<Asker>);

impl SaveDialog {
    pub fn new<R: Runtime>(handle: AppHandle<R>) -> Self {
        Self(Box::new(move |file_name: String, ext: String| {
            let (tx, rx) = oneshot::channel();
            match handle.try_state::<tauri_plugin_dialog::Dialog<R>>() {
                Some(dialog) => dialog
                    .file()
                    .set_title("Export chart")
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
        }))
    }

    /// Asks where to save; dismissing the dialog is `cancelled`.
    async fn ask(&self, file_name: &str, ext: &str) -> CommandResult<PathBuf> {
        let answer = (self.0)(file_name.to_string(), ext.to_string())
            .await
            .map_err(|_| CommandError::failed("The save dialog closed unexpectedly. Try again."))?;
        match answer {
            Ok(Some(path)) => Ok(path),
            Ok(None) => Err(CommandError::new(ErrorCode::Cancelled, "Export cancelled.")),
            Err(why) => Err(CommandError::failed(format!(
                "Could not ask where to save ({why}). Set {SAVE_PATH_ENV} to a file path to export without the dialog."
            ))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancel_reaches_the_running_render_and_a_reused_id_cancels_the_older_one() {
        let jobs = ChartJobs::default();
        assert!(!jobs.cancel("none"), "nothing runs under that id");
        let first = jobs.start("r1");
        let second = jobs.start("r1");
        assert!(
            first.is_cancelled(),
            "the older render with the same id stops"
        );
        assert!(jobs.cancel("r1"));
        assert!(second.is_cancelled());
        jobs.finish("r1", &second);
        assert!(!jobs.cancel("r1"), "finished renders are forgotten");
        // A finished older render does not drop the newer one's token.
        let third = jobs.start("r2");
        jobs.finish("r2", &first);
        assert!(jobs.cancel("r2") && third.is_cancelled());
    }

    #[test]
    fn core_chart_errors_map_to_codes_the_view_acts_on() {
        let bad: CommandError =
            core::Error::InvalidInput("Choose both a start and an end.".into()).into();
        assert_eq!(bad.code, ErrorCode::InvalidInput);
        let gone: CommandError = core::Error::NotFound("not cached".into()).into();
        assert_eq!(gone.code, ErrorCode::NotFound);
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
