//! "What if": the cost of a site's period under every grid tariff offered at its location. Thin:
//! the comparison is `novadesk_core::what_if`; here are its commands and the shapes the window
//! reads (times as epoch-ms numbers: JavaScript numbers, JSON has no 64-bit integers).

use novadesk_core as core;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use super::chart::{export_file_name, save_path_override, ExportResult};
use super::installer::id;
use super::report::ReportDialogs;
use crate::error::CommandResult;
use crate::state::AppState;

/// Comparisons in flight (each fetch can be cancelled from its progress bar).
pub type WhatIfJobs = super::jobs::Jobs<TariffComparison>;

/// The kind of [`WhatIfJobs`].
pub struct TariffComparison;

/// What to compare.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct WhatIfRequestInput {
    /// Chosen by the window; `cancel_tariff_comparison` with the same id stops the fetch.
    pub request_id: String,
    pub site_id: String,
    /// Period start, epoch ms; both `null` = the last 12 whole months.
    pub from_ms: Option<f64>,
    /// Period end (exclusive), epoch ms.
    pub to_ms: Option<f64>,
    /// Size of the monthly chart, px.
    pub width: u32,
    pub height: u32,
    pub dark: bool,
}

impl WhatIfRequestInput {
    fn to_core(&self) -> core::WhatIfRequest {
        core::WhatIfRequest {
            site_id: self.site_id.clone(),
            from_ms: self.from_ms.map(|v| v as i64),
            to_ms: self.to_ms.map(|v| v as i64),
            width: self.width,
            height: self.height,
            dark: self.dark,
        }
    }
}

/// One tariff's row, cheapest first.
#[derive(Debug, Clone, Serialize, Type)]
pub struct TariffRowView {
    pub tariff_id: String,
    pub label: String,
    /// The site's tariff today.
    pub current: bool,
    /// 1 = cheapest; `null` when it could not be priced.
    pub rank: Option<u32>,
    pub cost: Option<core::CostSummary>,
    /// Total incl. VAT minus today's tariff's (negative = cheaper).
    pub difference: Option<f64>,
    /// Total incl. VAT per month of `months`.
    pub monthly: Vec<Option<f64>>,
    /// Why it could not be priced.
    pub problem: Option<String>,
}

/// A month of the period.
#[derive(Debug, Clone, Serialize, Type)]
pub struct MonthView {
    pub label: String,
    pub from_ms: f64,
    pub to_ms: f64,
}

/// A missing range, epoch ms.
#[derive(Debug, Clone, Serialize, Type)]
pub struct GapView {
    pub from_ms: f64,
    pub to_ms: f64,
}

/// The comparison.
#[derive(Debug, Clone, Serialize, Type)]
pub struct WhatIfView {
    pub site_id: String,
    pub site_name: String,
    pub time_zone: String,
    pub from_ms: f64,
    pub to_ms: f64,
    pub price_area: String,
    pub currency: String,
    pub current_tariff_id: Option<String>,
    pub rows: Vec<TariffRowView>,
    pub months: Vec<MonthView>,
    /// Monthly cost per tariff (SVG).
    pub chart_svg: String,
    /// Share of the period with meter data, 0..1.
    pub metered_fraction: f64,
    /// Share of the metered time with a spot price, 0..1.
    pub priced_fraction: f64,
    pub meter_gaps: Vec<GapView>,
    pub unpriced: Vec<GapView>,
    /// Coverage in one sentence.
    pub coverage: String,
    /// What could not be done.
    pub notes: Vec<String>,
    /// The fetch stopped because the server cannot be reached (cached data shown).
    pub offline: bool,
    /// The offered tariffs came from the store.
    pub tariffs_cached: bool,
    /// When the oldest meter data used was fetched, epoch ms.
    pub cached_at: Option<f64>,
    pub network_requests: u32,
}

