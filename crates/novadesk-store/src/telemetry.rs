//! Telemetry writes and reads on [`Store`].

use std::collections::{BTreeMap, HashMap};

use crate::bucket::{aggregate, Agg, Bucket, Resolution, ServerBucket, DAY_MS, MAX_TS, MINUTE_MS};
use crate::coverage::{self, Covered, Merge};
use crate::error::{Error, Result};
use crate::maintenance::retained_from;
use crate::series::{self, Batch, SeriesKey};
use crate::{chunk, rollup, Store};

/// Live readings further apart than this do not join into one covered range: a longer silence is
/// shown as a gap (the stream reports outages explicitly, which the app back-fills).
pub const LIVE_JOIN_MS: i64 = 60_000;

impl Store {
    /// Stores a batch of raw samples atomically: idempotent (a sample seen twice is stored once; a new
    /// value for an existing timestamp replaces it), out-of-order samples land in place, rollups and
    /// live (RAW) coverage are updated in the same transaction. Coverage: each series is marked covered
    /// from its first to its last sample in the batch (`fetched_at` = the batch's `received_at`), joined
    /// to an earlier live range ending at most [`LIVE_JOIN_MS`] before — so feed it stream readings, and
    /// record history back-fills with [`Store::ingest_buckets`] / [`Store::mark_covered`].
    ///
    /// Rejects the whole batch, writing nothing, if any value is NaN/±inf or any timestamp is outside
    /// `0..=MAX_TS` or older than what retention keeps.
    pub fn ingest(&mut self, batch: &Batch) -> Result<()> {
        let floor = self.fine_retained_from()?;
        for (key, samples) in &batch.series {
            for &(ts, v) in samples {
                check_sample(key, ts, v)?;
                if ts < floor {
                    return Err(Error::OlderThanRetention {
                        ts,
                        retained_from: floor,
                    });
                }
            }
        }
        let tx = self.conn.transaction()?;
        for (key, samples) in &batch.series {
            if samples.is_empty() {
                continue;
            }
            let sid = series::ensure_id(&tx, key)?;
            let mut by_span: BTreeMap<i64, Vec<(i64, f64)>> = BTreeMap::new();
            for &(ts, v) in samples {
                by_span
                    .entry(ts.div_euclid(chunk::SPAN_MS) * chunk::SPAN_MS)
                    .or_default()
                    .push((ts, v));
            }
            let mut changed = Vec::new();
            let mut stored = chunk::stored(&tx, sid, &by_span.keys().copied().collect::<Vec<_>>())?;
            for (start, mut s) in by_span {
                if let Some(merged) = chunk::merge(&tx, sid, start, &mut s, stored.remove(&start))?
                {
                    changed.push((start, merged));
                }
            }
            let starts: Vec<i64> = changed.iter().map(|c| c.0).collect();
            let mut merged = changed.into_iter().peekable();
            for (from, to) in spans(&starts, chunk::SPAN_MS) {
                // Every chunk of the span was just merged: its samples are at hand.
                let mut raw = Vec::new();
                while let Some((_, s)) = merged.next_if(|c| c.0 < to) {
                    raw.extend(s);
                }
                rollup::recompute(&tx, sid, Resolution::RAW, from, to, Some(raw))?;
            }
            let first = samples.iter().map(|s| s.0).min().unwrap_or_default();
            let last = samples.iter().map(|s| s.0).max().unwrap_or_default();
            let live = Covered {
                start: first,
                end: last + 1,
                fetched_at: batch.received_at,
            };
            coverage::mark(&tx, sid, Resolution::RAW, live, Merge::Join(LIVE_JOIN_MS))?;
            self.days.get_mut().evict(sid, first, last);
        }
        tx.commit()?;
        Ok(())
    }

    /// Stores the server's pre-aggregated history for one series at `res` (one of [`Resolution::LEVELS`])
    /// covering the requested `[from, to)`: server buckets there are replaced, coarser levels re-derived,
    /// and coverage at `res` recorded with `fetched_at`. Buckets must be aligned to `res` and inside the
    /// range; buckets with `count == 0` are skipped (no data).
    pub fn ingest_buckets(
        &mut self,
        series: &SeriesKey,
        res: Resolution,
        from: i64,
        to: i64,
        buckets: &[ServerBucket],
        fetched_at: i64,
    ) -> Result<()> {
        if !res.is_level() {
            return Err(Error::InvalidResolution {
                ms: res.as_ms(),
                reason: "server buckets come at 1m, 5m, 15m, 1h or 1d",
            });
        }
        check_range(from, to)?;
        let floor = self.level_retained_from(res)?;
        if from < floor {
            return Err(Error::OlderThanRetention {
                ts: from,
                retained_from: floor,
            });
        }
        let mut aggs = Vec::with_capacity(buckets.len());
        for b in buckets {
            if res.floor(b.start) != b.start || b.start < res.floor(from) || b.start >= to {
                return Err(Error::InvalidInput(format!(
                    "bucket at {} is not aligned to {} ms inside [{from}, {to})",
                    b.start,
                    res.as_ms()
                )));
            }
            if b.count == 0 {
                continue;
            }
            for v in [b.avg, b.min, b.max, b.last] {
                check_sample(series, b.start, v)?;
            }
            aggs.push(Agg::from_server(b));
        }
        aggs.sort_by_key(|a| a.start);
        aggs.dedup_by_key(|a| a.start);
        let (f, t) = (res.floor(from), res.ceil(to));
        let tx = self.conn.transaction()?;
        let sid = series::ensure_id(&tx, series)?;
        self.days.get_mut().evict(sid, f, t - 1);
        rollup::write(&tx, sid, res, rollup::SERVER, f, t, &aggs)?;
        let h = Resolution::H1;
        rollup::recompute(&tx, sid, res, h.floor(f), h.ceil(t), None)?;
        let cov = Covered {
            start: from,
            end: to,
            fetched_at,
        };
        coverage::mark(&tx, sid, res, cov, Merge::Replace)?;
        tx.commit()?;
        Ok(())
    }

