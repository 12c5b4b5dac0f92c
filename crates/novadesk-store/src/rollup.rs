//! Rollup buckets packed into blobs, and how each level is derived from the finer one.
//!
//! Levels form a chain `raw → 1m → 5m → 15m → 1h → 1d`. At every level the *effective* bucket is whichever
//! of (derived from the finer level, received from the server) saw more samples. Derived buckets are
//! stored for 15m/1h/1d; 1m/5m are derived on read from the raw chunks (storing them would duplicate
//! minute data). Server buckets are stored at the level they came in.
//!
//! Blob per (series, level, source, period): `[format=1][n][slot indices: put_increasing]
//! [counts: put_runs][min][max][sum][last: put_values]`, where a slot is `(start - period) / res`.
//! Periods are whole days (see [`period_len`]) so retention cuts stay day-aligned.

use rusqlite::{params, Connection};

use crate::bucket::{aggregate, overlay, Agg, Resolution, DAY_MS};
use crate::chunk;
use crate::codec::{
    get_increasing, get_runs, get_uvarint, get_values, put_increasing, put_runs, put_uvarint,
    put_values,
};
use crate::error::{Error, Result};

const FORMAT: u8 = 1;
/// Row source: computed locally from finer data.
pub(crate) const DERIVED: i64 = 0;
/// Row source: received from the server's history endpoint.
pub(crate) const SERVER: i64 = 1;

/// Length of one blob's period for a level: always whole days, ≤ 1,440 buckets, and 96 for the
/// levels derived locally (15 m, 1 h, 1 d): ~600 bytes, which stays inside the row's 4 KiB
/// b-tree page. Schema v2's 384-bucket periods (~2.4 KB) went to overflow pages of their own,
/// half of each empty: 5.5 MB of pages for 2.8 MB of blobs in #13's store bench, 3.5 MB now.
pub(crate) fn period_len(res: Resolution) -> i64 {
    match res.as_ms() {
        ms if ms <= Resolution::M15.as_ms() => DAY_MS,
        ms if ms <= Resolution::H1.as_ms() => 4 * DAY_MS,
        _ => 96 * DAY_MS,
    }
}

pub(crate) fn encode(period: i64, res: Resolution, aggs: &[Agg]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + aggs.len() * 10);
    out.push(FORMAT);
    put_uvarint(&mut out, aggs.len() as u64);
    let slots: Vec<i64> = aggs
        .iter()
        .map(|a| (a.start - period) / res.as_ms())
        .collect();
    put_increasing(&mut out, &slots);
    put_runs(&mut out, &aggs.iter().map(|a| a.count).collect::<Vec<_>>());
    for col in [
        aggs.iter().map(|a| a.min).collect::<Vec<_>>(),
        aggs.iter().map(|a| a.max).collect(),
        aggs.iter().map(|a| a.sum).collect(),
        aggs.iter().map(|a| a.last).collect(),
    ] {
        put_values(&mut out, &col);
    }
    out
}

pub(crate) fn decode(period: i64, res: Resolution, data: &[u8]) -> Result<Vec<Agg>> {
    decode_period(period, period_len(res), res, data)
}

/// Decodes a blob whose period is `plen` long (schema v2's were longer, see `resplit`).
pub(crate) fn decode_period(
    period: i64,
    plen: i64,
    res: Resolution,
    data: &[u8],
) -> Result<Vec<Agg>> {
    if data.first() != Some(&FORMAT) {
        return Err(Error::BadChunk("unknown rollup format"));
    }
    let mut pos = 1;
    let slots_per_period = plen / res.as_ms();
    // Compare as u64: a count >= 2^63 cast to i64 turned negative, passed the limit and made
    // get_increasing allocate a Vec of that capacity (a panic on a corrupt blob).
    let n = get_uvarint(data, &mut pos)?;
    if n > slots_per_period.unsigned_abs() {
        return Err(Error::BadChunk("too many buckets"));
    }
    let n = usize::try_from(n).map_err(|_| Error::BadChunk("too many buckets"))?;
    let slots = get_increasing(data, &mut pos, n)?;
    // Slots increase, so checking the last bounds `slot * res` within the period (no overflow).
    if slots.last().is_some_and(|&s| s >= slots_per_period) {
        return Err(Error::BadChunk("bucket outside its period"));
    }
    let counts = get_runs(data, &mut pos, n)?;
    let min = get_values(data, &mut pos, n)?;
    let max = get_values(data, &mut pos, n)?;
    let sum = get_values(data, &mut pos, n)?;
    let last = get_values(data, &mut pos, n)?;
    Ok((0..n)
        .map(|i| Agg {
            start: period + slots[i] * res.as_ms(),
            count: counts[i],
            min: min[i],
            max: max[i],
            sum: sum[i],
            last: last[i],
        })
        .collect())
}

