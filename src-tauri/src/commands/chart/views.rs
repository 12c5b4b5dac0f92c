//! What the chart commands take and give: the window's view of the core chart types, with
//! timestamps as epoch-ms numbers (exact in a JS number up to the year 285,616).

use novadesk_core as core;
use serde::{Deserialize, Serialize};
use specta::Type;

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
    pub(super) fn to_core(&self) -> core::ChartRequest {
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

pub(super) fn prefs_view(p: core::ChartPrefs) -> ChartPrefsView {
    ChartPrefsView {
        price_area: p.price_area,
        currency: p.currency,
        tariff_id: p.tariff_id,
    }
}

pub(super) fn rendered_view(o: core::ChartOutput) -> RenderedChart {
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

pub(super) fn options_view(o: core::ChartOptions) -> ChartOptionsView {
    ChartOptionsView {
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
    }
}