impl From<core::WhatIfOutput> for WhatIfView {
    fn from(o: core::WhatIfOutput) -> Self {
        Self {
            site_id: o.site_id,
            site_name: o.site_name,
            time_zone: o.time_zone,
            from_ms: o.from_ms as f64,
            to_ms: o.to_ms as f64,
            price_area: o.price_area,
            currency: o.currency,
            current_tariff_id: o.current_tariff_id,
            rows: o
                .rows
                .into_iter()
                .map(|r| TariffRowView {
                    tariff_id: r.tariff_id,
                    label: r.label,
                    current: r.current,
                    rank: r.rank,
                    cost: r.cost,
                    difference: r.difference,
                    monthly: r.monthly,
                    problem: r.problem,
                })
                .collect(),
            months: o
                .months
                .into_iter()
                .map(|m| MonthView {
                    label: m.label,
                    from_ms: m.from_ms as f64,
                    to_ms: m.to_ms as f64,
                })
                .collect(),
            chart_svg: o.chart_svg,
            metered_fraction: o.coverage.metered_fraction,
            priced_fraction: o.coverage.priced_fraction,
            meter_gaps: o
                .coverage
                .meter_gaps
                .into_iter()
                .map(|g| GapView {
                    from_ms: g.start as f64,
                    to_ms: g.end as f64,
                })
                .collect(),
            unpriced: o
                .coverage
                .unpriced
                .into_iter()
                .map(|g| GapView {
                    from_ms: g.start as f64,
                    to_ms: g.end as f64,
                })
                .collect(),
            coverage: o.coverage.summary,
            notes: o.notes,
            offline: o.offline,
            tariffs_cached: o.tariffs_cached,
            cached_at: o.cached_at.map(|t| t as f64),
            network_requests: o.network_requests,
        }
    }
}

/// Compare every grid tariff offered at the site's location (and its current one) over a period,
/// fetching missing meter history and prices first (progress on `progress`;
/// `cancel_tariff_comparison(request.request_id)` stops it).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, jobs, progress))]
pub async fn compare_tariffs(
    state: State<'_, AppState>,
    jobs: State<'_, WhatIfJobs>,
    request: WhatIfRequestInput,
    progress: Channel<core::Progress>,
) -> CommandResult<WhatIfView> {
    id("site", &request.site_id)?;
    let ws = state.connections.workspace().await?;
    let token = jobs.start(&request.request_id)?;
    let report = move |p: core::Progress| {
        // The window may have gone away; the fetched data is cached all the same.
        let _ = progress.send(p);
    };
    let result = core::what_if(&ws, &request.to_core(), &report, &token).await;
    jobs.finish(&request.request_id, &token);
    Ok(result?.into())
}

/// Stop the comparison with this id (its fetched data stays cached). `false` if none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_tariff_comparison(
    jobs: State<'_, WhatIfJobs>,
    request_id: String,
) -> CommandResult<bool> {
    jobs.cancel(&request_id)
}

/// Export the comparison as CSV to a file chosen in a save dialog.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, dialogs))]
pub async fn export_tariff_comparison(
    state: State<'_, AppState>,
    dialogs: State<'_, ReportDialogs>,
    request: WhatIfRequestInput,
) -> CommandResult<ExportResult> {
    id("site", &request.site_id)?;
    let ws = state.connections.workspace().await?;
    let path = match save_path_override() {
        Some(p) => p,
        None => {
            let site = core::cached_site_info(&ws, &request.site_id).await?;
            let today = ws.clock.now().format("%Y-%m-%d").to_string();
            let name = export_file_name(&format!("{} tariffs", site.name), &today, "csv");
            dialogs
                .saver()?
                .ask_titled("Export tariff comparison", &name, "csv")
                .await?
        }
    };
    let bytes = core::export_what_if(&ws, &request.to_core(), &path).await?;
    Ok(ExportResult {
        path: path.display().to_string(),
        bytes: bytes as f64,
    })
}
