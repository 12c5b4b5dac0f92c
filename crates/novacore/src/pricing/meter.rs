//! Meter input: the grid-connection meter as average-power buckets, raw power samples or
//! cumulative energy counters, at any resolution, normalised to energy intervals.
//!
//! Gaps are never filled: a bucket covers only its own interval, a raw sample holds only up to
//! `max_hold_s`, and time not covered by any interval is reported as a gap in the coverage.
//! Only counters carry energy across a gap (the meter really measured it); that energy is
//! spread evenly over the time between the two readings.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::error::{PricingError, Result};

/// Average net power of one bucket starting at `ts`. Sign as on the wire (reference §4.1):
/// `w > 0` imports from the grid, `w < 0` exports to it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct NetPowerPoint {
    /// Bucket start.
    pub ts: DateTime<Utc>,
    /// Average net power over the bucket, W.
    pub w: f64,
}

/// Average import and export power of one bucket, both >= 0. Better than [`NetPowerPoint`] for
/// coarse buckets, where netting would hide import and export within the same bucket.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SplitPowerPoint {
    /// Bucket start.
    pub ts: DateTime<Utc>,
    /// Average import power, W (>= 0).
    pub import_w: f64,
    /// Average export power, W (>= 0).
    pub export_w: f64,
}

/// A reading of the meter's cumulative counters (`total_import_Wh`, `total_export_Wh`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CounterPoint {
    /// Reading instant.
    pub ts: DateTime<Utc>,
    /// Cumulative imported energy, Wh.
    pub import_wh: f64,
    /// Cumulative exported energy, Wh.
    pub export_wh: f64,
}

/// A meter series in one of the shapes the platform produces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum MeterSeries {
    /// Fixed-width buckets of average net power (e.g. history at 1m/15m/1h, field `W.avg`).
    NetPower {
        /// Bucket width, seconds.
        interval_s: u32,
        /// Buckets, any order, no overlap.
        points: Vec<NetPowerPoint>,
    },
    /// Fixed-width buckets of average import and export power.
    SplitPower {
        /// Bucket width, seconds.
        interval_s: u32,
        /// Buckets, any order, no overlap.
        points: Vec<SplitPowerPoint>,
    },
    /// Instantaneous net-power samples (e.g. from the live stream): each holds until the next
    /// sample, but for at most `max_hold_s` seconds — beyond that it is a gap.
    NetPowerSamples {
        /// Longest time a sample is taken to stay valid, seconds.
        max_hold_s: u32,
        /// Samples, any order, distinct timestamps.
        points: Vec<NetPowerPoint>,
    },
    /// Cumulative energy counter readings; consecutive readings bound one interval.
    Counters {
        /// Readings, any order, distinct timestamps.
        points: Vec<CounterPoint>,
    },
}

/// A span of time with the energy that crossed the grid connection during it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EnergyInterval {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub import_wh: f64,
    pub export_wh: f64,
    /// `end − start` in whole milliseconds, computed once: `share` runs per piece.
    ms: i64,
}

impl EnergyInterval {
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, import_wh: f64, export_wh: f64) -> Self {
        Self {
            start,
            end,
            import_wh,
            export_wh,
            ms: (end - start).num_milliseconds(),
        }
    }

    /// A bucket of `width` from `start` (its length is known, so no date arithmetic for `ms`).
    fn bucket(start: DateTime<Utc>, width: TimeDelta, import_wh: f64, export_wh: f64) -> Self {
        Self {
            start,
            end: start + width,
            import_wh,
            export_wh,
            ms: width.num_milliseconds(),
        }
    }

    /// Share of this interval's energy falling in `[a, b)` (assumes constant power inside it).
    pub fn share(&self, a: DateTime<Utc>, b: DateTime<Utc>) -> (f64, f64) {
        let total = self.ms as f64;
        // A piece covering the whole interval (the usual case) overlaps it by exactly `ms`.
        let part = if a <= self.start && self.end <= b {
            self.ms
        } else {
            super::calendar::overlap_ms(self.start, self.end, a, b)
        } as f64;
        let f = if total > 0.0 { part / total } else { 0.0 };
        (self.import_wh * f, self.export_wh * f)
    }
}

fn check_finite(ts: DateTime<Utc>, values: &[f64]) -> Result<()> {
    if !super::calendar::in_supported_era(ts) {
        return Err(PricingError::InvalidMeterValue {
            ts,
            message: "timestamp outside the years 1900-9999".into(),
        });
    }
    if values.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(PricingError::InvalidMeterValue {
            ts,
            message: "value is not a finite number".into(),
        })
    }
}

fn positive_secs(secs: u32, field: &str) -> Result<TimeDelta> {
    if secs == 0 {
        return Err(PricingError::InvalidDuration {
            field: field.into(),
        });
    }
    Ok(TimeDelta::seconds(i64::from(secs)))
}