    /// Raw samples of a series in `[from, to)`, time-ordered.
    pub fn samples(&self, series: &SeriesKey, from: i64, to: i64) -> Result<Vec<(i64, f64)>> {
        let (from, to) = read_range(from, to)?;
        match series::find_id(&self.conn, series)? {
            Some(sid) => chunk::read(&self.conn, sid, from, to),
            None => Ok(Vec::new()),
        }
    }

    /// Chart buckets of a series over `[from, to)` at `res` (any multiple of a minute, or RAW for one
    /// bucket per sample). Bucket starts are UTC-aligned to `res`; the first bucket may start before
    /// `from`. Served from the coarsest stored level dividing `res` (e.g. a 6 h chart reads 1 h rollups),
    /// merging raw-derived and server buckets. Empty buckets are omitted: a missing start is a gap.
    pub fn range(
        &self,
        series: &SeriesKey,
        from: i64,
        to: i64,
        res: Resolution,
    ) -> Result<Vec<Bucket>> {
        let (from, to) = read_range(from, to)?;
        let Some(sid) = series::find_id(&self.conn, series)? else {
            return Ok(Vec::new());
        };
        if res == Resolution::RAW {
            return Ok(chunk::read(&self.conn, sid, from, to)?
                .into_iter()
                .map(|(t, v)| Agg::sample(t, v).to_bucket())
                .collect());
        }
        let (f, t) = (res.floor(from), res.ceil(to));
        let base = rollup::effective(&self.conn, sid, level_for(res)?, f, t)?;
        Ok(aggregate(base, res)
            .into_iter()
            .map(Agg::to_bucket)
            .collect())
    }

    /// The mean of every non-empty bucket of `res` over `[from, to)` — `(start, avg)` of what
    /// [`Store::range`] returns, bit for bit — for cost calculations that read the same past days
    /// again and again. Whole UTC days are kept in memory between calls when `res` divides a day;
    /// any write to the series evicts the days it touches, so nothing stale is ever served.
    pub fn averages(
        &self,
        series: &SeriesKey,
        from: i64,
        to: i64,
        res: Resolution,
    ) -> Result<Vec<(i64, f64)>> {
        let (from, to) = read_range(from, to)?;
        let step = res.as_ms();
        if step == 0 || DAY_MS % step != 0 || step % MINUTE_MS != 0 {
            let buckets = self.range(series, from, to, res)?;
            return Ok(buckets.into_iter().map(|b| (b.start, b.avg)).collect());
        }
        let Some(sid) = series::find_id(&self.conn, series)? else {
            return Ok(Vec::new());
        };
        let version: i64 = self
            .conn
            .prepare_cached("PRAGMA data_version")?
            .query_row([], |r| r.get(0))?;
        let mut cache = self.days.borrow_mut();
        cache.check_version(version);
        let (f, t) = (res.floor(from), res.ceil(to));
        // Room for every bucket of the span (up to a bound, as a sparse series holds few).
        let mut out = Vec::with_capacity(((t - f) / step).clamp(0, 1 << 16) as usize);
        let emit = |out: &mut Vec<(i64, f64)>, day: i64, slots: &[f64]| {
            for (i, v) in slots.iter().enumerate() {
                let start = day + i as i64 * step;
                if start >= f && start < t && !v.is_nan() {
                    out.push((start, *v));
                }
            }
        };
        let mut day = f.div_euclid(DAY_MS) * DAY_MS;
        while day < t {
            if let Some(slots) = cache.get(sid, step, day) {
                emit(&mut out, day, slots);
                day += DAY_MS;
                continue;
            }
            // Read the whole run of days not cached in one go.
            let mut end = day + DAY_MS;
            while end < t && cache.get(sid, step, end).is_none() {
                end += DAY_MS;
            }
            let per_day = (DAY_MS / step) as usize;
            let mut run = vec![f64::NAN; per_day * ((end - day) / DAY_MS) as usize];
            for a in aggregate(
                rollup::effective(&self.conn, sid, level_for(res)?, day, end)?,
                res,
            ) {
                run[((a.start - day) / step) as usize] = a.to_bucket().avg;
            }
            for (i, slots) in run.chunks(per_day).enumerate() {
                let start = day + i as i64 * DAY_MS;
                emit(&mut out, start, slots);
                cache.put(sid, step, start, slots.into());
            }
            day = end;
        }
        Ok(out)
    }

