//! `novadesk-store`: Novadesk's offline store — one SQLite file (WAL, `synchronous=FULL`) per
//! environment + identity. Open with [`Store::open`] (or [`Store::open_in_memory`] in tests); share one
//! `Store` behind a `Mutex`.
//!
//! What it holds, and the calls for it:
//! - **Resources** (orgs, members, sites, gateways, devices, DERs) as JSON blobs keyed by (kind, parent, id):
//!   [`Store::upsert_resources`] replaces the set under a parent, [`Store::resources`] returns it with its
//!   `fetched_at` ("cached N min ago"), [`Store::resource`] looks one up by id, [`Store::resource_sets`]
//!   reads every set of a kind in one go.
//! - **Telemetry** per series `(der_id, field)` ([`SeriesKey`]): [`Store::ingest`] a [`Batch`] of raw samples
//!   (e.g. from SSE readings via [`Batch::push_reading`]); [`Store::ingest_buckets`] the server's
//!   pre-aggregated history; [`Store::range`] chart buckets at any multiple of a minute;
//!   [`Store::samples`] raw samples; [`Store::latest`] the newest sample ([`Store::latest_many`] for
//!   many series in one query); [`Store::averages`] bucket means for cost calculations, whole
//!   past days served from memory (evicted by every write that touches them).
//! - **Coverage**: [`Store::coverage`] → cached ranges (with `fetched_at`) and gaps to back-fill;
//!   [`Store::mark_covered`]. Live ingest and history ingest record coverage themselves.
//! - **Prices**: [`Store::upsert_prices`] / [`Store::prices`] per (area, currency), any slot length.
//! - **Outbox**: [`Store::enqueue`] / [`Store::next_due`] / [`Store::mark_sending`] / [`Store::mark_done`] /
//!   [`Store::mark_failed`] / [`Store::mark_conflict`] / [`Store::retry_entry`] / [`Store::drop_entry`] /
//!   [`Store::outbox`].
//! - **Settings**: [`Store::set_setting`] / [`Store::setting`] / [`Store::settings_with_prefix`].
//! - **Maintenance**: [`Store::size_report`], [`Store::retain`], [`Store::vacuum`], [`Store::checkpoint`],
//!   [`Store::integrity_check`].
//!
//! ```no_run
//! use novadesk_store::{Batch, Resolution, SeriesKey, Store};
//! let mut store = Store::open("/path/to/sandbox-<identity>.db")?;
//! let w = SeriesKey::new("der-1", "W");
//! let mut batch = Batch::new(1_764_000_000_000);
//! batch.push(&w, 1_764_000_000_000, -1500.0);
//! store.ingest(&batch)?;
//! let buckets = store.range(&w, 1_763_900_000_000, 1_764_100_000_000, Resolution::M15)?;
//! let missing = store.coverage(&w, 1_763_900_000_000, 1_764_100_000_000, Resolution::M15)?.gaps;
//! # Ok::<(), novadesk_store::Error>(())
//! ```
//!
//! Telemetry layout (details in `codec.rs`, `chunk.rs`, `rollup.rs`):
//! - raw samples: one row per series per 4 UTC hours (rows sized to fit their 4 KiB page); timestamps delta + run-length encoded (regular
//!   sampling costs ~0 bytes per sample), values as scaled-decimal zigzag varint deltas (XOR of the bits
//!   when not decimal) — about 1–2 bytes per sample;
//! - rollups: buckets (count/min/max/sum/last) packed into day-aligned blobs, stored at 15 m, 1 h and
//!   1 d (derived from raw), and at any level as received from the server; 1 m and 5 m are derived from
//!   the raw chunks on read, because for minute data they would duplicate every sample;
//! - a bucket known both locally and from the server keeps the one that saw more samples (ties: server).
//! - NaN/±inf are rejected at ingest ([`Error::InvalidSample`]); the codec itself restores any `f64`
//!   bit-exactly (property-tested).
//!
//! Measured (`cargo bench -p novadesk-store --bench store`, 10 series × 1 year of 1-minute data):
//! ~2.9 bytes/sample on disk vs ~24 for a one-row-per-sample table and ~37 for CSV; a one-year chart
//! of one series at 6 h (1,460 buckets) reads in < 1 ms.

mod bucket;
mod chunk;
mod codec;
mod coverage;
mod day_cache;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod maintenance;
mod outbox;
mod prices;
mod resources;
mod resplit;
mod rollup;
mod schema;
mod series;
mod settings;
mod telemetry;

#[cfg(test)]
mod props;

use std::path::{Path, PathBuf};

use rusqlite::config::DbConfig;
use rusqlite::{Connection, OpenFlags};

pub use bucket::{Bucket, Resolution, ServerBucket, DAY_MS, HOUR_MS, MAX_TS, MINUTE_MS};
pub use coverage::{CoverageReport, Covered, Span};
pub use error::{Error, Result};
pub use maintenance::{IntegrityReport, RetentionPolicy, RetentionReport, SizeReport};
pub use outbox::{OutboxCounts, OutboxEntry, OutboxStatus};
pub use prices::PriceSlot;
pub use resources::{Resource, ResourceSet};
pub use schema::SCHEMA_VERSION;
pub use series::{Batch, SeriesKey};
pub use telemetry::LIVE_JOIN_MS;

