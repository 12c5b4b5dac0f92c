//! A site's day so far and its month's peak, from the store, through the chart's cost
//! calculation (the same meter buckets, spot prices, tariff and `pricing::compute_cost`): today's
//! energy imported and exported, its cost, and the month's highest peak against its charge.

use std::collections::HashMap;

use novacore::pricing::{SpotPrices, Tariff, TimeRange};
use novadesk_store::SeriesKey;
use serde::Serialize;

use crate::chart::{
    cost_level, cost_span, key_tariff, load_json, local_day, local_midnight, meter_input,
    spot_input, summarise, usable_tariff, ChartPrefs, SiteInfo,
};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// Today (local midnight to now, in the site's time zone) at the grid meter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "FleetToday"))]
pub struct TodayEnergy {
    /// Imported from the grid, kWh.
    pub import_kwh: f64,
    /// Exported to the grid, kWh.
    pub export_kwh: f64,
    /// Cost so far incl. VAT (with the day's share of the fixed fee and power charge), when a
    /// tariff is known.
    pub cost: Option<f64>,
    /// The cost's currency.
    pub currency: String,
    /// Share of today with meter data, 0..1.
    pub metered_fraction: f64,
}

/// The month's highest peak and what the month's power charge is so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "FleetPeak"))]
pub struct MonthPeak {
    /// The highest window's average import, kW.
    pub kw: f64,
    /// Its start, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub start_ms: i64,
    /// The month's power charge at today's peaks (ex VAT), in `currency`.
    pub month_charge: f64,
    pub currency: String,
}

/// What the Fleet row shows of energy, each part with a sentence when it is missing.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SiteEnergy {
    pub today: Option<TodayEnergy>,
    pub today_note: Option<String>,
    pub peak: Option<MonthPeak>,
    pub peak_note: Option<String>,
}

impl SiteEnergy {
    fn unknown(note: &str) -> Self {
        Self {
            today_note: Some(note.into()),
            peak_note: Some(note.into()),
            ..Self::default()
        }
    }
}

/// What one fleet read shares between sites: each tariff is read and converted for pricing once,
/// each area's prices are read once.
#[derive(Default)]
pub(crate) struct Shared {
    tariffs: HashMap<String, Option<std::result::Result<Tariff, String>>>,
    prices: HashMap<(String, String, i64, i64), SpotPrices>,
}

const NO_METER: &str = "No grid meter at this site, so its energy and peaks are unknown.";
const NO_TARIFF: &str =
    "No grid tariff is stored for this site; open its chart (online) to choose one.";
const NOT_CACHED: &str = "The site's grid tariff is not stored yet; it is fetched when online.";

/// The site's day so far and month's peak at `now_ms`, from the store only, with its stored
/// preferences and the tariff to price with (`chart_prefs` and `cached_tariff_id`).
pub(crate) fn site_energy(
    ws: &Workspace,
    site: &SiteInfo,
    (prefs, tariff_id): (ChartPrefs, Option<String>),
    now_ms: i64,
    shared: &mut Shared,
) -> Result<SiteEnergy> {
    let Some(meter) = site.meter() else {
        return Ok(SiteEnergy::unknown(NO_METER));
    };
    let meter = SeriesKey::new(&meter.id, "W");
    let tz = site.tz();
    let from = local_midnight(tz, local_day(tz, now_ms));
    let to = now_ms.max(from + 1);
    let level = cost_level(from, to);
    let key = (prefs.price_area.clone(), prefs.currency.clone(), from, to);
    if !shared.prices.contains_key(&key) {
        let spot = spot_input(ws, &prefs.price_area, &prefs.currency, (from, to))?;
        shared.prices.insert(key.clone(), spot);
    }
    if let Some(id) = &tariff_id {
        if !shared.tariffs.contains_key(id) {
            let t = load_json::<novacore::tariffs::Tariff>(ws, &key_tariff(id))?
                .map(|t| usable_tariff(&t));
            shared.tariffs.insert(id.clone(), t);
        }
    }
    let spot = &shared.prices[&key];
    let tariff = tariff_id
        .as_ref()
        .and_then(|id| shared.tariffs[id].as_ref());
    let (Some(id), Some(tariff)) = (tariff_id, tariff) else {
        let note = if prefs.tariff_id.is_some() {
            NOT_CACHED
        } else {
            NO_TARIFF
        };
        return energy_without_tariff(ws, site, &meter, (from, to), &prefs.currency, spot, note);
    };
    // The month's meter data, as the chart reads it, so the peaks are the month's.
    let meter_data = meter_input(ws, &meter, level, cost_span(tz, from, to, now_ms))?;
    let (report, summary) = match summarise(&meter_data, spot, tariff, &id, from, to)? {
        Ok(done) => done,
        Err(note) => {
            return energy_without_tariff(
                ws,
                site,
                &meter,
                (from, to),
                &prefs.currency,
                spot,
                &note,
            )
        }
    };
    let today = TodayEnergy {
        import_kwh: summary.import_kwh,
        export_kwh: summary.export_kwh,
        cost: Some(summary.total_inc_vat),
        currency: summary.currency.clone(),
        metered_fraction: summary.metered_fraction,
    };
    let today_note = (summary.priced_fraction < 0.999 && summary.metered_fraction > 0.0).then(|| {
        format!(
            "Spot prices are stored for {:.0}% of today's metered time; the rest is not in the cost.",
            summary.priced_fraction * 100.0
        )
    });
    let month = report
        .power_months
        .iter()
        .max_by(|a, b| a.month_charge.total_cmp(&b.month_charge));
    let (peak, peak_note) = match month {
        None => (None, Some("This tariff has no power charge.".to_string())),
        Some(m) => match m.peaks.first() {
            Some(p) => (
                Some(MonthPeak {
                    kw: p.kw,
                    start_ms: p.start.timestamp_millis(),
                    month_charge: m.month_charge,
                    currency: report.currency.clone(),
                }),
                None,
            ),
            None => (
                None,
                Some("No meter data stored for this month yet.".to_string()),
            ),
        },
    };
    Ok(SiteEnergy {
        today: Some(today),
        today_note,
        peak,
        peak_note,
    })
}

/// Today's energy where the tariff cannot price it (none, not stored, another currency): energy
/// does not depend on the tariff, so the meter's kWh still show, with `note` for the cost and peak.
fn energy_without_tariff(
    ws: &Workspace,
    site: &SiteInfo,
    meter: &SeriesKey,
    (from, to): (i64, i64),
    currency: &str,
    spot: &SpotPrices,
    note: &str,
) -> Result<SiteEnergy> {
    let level = cost_level(from, to);
    let meter_data = meter_input(ws, meter, level, (from, to))?;
    let bare = Tariff::energy_only(site.time_zone.clone(), currency);
    let report = novacore::pricing::compute_cost(&meter_data, spot, &bare, range(from, to)?)
        .map_err(Error::Pricing)?;
    Ok(SiteEnergy {
        today: Some(TodayEnergy {
            import_kwh: report.import_kwh,
            export_kwh: report.export_kwh,
            cost: None,
            currency: currency.to_string(),
            metered_fraction: report.coverage.metered_fraction,
        }),
        today_note: Some(note.into()),
        peak: None,
        peak_note: Some(note.into()),
    })
}

fn range(from: i64, to: i64) -> Result<TimeRange> {
    let at = |ms| {
        chrono::DateTime::from_timestamp_millis(ms)
            .ok_or_else(|| Error::InvalidInput(format!("{ms} is not a time")))
    };
    Ok(TimeRange::new(at(from)?, at(to)?))
}
