//! "What if": the cost of a site's period under every grid tariff offered at its location plus
//! its current one, with the same meter data and spot prices.
//!
//! [`what_if`] fetches what the store lacks (the grid meter's history over the period's whole
//! months and the day-ahead prices, with progress and cancel — the chart's fetch), then prices
//! every tariff with `novacore::pricing::compute_cost` through [`crate::chart::cost_inputs`], the
//! chart's inputs: a tariff's total equals the chart's cost summary for the same period and
//! tariff. Rows are ranked cheapest first; tariffs that cannot be priced (half-filled answers,
//! another currency) come last with the reason. [`export_what_if`] writes the table and the
//! monthly costs as CSV.

mod compare;
mod export;
mod period;
mod tariffs;

use novadesk_store::{SeriesKey, Span};
use serde::{Deserialize, Serialize};

use crate::chart::{
    cached_site_info, chart_prefs, cost_inputs, cost_level, cost_span, fetch_missing, CancelToken,
    CostSummary, HistoryJob, PriceJob, Progress,
};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

pub use export::{export_what_if, what_if_csv};

/// What to compare.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIfRequest {
    /// The site.
    pub site_id: String,
    /// Period start, epoch ms; `None` with `to_ms` = the last 12 whole months.
    pub from_ms: Option<i64>,
    /// Period end (exclusive), epoch ms.
    pub to_ms: Option<i64>,
    /// Chart width, px.
    pub width: u32,
    /// Chart height, px.
    pub height: u32,
    /// Dark colours.
    pub dark: bool,
}

/// One tariff's row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TariffRow {
    /// Tariff id.
    pub tariff_id: String,
    /// "Company — name".
    pub label: String,
    /// The site's tariff today.
    pub current: bool,
    /// 1 = cheapest; `None` when it could not be priced.
    pub rank: Option<u32>,
    /// The cost of the period (the chart's summary shape), when it could be priced.
    pub cost: Option<CostSummary>,
    /// Total incl. VAT minus the current tariff's (negative = cheaper), when both are priced.
    pub difference: Option<f64>,
    /// Total incl. VAT per month of [`WhatIfOutput::months`].
    pub monthly: Vec<Option<f64>>,
    /// Why it could not be priced, for a person.
    pub problem: Option<String>,
}

/// A local month of the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonthSpan {
    /// "Jan 2026".
    pub label: String,
    /// Start, epoch ms.
    pub from_ms: i64,
    /// End (exclusive), epoch ms.
    pub to_ms: i64,
}

/// How much of the period the inputs cover, and what is missing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIfCoverage {
    /// Share of the period with meter data, 0..1.
    pub metered_fraction: f64,
    /// Share of the metered time with a spot price, 0..1.
    pub priced_fraction: f64,
    /// Parts of the period without meter data.
    pub meter_gaps: Vec<Span>,
    /// Metered parts without a spot price.
    pub unpriced: Vec<Span>,
    /// The above in one sentence.
    pub summary: String,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WhatIfOutput {
    /// Site id.
    pub site_id: String,
    /// Site name.
    pub site_name: String,
    /// The site's time zone (months and dates are local to it).
    pub time_zone: String,
    /// Period start, epoch ms.
    pub from_ms: i64,
    /// Period end (exclusive), epoch ms.
    pub to_ms: i64,
    /// Price area and currency of the spot prices (the chart's choice for the site).
    pub price_area: String,
    /// Currency of every amount.
    pub currency: String,
    /// The site's tariff today, when known.
    pub current_tariff_id: Option<String>,
    /// Ranked, cheapest first; unpriced tariffs last.
    pub rows: Vec<TariffRow>,
    /// The period's months.
    pub months: Vec<MonthSpan>,
    /// Monthly cost per tariff, grouped bars (SVG).
    pub chart_svg: String,
    /// Data coverage.
    pub coverage: WhatIfCoverage,
    /// What could not be done, for a person (no location, offline, …).
    pub notes: Vec<String>,
    /// The fetch stopped because the environment could not be reached (cached data shown).
    pub offline: bool,
    /// The list of offered tariffs came from the store (not fetched now).
    pub tariffs_cached: bool,
    /// When the oldest meter data used was fetched, epoch ms.
    pub cached_at: Option<i64>,
    /// Requests sent for this comparison (0 when everything was cached).
    pub network_requests: u32,
}

