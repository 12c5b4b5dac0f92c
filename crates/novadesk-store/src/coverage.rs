//! Coverage: which time ranges of a series are cached, at which resolution, fetched when.
//!
//! Stored per (series, resolution) as disjoint `[start, end)` intervals. A query at resolution R counts
//! everything held at R or finer (raw live data covers any chart), and reports for each covered piece the
//! newest `fetched_at` among the intervals covering it.

use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};

use crate::bucket::Resolution;
use crate::error::Result;
use crate::series::{self, SeriesKey};
use crate::telemetry::{check_range, read_range};
use crate::Store;

/// A half-open time range `[start, end)` in epoch ms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    /// Start (inclusive).
    pub start: i64,
    /// End (exclusive).
    pub end: i64,
}

/// A covered range and when its data was fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Covered {
    /// Start (inclusive), epoch ms.
    pub start: i64,
    /// End (exclusive), epoch ms.
    pub end: i64,
    /// When the data was fetched (epoch ms).
    pub fetched_at: i64,
}

/// Answer of [`Store::coverage`]: `covered` and `gaps` are disjoint, sorted, and together tile the query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageReport {
    /// Cached pieces (adjacent pieces differ in `fetched_at`).
    pub covered: Vec<Covered>,
    /// Missing pieces, to fetch from history.
    pub gaps: Vec<Span>,
}

/// How a new interval combines with stored ones.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Merge {
    /// The new interval's `fetched_at` wins where they overlap; older parts outside are kept.
    Replace,
    /// Union with intervals overlapping or ending within this many ms before it; `fetched_at` = newest.
    Join(i64),
}

/// Inserts `new` into disjoint sorted `existing`, returning disjoint sorted intervals.
pub(crate) fn insert(existing: &[Covered], new: Covered, merge: Merge) -> Vec<Covered> {
    let mut out = Vec::with_capacity(existing.len() + 2);
    match merge {
        Merge::Replace => {
            for c in existing {
                if c.end <= new.start || c.start >= new.end {
                    out.push(*c);
                    continue;
                }
                if c.start < new.start {
                    out.push(Covered {
                        end: new.start,
                        ..*c
                    });
                }
                if c.end > new.end {
                    out.push(Covered {
                        start: new.end,
                        ..*c
                    });
                }
            }
            out.push(new);
        }
        Merge::Join(slack) => {
            let mut joined = new;
            out.extend_from_slice(existing);
            // Joining can bring further intervals within reach: repeat until nothing changes.
            loop {
                let before = out.len();
                out.retain(|c| {
                    let near = c.end + slack >= joined.start && c.start <= joined.end + slack;
                    if near {
                        joined.start = joined.start.min(c.start);
                        joined.end = joined.end.max(c.end);
                        joined.fetched_at = joined.fetched_at.max(c.fetched_at);
                    }
                    !near
                });
                if out.len() == before {
                    break;
                }
            }
            out.push(joined);
        }
    }
    out.sort_by_key(|c| c.start);
    out
}