/// The offline store. Not `Sync`: share it behind a `Mutex` (writes are short transactions).
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: Option<PathBuf>,
    /// Past days' bucket averages between reads ([`Store::averages`]).
    days: std::cell::RefCell<day_cache::DayCache>,
}

impl Store {
    /// Opens (creating it and its directory if missing) the store at `path`, migrating older schemas.
    ///
    /// Errors: [`Error::NotADatabase`] for a non-SQLite/damaged file, [`Error::SchemaTooNew`] for a file
    /// from a newer Novadesk, [`Error::ReadOnly`] / [`Error::CannotOpen`] when it cannot be written.
    /// In each case nothing is written to the file.
    pub fn open(path: impl AsRef<Path>) -> Result<Store> {
        let path = path.as_ref().to_path_buf();
        if let Some(dir) = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty() && !d.exists())
        {
            std::fs::create_dir_all(dir).map_err(|e| Error::CannotOpen {
                path: path.clone(),
                detail: format!("cannot create {}: {e}", dir.display()),
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(&path, flags).map_err(|e| open_error(&path, e))?;
        Self::init(conn, Some(path))
    }

    /// A private in-memory store (tests, previews).
    pub fn open_in_memory() -> Result<Store> {
        Self::init(Connection::open_in_memory()?, None)
    }

    fn init(mut conn: Connection, path: Option<PathBuf>) -> Result<Store> {
        let map = |e: rusqlite::Error| match &path {
            Some(p) => open_error(p, e),
            None => Error::from(e),
        };
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(map)?;
        // Read before any write so a foreign or newer file is refused untouched.
        let found = schema::version(&conn).map_err(|e| lift(e, &path))?;
        if found > SCHEMA_VERSION {
            return Err(Error::SchemaTooNew {
                found,
                supported: SCHEMA_VERSION,
            });
        }
        if path.is_some() {
            let mode: String = conn
                .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))
                .map_err(map)?;
            if !mode.eq_ignore_ascii_case("wal") {
                return Err(Error::CannotOpen {
                    path: path.clone().unwrap_or_default(),
                    detail: format!("WAL journal not available (got {mode})"),
                });
            }
        }
        // FULL: a committed outbox entry or batch survives power loss, not only a crash.
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(map)?;
        schema::check_and_migrate(&mut conn).map_err(|e| lift(e, &path))?;
        // Room for every statement the ingest and read paths keep prepared (the default 16 is
        // close to that count, and an evicted statement is re-parsed on every call).
        conn.set_prepared_statement_cache_capacity(64);
        // Plans that do not depend on bound values. Without it SQLite marks nearly every cached
        // statement "re-prepare when a parameter changes" (an `x = ?` filter the plan might use),
        // and the cache's `sqlite3_clear_bindings` on every return then expires it: each call
        // re-parsed its SQL, a fifth of the ingest time (#13). Our queries are key lookups and
        // ranges whose plan is the same for every value.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(map)?;
        Ok(Store {
            conn,
            path,
            days: Default::default(),
        })
    }

    /// The file backing this store (`None` in memory).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Caps the file at `pages` pages (`PRAGMA max_page_count`); writes beyond fail with
    /// [`Error::DiskFull`]. Useful to bound the store or to simulate a full disk. Returns the new cap.
    pub fn set_max_page_count(&mut self, pages: i64) -> Result<i64> {
        Ok(self
            .conn
            .query_row(&format!("PRAGMA max_page_count = {pages}"), [], |r| {
                r.get(0)
            })?)
    }
}

/// Converts an error seen while opening into the path-aware variants.
fn lift(e: Error, path: &Option<PathBuf>) -> Error {
    match (e, path) {
        (Error::Sqlite(inner), Some(p)) => open_error(p, inner),
        (Error::Corrupt { .. }, Some(p)) => Error::NotADatabase { path: p.clone() },
        (other, _) => other,
    }
}

fn open_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::NotADatabase) | Some(C::DatabaseCorrupt) => Error::NotADatabase {
            path: path.to_path_buf(),
        },
        Some(C::ReadOnly) | Some(C::PermissionDenied) => Error::ReadOnly {
            path: path.to_path_buf(),
        },
        Some(C::CannotOpen) if location_read_only(path) => Error::ReadOnly {
            path: path.to_path_buf(),
        },
        Some(C::CannotOpen) => Error::CannotOpen {
            path: path.to_path_buf(),
            detail: e.to_string(),
        },
        _ => Error::from(e),
    }
}

/// Whether the store file or its directory refuses writes. Permission bits are not enough (root,
/// immutable attributes, read-only mounts), so on this error path we also try to create a probe file.
fn location_read_only(path: &Path) -> bool {
    let ro = |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().readonly());
    let Some(dir) = path.parent() else {
        return ro(path);
    };
    if ro(path) || ro(dir) {
        return true;
    }
    let probe = dir.join(format!(".novadesk-store-probe-{}", std::process::id()));
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            // Best effort: the probe is empty and uniquely named.
            let _ = std::fs::remove_file(&probe);
            false
        }
        Err(e) => dir.exists() && e.kind() != std::io::ErrorKind::AlreadyExists,
    }
}
