//! Aggregated history computed on demand from the pure physics (contracts.md "History").

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

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

#[derive(Clone, Copy)]
struct Agg {
    sum: f64,
    min: f64,
    max: f64,
    last: f64,
}

/// Buckets `[from, to)` of one DER; `from`/`to` are clipped by the caller.
pub fn der_points(
    p: &SiteProfile,
    tel_type: &str,
    from: i64,
    to: i64,
    res_ms: i64,
) -> Result<Vec<Value>> {
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
    let mut b = start;
    while b < to {
        let end = (b + res_ms).min(to);
        let mut aggs: BTreeMap<&'static str, Agg> = BTreeMap::new();
        let mut n = 0u32;
        let mut t = b.max(from.div_euclid(step) * step);
        if t < from {
            t += step;
        }
        while t < end {
            n += 1;
            for (k, v) in numeric_fields(p, tel_type, t) {
                let a = aggs.entry(k).or_insert(Agg {
                    sum: 0.0,
                    min: f64::MAX,
                    max: f64::MIN,
                    last: v,
                });
                a.sum += v;
                a.min = a.min.min(v);
                a.max = a.max.max(v);
                a.last = v;
            }
            t += step;
        }
        if n > 0 {
            let mut fields = Map::new();
            for (k, a) in aggs {
                let avg = (a.sum / f64::from(n) * 1000.0).round() / 1000.0;
                fields.insert(
                    k.into(),
                    json!({"avg": avg, "min": a.min, "max": a.max, "last": a.last}),
                );
            }
            out.push(json!({"ts": b, "n": n, "fields": fields}));
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
        let pts = der_points(&p, "battery", from, from + 3_600_000, 900_000).unwrap();
        assert!(pts.len() >= 4);
        for pt in &pts {
            assert_eq!(pt["ts"].as_i64().unwrap() % 900_000, 0);
            let w = &pt["fields"]["W"];
            assert!(
                w["min"].as_f64() <= w["avg"].as_f64() && w["avg"].as_f64() <= w["max"].as_f64()
            );
        }
        // A 1m bucket is exactly the physics sample at that minute.
        let t = 1_782_000_000_000 + 600_000;
        let one = der_points(&p, "meter", t, t + 60_000, 60_000).unwrap();
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
