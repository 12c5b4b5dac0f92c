//! Historical telemetry — **INFERRED** endpoint (the real one is undocumented, reference §3.6.3):
//! `GET /sites/{site_id}/telemetry?from=&to=&resolution=[&der_id=]`, per the lead's wire contract.
//! Kept in this one module so it can follow the real API once known.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::ops::Range;

use crate::error::{Error, Result};
use crate::models::time;
use crate::request::Req;
use crate::stream::Telemetry;

/// The server's limit of buckets per request; longer ranges are split.
pub const MAX_BUCKETS: i64 = 100_000;

/// Bucket width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Resolution {
    /// 1 minute.
    #[serde(rename = "1m")]
    Minute,
    /// 5 minutes.
    #[serde(rename = "5m")]
    FiveMinutes,
    /// 15 minutes.
    #[serde(rename = "15m")]
    QuarterHour,
    /// 1 hour.
    #[serde(rename = "1h")]
    Hour,
    /// 1 day (UTC).
    #[serde(rename = "1d")]
    Day,
}

impl Resolution {
    /// Wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Minute => "1m",
            Resolution::FiveMinutes => "5m",
            Resolution::QuarterHour => "15m",
            Resolution::Hour => "1h",
            Resolution::Day => "1d",
        }
    }
    /// Bucket width.
    pub fn duration(self) -> chrono::Duration {
        match self {
            Resolution::Minute => chrono::Duration::minutes(1),
            Resolution::FiveMinutes => chrono::Duration::minutes(5),
            Resolution::QuarterHour => chrono::Duration::minutes(15),
            Resolution::Hour => chrono::Duration::hours(1),
            Resolution::Day => chrono::Duration::days(1),
        }
    }
}

/// Aggregates of one numeric field in one bucket.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Aggregate {
    /// Mean.
    #[serde(default)]
    pub avg: Option<f64>,
    /// Minimum.
    #[serde(default)]
    pub min: Option<f64>,
    /// Maximum.
    #[serde(default)]
    pub max: Option<f64>,
    /// Last sample.
    #[serde(default)]
    pub last: Option<f64>,
}

/// One time bucket.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bucket {
    /// Bucket start.
    pub ts: DateTime<Utc>,
    /// Samples in the bucket.
    pub n: Option<u64>,
    /// Aggregates per field (`W`, `SoC_nom_fract`, …).
    pub fields: BTreeMap<String, Aggregate>,
}

impl<'de> Deserialize<'de> for Bucket {
    /// Accepts the contract shape `{ts, n, fields:{W:{avg,…}}}` and a flat `{ts, W: 1.0, …}`.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let mut m = serde_json::Map::<String, Value>::deserialize(d)?;
        let ts_v = ["ts", "timestamp", "time"]
            .iter()
            .find_map(|k| m.remove(*k))
            .ok_or_else(|| serde::de::Error::custom("bucket without ts"))?;
        let ts =
            time::from_value(&ts_v).ok_or_else(|| serde::de::Error::custom("bad bucket ts"))?;
        let n = m.remove("n").and_then(|v| v.as_u64());
        let fields = match m.remove("fields") {
            Some(f) => serde_json::from_value(f).map_err(serde::de::Error::custom)?,
            None => m
                .into_iter()
                .filter_map(|(k, v)| {
                    let x = v.as_f64()?;
                    let one = Some(x);
                    Some((
                        k,
                        Aggregate {
                            avg: one,
                            min: one,
                            max: one,
                            last: one,
                        },
                    ))
                })
                .collect(),
        };
        Ok(Bucket { ts, n, fields })
    }
}

/// The buckets of one DER.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Series {
    /// DER id.
    #[serde(default)]
    pub der_id: Option<String>,
    /// Device id.
    #[serde(default)]
    pub device_id: Option<String>,
    /// Telemetry kind (`pv`, `battery`, …).
    #[serde(rename = "type", alias = "der_type", default)]
    pub kind: Option<String>,
    /// Resolution echoed by the server.
    #[serde(default)]
    pub resolution: Option<String>,
    /// Buckets in time order.
    #[serde(default)]
    pub points: Vec<Bucket>,
}

