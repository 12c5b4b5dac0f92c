//! The cost summary beside the chart: the SDK's `pricing` module over the site's grid meter, the
//! stored spot prices and the site's grid tariff.

use chrono::{DateTime, Datelike, Duration, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use novacore::pricing::{
    compute_cost, CostReport, MeterSeries, PriceSlot, SpotPrices, Tariff, TimeRange,
};
use novadesk_store::{Resolution, SeriesKey, DAY_MS};

use novadesk_charts::PeakMarker;

use super::fetch::{local_day, local_midnight};
use super::range::ResolvedRange;
use super::site::{key_tariff, load_json, save_json, tariff_id_for, ChartPrefs, SiteInfo};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// One of the month's power peaks (they set the power charge).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "PeakView"))]
pub struct PeakInfo {
    /// Window start, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub start_ms: i64,
    /// Average power of the window, kW.
    pub kw: f64,
}

/// The cost of the shown range, in the tariff's currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "CostSummaryView")
)]
pub struct CostSummary {
    /// Currency code.
    pub currency: String,
    /// The grid tariff used.
    pub tariff_id: String,
    /// Energy imported from the grid, kWh.
    pub import_kwh: f64,
    /// Energy exported to the grid, kWh.
    pub export_kwh: f64,
    /// Spot cost of the imported energy.
    pub spot_cost: f64,
    /// Spot revenue of the exported energy.
    pub export_revenue: f64,
    /// The grid's energy (transfer) fee.
    pub grid_energy_fee: f64,
    /// The range's share of the power charge of its months.
    pub power_charge: f64,
    /// The range's share of the fixed fee.
    pub fixed_fee: f64,
    /// Total excluding VAT.
    pub total_ex_vat: f64,
    /// VAT.
    pub vat: f64,
    /// Total including VAT.
    pub total_inc_vat: f64,
    /// The peaks behind the power charge (of the months the range touches).
    pub peaks: Vec<PeakInfo>,
    /// Share of the range with meter data, 0..1.
    pub metered_fraction: f64,
    /// Share of the metered time with a spot price, 0..1.
    pub priced_fraction: f64,
}

impl CostSummary {
    /// The summary of a pricing report.
    pub fn from_report(report: &CostReport, tariff_id: &str) -> Self {
        CostSummary {
            currency: report.currency.clone(),
            tariff_id: tariff_id.to_string(),
            import_kwh: report.import_kwh,
            export_kwh: report.export_kwh,
            spot_cost: report.spot_cost,
            export_revenue: report.export_revenue,
            grid_energy_fee: report.grid_energy_fee,
            power_charge: report.power_charge,
            fixed_fee: report.fixed_fee,
            total_ex_vat: report.total_ex_vat,
            vat: report.vat,
            total_inc_vat: report.total_inc_vat,
            peaks: report
                .power_months
                .iter()
                .flat_map(|m| &m.peaks)
                .map(|p| PeakInfo {
                    start_ms: p.start.timestamp_millis(),
                    kw: p.kw,
                })
                .collect(),
            metered_fraction: report.coverage.metered_fraction,
            priced_fraction: report.coverage.priced_fraction,
        }
    }
}

/// Meter data for the power charge covers the whole local months the range touches (up to now):
/// the month's peaks decide the charge, wherever in the month they fell.
pub fn cost_span(tz: Tz, from: i64, to: i64, now: i64) -> (i64, i64) {
    let first = local_day(tz, from).with_day(1).unwrap_or_default();
    let last = local_day(tz, to - 1);
    let next = if last.month() == 12 {
        last.with_day(1)
            .and_then(|d| d.with_month(1))
            .and_then(|d| d.with_year(last.year() + 1))
    } else {
        last.with_day(1)
            .and_then(|d| d.with_month(last.month() + 1))
    }
    .unwrap_or(last + Duration::days(31));
    let start = local_midnight(tz, first);
    let end = local_midnight(tz, next).min(now.max(to));
    (start, end.max(start + 1))
}

/// Meter resolution for the cost: quarter hours (the price slots) up to a month, hours beyond.
pub fn cost_level(from: i64, to: i64) -> Resolution {
    if to - from <= 31 * DAY_MS {
        Resolution::M15
    } else {
        Resolution::H1
    }
}

/// The SDK tariff: cached in the store, fetched once.
pub(crate) async fn load_tariff(
    ws: &Workspace,
    id: &str,
    requests: &mut u32,
) -> Result<novacore::tariffs::Tariff> {
    if let Some(t) = load_json::<novacore::tariffs::Tariff>(ws, &key_tariff(id))? {
        return Ok(t);
    }
    *requests += 1;
    let t = ws.novacore(async |c| c.tariffs().tariff(id).await).await?;
    save_json(ws, &key_tariff(id), &t)?;
    Ok(t)
}

/// The pricing module's inputs, read from the store.
pub fn cost_inputs(
    ws: &Workspace,
    meter: &SeriesKey,
    level: Resolution,
    span: (i64, i64),
    area: &str,
    currency: &str,
) -> Result<(MeterSeries, SpotPrices)> {
    Ok((
        meter_input(ws, meter, level, span)?,
        spot_input(ws, area, currency, span)?,
    ))
}

/// The meter's average-power buckets over `span` at `level`, as the pricing module takes them.
pub(crate) fn meter_input(
    ws: &Workspace,
    meter: &SeriesKey,
    level: Resolution,
    span: (i64, i64),
) -> Result<MeterSeries> {
    // Bucket means, past days from the store's memory: the Fleet view prices every meter's
    // month on each refresh.
    let stored = ws.store().averages(meter, span.0, span.1, level)?;
    MeterSeries::net_power_from_millis((level.as_ms() / 1000) as u32, &stored)
        .map_err(Error::Pricing)
}

