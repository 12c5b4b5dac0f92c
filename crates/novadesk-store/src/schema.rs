//! Versioned schema migrations (`PRAGMA user_version`).

use rusqlite::Connection;

use crate::error::{Error, Result};
use crate::resplit;

/// One schema step: its SQL, then (when rows must be rewritten, which SQL cannot decode) a data
/// step run in the same transaction.
struct Migration {
    sql: &'static str,
    data: Option<fn(&Connection) -> Result<()>>,
}

const fn sql(sql: &'static str) -> Migration {
    Migration { sql, data: None }
}

/// Migrations in order; `MIGRATIONS[i]` moves the schema from version `i` to `i + 1`.
/// Never edit a released entry: append a new one.
const MIGRATIONS: &[Migration] = &[
    // v1
    sql("
    CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
    CREATE TABLE resource_sets (
        kind TEXT NOT NULL, parent TEXT NOT NULL, fetched_at INTEGER NOT NULL,
        PRIMARY KEY (kind, parent)) WITHOUT ROWID;
    CREATE TABLE resources (
        kind TEXT NOT NULL, parent TEXT NOT NULL, id TEXT NOT NULL, body TEXT NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (kind, parent, id)) WITHOUT ROWID;
    CREATE INDEX resources_by_id ON resources (kind, id);
    CREATE TABLE series (
        id INTEGER PRIMARY KEY, der_id TEXT NOT NULL, field TEXT NOT NULL, UNIQUE (der_id, field));
    -- one row per series per UTC hour; data = codec chunk (see codec.rs / chunk.rs)
    CREATE TABLE chunks (
        series_id INTEGER NOT NULL, hour INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (series_id, hour)) WITHOUT ROWID;
    -- packed buckets; source 0 = derived locally, 1 = server history; period = blob's first bucket slot
    CREATE TABLE rollups (
        series_id INTEGER NOT NULL, res INTEGER NOT NULL, source INTEGER NOT NULL, period INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (series_id, res, source, period)) WITHOUT ROWID;
    CREATE TABLE coverage (
        series_id INTEGER NOT NULL, res INTEGER NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
        fetched_at INTEGER NOT NULL,
        PRIMARY KEY (series_id, res, start)) WITHOUT ROWID;
    CREATE TABLE prices (
        area TEXT NOT NULL, currency TEXT NOT NULL, start INTEGER NOT NULL, res INTEGER NOT NULL,
        price REAL NOT NULL, fetched_at INTEGER NOT NULL,
        PRIMARY KEY (area, currency, start)) WITHOUT ROWID;
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY, kind TEXT NOT NULL, payload TEXT NOT NULL,
        idempotency_key TEXT NOT NULL UNIQUE, created_at INTEGER NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,
        next_try_at INTEGER NOT NULL, last_error TEXT, done_at INTEGER);
    CREATE INDEX outbox_due ON outbox (status, next_try_at);
    "),
    // v2: the installer's journal — when a request may have been sent (a crash after it is
    // resolved by reading the server first) and what the server did, per entry.
    sql("
    ALTER TABLE outbox ADD COLUMN sent_at INTEGER;
    ALTER TABLE outbox ADD COLUMN result TEXT;
    "),
    // v3: raw chunks of four hours (`start`), rollup blobs of shorter periods — rows that fit
    // their page (see resplit.rs); the data step moves v2's rows over and drops the v2 tables.
    Migration {
        sql: "
    ALTER TABLE chunks RENAME TO chunks_v2;
    ALTER TABLE rollups RENAME TO rollups_v2;
    -- one row per series per 4 UTC hours; data = codec chunk (see codec.rs / chunk.rs)
    CREATE TABLE chunks (
        series_id INTEGER NOT NULL, start INTEGER NOT NULL, n INTEGER NOT NULL, data BLOB NOT NULL,
        PRIMARY KEY (series_id, start)) WITHOUT ROWID;
    CREATE TABLE rollups (
        series_id INTEGER NOT NULL, res INTEGER NOT NULL, source INTEGER NOT NULL, period INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (series_id, res, source, period)) WITHOUT ROWID;
    ",
        data: Some(resplit::run),
    },
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Reads the file's schema version without writing anything.
pub(crate) fn version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Refuses newer schemas (before anything is written), then applies pending migrations atomically.
pub(crate) fn check_and_migrate(conn: &mut Connection) -> Result<()> {
    let found = version(conn)?;
    if found > SCHEMA_VERSION {
        return Err(Error::SchemaTooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    migrate(conn, found, SCHEMA_VERSION)
}

/// Applies the migrations from version `found` to `to` in one transaction.
pub(crate) fn migrate(conn: &mut Connection, found: i64, to: i64) -> Result<()> {
    if found >= to {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (i, step) in MIGRATIONS
        .iter()
        .enumerate()
        .take(to as usize)
        .skip(found as usize)
    {
        tx.execute_batch(step.sql)?;
        if let Some(data) = step.data {
            data(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}