const READ_SQL: &str = "SELECT period, data FROM rollups WHERE series_id = ?1 AND res = ?2
    AND source = ?3 AND period >= ?4 AND period < ?5 ORDER BY period";

/// Stored buckets of one level and source with start in `[from, to)`.
pub(crate) fn read(
    conn: &Connection,
    sid: i64,
    res: Resolution,
    source: i64,
    from: i64,
    to: i64,
) -> Result<Vec<Agg>> {
    let plen = period_len(res);
    let mut stmt = conn.prepare_cached(READ_SQL)?;
    let mut rows = stmt.query(params![
        sid,
        res.as_ms(),
        source,
        from.div_euclid(plen) * plen,
        to
    ])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let period: i64 = r.get(0)?;
        let data: Vec<u8> = r.get(1)?;
        out.extend(
            decode(period, res, &data)?
                .into_iter()
                .filter(|a| a.start >= from && a.start < to),
        );
    }
    Ok(out)
}

/// Replaces the stored buckets of `[from, to)` with `aggs` (all inside the range, sorted).
pub(crate) fn write(
    conn: &Connection,
    sid: i64,
    res: Resolution,
    source: i64,
    from: i64,
    to: i64,
    aggs: &[Agg],
) -> Result<()> {
    let plen = period_len(res);
    let mut period = from.div_euclid(plen) * plen;
    while period < to {
        let end = period + plen;
        let mut kept = read(conn, sid, res, source, period, end)?;
        kept.retain(|a| a.start < from || a.start >= to);
        kept.extend(
            aggs.iter()
                .filter(|a| a.start >= period && a.start < end)
                .copied(),
        );
        kept.sort_by_key(|a| a.start);
        if kept.is_empty() {
            conn.prepare_cached(
                "DELETE FROM rollups WHERE series_id = ?1 AND res = ?2 AND source = ?3 AND period = ?4",
            )?
            .execute(params![sid, res.as_ms(), source, period])?;
        } else {
            conn.prepare_cached(
                "INSERT OR REPLACE INTO rollups (series_id, res, source, period, data) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![sid, res.as_ms(), source, period, encode(period, res, &kept)])?;
        }
        period = end;
    }
    Ok(())
}

/// Effective buckets of a stored level over `[from, to)` (bounds aligned to `res`).
pub(crate) fn effective(
    conn: &Connection,
    sid: i64,
    res: Resolution,
    from: i64,
    to: i64,
) -> Result<Vec<Agg>> {
    effective_over(conn, sid, res, from, to, None)
}

/// [`effective`], with the span's raw samples when the caller holds them (just merged), so that
/// the 1m and 5m levels do not read them back from their chunks.
fn effective_over(
    conn: &Connection,
    sid: i64,
    res: Resolution,
    from: i64,
    to: i64,
    raw: Option<Vec<(i64, f64)>>,
) -> Result<Vec<Agg>> {
    let derived = match res {
        Resolution::M1 => {
            let samples = match raw {
                Some(samples) => samples,
                None => chunk::read(conn, sid, from, to)?,
            };
            let samples = samples.into_iter().map(|(t, v)| Agg::sample(t, v));
            aggregate(samples, res)
        }
        Resolution::M5 => {
            let minutes = effective_over(conn, sid, Resolution::M1, from, to, raw)?;
            aggregate(minutes, res)
        }
        _ => read(conn, sid, res, DERIVED, from, to)?,
    };
    Ok(overlay(derived, read(conn, sid, res, SERVER, from, to)?))
}

/// Recomputes the stored derived levels above `changed` for the hour-aligned span `[from, to)`.
/// `changed` is the finest level whose data changed (RAW for samples); `raw`, when given, is every
/// stored sample of the span (the chunks just merged), used instead of reading them back.
pub(crate) fn recompute(
    conn: &Connection,
    sid: i64,
    changed: Resolution,
    from: i64,
    to: i64,
    mut raw: Option<Vec<(i64, f64)>>,
) -> Result<()> {
    let chain = [
        (Resolution::M5, Resolution::M15),
        (Resolution::M15, Resolution::H1),
        (Resolution::H1, Resolution::D1),
    ];
    // The level just written and its span: the next level reads its buckets from here, not
    // from the blob they were just encoded into (the same buckets; one decode less per level).
    let mut written: Option<(Resolution, i64, i64, Vec<Agg>)> = None;
    for (finer, level) in chain {
        if level <= changed {
            continue;
        }
        let (f, t) = (level.floor(from), level.ceil(to));
        let finer_buckets = match written.take() {
            Some((res, wf, wt, aggs)) if res == finer && wf <= f && t <= wt => {
                let inside = aggs.into_iter().filter(|a| a.start >= f && a.start < t);
                overlay(inside.collect(), read(conn, sid, finer, SERVER, f, t)?)
            }
            // The span is hour-aligned, so the first level's span is the samples' own.
            _ if finer == Resolution::M5 && (f, t) == (from, to) => {
                effective_over(conn, sid, finer, f, t, raw.take())?
            }
            _ => effective(conn, sid, finer, f, t)?,
        };
        let derived = aggregate(finer_buckets, level);
        write(conn, sid, level, DERIVED, f, t, &derived)?;
        written = Some((level, f, t, derived));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A cached statement is reused as prepared, whatever the values bound to it: without the
    /// query planner stability guarantee every rebind after the cache's `clear_bindings`
    /// re-parsed the SQL (a fifth of the ingest time).
    #[test]
    fn cached_statements_are_not_re_prepared_when_rebound() {
        let store = crate::Store::open_in_memory().unwrap();
        for (sid, source) in [(1, DERIVED), (2, SERVER), (1, SERVER), (7, DERIVED)] {
            read(&store.conn, sid, Resolution::M15, source, 0, DAY_MS).unwrap();
        }
        let stmt = store.conn.prepare_cached(READ_SQL).unwrap();
        assert_eq!(stmt.get_status(rusqlite::StatementStatus::RePrepare), 0);
    }

    #[test]
    fn rollup_blob_round_trip() {
        let res = Resolution::M15;
        let period = DAY_MS * 20_000;
        let aggs: Vec<Agg> = (0..96)
            .filter(|i| i % 5 != 0)
            .map(|i| Agg {
                start: period + i * res.as_ms(),
                count: 15,
                min: -3.5,
                max: i as f64,
                sum: 12.25 * i as f64,
                last: 0.5,
            })
            .collect();
        let blob = encode(period, res, &aggs);
        assert_eq!(decode(period, res, &blob).unwrap(), aggs);
    }

    #[test]
    fn corrupt_counts_and_slots_are_errors_not_panics() {
        let res = Resolution::M15;
        // Regression: a bucket count >= 2^63 passed the limit check and overflowed an allocation.
        let mut huge_n = vec![FORMAT];
        put_uvarint(&mut huge_n, 1 << 63);
        assert!(matches!(
            decode(0, res, &huge_n),
            Err(Error::BadChunk("too many buckets"))
        ));
        // Regression: a slot index far outside the period overflowed `slot * res`.
        let mut far_slot = vec![FORMAT];
        put_uvarint(&mut far_slot, 1);
        put_increasing(&mut far_slot, &[i64::MAX / 2]);
        put_runs(&mut far_slot, &[1]);
        for _ in 0..4 {
            put_values(&mut far_slot, &[1.0]);
        }
        assert!(matches!(
            decode(0, res, &far_slot),
            Err(Error::BadChunk("bucket outside its period"))
        ));
    }
}
