//! Historical telemetry — **INFERRED** endpoint (the real one is undocumented, reference §3.6.3):
//! `GET /sites/{site_id}/telemetry?from=&to=&resolution=[&der_id=]`, per the lead's wire contract.
//! Kept in this one module so it can follow the real API once known.

use chrono::{DateTime, Utc};
use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
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

impl Aggregate {
    /// A field given as one number (the flat bucket shape): every aggregate is that number.
    pub fn single(x: f64) -> Self {
        let one = Some(x);
        Aggregate {
            avg: one,
            min: one,
            max: one,
            last: one,
        }
    }
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
    /// Read key by key, without a map of `Value`s first (that map was most of a history page's
    /// allocations); the last occurrence of a key counts, as in a JSON object read into a map.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(BucketVisitor)
    }
}

struct BucketVisitor;

impl<'de> Visitor<'de> for BucketVisitor {
    type Value = Bucket;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Bucket, A::Error> {
        // `ts`, `timestamp`, `time`: the first present one is the time, whatever the document
        // order; the others stay ordinary keys (flat fields when numeric).
        let mut times: [Option<Scalar>; 3] = [None, None, None];
        let mut n = None;
        let mut fields: Option<BTreeMap<String, Aggregate>> = None;
        // Flat candidates, by key (the last occurrence counts); only used without `fields`.
        let mut flat: BTreeMap<String, Option<f64>> = BTreeMap::new();
        while let Some(key) = map.next_key::<BucketKey>()? {
            match key {
                BucketKey::Time(i) => times[i] = Some(map.next_value_seed(ScalarSeed(true))?),
                BucketKey::N => n = map.next_value_seed(ScalarSeed(false))?.as_u64(),
                BucketKey::Fields => {
                    fields = Some(map.next_value()?);
                    flat.clear();
                }
                BucketKey::Other(k) if fields.is_none() => {
                    let x = map.next_value_seed(ScalarSeed(false))?.as_f64();
                    flat.insert(k.into_owned(), x);
                }
                BucketKey::Other(_) => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let at = times
            .iter()
            .position(Option::is_some)
            .ok_or_else(|| de::Error::custom("bucket without ts"))?;
        let ts = times[at]
            .as_ref()
            .and_then(Scalar::as_time)
            .ok_or_else(|| de::Error::custom("bad bucket ts"))?;
        let fields = match fields {
            Some(f) => f,
            None => {
                for (i, t) in times.iter().enumerate().skip(at + 1) {
                    if let Some(t) = t {
                        flat.insert(TIME_KEYS[i].to_owned(), t.as_f64());
                    }
                }
                flat.into_iter()
                    .filter_map(|(k, x)| Some((k, Aggregate::single(x?))))
                    .collect()
            }
        };
        Ok(Bucket { ts, n, fields })
    }
}

/// The time keys of a bucket, in priority order.
const TIME_KEYS: [&str; 3] = ["ts", "timestamp", "time"];

enum BucketKey<'de> {
    Time(usize),
    N,
    Fields,
    Other(Cow<'de, str>),
}

impl<'de> Deserialize<'de> for BucketKey<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = BucketKey<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, k: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(BucketKey::known(k).unwrap_or(BucketKey::Other(Cow::Borrowed(k))))
            }
            fn visit_str<E>(self, k: &str) -> std::result::Result<Self::Value, E> {
                Ok(BucketKey::known(k).unwrap_or_else(|| BucketKey::Other(k.to_owned().into())))
            }
            fn visit_string<E>(self, k: String) -> std::result::Result<Self::Value, E> {
                Ok(BucketKey::known(&k).unwrap_or(BucketKey::Other(k.into())))
            }
        }
        d.deserialize_str(V)
    }
}

impl BucketKey<'_> {
    fn known(k: &str) -> Option<Self> {
        Some(match k {
            "n" => BucketKey::N,
            "fields" => BucketKey::Fields,
            _ => BucketKey::Time(TIME_KEYS.iter().position(|t| *t == k)?),
        })
    }
}

/// A bucket value as far as the bucket reads it (what `as_u64`, `as_f64` and
/// `time::from_value` made of a `Value` before).
enum Scalar {
    U(u64),
    I(i64),
    F(f64),
    /// A string, parsed as a timestamp (only read for the time keys).
    Time(Option<DateTime<Utc>>),
    Other,
}

impl Scalar {
    fn as_u64(&self) -> Option<u64> {
        match *self {
            Scalar::U(u) => Some(u),
            Scalar::I(i) => u64::try_from(i).ok(),
            _ => None,
        }
    }

    fn as_f64(&self) -> Option<f64> {
        match *self {
            Scalar::U(u) => Some(u as f64),
            Scalar::I(i) => Some(i as f64),
            Scalar::F(x) => Some(x),
            _ => None,
        }
    }

    fn as_time(&self) -> Option<DateTime<Utc>> {
        match self {
            Scalar::Time(t) => *t,
            s => s.as_f64().and_then(time::from_number),
        }
    }
}

/// Reads any value as a [`Scalar`]; `.0`: parse a string as a timestamp.
struct ScalarSeed(bool);