    /// The newest raw sample of a series (for "latest values" while offline), if any.
    pub fn latest(&self, series: &SeriesKey) -> Result<Option<(i64, f64)>> {
        match series::find_id(&self.conn, series)? {
            Some(sid) => chunk::latest(&self.conn, sid),
            None => Ok(None),
        }
    }

    /// The newest raw sample of each of `keys` (in their order), in one query over the store's
    /// series when there are many.
    pub fn latest_many(&self, keys: &[SeriesKey]) -> Result<Vec<Option<(i64, f64)>>> {
        // Few keys: one indexed look-up each beats visiting every series.
        if keys.len() <= 16 {
            return keys.iter().map(|k| self.latest(k)).collect();
        }
        let mut wanted: HashMap<SeriesKey, Option<(i64, f64)>> =
            keys.iter().map(|k| (k.clone(), None)).collect();
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.der_id, s.field, c.start, c.data FROM series s JOIN chunks c ON c.series_id = s.id
             WHERE c.start = (SELECT max(start) FROM chunks WHERE series_id = s.id)",
        )?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            let key = SeriesKey::new(r.get::<_, String>(0)?, r.get::<_, String>(1)?);
            if let Some(slot) = wanted.get_mut(&key) {
                let (start, data): (i64, Vec<u8>) = (r.get(2)?, r.get(3)?);
                *slot = chunk::decode(start, &data)?.pop();
            }
        }
        Ok(keys
            .iter()
            .map(|k| wanted.get(k).copied().flatten())
            .collect())
    }

    /// All series the store holds.
    pub fn series(&self) -> Result<Vec<SeriesKey>> {
        series::all(&self.conn)
    }

    /// Oldest timestamp raw/1m/5m data may still be written at (what retention has not cut).
    fn fine_retained_from(&self) -> Result<i64> {
        let mut floor = retained_from(&self.conn, Resolution::RAW)?;
        for r in [Resolution::M1, Resolution::M5] {
            floor = floor.max(retained_from(&self.conn, r)?);
        }
        Ok(floor)
    }

    fn level_retained_from(&self, res: Resolution) -> Result<i64> {
        if res <= Resolution::M5 {
            self.fine_retained_from()
        } else {
            retained_from(&self.conn, res)
        }
    }
}

/// The coarsest stored level a chart resolution is built from (e.g. 6 h from 1 h rollups).
fn level_for(res: Resolution) -> Result<Resolution> {
    Resolution::LEVELS
        .iter()
        .rev()
        .copied()
        .find(|l| res.as_ms() % l.as_ms() == 0)
        .ok_or(Error::InvalidResolution {
            ms: res.as_ms(),
            reason: "must be a multiple of one minute",
        })
}

fn check_sample(key: &SeriesKey, ts: i64, v: f64) -> Result<()> {
    let reason = if !(0..=MAX_TS).contains(&ts) {
        "timestamp outside 1970..9999"
    } else if !v.is_finite() {
        "value is NaN or infinite"
    } else {
        return Ok(());
    };
    Err(Error::InvalidSample {
        series: key.to_string(),
        ts,
        reason,
    })
}

pub(crate) fn check_range(from: i64, to: i64) -> Result<()> {
    let reason = if from >= to {
        "from must be before to"
    } else if from < 0 || to > MAX_TS + 1 {
        "outside 1970..9999"
    } else {
        return Ok(());
    };
    Err(Error::InvalidRange { from, to, reason })
}

/// Validates a read range and clamps it to the storable span (so `0..i64::MAX` means "everything").
pub(crate) fn read_range(from: i64, to: i64) -> Result<(i64, i64)> {
    if from >= to {
        return Err(Error::InvalidRange {
            from,
            to,
            reason: "from must be before to",
        });
    }
    let (f, t) = (from.clamp(0, MAX_TS), to.clamp(1, MAX_TS + 1));
    if f >= t {
        return Err(Error::InvalidRange {
            from,
            to,
            reason: "outside 1970..9999",
        });
    }
    Ok((f, t))
}

/// Groups sorted unit starts into contiguous `[from, to)` spans.
fn spans(starts: &[i64], unit: i64) -> Vec<(i64, i64)> {
    let mut out: Vec<(i64, i64)> = Vec::new();
    for &s in starts {
        match out.last_mut() {
            Some(last) if last.1 == s => last.1 = s + unit,
            _ => out.push((s, s + unit)),
        }
    }
    out
}