/// The stored spot prices of `area` in `currency` over `span`, as the pricing module takes them.
pub(crate) fn spot_input(
    ws: &Workspace,
    area: &str,
    currency: &str,
    span: (i64, i64),
) -> Result<SpotPrices> {
    let slots = ws
        .store()
        .prices(area, currency, span.0, span.1)?
        .into_iter()
        .filter_map(|s| {
            Some(PriceSlot {
                start: DateTime::<Utc>::from_timestamp_millis(s.start)?,
                duration_minutes: ((s.end - s.start) / 60_000).max(1) as u32,
                price_per_mwh: s.price * 1000.0,
            })
        })
        .collect();
    Ok(SpotPrices {
        currency: currency.to_string(),
        slots,
    })
}

/// The SDK's tariff as the pricing module takes it, or the sentence saying why it cannot be used.
pub(crate) fn usable_tariff(
    tariff: &novacore::tariffs::Tariff,
) -> std::result::Result<Tariff, String> {
    Tariff::from_sdk(tariff)
        .map_err(|e| format!("The grid tariff cannot be used ({e}); choose another."))
}

/// Runs the pricing module for `[from, to)` under `tariff` (from [`usable_tariff`]); a tariff that
/// cannot be used or a currency the tariff is not in is a note for the user, not a failure.
pub(crate) fn summarise(
    meter: &MeterSeries,
    prices: &SpotPrices,
    tariff: &std::result::Result<Tariff, String>,
    tariff_id: &str,
    from: i64,
    to: i64,
) -> Result<std::result::Result<(CostReport, CostSummary), String>> {
    let tariff = match tariff {
        Ok(t) => t,
        Err(note) => return Ok(Err(note.clone())),
    };
    let range = TimeRange::new(
        DateTime::<Utc>::from_timestamp_millis(from).unwrap_or_default(),
        DateTime::<Utc>::from_timestamp_millis(to).unwrap_or_default(),
    );
    match compute_cost(meter, prices, tariff, range) {
        Ok(report) => {
            let summary = CostSummary::from_report(&report, tariff_id);
            Ok(Ok((report, summary)))
        }
        Err(novacore::pricing::PricingError::CurrencyMismatch { tariff, .. }) => Ok(Err(
            super::site::unpriceable_currency("The grid tariff", &tariff).unwrap_or_else(|| {
                format!("The grid tariff is priced in {tariff}; choose {tariff} to see the cost summary.")
            }),
        )),
        Err(e) => Err(Error::Pricing(e)),
    }
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn cost_for(
    ws: &Workspace,
    site: &SiteInfo,
    prefs: &ChartPrefs,
    meter: &SeriesKey,
    level: novadesk_store::Resolution,
    span: (i64, i64),
    range: ResolvedRange,
    offline: bool,
    requests: &mut u32,
) -> Result<(Option<CostSummary>, Option<String>)> {
    let unreachable = |e: &Error| matches!(e, Error::Novacore(n) if n.is_unreachable());
    let no_tariff = "No grid tariff is known for this site; choose one to see the cost summary.";
    let id = if offline && prefs.tariff_id.is_none() {
        super::site::load_json::<serde_json::Value>(
            ws,
            &format!("chart.tariff_choices.{}", site.id),
        )?
        .and_then(|v| v.get("suggested")?.as_str().map(str::to_string))
    } else {
        match tariff_id_for(ws, site, prefs).await {
            Ok(id) => id,
            Err(e) if unreachable(&e) => None,
            Err(e) => return Err(e),
        }
    };
    let Some(id) = id else {
        return Ok((None, Some(no_tariff.into())));
    };
    let tariff = match load_tariff(ws, &id, requests).await {
        Ok(t) => t,
        Err(e) if unreachable(&e) => {
            return Ok((
                None,
                Some("The grid tariff is not cached and the server cannot be reached.".into()),
            ))
        }
        Err(Error::Novacore(novacore::Error::NotFound { .. })) => {
            return Ok((None, Some(no_tariff.into())))
        }
        Err(e) => return Err(e),
    };
    let (meter_series, spot) =
        cost_inputs(ws, meter, level, span, &prefs.price_area, &prefs.currency)?;
    let tariff = usable_tariff(&tariff);
    match summarise(&meter_series, &spot, &tariff, &id, range.from, range.to)? {
        Ok((report, summary)) => {
            let note = (report.coverage.metered_fraction < 0.999
                || report.coverage.priced_fraction < 0.999)
                .then(|| {
                    format!(
                        "Partial: meter data for {:.0}% of the range, prices for {:.0}% of it.",
                        report.coverage.metered_fraction * 100.0,
                        report.coverage.priced_fraction * 100.0
                    )
                });
            Ok((Some(summary), note))
        }
        Err(note) => Ok((None, Some(note))),
    }
}

pub(crate) fn peak_markers(summary: &CostSummary, from: i64, to: i64) -> Vec<PeakMarker> {
    summary
        .peaks
        .iter()
        .filter(|p| p.start_ms >= from && p.start_ms < to)
        .enumerate()
        .map(|(i, p)| PeakMarker {
            ts: DateTime::<Utc>::from_timestamp_millis(p.start_ms).unwrap_or_default(),
            value: p.kw * 1000.0,
            label: format!("Peak {}", i + 1),
        })
        .collect()
}
