//! Raw sample chunks: one row per series per UTC hour.
//!
//! Blob: `[format=1][n varint][timestamps: put_increasing of (ts - hour)][values: put_values]`.
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

/// Encodes sorted, unique samples of one hour.
pub(crate) fn encode(hour: i64, samples: &[(i64, f64)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 + samples.len() * 2);
    out.push(FORMAT);
    put_uvarint(&mut out, samples.len() as u64);
    let offsets: Vec<i64> = samples.iter().map(|s| s.0 - hour).collect();
    put_increasing(&mut out, &offsets);
    let values: Vec<f64> = samples.iter().map(|s| s.1).collect();
    put_values(&mut out, &values);
    out
}

/// Decodes a chunk written by [`encode`].
pub(crate) fn decode(hour: i64, data: &[u8]) -> Result<Vec<(i64, f64)>> {
    if data.first() != Some(&FORMAT) {
        return Err(Error::BadChunk("unknown chunk format"));
    }
    let mut pos = 1;
    let n = get_uvarint(data, &mut pos)? as usize;
    if n > HOUR_MS as usize {
        return Err(Error::BadChunk("too many samples"));
    }
    let offsets = get_increasing(data, &mut pos, n)?;
    if offsets.last().is_some_and(|&o| o >= HOUR_MS) {
        return Err(Error::BadChunk("sample outside its hour"));
    }
    let values = get_values(data, &mut pos, n)?;
    Ok(offsets.into_iter().map(|o| o + hour).zip(values).collect())
}

/// The stored chunks of the given hours (a sorted, non-empty list), by hour: one range query
/// when the hours are dense (a day batch: one query, not 24), else one lookup per hour (a late
/// sample beside a new one would otherwise read every chunk between them).
pub(crate) fn stored(conn: &Connection, sid: i64, hours: &[i64]) -> Result<BTreeMap<i64, Vec<u8>>> {
    let (Some(&first), Some(&last)) = (hours.first(), hours.last()) else {
        return Ok(BTreeMap::new());
    };
    // Cached statements: ingest runs these for every series, and preparing the SQL each time
    // cost more than the chunk codec.
    if (last - first) / HOUR_MS < 2 * hours.len() as i64 {
        let mut stmt = conn.prepare_cached(
            "SELECT hour, data FROM chunks WHERE series_id = ?1 AND hour >= ?2 AND hour <= ?3",
        )?;
        let rows = stmt.query_map(params![sid, first, last], |r| Ok((r.get(0)?, r.get(1)?)))?;
        return Ok(rows.collect::<rusqlite::Result<_>>()?);
    }
    let mut stmt =
        conn.prepare_cached("SELECT data FROM chunks WHERE series_id = ?1 AND hour = ?2")?;
    let mut out = BTreeMap::new();
    for &hour in hours {
        if let Some(data) = stmt
            .query_row(params![sid, hour], |r| r.get(0))
            .optional()?
        {
            out.insert(hour, data);
        }
    }
    Ok(out)
}

/// Merges `new` samples (any order, ts within `hour`) into the hour's `stored` chunk; later
/// duplicates win. Returns the hour's samples as now stored, if anything changed.
pub(crate) fn merge(
    conn: &Connection,
    sid: i64,
    hour: i64,
    new: &mut [(i64, f64)],
    stored: Option<Vec<u8>>,
) -> Result<Option<Vec<(i64, f64)>>> {
    let old = match &stored {
        Some(d) => decode(hour, d)?,
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
        "INSERT OR REPLACE INTO chunks (series_id, hour, n, data) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![
        sid,
        hour,
        merged.len() as i64,
        encode(hour, &merged)
    ])?;
    Ok(Some(merged))
}

/// Samples of a series in `[from, to)`, time-ordered.
pub(crate) fn read(conn: &Connection, sid: i64, from: i64, to: i64) -> Result<Vec<(i64, f64)>> {
    let first_hour = from.div_euclid(HOUR_MS) * HOUR_MS;
    let mut stmt = conn.prepare_cached(
        "SELECT hour, data FROM chunks WHERE series_id = ?1 AND hour >= ?2 AND hour < ?3 ORDER BY hour",
    )?;
    let mut rows = stmt.query(params![sid, first_hour, to])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let hour: i64 = r.get(0)?;
        let data: Vec<u8> = r.get(1)?;
        out.extend(
            decode(hour, &data)?
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
            "SELECT hour, data FROM chunks WHERE series_id = ?1 ORDER BY hour DESC LIMIT 1",
            [sid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match row {
        Some((hour, data)) => Ok(decode(hour, &data)?.pop()),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_round_trip_and_size() {
        let hour = 1_764_000_000_000 / HOUR_MS * HOUR_MS;
        let s: Vec<(i64, f64)> = (0..60)
            .map(|i| (hour + i * 60_000, 1000.0 + (i % 7) as f64))
            .collect();
        let blob = encode(hour, &s);
        assert_eq!(decode(hour, &blob).unwrap(), s);
        assert!(
            blob.len() < 80,
            "regular integer data should be ~1 byte per sample, got {}",
            blob.len()
        );
    }
}