/// Compares the tariffs for a site and period, fetching missing meter history and prices first.
pub async fn what_if(
    ws: &Workspace,
    req: &WhatIfRequest,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &CancelToken,
) -> Result<WhatIfOutput> {
    let site = cached_site_info(ws, &req.site_id).await?;
    let meter = site.meter().ok_or_else(|| {
        Error::InvalidInput(format!(
            "{} has no grid meter, so there is no imported or exported energy to price under any tariff.",
            site.name
        ))
    })?;
    let meter_key = SeriesKey::new(&meter.id, "W");
    let prefs = chart_prefs(ws, &site)?;
    let tz = site.tz();
    let now = ws.now_ms();
    let (from, to) = period::resolve(tz, now, req.from_ms, req.to_ms)?;
    let span = cost_span(tz, from, to, now);
    let level = cost_level(from, to);

    let history = [HistoryJob {
        der: Some(meter.id.clone()),
        keys: vec![meter_key.clone()],
        level,
        from: span.0,
        to: span.1,
    }];
    let prices = PriceJob {
        area: prefs.price_area.clone(),
        currency: prefs.currency.clone(),
        tz,
        from,
        to,
    };
    let outcome = fetch_missing(ws, &site.id, &history, Some(&prices), progress, cancel).await?;
    let mut requests = outcome.requests;
    let mut notes: Vec<String> = outcome.note.into_iter().collect();

    let found = tariffs::candidates(ws, &site, &prefs, outcome.offline, &mut requests).await?;
    notes.extend(found.notes);
    if found.candidates.is_empty() {
        return Err(Error::InvalidInput(format!(
            "No grid tariff is known for {}: {}",
            site.name,
            notes.join(" ")
        )));
    }

    let (meter_series, spot) = cost_inputs(
        ws,
        &meter_key,
        level,
        span,
        &prefs.price_area,
        &prefs.currency,
    )?;
    let in_period = |ms: i64| ms >= from && ms < to;
    let metered = match &meter_series {
        novacore::pricing::MeterSeries::NetPower { points, .. } => {
            points.iter().any(|p| in_period(p.ts.timestamp_millis()))
        }
        _ => false,
    };
    let day = |ms: i64| crate::chart::local_day(tz, ms).to_string();
    if !metered {
        return Err(Error::InvalidInput(format!(
            "There is no meter data for {} between {} and {}{}, so no tariff can be priced.",
            site.name,
            day(from),
            day(to - 1),
            if outcome.offline {
                " in the store, and the server cannot be reached"
            } else {
                ""
            }
        )));
    }
    if !spot.slots.iter().any(|s| {
        let start = s.start.timestamp_millis();
        start < to && start + i64::from(s.duration_minutes) * 60_000 > from
    }) {
        return Err(Error::InvalidInput(format!(
            "There are no {} spot prices in {} between {} and {}{}, so no tariff can be priced; choose a period with published prices.",
            prefs.price_area,
            prefs.currency,
            day(from),
            day(to - 1),
            if outcome.offline { " in the store, and the server cannot be reached" } else { "" }
        )));
    }

    let months = period::months(tz, from, to);
    let priced = compare::price_all(&found.candidates, &meter_series, &spot, (from, to), &months);
    let coverage = coverage_of(&priced, tz);
    let rows = rank(priced);
    let month_spans: Vec<MonthSpan> = months
        .iter()
        .map(|(a, b)| MonthSpan {
            label: period::month_label(tz, *a),
            from_ms: *a.max(&from),
            to_ms: *b.min(&to),
        })
        .collect();
    let chart_svg = export::monthly_chart(req, &prefs.currency, &month_spans, &rows)?;
    let cached_at = {
        let store = ws.store();
        let known_to = to.min(level.floor(now));
        store
            .coverage(&meter_key, from, known_to.max(from + 1), level)?
            .covered
            .iter()
            .map(|c| c.fetched_at)
            .min()
    };
    Ok(WhatIfOutput {
        site_id: site.id.clone(),
        site_name: site.name.clone(),
        time_zone: site.time_zone.clone(),
        from_ms: from,
        to_ms: to,
        price_area: prefs.price_area.clone(),
        currency: prefs.currency.clone(),
        current_tariff_id: found.current,
        rows,
        months: month_spans,
        chart_svg,
        coverage,
        notes,
        offline: outcome.offline,
        tariffs_cached: found.cached,
        cached_at,
        network_requests: requests,
    })
}

