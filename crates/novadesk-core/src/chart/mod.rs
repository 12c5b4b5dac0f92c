//! Telemetry vs prices: the site chart's use-cases.
//!
//! - [`chart_options`]: what the pickers offer for a site (its DERs and their fields, price areas,
//!   currencies, grid tariffs) and the remembered [`ChartPrefs`] ([`set_chart_prefs`] changes them).
//! - [`render_chart`]: resolves the range in the site's time zone, picks the resolution from the
//!   chart's pixel width, fetches only what the store lacks (history and day-ahead prices, with
//!   progress and cancel), then draws from the store and computes the cost summary.
//! - [`export_chart`]: CSV, PNG or SVG of the same chart, from the store, written atomically.
//!
//! Everything the chart shows is read from the offline store, so a cached range renders without
//! network and an offline render shows what is cached with the rest shaded as "not cached".

pub(crate) mod cancel;
pub(crate) mod cost;
mod draw;
mod export;
pub(crate) mod fetch;
pub(crate) mod range;
pub(crate) mod site;

use serde::{Deserialize, Serialize};

pub use cancel::CancelToken;
pub use cost::{cost_inputs, cost_level, cost_span, CostSummary, PeakInfo};
pub use export::{export_chart, write_atomically, ExportFormat};
pub use range::{resolve_range, RangePreset, ResolvedRange};
pub use site::{
    cached_site_info, chart_options, chart_prefs, set_chart_prefs, site_info, unpriceable_currency,
    ChartOptions, ChartPrefs, DerInfo, DerOption, FieldOption, SiteInfo, TariffChoice, CURRENCIES,
    PRICE_AREAS,
};

pub use draw::render_chart;

// The What-if and Fleet views price the same inputs the same way: they share the chart's fetch,
// cache keys, tariff loading and cost calculation.
pub(crate) use cost::{load_tariff, meter_input, spot_input, summarise, usable_tariff};
pub(crate) use fetch::{fetch_missing, local_day, local_midnight, HistoryJob, PriceJob};
pub(crate) use site::{
    cached_tariff_id, key_prefs, key_tariff, key_tariffs, load_json, remember_location_tariff,
    save_json, stored_prefs_and_tariff, tariff_id_for, PREFS_PREFIX, TARIFFS_PREFIX,
};

/// One telemetry series to draw: a DER's field (`W`, `SoC_nom_fract`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "SeriesPick"))]
pub struct SeriesChoice {
    /// DER id.
    pub der_id: String,
    /// Field name as the platform spells it.
    pub field: String,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartRequest {
    /// The site.
    pub site_id: String,
    /// Range preset; [`RangePreset::Custom`] uses `from_ms`/`to_ms`.
    pub preset: RangePreset,
    /// Custom range start, epoch ms.
    pub from_ms: Option<i64>,
    /// Custom range end (exclusive), epoch ms.
    pub to_ms: Option<i64>,
    /// Series to draw; empty = the grid meter's power (or every DER's power when there is none).
    pub series: Vec<SeriesChoice>,
    /// Image width, px.
    pub width: u32,
    /// Image height, px.
    pub height: u32,
    /// Dark colours (follows the app's theme).
    pub dark: bool,
}

/// How far a fetch has come: `fraction` in 0..=1 (never decreasing), `what` for the progress label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ChartProgress")
)]
pub struct Progress {
    /// 0..=1.
    pub fraction: f64,
    /// What is being fetched now, for a person.
    pub what: String,
}

/// A rendered chart and what goes beside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartOutput {
    /// The chart as an SVG document.
    pub svg: String,
    /// Shown range start, epoch ms.
    pub from_ms: i64,
    /// Shown range end (exclusive), epoch ms.
    pub to_ms: i64,
    /// Bucket width of the drawn series, ms.
    pub resolution_ms: i64,
    /// The series drawn (after defaults), in legend order.
    pub series: Vec<SeriesChoice>,
    /// The cost summary, when it could be computed.
    pub summary: Option<CostSummary>,
    /// Why there is no (or only a partial) cost summary, for a person.
    pub summary_note: Option<String>,
    /// Ranges of the drawn series that are not cached (shaded on the chart), epoch ms.
    pub missing: Vec<novadesk_store::Span>,
    /// When the oldest piece of the drawn data was fetched, epoch ms ("cached at").
    pub cached_at: Option<i64>,
    /// The fetch stopped because the environment could not be reached.
    pub offline: bool,
    /// Other fetch trouble, for a person (the chart still shows what is cached).
    pub fetch_note: Option<String>,
    /// Requests sent to Novacore for this render (0 when everything was cached).
    pub network_requests: u32,
}
