//! What the chart commands take and give. The pickers' choices, the preferences, the progress,
//! the series and the cost summary go as core's own types (with `specta::Type`); the few shapes
//! here differ from core's on purpose: the request carries the window's id for `cancel_chart`,
//! the options flatten the site into the fields the view reads, the rendered chart names its
//! missing ranges `from_ms`/`to_ms` (the store's `Span` says `start`/`end`), and times are
//! epoch-ms numbers (JavaScript numbers; JSON has no 64-bit integers).

use novadesk_core as core;
use serde::{Deserialize, Serialize};
use specta::Type;

/// What to draw.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ChartRequestInput {
    /// Chosen by the window; `cancel_chart` with the same id stops the fetch.
    pub request_id: String,
    pub site_id: String,
    pub preset: core::RangePreset,
    /// Custom range start, epoch ms.
    pub from_ms: Option<f64>,
    /// Custom range end (exclusive), epoch ms.
    pub to_ms: Option<f64>,
    /// Empty = the grid meter's power.
    pub series: Vec<core::SeriesChoice>,
    pub width: u32,
    pub height: u32,
    pub dark: bool,
}

impl ChartRequestInput {
    pub(super) fn to_core(&self) -> core::ChartRequest {
        core::ChartRequest {
            site_id: self.site_id.clone(),
            preset: self.preset,
            from_ms: self.from_ms.map(|v| v as i64),
            to_ms: self.to_ms.map(|v| v as i64),
            series: self.series.clone(),
            width: self.width,
            height: self.height,
            dark: self.dark,
        }
    }
}

/// A time range, epoch ms.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RangeView {
    pub from_ms: f64,
    pub to_ms: f64,
}

/// A drawn chart and what goes beside it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct RenderedChart {
    /// SVG document.
    pub svg: String,
    pub from_ms: f64,
    pub to_ms: f64,
    pub resolution_ms: f64,
    pub series: Vec<core::SeriesChoice>,
    pub summary: Option<core::CostSummary>,
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

/// What the chart view's pickers offer for a site.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ChartOptionsView {
    pub site_id: String,
    pub site_name: String,
    pub time_zone: String,
    pub ders: Vec<core::DerOption>,
    pub prefs: core::ChartPrefs,
    pub price_areas: Vec<String>,
    pub currencies: Vec<String>,
    pub tariffs: Vec<core::TariffChoice>,
    pub suggested_tariff_id: Option<String>,
    /// When the site was fetched, epoch ms.
    pub fetched_at: f64,
}

/// Where an export went.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ExportResult {
    pub path: String,
    pub bytes: f64,
}

impl From<core::ChartOutput> for RenderedChart {
    fn from(o: core::ChartOutput) -> Self {
        Self {
            svg: o.svg,
            from_ms: o.from_ms as f64,
            to_ms: o.to_ms as f64,
            resolution_ms: o.resolution_ms as f64,
            series: o.series,
            summary: o.summary,
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
}

impl From<core::ChartOptions> for ChartOptionsView {
    fn from(o: core::ChartOptions) -> Self {
        Self {
            site_id: o.site.id,
            site_name: o.site.name,
            time_zone: o.site.time_zone,
            fetched_at: o.site.fetched_at as f64,
            ders: o.ders,
            prefs: o.prefs,
            price_areas: o.price_areas,
            currencies: o.currencies,
            tariffs: o.tariffs,
            suggested_tariff_id: o.suggested_tariff_id,
        }
    }
}
