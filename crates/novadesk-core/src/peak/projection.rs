//! The current peak window's running average and projection, and what it would do to the
//! month's power charge — pure, with the clock passed in.
//!
//! Rules:
//! - Each power component is evaluated on its own ([`project_all`]).
//! - The window is the power component's window containing `now` in the tariff's zone
//!   ([`Tariff::peak_window`]): the local hour for `PT1H`, so DST days have 23 or 25 of them.
//! - Running average = imported energy measured in the window so far / measured time. Exported
//!   power counts as zero import (the charge is on import), as in `pricing`.
//! - Projection to the window's end = measured import + the latest power held from the latest
//!   reading to the window's end, over the window's length. With the stream dropped, the latest
//!   power is the last cached one, and the result says so ([`PeakSource::Cached`]).
//! - The month's charged peaks and the charge are `pricing::compute_cost`'s on the month's meter
//!   data before the window; "a new charged peak" is the projected window being among the peaks
//!   `compute_cost` finds when the projected window is added, and what it adds is the difference
//!   of the two month charges (ex VAT; inc VAT with the tariff's VAT rate).

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use novacore::pricing::{
    compute_cost, MeterSeries, NetPowerPoint, PowerComponent, SpotPrices, Tariff, TimeRange,
};

use crate::chart::PeakInfo;
use crate::error::Result;
use crate::live::{LinkState, PowerFlow};

/// Average power over `[start_ms, end_ms)` (a store bucket, clipped to what it covers).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MeterPiece {
    /// Start, epoch ms.
    pub start_ms: i64,
    /// End (exclusive), epoch ms.
    pub end_ms: i64,
    /// Average net power, W (+ import).
    pub w: f64,
}

/// Where the numbers come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum PeakSource {
    /// The live stream is delivering readings.
    Live,
    /// The stream is down (reconnecting or offline): from the readings cached before it dropped.
    Cached,
    /// No reading of the grid meter in this window yet.
    NoReadings,
}

/// One of the largest consumers right now, from the power flow.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Consumer {
    /// "House", "EV charger", "Battery charging".
    pub label: String,
    /// Power, kW.
    pub kw: f64,
}

/// The power-peak picture of a site now.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PeakStatus {
    /// Power component name (`Effektavgift`).
    pub component: String,
    /// Currency of every amount.
    pub currency: String,
    /// Price per kW of the averaged peak and month, ex VAT.
    pub price_per_kw: f64,
    /// How many peaks are averaged.
    pub n_peaks: u32,
    /// At most one peak per local day.
    pub one_peak_per_day: bool,
    /// VAT rate (0.25 = 25 %).
    pub vat_rate: f64,
    /// The current window, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub window_start_ms: i64,
    /// Its end (exclusive), epoch ms.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub window_end_ms: i64,
    /// Whether this window may count as a peak (the tariff's hours, weekdays, months).
    pub window_counts: bool,
    /// Import averaged over the measured part of the window, kW.
    pub running_avg_kw: Option<f64>,
    /// Projected average of the whole window, kW.
    pub projected_kw: Option<f64>,
    /// Share of the elapsed window with meter data, 0..1.
    pub measured_fraction: f64,
    /// The month's charged peaks so far (before this window), highest first.
    pub peaks: Vec<PeakInfo>,
    /// The month's power charge so far, ex VAT.
    pub month_charge_ex_vat: f64,
    /// Whether the projection would be one of the month's charged peaks.
    pub new_peak: bool,
    /// What the projection adds to the month's power charge, ex VAT (0 when nothing).
    pub adds_ex_vat: f64,
    /// The same inc VAT.
    pub adds_inc_vat: f64,
    /// The largest consumers now, largest first.
    pub consumers: Vec<Consumer>,
    /// Live or cached readings.
    pub source: PeakSource,
    /// Start of the newest meter data used (a reading's time), epoch ms.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub last_reading_ms: Option<i64>,
}

impl PeakStatus {
    /// Whether to warn: the projection sets a new charged peak that costs something.
    pub fn warns(&self) -> bool {
        self.window_counts && self.new_peak && self.adds_ex_vat > 0.0
    }
}

/// What [`project`] works from.
#[derive(Debug, Clone, Copy)]
pub struct PeakInputs<'a> {
    /// The mapped grid tariff (validated).
    pub tariff: &'a Tariff,
    /// The month's meter buckets of `month_interval_s` each (any before the window count).
    pub month: &'a [NetPowerPoint],
    /// Width of the month's buckets, s.
    pub month_interval_s: u32,
    /// Meter data of the current window (buckets or held samples), any order.
    pub window: &'a [MeterPiece],
    /// Now.
    pub now: DateTime<Utc>,
    /// The live stream's state, `None` when no stream is watched.
    pub link: Option<LinkState>,
    /// The power flow from the latest readings.
    pub flow: Option<&'a PowerFlow>,
}