/// Rejects overlaps in a start-sorted list of intervals.
fn ensure_disjoint(intervals: &[EnergyInterval]) -> Result<()> {
    for pair in intervals.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(PricingError::OverlappingMeterData { ts: pair[1].start });
        }
    }
    Ok(())
}

fn wh(w: f64, span: TimeDelta) -> f64 {
    w * span.num_milliseconds() as f64 / 3_600_000.0
}

/// Net power held over `span` as (imported, exported) Wh: positive power imports.
fn net_wh(w: f64, span: TimeDelta) -> (f64, f64) {
    (wh(w.max(0.0), span), wh((-w).max(0.0), span))
}

impl MeterSeries {
    /// Average-power buckets `interval_s` wide from `(start in epoch ms, W)` pairs, as a store
    /// holds them; fastest when they come in time order. A start that is not a time is refused.
    pub fn net_power_from_millis(interval_s: u32, points: &[(i64, f64)]) -> Result<Self> {
        let mut days = super::calendar::UtcDays::default();
        let mut out = Vec::with_capacity(points.len());
        for &(ms, w) in points {
            let ts = days.at(ms).ok_or_else(|| PricingError::InvalidMeterValue {
                ts: DateTime::<Utc>::MIN_UTC,
                message: format!("{ms} ms after 1970 is not a time"),
            })?;
            out.push(NetPowerPoint { ts, w });
        }
        Ok(MeterSeries::NetPower {
            interval_s,
            points: out,
        })
    }

    /// Validates the series and turns it into sorted, disjoint energy intervals.
    pub(crate) fn to_intervals(&self) -> Result<Vec<EnergyInterval>> {
        let mut out = match self {
            // Loops into a vector of the right size: `collect` into a `Result` cannot reserve,
            // and regrowing is a large part of a month of buckets.
            MeterSeries::NetPower { interval_s, points } => {
                let width = positive_secs(*interval_s, "interval_s")?;
                let mut out = Vec::with_capacity(points.len());
                for p in points {
                    check_finite(p.ts, &[p.w])?;
                    let (import_wh, export_wh) = net_wh(p.w, width);
                    out.push(EnergyInterval::bucket(p.ts, width, import_wh, export_wh));
                }
                out
            }
            MeterSeries::SplitPower { interval_s, points } => {
                let width = positive_secs(*interval_s, "interval_s")?;
                let mut out = Vec::with_capacity(points.len());
                for p in points {
                    check_finite(p.ts, &[p.import_w, p.export_w])?;
                    if p.import_w < 0.0 || p.export_w < 0.0 {
                        return Err(PricingError::InvalidMeterValue {
                            ts: p.ts,
                            message: "import_w and export_w must be >= 0".into(),
                        });
                    }
                    out.push(EnergyInterval::bucket(
                        p.ts,
                        width,
                        wh(p.import_w, width),
                        wh(p.export_w, width),
                    ));
                }
                out
            }
            MeterSeries::NetPowerSamples { max_hold_s, points } => {
                let hold = positive_secs(*max_hold_s, "max_hold_s")?;
                let mut sorted = points.clone();
                sorted.sort_by_key(|p| p.ts);
                let mut out = Vec::with_capacity(sorted.len());
                for (i, p) in sorted.iter().enumerate() {
                    check_finite(p.ts, &[p.w])?;
                    let limit = p.ts + hold;
                    let end = match sorted.get(i + 1) {
                        Some(next) if next.ts == p.ts => {
                            return Err(PricingError::OverlappingMeterData { ts: next.ts })
                        }
                        Some(next) => next.ts.min(limit),
                        None => limit,
                    };
                    let (import_wh, export_wh) = net_wh(p.w, end - p.ts);
                    out.push(EnergyInterval::new(p.ts, end, import_wh, export_wh));
                }
                out
            }
            MeterSeries::Counters { points } => {
                let mut sorted = points.clone();
                sorted.sort_by_key(|p| p.ts);
                let mut out = Vec::with_capacity(sorted.len());
                for p in &sorted {
                    check_finite(p.ts, &[p.import_wh, p.export_wh])?;
                }
                for pair in sorted.windows(2) {
                    let (a, b) = (pair[0], pair[1]);
                    if a.ts == b.ts {
                        return Err(PricingError::OverlappingMeterData { ts: b.ts });
                    }
                    if b.import_wh < a.import_wh || b.export_wh < a.export_wh {
                        return Err(PricingError::CounterDecreased { ts: b.ts });
                    }
                    out.push(EnergyInterval::new(
                        a.ts,
                        b.ts,
                        b.import_wh - a.import_wh,
                        b.export_wh - a.export_wh,
                    ));
                }
                out
            }
        };
        // Stored series come sorted; the (stable) sort would leave them as they are.
        if !out.is_sorted_by_key(|i| i.start) {
            out.sort_by_key(|i| i.start);
        }
        ensure_disjoint(&out)?;
        Ok(out)
    }
}