/// Tiles `[from, to)` into covered pieces (newest `fetched_at` wins) and gaps; `intervals` may overlap.
pub(crate) fn report(intervals: &[Covered], from: i64, to: i64) -> CoverageReport {
    let mut cuts = vec![from, to];
    for c in intervals {
        for x in [c.start, c.end] {
            if x > from && x < to {
                cuts.push(x);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut rep = CoverageReport::default();
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let best = intervals
            .iter()
            .filter(|c| c.start <= a && c.end >= b)
            .map(|c| c.fetched_at)
            .max();
        match best {
            Some(f) => match rep.covered.last_mut() {
                Some(l) if l.end == a && l.fetched_at == f => l.end = b,
                _ => rep.covered.push(Covered {
                    start: a,
                    end: b,
                    fetched_at: f,
                }),
            },
            None => match rep.gaps.last_mut() {
                Some(g) if g.end == a => g.end = b,
                _ => rep.gaps.push(Span { start: a, end: b }),
            },
        }
    }
    rep
}

fn load(conn: &Connection, sid: i64, res: Resolution, from: i64, to: i64) -> Result<Vec<Covered>> {
    let mut stmt = conn.prepare_cached(
        "SELECT start, end, fetched_at FROM coverage
         WHERE series_id = ?1 AND res = ?2 AND end >= ?3 AND start <= ?4 ORDER BY start",
    )?;
    let rows = stmt.query_map(params![sid, res.as_ms(), from, to], |r| {
        Ok(Covered {
            start: r.get(0)?,
            end: r.get(1)?,
            fetched_at: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records `new` as covered at `res` (inside the caller's transaction).
pub(crate) fn mark(
    conn: &Connection,
    sid: i64,
    res: Resolution,
    new: Covered,
    merge: Merge,
) -> Result<()> {
    let slack = match merge {
        Merge::Join(s) => s,
        Merge::Replace => 0,
    };
    let near = load(conn, sid, res, new.start - slack, new.end + slack)?;
    conn.prepare_cached(
        "DELETE FROM coverage WHERE series_id = ?1 AND res = ?2 AND end >= ?3 AND start <= ?4",
    )?
    .execute(params![
        sid,
        res.as_ms(),
        new.start - slack,
        new.end + slack
    ])?;
    let mut ins = conn.prepare_cached(
        "INSERT INTO coverage (series_id, res, start, end, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for c in insert(&near, new, merge) {
        ins.execute(params![sid, res.as_ms(), c.start, c.end, c.fetched_at])?;
    }
    Ok(())
}

/// Removes coverage at `res` before `cutoff`, moving it to `to_res` (a coarser level still holding it)
/// or dropping it when `to_res` is `None`.
pub(crate) fn cut(
    conn: &Connection,
    res: Resolution,
    cutoff: i64,
    to_res: Option<Resolution>,
) -> Result<()> {
    let mut stmt = conn.prepare(
        "SELECT series_id FROM coverage WHERE res = ?1 AND start < ?2 GROUP BY series_id",
    )?;
    let sids: Vec<i64> = stmt
        .query_map(params![res.as_ms(), cutoff], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for sid in sids {
        let old = load(conn, sid, res, i64::MIN / 4, cutoff)?;
        conn.execute(
            "DELETE FROM coverage WHERE series_id = ?1 AND res = ?2 AND start < ?3",
            params![sid, res.as_ms(), cutoff],
        )?;
        for c in old.into_iter().filter(|c| c.start < cutoff) {
            if c.end > cutoff {
                conn.execute(
                    "INSERT INTO coverage (series_id, res, start, end, fetched_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![sid, res.as_ms(), cutoff, c.end, c.fetched_at],
                )?;
            }
            if let Some(to) = to_res {
                let moved = Covered {
                    end: c.end.min(cutoff),
                    ..c
                };
                mark(conn, sid, to, moved, Merge::Replace)?;
            }
        }
    }
    Ok(())
}

impl Store {
    /// Which parts of `[from, to)` of a series are cached at `res` or finer, and which are gaps.
    pub fn coverage(
        &self,
        series: &SeriesKey,
        from: i64,
        to: i64,
        res: Resolution,
    ) -> Result<CoverageReport> {
        let (from, to) = read_range(from, to)?;
        let Some(sid) = series::find_id(&self.conn, series)? else {
            return Ok(report(&[], from, to));
        };
        let mut all = Vec::new();
        let levels = std::iter::once(Resolution::RAW).chain(Resolution::LEVELS);
        for level in levels.filter(|l| *l <= res) {
            all.extend(load(&self.conn, sid, level, from, to)?);
        }
        Ok(report(&all, from, to))
    }

    /// Records that `[from, to)` of a series is cached at `res` as of `fetched_at` (e.g. a history fetch
    /// that returned no buckets still proves the range empty). [`Store::ingest_buckets`] does this itself.
    pub fn mark_covered(
        &mut self,
        series: &SeriesKey,
        res: Resolution,
        from: i64,
        to: i64,
        fetched_at: i64,
    ) -> Result<()> {
        check_range(from, to)?;
        let tx = self.conn.transaction()?;
        let sid = series::ensure_id(&tx, series)?;
        mark(
            &tx,
            sid,
            res,
            Covered {
                start: from,
                end: to,
                fetched_at,
            },
            Merge::Replace,
        )?;
        tx.commit()?;
        Ok(())
    }
}