fn ms(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

/// Measured import (Wh), measured ms, and the latest piece within `[from, until)`.
fn measure(pieces: &[MeterPiece], from: i64, until: i64) -> (f64, i64, Option<MeterPiece>) {
    let (mut wh, mut covered, mut latest): (f64, i64, Option<MeterPiece>) = (0.0, 0, None);
    for p in pieces {
        let (a, b) = (p.start_ms.max(from), p.end_ms.min(until));
        if b <= a || !p.w.is_finite() {
            continue;
        }
        covered += b - a;
        wh += p.w.max(0.0) * (b - a) as f64 / 3_600_000.0;
        if latest.is_none_or(|l| b > l.end_ms.min(until)) {
            latest = Some(MeterPiece {
                start_ms: a,
                end_ms: b,
                w: p.w,
            });
        }
    }
    (wh, covered, latest)
}

/// The largest consumers in `flow` (positive draws only), largest first, at most three.
pub fn consumers(flow: &PowerFlow) -> Vec<Consumer> {
    let mut out: Vec<Consumer> = [
        ("House", flow.load_w),
        ("EV charger", flow.ev.map(|f| f.w)),
        ("Battery charging", flow.battery.map(|f| f.w)),
    ]
    .into_iter()
    .filter_map(|(label, w)| {
        let w = w.filter(|w| w.is_finite() && *w > 0.0)?;
        Some(Consumer {
            label: label.into(),
            kw: w / 1000.0,
        })
    })
    .collect();
    out.sort_by(|a, b| b.kw.total_cmp(&a.kw));
    out.truncate(3);
    out
}

/// The month's power charge and peaks for `series`, per `pricing` (one component only).
fn month_charge(
    tariff: &Tariff,
    comp: &PowerComponent,
    series: &MeterSeries,
    window: TimeRange,
) -> Result<(f64, Vec<PeakInfo>)> {
    let only = Tariff {
        power: vec![comp.clone()],
        ..tariff.clone()
    };
    let prices = SpotPrices {
        currency: tariff.currency.clone(),
        slots: Vec::new(),
    };
    let report = compute_cost(series, &prices, &only, window)?;
    let month = report.power_months.first();
    let peaks = month
        .map(|m| {
            m.peaks
                .iter()
                .map(|p| PeakInfo {
                    start_ms: ms(p.start),
                    kw: p.kw,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok((month.map_or(0.0, |m| m.month_charge), peaks))
}

/// The peak picture of every power component of the tariff, in the tariff's order (each is
/// charged on its own, so each has its own window, peaks and addition).
pub fn project_all(inputs: PeakInputs<'_>) -> Result<Vec<PeakStatus>> {
    inputs
        .tariff
        .power
        .iter()
        .map(|c| project(inputs, c))
        .collect()
}

/// The peak picture of `component` at `inputs.now` (see the module docs for the rules).
pub fn project(inputs: PeakInputs<'_>, component: &PowerComponent) -> Result<PeakStatus> {
    let tariff = inputs.tariff;
    let (window, counts) = tariff.peak_window(component, inputs.now)?;
    let (w0, w1, now) = (ms(window.from), ms(window.to), ms(inputs.now));
    let (wh, covered, latest) = measure(inputs.window, w0, now.min(w1));
    let elapsed = (now.min(w1) - w0).max(0);
    let running_avg_kw = (covered > 0).then(|| wh / (covered as f64 / 3_600_000.0) / 1000.0);
    let window_h = (w1 - w0) as f64 / 3_600_000.0;
    let projected_kw = latest.map(|l| {
        let rest_h = (w1 - l.end_ms).max(0) as f64 / 3_600_000.0;
        (wh + l.w.max(0.0) * rest_h) / window_h / 1000.0
    });

    // The month before the window, then with the projected window added.
    let width = TimeDelta::seconds(i64::from(inputs.month_interval_s.max(1)));
    let before: Vec<NetPowerPoint> = inputs
        .month
        .iter()
        .filter(|p| p.ts + width <= window.from)
        .copied()
        .collect();
    let series = |points: Vec<NetPowerPoint>| MeterSeries::NetPower {
        interval_s: inputs.month_interval_s.max(1),
        points,
    };
    let (charge_now, peaks) = month_charge(tariff, component, &series(before.clone()), window)?;
    let (mut new_peak, mut adds) = (false, 0.0);
    if let (Some(kw), true) = (projected_kw, counts) {
        // The projected window as buckets of the month's width (a width dividing the window).
        let mut with = before;
        let mut t = window.from;
        while t < window.to {
            with.push(NetPowerPoint {
                ts: t,
                w: kw * 1000.0,
            });
            t += width;
        }
        let (charge_then, peaks_then) = month_charge(tariff, component, &series(with), window)?;
        new_peak = peaks_then.iter().any(|p| p.start_ms == w0);
        adds = (charge_then - charge_now).max(0.0);
    }
    let source = match (latest, inputs.link) {
        (None, _) => PeakSource::NoReadings,
        (Some(_), Some(LinkState::Live)) => PeakSource::Live,
        (Some(_), _) => PeakSource::Cached,
    };
    Ok(PeakStatus {
        component: component.name.clone(),
        currency: tariff.currency.clone(),
        price_per_kw: component.price_per_kw,
        n_peaks: component.n_peaks,
        one_peak_per_day: component.one_peak_per_day,
        vat_rate: tariff.vat_rate,
        window_start_ms: w0,
        window_end_ms: w1,
        window_counts: counts,
        running_avg_kw,
        projected_kw,
        measured_fraction: if elapsed > 0 {
            covered as f64 / elapsed as f64
        } else {
            0.0
        },
        peaks,
        month_charge_ex_vat: charge_now,
        new_peak,
        adds_ex_vat: adds,
        adds_inc_vat: adds * (1.0 + tariff.vat_rate),
        consumers: inputs.flow.map(consumers).unwrap_or_default(),
        source,
        last_reading_ms: latest.map(|l| l.start_ms),
    })
}
