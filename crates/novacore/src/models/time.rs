//! Lenient timestamps: ISO-8601 strings or Unix epoch numbers on the wire, `DateTime<Utc>` inside.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer, Serializer};

/// Numbers below this are taken as seconds, above as milliseconds (1e11 ms is March 1973).
const MS_THRESHOLD: f64 = 100_000_000_000.0;

/// Parses an ISO-8601 / RFC 3339 string (offset optional, UTC assumed) or a numeric string.
pub fn parse_str(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f%#z",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, fmt) {
            return Some(t.and_utc());
        }
    }
    if let Ok(t) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f%#z") {
        return Some(t.with_timezone(&Utc));
    }
    s.parse::<f64>().ok().and_then(from_number)
}

/// Epoch seconds or milliseconds (see `MS_THRESHOLD`).
pub fn from_number(n: f64) -> Option<DateTime<Utc>> {
    if !n.is_finite() {
        return None;
    }
    let ms = if n.abs() < MS_THRESHOLD {
        n * 1000.0
    } else {
        n
    };
    DateTime::from_timestamp_millis(ms.round() as i64)
}

/// Parses a JSON value holding a timestamp.
pub fn from_value(v: &serde_json::Value) -> Option<DateTime<Utc>> {
    match v {
        serde_json::Value::String(s) => parse_str(s),
        serde_json::Value::Number(n) => n.as_f64().and_then(from_number),
        _ => None,
    }
}

/// `#[serde(with = "ts")]` for a required timestamp.
pub mod ts {
    use super::*;

    /// Deserializes ISO-8601 or epoch ms/s.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        from_value(&v).ok_or_else(|| serde::de::Error::custom(format!("not a timestamp: {v}")))
    }

    /// Serializes as RFC 3339.
    pub fn serialize<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.to_rfc3339())
    }
}

/// `#[serde(with = "ts_opt", default)]` for an optional timestamp; unparseable values become `None`.
pub mod ts_opt {
    use super::*;

    /// Deserializes ISO-8601, epoch ms/s or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        Ok(from_value(&v))
    }

    /// Serializes as RFC 3339 or null.
    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&t.to_rfc3339()),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_all_documented_forms() {
        let want = DateTime::parse_from_rfc3339("2026-03-06T10:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        for s in [
            "2026-03-06T10:00:00Z",
            "2026-03-06T11:00:00+01:00",
            "2026-03-06T10:00:00",
            "2026-03-06T10:00:00.000Z",
            "2026-03-06 10:00:00+00:00",
            "1772791200000",
        ] {
            assert_eq!(parse_str(s), Some(want), "{s}");
        }
        assert_eq!(from_value(&serde_json::json!(1772791200000i64)), Some(want));
        assert_eq!(from_value(&serde_json::json!(1772791200)), Some(want));
        assert_eq!(from_value(&serde_json::json!(true)), None);
        assert_eq!(parse_str("yesterday"), None);
    }
}
