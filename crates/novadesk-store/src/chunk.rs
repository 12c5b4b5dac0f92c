//! Raw sample chunks: one row per series per four UTC hours.
//!
//! Blob: `[format=1][n varint][timestamps: put_increasing of (ts - start)][values: put_values]`.
//! Samples are kept sorted and unique by timestamp, so re-ingesting a sample is a no-op and a late
//! sample is merged into place.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};

use crate::bucket::HOUR_MS;
use crate::codec::{
    get_increasing, get_uvarint, get_values, put_increasing, put_uvarint, put_values,
};
use crate::error::{Error, Result};

const FORMAT: u8 = 1;

/// The time one chunk row holds. Four hours of 1-minute data is ~330 bytes, so a row stays
/// inside its 4 KiB b-tree page (SQLite moves a WITHOUT ROWID row's bytes past ~1,000 to an
/// overflow page of its own) while each row's key and the chunk's first sample are paid once per
/// 240 samples, not 60: a year of 10 series of minutes takes 7.8 MB of chunk pages, 9.7 MB as
/// hour rows (schema v2; #13's store bench).
pub(crate) const SPAN_MS: i64 = 4 * HOUR_MS;

/// Encodes sorted, unique samples of one span starting at `start`.
pub(crate) fn encode(start: i64, samples: &[(i64, f64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + samples.len() * 2);
    out.push(FORMAT);
    put_uvarint(&mut out, samples.len() as u64);
    let offsets: Vec<i64> = samples.iter().map(|s| s.0 - start).collect();
    put_increasing(&mut out, &offsets);
    let values: Vec<f64> = samples.iter().map(|s| s.1).collect();
    put_values(&mut out, &values);
    out
}

/// Decodes a chunk of this schema's span written by [`encode`].
pub(crate) fn decode(start: i64, data: &[u8]) -> Result<Vec<(i64, f64)>> {
    decode_span(start, SPAN_MS, data)
}

/// Decodes a chunk whose samples lie in `[start, start + span)` (schema v2's were one hour).
pub(crate) fn decode_span(start: i64, span: i64, data: &[u8]) -> Result<Vec<(i64, f64)>> {
    if data.first() != Some(&FORMAT) {
        return Err(Error::BadChunk("unknown chunk format"));
    }
    let mut pos = 1;
    let n = get_uvarint(data, &mut pos)?;
    // Compared as u64: a huge count must not wrap into a small usize (and then allocate).
    if n > span.unsigned_abs() {
        return Err(Error::BadChunk("too many samples"));
    }
    let n = n as usize;
    let offsets = get_increasing(data, &mut pos, n)?;
    if offsets.last().is_some_and(|&o| o >= span) {
        return Err(Error::BadChunk("sample outside its chunk's span"));
    }
    let values = get_values(data, &mut pos, n)?;
    Ok(offsets.into_iter().map(|o| o + start).zip(values).collect())
}

/// The stored chunks of the given span starts (a sorted, non-empty list), by start: one range
/// query when the spans are dense (a day batch: one query, not 6), else one lookup per span (a
/// late sample beside a new one would otherwise read every chunk between them).
pub(crate) fn stored(
    conn: &Connection,
    sid: i64,
    starts: &[i64],
) -> Result<BTreeMap<i64, Vec<u8>>> {
    let (Some(&first), Some(&last)) = (starts.first(), starts.last()) else {
        return Ok(BTreeMap::new());
    };
    // Cached statements: ingest runs these for every series, and preparing the SQL each time
    // cost more than the chunk codec.
    if (last - first) / SPAN_MS < 2 * starts.len() as i64 {
        let mut stmt = conn.prepare_cached(
            "SELECT start, data FROM chunks WHERE series_id = ?1 AND start >= ?2 AND start <= ?3",
        )?;
        let rows = stmt.query_map(params![sid, first, last], |r| Ok((r.get(0)?, r.get(1)?)))?;
        return Ok(rows.collect::<rusqlite::Result<_>>()?);
    }
    let mut stmt =
        conn.prepare_cached("SELECT data FROM chunks WHERE series_id = ?1 AND start = ?2")?;
    let mut out = BTreeMap::new();
    for &start in starts {
        if let Some(data) = stmt
            .query_row(params![sid, start], |r| r.get(0))
            .optional()?
        {
            out.insert(start, data);
        }
    }
    Ok(out)
}

/// Merges `new` samples (any order, ts within the span at `start`) into the span's `stored`
/// chunk; later duplicates win. Returns the span's samples as now stored, if anything changed.
pub(crate) fn merge(
    conn: &Connection,
    sid: i64,
    start: i64,
    new: &mut [(i64, f64)],
    stored: Option<Vec<u8>>,
) -> Result<Option<Vec<(i64, f64)>>> {
    let old = match &stored {
        Some(d) => decode(start, d)?,
        None => Vec::new(),
    };
    // Stable sort keeps the batch's order among equal timestamps, so the last pushed value wins.
    new.sort_by_key(|s| s.0);
    let mut merged = Vec::with_capacity(old.len() + new.len());
    let (mut i, mut j) = (0, 0);
    while i < old.len() || j < new.len() {
        let take_new = j < new.len() && (i >= old.len() || new[j].0 <= old[i].0);
        if take_new {
            if i < old.len() && old[i].0 == new[j].0 {
                i += 1;
            }
            if merged.last().is_some_and(|l: &(i64, f64)| l.0 == new[j].0) {
                merged.pop();
            }
            merged.push(new[j]);
            j += 1;
        } else {
            merged.push(old[i]);
            i += 1;
        }
    }
    let same = merged.len() == old.len()
        && merged
            .iter()
            .zip(&old)
            .all(|(a, b)| a.0 == b.0 && a.1.to_bits() == b.1.to_bits());
    if same {
        return Ok(None);
    }
    conn.prepare_cached(
        "INSERT OR REPLACE INTO chunks (series_id, start, n, data) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        sid,
        start,
        merged.len() as i64,
        encode(start, &merged)
    ])?;
    Ok(Some(merged))
}

/// Samples of a series in `[from, to)`, time-ordered.
pub(crate) fn read(conn: &Connection, sid: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>> {
    let first = from.div_euclid(SPAN_MS) * SPAN_MS;
    let mut stmt = conn.prepare_cached(
        "SELECT start, data FROM chunks WHERE series_id = ?1 AND start >= ?2 AND start < ?3 ORDER BY start",
    )?;
    let mut rows = stmt.query(params![sid, first, to])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let start: i64 = r.get(0)?;
        let data: Vec<u8> = r.get(1)?;
        out.extend(
            decode(start, &data)?
                .into_iter()
                .filter(|s| s.0 >= from && s.0 < to),
        );
    }
    Ok(out)
}

/// The newest stored sample of a series.
pub(crate) fn latest(conn: &Connection, sid: i64) -> Result<Option<(i64, f64)>> {
    let row: Option<(i64, Vec<u8>)> = conn
        .query_row(
            "SELECT start, data FROM chunks WHERE series_id = ?1 ORDER BY start DESC LIMIT 1",
            [sid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((start, data)) => Ok(decode(start, &data)?.pop()),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_round_trip_and_size() {
        let start = 1_764_000_000_000 / SPAN_MS * SPAN_MS;
        let s: Vec<(i64, f64)> = (0..240)
            .map(|i| (start + i * 60_000, 1000.0 + (i % 7) as f64))
            .collect();
        let blob = encode(start, &s);
        assert_eq!(decode(start, &blob).unwrap(), s);
        assert!(
            blob.len() < 300,
            "regular integer data should be ~1 byte per sample, got {}",
            blob.len()
        );
    }
}
