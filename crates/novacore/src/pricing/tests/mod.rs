//! Cost computations checked against cases worked out by hand (the arithmetic is in comments).

mod dst;
mod eltariff;
mod from_sdk;
mod monthly;
mod oracle;
mod reference;
mod resolution;
mod shapes;

use chrono::{DateTime, TimeDelta, Utc};

use super::*;

pub(super) fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("test timestamp")
}

#[track_caller]
pub(super) fn close(actual: f64, expected: f64) {
    assert!(
        (actual - expected).abs() < 1e-9,
        "expected {expected}, got {actual}"
    );
}

/// A tariff with nothing but a zone and currency; tests add what they exercise.
pub(super) fn bare_tariff() -> Tariff {
    Tariff {
        time_zone: "Europe/Stockholm".into(),
        currency: "SEK".into(),
        fixed_per_month: 0.0,
        energy: vec![],
        energy_combination: EnergyCombination::Sum,
        power: vec![],
        vat_rate: 0.0,
    }
}

/// `n` buckets of `minutes` from `start`, power given by `w(i)`.
pub(super) fn net_buckets(
    start: &str,
    minutes: u32,
    n: usize,
    w: impl Fn(usize) -> f64,
) -> MeterSeries {
    let start = utc(start);
    MeterSeries::NetPower {
        interval_s: minutes * 60,
        points: (0..n)
            .map(|i| NetPowerPoint {
                ts: start + TimeDelta::minutes(i64::from(minutes) * i as i64),
                w: w(i),
            })
            .collect(),
    }
}

/// Equal slots of `minutes` from `start` with the given prices per MWh.
pub(super) fn prices(start: &str, minutes: u32, per_mwh: &[f64]) -> SpotPrices {
    let start = utc(start);
    SpotPrices::uniform(
        "SEK",
        minutes,
        per_mwh.iter().enumerate().map(|(i, p)| {
            (
                start + TimeDelta::minutes(i64::from(minutes) * i as i64),
                *p,
            )
        }),
    )
}

pub(super) fn range(from: &str, to: &str) -> TimeRange {
    TimeRange::new(utc(from), utc(to))
}
