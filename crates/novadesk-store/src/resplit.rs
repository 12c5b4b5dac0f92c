//! Schema v3's data step: v2's raw chunks held one hour and its rollup blobs up to 384 buckets;
//! v3's rows are sized to stay inside their b-tree page (`chunk::SPAN_MS`, `rollup::period_len`).
//! Every v2 row is decoded with v2's bounds and its samples or buckets written again, grouped by
//! v3's spans and periods, inside the migration's transaction: a damaged row fails the whole
//! migration and leaves the file as it was (at v2, readable by the previous build).

use std::collections::BTreeMap;

use rusqlite::{params, Connection};

use crate::bucket::{Agg, Resolution, DAY_MS, HOUR_MS};
use crate::chunk;
use crate::error::Result;
use crate::rollup;

/// Schema v2's rollup periods, frozen here: v2 files were written with them.
fn v2_period_len(res: Resolution) -> i64 {
    match res.as_ms() {
        ms if ms <= Resolution::M5.as_ms() => DAY_MS,
        ms if ms <= Resolution::M15.as_ms() => 4 * DAY_MS,
        ms if ms <= Resolution::H1.as_ms() => 16 * DAY_MS,
        _ => 384 * DAY_MS,
    }
}

/// Moves `chunks_v2` (one hour per row) into `chunks` and `rollups_v2` into `rollups`, then
/// drops the v2 tables.
pub(crate) fn run(conn: &Connection) -> Result<()> {
    chunks(conn)?;
    rollups(conn)?;
    conn.execute_batch("DROP TABLE chunks_v2; DROP TABLE rollups_v2;")?;
    Ok(())
}

/// One v3 chunk being gathered: series, span start, samples.
type Span = (i64, i64, Vec<(i64, f64)>);

fn chunks(conn: &Connection) -> Result<()> {
    let mut insert =
        conn.prepare("INSERT INTO chunks (series_id, start, n, data) VALUES (?1, ?2, ?3, ?4)")?;
    let mut flush = |(sid, start, samples): Span| -> Result<()> {
        insert.execute(params![
            sid,
            start,
            samples.len() as i64,
            chunk::encode(start, &samples)
        ])?;
        Ok(())
    };
    // In key order, so a span's hours come one after another, each sorted within itself.
    let mut read =
        conn.prepare("SELECT series_id, hour, data FROM chunks_v2 ORDER BY series_id, hour")?;
    let mut rows = read.query([])?;
    let mut pending: Option<Span> = None;
    while let Some(r) = rows.next()? {
        let (sid, hour, data): (i64, i64, Vec<u8>) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let samples = chunk::decode_span(hour, HOUR_MS, &data)?;
        let start = hour.div_euclid(chunk::SPAN_MS) * chunk::SPAN_MS;
        match &mut pending {
            Some((s, st, held)) if *s == sid && *st == start => held.extend(samples),
            _ => {
                if let Some(done) = pending.replace((sid, start, samples)) {
                    flush(done)?;
                }
            }
        }
    }
    pending.map_or(Ok(()), flush)
}