impl<'de> DeserializeSeed<'de> for ScalarSeed {
    type Value = Scalar;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<Scalar, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ScalarSeed {
    type Value = Scalar;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_u64<E>(self, u: u64) -> std::result::Result<Scalar, E> {
        Ok(Scalar::U(u))
    }
    fn visit_i64<E>(self, i: i64) -> std::result::Result<Scalar, E> {
        Ok(Scalar::I(i))
    }
    fn visit_f64<E>(self, x: f64) -> std::result::Result<Scalar, E> {
        Ok(Scalar::F(x))
    }
    fn visit_str<E>(self, s: &str) -> std::result::Result<Scalar, E> {
        Ok(if self.0 {
            Scalar::Time(time::parse_str(s))
        } else {
            Scalar::Other
        })
    }
    fn visit_bool<E>(self, _: bool) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_unit<E>(self) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_none<E>(self) -> std::result::Result<Scalar, E> {
        Ok(Scalar::Other)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> std::result::Result<Scalar, A::Error> {
        IgnoredAny.visit_seq(seq).map(|_| Scalar::Other)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> std::result::Result<Scalar, A::Error> {
        IgnoredAny.visit_map(map).map(|_| Scalar::Other)
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

    /// The bucket decoder as it was, through a map of `Value`s: the reference for the new one.
    fn bucket_value(m: serde_json::Value) -> std::result::Result<Bucket, String> {
        let serde_json::Value::Object(mut m) = m else {
            return Err("not a map".into());
        };
        let ts_v = ["ts", "timestamp", "time"]
            .iter()
            .find_map(|k| m.remove(*k))
            .ok_or("bucket without ts")?;
        let ts = time::from_value(&ts_v).ok_or("bad bucket ts")?;
        let n = m.remove("n").and_then(|v| v.as_u64());
        let fields = match m.remove("fields") {
            Some(f) => serde_json::from_value(f).map_err(|e| e.to_string())?,
            None => m
                .into_iter()
                .filter_map(|(k, v)| Some((k, Aggregate::single(v.as_f64()?))))
                .collect(),
        };
        Ok(Bucket { ts, n, fields })
    }

    fn bucket(json: &str) -> std::result::Result<Bucket, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    /// Representative and odd buckets decode as the `Value` decoder decoded them; where both
    /// fail, both say why in the same words.
    #[test]
    fn buckets_match_the_value_decoder() {
        let cases = [
            r#"{"ts":1772791200000,"n":15,"fields":{"W":{"avg":-1.5,"min":-3,"max":0,"last":-2},"SoC_nom_fract":{"avg":0.5}}}"#,
            r#"{"fields":{"W":{"avg":1}},"n":2,"ts":"2026-03-06T10:00:00Z"}"#,
            r#"{"ts":1772791200,"W":-1000,"V":230.5,"status":"ok","flag":true,"nested":{"a":1},"list":[1]}"#,
            // Time priority is ts > timestamp > time, not document order; the losers stay keys.
            r#"{"time":5,"timestamp":"2026-03-06T10:00:00Z","W":1}"#,
            r#"{"time":"2026-03-06T10:00:00Z","ts":1772791200000,"timestamp":7}"#,
            r#"{"time":"2026-03-06T10:00:00Z","ts":1772791200000,"fields":{}}"#,
            r#"{"timestamp":1772791200000.5,"n":-1}"#,
            r#"{"ts":"1772791200000","n":1.0}"#,
            r#"{"ts":1,"n":"3"}"#,
            r#"{"ts":1,"n":18446744073709551615}"#,
            r#"{"ts":1,"n":null,"fields":{"W":{}}}"#,
            // Duplicate keys: the last occurrence counts.
            r#"{"ts":"bad","ts":1,"n":1,"n":2,"W":1,"W":"x","V":"x","V":2}"#,
            r#"{"ts":1,"fields":{"W":{"avg":1}},"fields":{"V":{"avg":2}}}"#,
            r#"{"ts":1,"W":5,"fields":{"V":{"last":2}},"X":3}"#,
            // Failures.
            r#"{"n":1,"W":2}"#,
            r#"{}"#,
            r#"{"ts":null,"time":1}"#,
            r#"{"ts":"yesterday"}"#,
            r#"{"ts":[1]}"#,
            r#"{"ts":1,"fields":{"W":{"avg":"x"}}}"#,
            r#"{"ts":1,"fields":[1]}"#,
            r#"{"ts":1,"fields":null}"#,
            r#"{"ts":1,"fields":{"W":[1,2,3,4]}}"#,
        ];
        for json in cases {
            let old = bucket_value(serde_json::from_str(json).unwrap());
            let new = bucket(json);
            match (&new, &old) {
                (Ok(_), _) => assert_eq!(new, old, "{json}"),
                // The new error carries serde_json's position; the reason must be the same.
                (Err(n), Err(o)) => assert!(n.starts_with(o.as_str()), "{json}: {n} vs {o}"),
                (Err(n), Ok(_)) => panic!("{json}: now fails: {n}"),
            }
        }
        assert!(bucket("[1]").unwrap_err().contains("expected a map"));
    }

    #[test]
    fn bucket_key_semantics() {
        let b = bucket(r#"{"time":60,"ts":"2026-03-06T10:00:00Z","W":2,"n":-4}"#).unwrap();
        assert_eq!(b.ts.to_rfc3339(), "2026-03-06T10:00:00+00:00");
        assert_eq!(b.n, None);
        // The losing time key is a number, so a flat field like any other.
        assert_eq!(b.fields.keys().collect::<Vec<_>>(), ["W", "time"]);
        assert_eq!(b.fields["time"].last, Some(60.0));
        let b = bucket(r#"{"ts":1,"W":1,"W":"x","V":"x","V":2}"#).unwrap();
        assert_eq!(b.fields.keys().collect::<Vec<_>>(), ["V"]);
        assert!(bucket(r#"{"n":1}"#)
            .unwrap_err()
            .starts_with("bucket without ts"));
        assert!(bucket(r#"{"ts":true}"#)
            .unwrap_err()
            .starts_with("bad bucket ts"));
        assert!(bucket(r#"{"ts":null,"time":1}"#)
            .unwrap_err()
            .starts_with("bad bucket ts"));
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
