//! Size report, retention, vacuum and integrity checks.

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::bucket::{Resolution, DAY_MS};
use crate::chunk;
use crate::coverage;
use crate::error::{Error, Result};
use crate::rollup::period_len;
use crate::Store;

/// How much the store holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SizeReport {
    /// Bytes in the main database file (`page_count × page_size`).
    pub db_bytes: i64,
    /// Bytes of those pages that are free (reclaimed by [`Store::vacuum`]).
    pub free_bytes: i64,
    /// Bytes in the `-wal` file right now (0 in memory).
    pub wal_bytes: i64,
    /// Series known.
    pub series: i64,
    /// Raw samples held.
    pub samples: i64,
    /// Raw sample chunks held (four hours of one series each).
    pub chunks: i64,
    /// Rollup blobs held (derived and server).
    pub rollup_blobs: i64,
    /// Coverage intervals.
    pub coverage_ranges: i64,
    /// Resource snapshots.
    pub resources: i64,
    /// Price slots.
    pub price_slots: i64,
    /// Outbox entries (all states).
    pub outbox_entries: i64,
}

/// Days to keep per resolution (`None` keeps forever). Cuts are whole hours for raw data and whole
/// rollup blobs (1 to 384 days) for rollups, so slightly more than asked may remain.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionPolicy {
    /// Raw samples.
    pub raw_days: Option<u32>,
    /// Server 1-minute buckets.
    pub m1_days: Option<u32>,
    /// Server 5-minute buckets.
    pub m5_days: Option<u32>,
    /// 15-minute rollups.
    pub m15_days: Option<u32>,
    /// Hourly rollups.
    pub h1_days: Option<u32>,
    /// Daily rollups.
    pub d1_days: Option<u32>,
}

/// What [`Store::retain`] removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetentionReport {
    /// Raw sample chunks deleted.
    pub chunks_deleted: usize,
    /// Rollup blobs deleted.
    pub rollup_blobs_deleted: usize,
}

/// Result of `PRAGMA integrity_check`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrityReport {
    /// True when SQLite answered exactly `ok`.
    pub ok: bool,
    /// SQLite's messages (`["ok"]` when healthy).
    pub messages: Vec<String>,
}

fn meta_key(res: Resolution) -> String {
    format!("retained_from/{}", res.as_ms())
}

/// Oldest timestamp retention still keeps at `res` (`0` if never cut).
pub(crate) fn retained_from(conn: &Connection, res: Resolution) -> Result<i64> {
    Ok(conn
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [meta_key(res)],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0))
}

fn count(conn: &Connection, sql: &str) -> Result<i64> {
    Ok(conn.query_row(sql, [], |r| r.get(0))?)
}

impl Store {
    /// Sizes and row counts.
    pub fn size_report(&self) -> Result<SizeReport> {
        let c = &self.conn;
        let page_size = count(c, "PRAGMA page_size")?;
        let wal_bytes = match &self.path {
            Some(p) => {
                let mut wal = p.as_os_str().to_owned();
                wal.push("-wal");
                std::fs::metadata(wal).map(|m| m.len() as i64).unwrap_or(0)
            }
            None => 0,
        };
        Ok(SizeReport {
            db_bytes: count(c, "PRAGMA page_count")? * page_size,
            free_bytes: count(c, "PRAGMA freelist_count")? * page_size,
            wal_bytes,
            series: count(c, "SELECT count(*) FROM series")?,
            samples: count(c, "SELECT coalesce(sum(n), 0) FROM chunks")?,
            chunks: count(c, "SELECT count(*) FROM chunks")?,
            rollup_blobs: count(c, "SELECT count(*) FROM rollups")?,
            coverage_ranges: count(c, "SELECT count(*) FROM coverage")?,
            resources: count(c, "SELECT count(*) FROM resources")?,
            price_slots: count(c, "SELECT count(*) FROM prices")?,
            outbox_entries: count(c, "SELECT count(*) FROM outbox")?,
        })
    }

    /// Drops telemetry older than the policy's windows relative to `now` (epoch ms). Coverage of dropped
    /// fine data moves to the coarser level that still holds it; writes older than a cut are refused
    /// afterwards with [`Error::OlderThanRetention`] (they could not be rolled up correctly).
    pub fn retain(&mut self, policy: &RetentionPolicy, now: i64) -> Result<RetentionReport> {
        let plan = [
            (
                Resolution::RAW,
                policy.raw_days,
                chunk::SPAN_MS,
                Some(Resolution::M15),
            ),
            (
                Resolution::M1,
                policy.m1_days,
                period_len(Resolution::M1),
                Some(Resolution::M15),
            ),
            (
                Resolution::M5,
                policy.m5_days,
                period_len(Resolution::M5),
                Some(Resolution::M15),
            ),
            (
                Resolution::M15,
                policy.m15_days,
                period_len(Resolution::M15),
                Some(Resolution::H1),
            ),
            (
                Resolution::H1,
                policy.h1_days,
                period_len(Resolution::H1),
                Some(Resolution::D1),
            ),
            (
                Resolution::D1,
                policy.d1_days,
                period_len(Resolution::D1),
                None,
            ),
        ];
        let mut report = RetentionReport::default();
        let tx = self.conn.transaction()?;
        for (res, days, grain, coarser) in plan {
            let Some(days) = days else { continue };
            let cutoff = (now - i64::from(days) * DAY_MS).div_euclid(grain) * grain;
            if cutoff <= retained_from(&tx, res)? {
                continue;
            }
            if res == Resolution::RAW {
                report.chunks_deleted +=
                    tx.execute("DELETE FROM chunks WHERE start < ?1", [cutoff])?;
            } else {
                report.rollup_blobs_deleted += tx.execute(
                    "DELETE FROM rollups WHERE res = ?1 AND period < ?2",
                    params![res.as_ms(), cutoff],
                )?;
            }
            coverage::cut(&tx, res, cutoff, coarser)?;
            tx.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![meta_key(res), cutoff],
            )?;
        }
        tx.commit()?;
        // Cut days must not be served from memory.
        self.days.get_mut().clear();
        Ok(report)
    }

    /// Rebuilds the file to reclaim free pages and truncates the WAL.
    pub fn vacuum(&mut self) -> Result<()> {
        self.conn.execute_batch("VACUUM")?;
        if self.path.is_some() {
            self.checkpoint()?;
        }
        Ok(())
    }

    /// Copies the WAL into the main file and truncates it.
    pub fn checkpoint(&mut self) -> Result<()> {
        let busy: i64 = self
            .conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        if busy != 0 {
            return Err(Error::Busy);
        }
        Ok(())
    }

    /// Runs `PRAGMA integrity_check` (reads the whole file; seconds on large stores).
    pub fn integrity_check(&self) -> Result<IntegrityReport> {
        let mut stmt = self.conn.prepare("PRAGMA integrity_check")?;
        let messages: Vec<String> = stmt
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        Ok(IntegrityReport {
            ok: messages.len() == 1 && messages[0] == "ok",
            messages,
        })
    }
}
