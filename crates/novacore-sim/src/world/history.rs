//! Aggregated history computed on demand from the pure physics (contracts.md "History").

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;

use crate::error::{Error, Result};
use crate::world::physics::{numeric_fields, SiteProfile};

/// Max buckets per request.
pub const MAX_BUCKETS: i64 = 100_000;
/// Max physics evaluations per request (keeps any request well under a second or two).
pub const MAX_SAMPLES: i64 = 3_000_000;

/// Resolution name → bucket length in ms.
pub fn resolution_ms(s: &str) -> Option<i64> {
    Some(match s {
        "1m" => 60_000,
        "5m" => 300_000,
        "15m" => 900_000,
        "1h" => 3_600_000,
        "1d" => 86_400_000,
        _ => return None,
    })
}

/// Sampling step inside a bucket: 1 minute up to 15m buckets, coarser above.
pub fn sample_step(res_ms: i64) -> i64 {
    match res_ms {
        r if r <= 900_000 => 60_000,
        r if r <= 3_600_000 => 300_000,
        _ => 900_000,
    }
}

/// Aggregate of one numeric field over a bucket.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agg {
    sum: f64,
    n: u32,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// Last sample.
    pub last: f64,
}

impl Agg {
    /// Mean, rounded to 3 decimals.
    pub fn avg(&self) -> f64 {
        (self.sum / f64::from(self.n.max(1)) * 1000.0).round() / 1000.0
    }
}

impl Serialize for Agg {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("avg", &self.avg())?;
        m.serialize_entry("min", &self.min)?;
        m.serialize_entry("max", &self.max)?;
        m.serialize_entry("last", &self.last)?;
        m.end()
    }
}

/// One bucket: `{"ts", "n", "fields": {name: {avg, min, max, last}}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Bucket start (epoch ms, aligned to the resolution).
    pub ts: i64,
    /// Samples in the bucket.
    pub n: u32,
    /// Aggregates in field order.
    pub fields: Vec<(&'static str, Agg)>,
}

struct Fields<'a>(&'a [(&'static str, Agg)]);

impl Serialize for Fields<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, a) in self.0 {
            m.serialize_entry(k, a)?;
        }
        m.end()
    }
}

impl Serialize for Point {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(3))?;
        m.serialize_entry("ts", &self.ts)?;
        m.serialize_entry("n", &self.n)?;
        m.serialize_entry("fields", &Fields(&self.fields))?;
        m.end()
    }
}

/// Buckets `[from, to)` of one DER; `from`/`to` are clipped by the caller.
pub fn der_points(
    p: &SiteProfile,
    tel_type: &str,
    from: i64,
    to: i64,
    res_ms: i64,
) -> Result<Vec<Point>> {
    let step = sample_step(res_ms);
    let start = from.div_euclid(res_ms) * res_ms;
    if to <= start {
        return Ok(Vec::new());
    }
    let buckets = (to - start + res_ms - 1) / res_ms;
    if buckets > MAX_BUCKETS {
        return Err(Error::BadRequest(format!(
            "resolution: range needs {buckets} buckets, at most {MAX_BUCKETS} allowed"
        )));
    }
    if (to - start) / step > MAX_SAMPLES {
        return Err(Error::BadRequest(
            "resolution: range too long for this resolution; use a coarser one".into(),
        ));
    }
    let mut out = Vec::with_capacity(buckets as usize);
    let first_sample = {
        let t = from.div_euclid(step) * step;
        if t < from {
            t + step
        } else {
            t
        }
    };
    let mut b = start;
    while b < to {
        let end = (b + res_ms).min(to);
        let mut fields: Vec<(&'static str, Agg)> = Vec::new();
        let mut n = 0u32;
        let mut t = b.max(first_sample);
        while t < end {
            n += 1;
            // Field order is fixed per type, so aggregates line up by position.
            for (i, (k, v)) in numeric_fields(p, tel_type, t).into_iter().enumerate() {
                match fields.get_mut(i) {
                    Some((_, a)) => {
                        a.sum += v;
                        a.n += 1;
                        a.min = a.min.min(v);
                        a.max = a.max.max(v);
                        a.last = v;
                    }
                    None => fields.push((
                        k,
                        Agg {
                            sum: v,
                            n: 1,
                            min: v,
                            max: v,
                            last: v,
                        },
                    )),
                }
            }
            t += step;
        }
        if n > 0 {
            out.push(Point { ts: b, n, fields });
        }
        b += res_ms;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::world::physics::numeric_fields;

    #[test]
    fn buckets_align_and_contain_samples() {
        let p = SiteProfile::new(7, "sit-h", None);
        let from = 1_782_000_000_000 + 123_456;
        let pts = serde_json::to_value(
            der_points(&p, "battery", from, from + 3_600_000, 900_000).unwrap(),
        )
        .unwrap();
        let pts = pts.as_array().unwrap();
        assert!(pts.len() >= 4);
        for pt in pts {
            assert_eq!(pt["ts"].as_i64().unwrap() % 900_000, 0);
            let w = &pt["fields"]["W"];
            assert!(
                w["min"].as_f64() <= w["avg"].as_f64() && w["avg"].as_f64() <= w["max"].as_f64()
            );
        }
        // A 1m bucket is exactly the physics sample at that minute.
        let t = 1_782_000_000_000 + 600_000;
        let one =
            serde_json::to_value(der_points(&p, "meter", t, t + 60_000, 60_000).unwrap()).unwrap();
        let w = numeric_fields(&p, "meter", t)
            .into_iter()
            .find(|(k, _)| *k == "W")
            .unwrap()
            .1;
        assert_eq!(
            one[0]["fields"]["W"]["avg"].as_f64().unwrap(),
            (w * 1000.0).round() / 1000.0
        );
        assert!(der_points(&p, "meter", 0, 200_000 * 60_000, 60_000).is_err());
    }
}