impl Telemetry<'_> {
    /// Aggregated history of a site (or of one DER) over `range` (`end` exclusive). Ranges longer
    /// than [`MAX_BUCKETS`] buckets are fetched in pieces and merged per DER.
    pub async fn history(
        &self,
        site_id: &str,
        range: Range<DateTime<Utc>>,
        resolution: Resolution,
        der_id: Option<&str>,
    ) -> Result<Vec<Series>> {
        if range.start >= range.end {
            return Err(Error::InvalidInput(
                "history range: start must be before end".into(),
            ));
        }
        let mut merged: Vec<Series> = Vec::new();
        for Range {
            start: from,
            end: to,
        } in windows(range, resolution)
        {
            let req = Req::get(&["sites", site_id, "telemetry"])
                .query("from", from.timestamp_millis())
                .query("to", to.timestamp_millis())
                .query("resolution", resolution.as_str())
                .query_opt("der_id", der_id);
            let part: Vec<Series> = self.client.list(req).await?;
            for s in part {
                match merged
                    .iter_mut()
                    .find(|m| m.der_id == s.der_id && m.kind == s.kind)
                {
                    Some(m) => m.points.extend(s.points),
                    None => merged.push(s),
                }
            }
        }
        Ok(merged)
    }
}

/// Splits `range` into consecutive windows of at most [`MAX_BUCKETS`] buckets. The last window
/// is clipped to `range.end`, also when adding a full window would leave chrono's date range.
fn windows(
    range: Range<DateTime<Utc>>,
    resolution: Resolution,
) -> impl Iterator<Item = Range<DateTime<Utc>>> {
    let step = resolution.duration() * (MAX_BUCKETS as i32);
    let mut from = range.start;
    std::iter::from_fn(move || {
        if from >= range.end {
            return None;
        }
        let to = from
            .checked_add_signed(step)
            .map_or(range.end, |t| t.min(range.end));
        let window = from..to;
        from = to;
        Some(window)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_contract_and_flat_shapes() {
        let s: Vec<Series> = serde_json::from_str(
            r#"[{"der_id":"der-1","device_id":"dev-1","type":"battery","resolution":"15m",
                 "points":[{"ts":1772791200000,"n":15,"fields":{"W":{"avg":-1.5,"min":-3,"max":0,"last":-2},"SoC_nom_fract":{"avg":0.5}}}]},
                {"der_id":"der-2","type":"pv","points":[{"ts":"2026-03-06T10:00:00Z","W":-1000}]}]"#,
        )
        .unwrap();
        assert_eq!(s[0].points[0].n, Some(15));
        assert_eq!(s[0].points[0].fields["W"].min, Some(-3.0));
        assert_eq!(s[1].points[0].ts, s[0].points[0].ts);
        assert_eq!(s[1].points[0].fields["W"].avg, Some(-1000.0));
        assert!(serde_json::from_str::<Vec<Series>>(r#"[{"points":[{"W":1}]}]"#).is_err());
    }

    #[test]
    fn windows_cover_the_range_and_clip_at_the_end_of_time() {
        let start = DateTime::<Utc>::from_timestamp_millis(0).unwrap();
        let end = start + Resolution::Minute.duration() * 250_000;
        let w: Vec<_> = windows(start..end, Resolution::Minute).collect();
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].start, start);
        assert_eq!(w[2].end, end);
        assert!(w.windows(2).all(|p| p[0].end == p[1].start));
        // Regression: `from + step` overflowed (and panicked) near DateTime::MAX_UTC.
        let end = DateTime::<Utc>::MAX_UTC;
        let start = end - chrono::Duration::days(3);
        let w: Vec<_> = windows(start..end, Resolution::Day).collect();
        assert_eq!(w, vec![start..end]);
    }
}
