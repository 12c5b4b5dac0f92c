//! Time buckets: resolutions, aggregates and how they combine.

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// One minute in milliseconds.
pub const MINUTE_MS: i64 = 60_000;
/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;
/// One day in milliseconds.
pub const DAY_MS: i64 = 86_400_000;
/// Latest timestamp the store accepts (year 9999), keeping all arithmetic far from overflow.
pub const MAX_TS: i64 = 253_402_300_799_999;

/// A bucket width. Buckets are aligned to UTC multiples of the width since the epoch (as the server's
/// history endpoint does). [`Resolution::RAW`] means "individual samples".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Resolution(i64);

impl Resolution {
    /// Individual samples (no aggregation); used for live coverage and raw reads.
    pub const RAW: Resolution = Resolution(0);
    /// 1 minute.
    pub const M1: Resolution = Resolution(MINUTE_MS);
    /// 5 minutes.
    pub const M5: Resolution = Resolution(5 * MINUTE_MS);
    /// 15 minutes.
    pub const M15: Resolution = Resolution(15 * MINUTE_MS);
    /// 1 hour.
    pub const H1: Resolution = Resolution(HOUR_MS);
    /// 1 day (UTC).
    pub const D1: Resolution = Resolution(DAY_MS);
    /// The resolutions the server's history endpoint serves and the store can hold as buckets.
    pub const LEVELS: [Resolution; 5] = [Self::M1, Self::M5, Self::M15, Self::H1, Self::D1];

    /// A custom chart resolution, e.g. 6 h for a one-year chart of ~1,460 buckets.
    /// Must be [`Resolution::RAW`] or a positive multiple of one minute, at most 366 days.
    pub fn from_ms(ms: i64) -> Result<Self> {
        if ms == 0 {
            return Ok(Self::RAW);
        }
        if ms < 0 || ms % MINUTE_MS != 0 {
            return Err(Error::InvalidResolution {
                ms,
                reason: "must be a positive multiple of one minute",
            });
        }
        if ms > 366 * DAY_MS {
            return Err(Error::InvalidResolution {
                ms,
                reason: "longer than a year",
            });
        }
        Ok(Self(ms))
    }

    /// Parses the server's names: `1m`, `5m`, `15m`, `1h`, `1d` (and `raw`).
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "raw" => Ok(Self::RAW),
            "1m" => Ok(Self::M1),
            "5m" => Ok(Self::M5),
            "15m" => Ok(Self::M15),
            "1h" => Ok(Self::H1),
            "1d" => Ok(Self::D1),
            other => Err(Error::InvalidInput(format!("unknown resolution {other:?}"))),
        }
    }

    /// Width in milliseconds (0 for raw).
    pub fn as_ms(self) -> i64 {
        self.0
    }

    /// Whether this is one of [`Resolution::LEVELS`].
    pub fn is_level(self) -> bool {
        Self::LEVELS.contains(&self)
    }

    /// Start of the bucket holding `ts`.
    pub fn floor(self, ts: i64) -> i64 {
        if self.0 == 0 {
            ts
        } else {
            ts.div_euclid(self.0) * self.0
        }
    }

    /// Smallest bucket boundary `>= ts`.
    pub fn ceil(self, ts: i64) -> i64 {
        let f = self.floor(ts);
        if f == ts {
            ts
        } else {
            f + self.0
        }
    }
}

/// One chart bucket as returned by [`crate::Store::range`]. Only buckets holding data are returned:
/// a missing start is a gap, never interpolated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bucket {
    /// Bucket start, epoch ms (UTC-aligned to the resolution).
    pub start: i64,
    /// Smallest sample.
    pub min: f64,
    /// Largest sample.
    pub max: f64,
    /// Mean of the samples.
    pub avg: f64,
    /// The latest sample in the bucket.
    pub last: f64,
    /// Number of samples aggregated.
    pub count: u64,
}

/// A pre-aggregated bucket from the server's history endpoint (`points[].fields.X` + `n`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServerBucket {
    /// Bucket start, epoch ms, aligned to the resolution.
    pub start: i64,
    /// Samples in the bucket (`n`); buckets with `n == 0` hold no data and are skipped.
    pub count: u64,
    /// Mean.
    pub avg: f64,
    /// Minimum.
    pub min: f64,
    /// Maximum.
    pub max: f64,
    /// Latest value.
    pub last: f64,
}

/// Internal aggregate: keeps the sum so buckets merge exactly into coarser ones.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Agg {
    pub start: i64,
    pub count: u64,
    pub min: f64,
    pub max: f64,
    pub sum: f64,
    pub last: f64,
}

impl Agg {
    pub fn sample(ts: i64, v: f64) -> Self {
        Agg {
            start: ts,
            count: 1,
            min: v,
            max: v,
            sum: v,
            last: v,
        }
    }

    /// Folds `later` (which starts at or after `self`) into `self`.
    fn absorb(&mut self, later: &Agg) {
        self.count += later.count;
        self.min = self.min.min(later.min);
        self.max = self.max.max(later.max);
        self.sum += later.sum;
        self.last = later.last;
    }

    pub fn to_bucket(self) -> Bucket {
        Bucket {
            start: self.start,
            min: self.min,
            max: self.max,
            avg: self.sum / self.count as f64,
            last: self.last,
            count: self.count,
        }
    }

    pub fn from_server(b: &ServerBucket) -> Self {
        Agg {
            start: b.start,
            count: b.count,
            min: b.min,
            max: b.max,
            sum: b.avg * b.count as f64,
            last: b.last,
        }
    }
}

/// Merges time-ordered aggregates (or samples) into buckets of `res`.
pub(crate) fn aggregate(input: impl IntoIterator<Item = Agg>, res: Resolution) -> Vec<Agg> {
    let mut out: Vec<Agg> = Vec::new();
    for a in input {
        let start = res.floor(a.start);
        match out.last_mut() {
            Some(cur) if cur.start == start => cur.absorb(&a),
            _ => out.push(Agg { start, ..a }),
        }
    }
    out
}

/// Per bucket start, keeps whichever of `derived` / `server` saw more samples (ties go to the server,
/// whose aggregate is computed over the complete data). Both inputs sorted by start.
pub(crate) fn overlay(derived: Vec<Agg>, server: Vec<Agg>) -> Vec<Agg> {
    if server.is_empty() {
        return derived;
    }
    let mut out = Vec::with_capacity(derived.len().max(server.len()));
    let (mut d, mut s) = (
        derived.into_iter().peekable(),
        server.into_iter().peekable(),
    );
    loop {
        match (d.peek(), s.peek()) {
            (Some(a), Some(b)) if a.start == b.start => {
                let (a, b) = (d.next(), s.next());
                if let (Some(a), Some(b)) = (a, b) {
                    out.push(if b.count >= a.count { b } else { a });
                }
            }
            (Some(a), Some(b)) if a.start < b.start => out.extend(d.next()),
            (Some(_), Some(_)) | (None, Some(_)) => out.extend(s.next()),
            (Some(_), None) => out.extend(d.next()),
            (None, None) => return out,
        }
    }
}