fn rollups(conn: &Connection) -> Result<()> {
    let mut insert = conn.prepare(
        "INSERT INTO rollups (series_id, res, source, period, data) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    let mut read = conn.prepare(
        "SELECT series_id, res, source, period, data FROM rollups_v2 ORDER BY series_id, res, source, period",
    )?;
    let mut rows = read.query([])?;
    while let Some(r) = rows.next()? {
        let (sid, res_ms, source, period): (i64, i64, i64, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let data: Vec<u8> = r.get(4)?;
        let res = Resolution::from_ms(res_ms)?;
        // v3's periods divide v2's (1, 4 and 96 days into 4, 16 and 384), so each v2 blob
        // splits into whole v3 blobs and no two v2 blobs share one.
        let aggs = rollup::decode_period(period, v2_period_len(res), res, &data)?;
        for (p, aggs) in by_period(aggs, rollup::period_len(res)) {
            insert.execute(params![
                sid,
                res_ms,
                source,
                p,
                rollup::encode(p, res, &aggs)
            ])?;
        }
    }
    Ok(())
}

/// Buckets grouped by the period of length `plen` each starts in.
fn by_period(aggs: impl IntoIterator<Item = Agg>, plen: i64) -> BTreeMap<i64, Vec<Agg>> {
    let mut out: BTreeMap<i64, Vec<Agg>> = BTreeMap::new();
    for agg in aggs {
        out.entry(agg.start.div_euclid(plen) * plen)
            .or_default()
            .push(agg);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::schema;

    const SID: i64 = 1;
    /// Three hours past a four-hour boundary, so v2's first hours share a v3 span with nothing.
    const BASE: i64 = 20_000 * DAY_MS + 3 * HOUR_MS;

    fn v2_store() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        schema::migrate(&mut conn, 0, 2).unwrap();
        conn.execute(
            "INSERT INTO series (id, der_id, field) VALUES (?1, 'der-1', 'W')",
            [SID],
        )
        .unwrap();
        conn
    }

    /// v2's hour chunks of 30 hours of minutes from BASE, hours 5 and 6 missing (a gap).
    fn put_v2_chunks(conn: &Connection) -> Vec<(i64, f64)> {
        let mut all = Vec::new();
        for h in (0..30).filter(|h| !(5..7).contains(h)) {
            let hour = BASE + h * HOUR_MS;
            let samples: Vec<(i64, f64)> = (0..60)
                .filter(|m| (m + h) % 11 != 0)
                .map(|m| (hour + m * 60_000, ((h * 60 + m) * 37 % 1000) as f64 / 4.0))
                .collect();
            conn.execute(
                "INSERT INTO chunks (series_id, hour, n, data) VALUES (?1, ?2, ?3, ?4)",
                params![
                    SID,
                    hour,
                    samples.len() as i64,
                    chunk::encode(hour, &samples)
                ],
            )
            .unwrap();
            all.extend(samples);
        }
        all
    }

    /// Buckets of `res` from `from` for `days`, one in seven missing, as v2 stored them.
    fn put_v2_rollups(
        conn: &Connection,
        res: Resolution,
        source: i64,
        from: i64,
        days: i64,
    ) -> Vec<Agg> {
        let n = days * DAY_MS / res.as_ms();
        let aggs: Vec<Agg> = (0..n)
            .filter(|i| i % 7 != 3)
            .map(|i| Agg {
                start: from + i * res.as_ms(),
                count: 1 + (i % 5) as u64,
                min: -(i as f64),
                max: i as f64 * 2.0,
                sum: i as f64 * 0.25,
                last: 1.5,
            })
            .collect();
        for (p, blob) in by_period(aggs.iter().copied(), v2_period_len(res)) {
            conn.execute(
                "INSERT INTO rollups (series_id, res, source, period, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![SID, res.as_ms(), source, p, rollup::encode(p, res, &blob)],
            )
            .unwrap();
        }
        aggs
    }

    fn count(conn: &Connection, sql: &str) -> i64 {
        conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }

    #[test]
    fn v2_rows_move_to_v3_spans_and_periods_unchanged() {
        let mut conn = v2_store();
        let samples = put_v2_chunks(&conn);
        let day0 = BASE.div_euclid(DAY_MS) * DAY_MS;
        let levels = [
            (Resolution::M1, rollup::SERVER, day0, 2),
            (Resolution::M15, rollup::DERIVED, day0, 10),
            (Resolution::H1, rollup::SERVER, day0 - 20 * DAY_MS, 40),
            // Spans two of v2's 384-day periods.
            (Resolution::D1, rollup::DERIVED, day0 - 500 * DAY_MS, 700),
        ];
        let stored: Vec<Vec<Agg>> = levels
            .iter()
            .map(|&(res, source, from, days)| put_v2_rollups(&conn, res, source, from, days))
            .collect();

        schema::check_and_migrate(&mut conn).unwrap();

        assert_eq!(schema::version(&conn).unwrap(), schema::SCHEMA_VERSION);
        assert_eq!(
            count(
                &conn,
                "SELECT count(*) FROM sqlite_schema WHERE name LIKE '%_v2'"
            ),
            0,
            "the v2 tables are dropped"
        );
        assert_eq!(chunk::read(&conn, SID, 0, i64::MAX / 2).unwrap(), samples);
        // 30 hours from 03:00 with a gap at 08:00–10:00: spans at 00, 04, 08, 12, ... (9 of them).
        assert_eq!(count(&conn, "SELECT count(*) FROM chunks"), 9);
        assert_eq!(
            count(
                &conn,
                &format!(
                    "SELECT count(*) FROM chunks WHERE start % {} != 0",
                    chunk::SPAN_MS
                )
            ),
            0
        );
        assert_eq!(
            count(&conn, "SELECT sum(n) FROM chunks"),
            samples.len() as i64,
            "each row's count is its samples'"
        );
        for ((res, source, from, days), aggs) in levels.iter().zip(&stored) {
            let to = from + days * DAY_MS;
            assert_eq!(
                &rollup::read(&conn, SID, *res, *source, *from, to).unwrap(),
                aggs,
                "{res:?}"
            );
            let plen = rollup::period_len(*res);
            let misplaced = count(
                &conn,
                &format!(
                    "SELECT count(*) FROM rollups WHERE res = {} AND period % {plen} != 0",
                    res.as_ms()
                ),
            );
            assert_eq!(misplaced, 0, "{res:?}");
        }
        // The derived levels' blobs now stay inside a 4 KiB page (SQLite's local limit ~1,000 B).
        assert!(
            count(
                &conn,
                "SELECT max(length(data)) FROM rollups WHERE res > 60000"
            ) < 1000
        );
    }

    #[test]
    fn a_damaged_v2_row_fails_the_migration_and_leaves_the_file_at_v2() {
        let mut conn = v2_store();
        let samples = put_v2_chunks(&conn);
        conn.execute(
            "INSERT INTO chunks (series_id, hour, n, data) VALUES (?1, ?2, 1, x'01ff')",
            params![SID, BASE + 40 * HOUR_MS],
        )
        .unwrap();

        let err = schema::check_and_migrate(&mut conn).unwrap_err();
        assert!(matches!(err, Error::BadChunk(_)), "{err:?}");
        assert_eq!(schema::version(&conn).unwrap(), 2);
        let kept: i64 = count(&conn, "SELECT count(hour) FROM chunks");
        assert_eq!(kept, 29, "v2's chunks table, every row, as it was");
        assert_eq!(
            count(&conn, "SELECT coalesce(sum(n), 0) FROM chunks") - 1,
            samples.len() as i64
        );
    }

    #[test]
    fn v3_periods_divide_v2_periods_for_every_level() {
        for res in Resolution::LEVELS {
            assert_eq!(v2_period_len(res) % rollup::period_len(res), 0, "{res:?}");
            assert_eq!(rollup::period_len(res) % res.as_ms(), 0, "{res:?}");
        }
        assert_eq!(chunk::SPAN_MS % HOUR_MS, 0);
        assert_eq!(DAY_MS % chunk::SPAN_MS, 0);
    }
}