/// Cheapest first (total incl. VAT), unpriced last; differences to the current tariff.
fn rank(priced: Vec<compare::Priced>) -> Vec<TariffRow> {
    let current_total = priced
        .iter()
        .find(|p| p.current)
        .and_then(|p| p.result.as_ref().ok())
        .map(|(_, s)| s.total_inc_vat);
    let mut rows: Vec<TariffRow> = priced
        .into_iter()
        .map(|p| {
            let (cost, problem) = match p.result {
                Ok((_, s)) => (Some(s), None),
                Err(why) => (None, Some(why)),
            };
            TariffRow {
                difference: cost
                    .as_ref()
                    .zip(current_total)
                    .map(|(c, t)| c.total_inc_vat - t),
                tariff_id: p.id,
                label: p.label,
                current: p.current,
                rank: None,
                cost,
                monthly: p.monthly,
                problem,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        let key = |r: &TariffRow| r.cost.as_ref().map_or(f64::INFINITY, |c| c.total_inc_vat);
        key(a).total_cmp(&key(b))
    });
    for (i, r) in rows.iter_mut().filter(|r| r.cost.is_some()).enumerate() {
        r.rank = Some(i as u32 + 1);
    }
    rows
}

/// Coverage depends on the meter data and prices only: any priced tariff's report tells it.
fn coverage_of(priced: &[compare::Priced], tz: chrono_tz::Tz) -> WhatIfCoverage {
    let spans = |v: &[novacore::pricing::TimeRange]| -> Vec<Span> {
        v.iter()
            .map(|r| Span {
                start: r.from.timestamp_millis(),
                end: r.to.timestamp_millis(),
            })
            .collect()
    };
    let Some(c) = priced
        .iter()
        .find_map(|p| p.result.as_ref().ok())
        .map(|(r, _)| &r.coverage)
    else {
        return WhatIfCoverage {
            metered_fraction: 0.0,
            priced_fraction: 0.0,
            meter_gaps: Vec::new(),
            unpriced: Vec::new(),
            summary: "No tariff could be priced, so coverage is unknown.".into(),
        };
    };
    let (meter_gaps, unpriced) = (spans(&c.meter_gaps), spans(&c.unpriced));
    let list = |gaps: &[Span]| -> String {
        let day = |ms: i64| crate::chart::local_day(tz, ms).to_string();
        let mut parts: Vec<String> = gaps
            .iter()
            .take(3)
            .map(|g| {
                let (a, b) = (day(g.start), day(g.end - 1));
                if a == b {
                    a
                } else {
                    format!("{a} to {b}")
                }
            })
            .collect();
        if gaps.len() > 3 {
            parts.push(format!("{} more", gaps.len() - 3));
        }
        parts.join(", ")
    };
    let mut summary = format!(
        "Meter data covers {:.0}% of the period",
        c.metered_fraction * 100.0
    );
    if !meter_gaps.is_empty() {
        summary.push_str(&format!(" (missing: {})", list(&meter_gaps)));
    }
    summary.push_str(&format!(
        "; spot prices cover {:.0}% of the metered time",
        c.priced_fraction * 100.0
    ));
    if !unpriced.is_empty() {
        summary.push_str(&format!(
            " (missing: {}; energy there counts for the grid fee but has no spot cost)",
            list(&unpriced)
        ));
    }
    summary.push('.');
    WhatIfCoverage {
        metered_fraction: c.metered_fraction,
        priced_fraction: c.priced_fraction,
        meter_gaps,
        unpriced,
        summary,
    }
}
