//! The store's single error type.

use std::path::PathBuf;

/// Everything that can go wrong in the store, by meaning rather than by SQLite code.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file exists but is not an SQLite database (or its header is damaged).
    #[error("{path} is not a Novadesk store (not an SQLite database or damaged header); it was left untouched")]
    NotADatabase {
        /// The file that was opened.
        path: PathBuf,
    },
    /// The database is damaged beyond what SQLite can read.
    #[error("the store is corrupt: {detail}")]
    Corrupt {
        /// SQLite's description.
        detail: String,
    },
    /// The file was written by a newer Novadesk whose schema this build does not know.
    #[error(
        "this store was written by a newer Novadesk (schema version {found}, this build knows up to {supported}); \
         update Novadesk or use another profile — the file was left untouched"
    )]
    SchemaTooNew {
        /// Schema version found in the file.
        found: i64,
        /// Highest schema version this build can read.
        supported: i64,
    },
    /// The file or its directory cannot be written (read-only media, permissions).
    #[error("cannot write the store at {path}: the file or its directory is read-only")]
    ReadOnly {
        /// The store's path.
        path: PathBuf,
    },
    /// The file could not be opened at all (missing directory, permissions, locked).
    #[error("cannot open the store at {path}: {detail}")]
    CannotOpen {
        /// The store's path.
        path: PathBuf,
        /// SQLite's description.
        detail: String,
    },
    /// The disk (or the configured size limit) is full; the failed write was rolled back.
    #[error("the disk or the store's size limit is full; the last write was rolled back and earlier data is intact")]
    DiskFull,
    /// Another process holds the store locked for longer than the busy timeout.
    #[error("the store is busy (locked by another process)")]
    Busy,
    /// A telemetry sample was rejected (the whole batch is rejected with it).
    #[error("invalid sample for {series} at {ts}: {reason}")]
    InvalidSample {
        /// `der_id/field` of the series.
        series: String,
        /// Sample timestamp in epoch milliseconds.
        ts: i64,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A resolution the store cannot serve (must be a positive multiple of one minute).
    #[error("invalid resolution {ms} ms: {reason}")]
    InvalidResolution {
        /// The resolution in milliseconds.
        ms: i64,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A time range with `from >= to` or out of the supported span.
    #[error("invalid time range [{from}, {to}): {reason}")]
    InvalidRange {
        /// Start, epoch ms.
        from: i64,
        /// End (exclusive), epoch ms.
        to: i64,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// Data older than what retention keeps at that resolution cannot be written back.
    #[error("data at {ts} is older than the retained window at this resolution (kept from {retained_from})")]
    OlderThanRetention {
        /// Offending timestamp, epoch ms.
        ts: i64,
        /// Oldest timestamp still retained at that resolution.
        retained_from: i64,
    },
    /// Other invalid argument (empty key, bad JSON shape, …).
    #[error("invalid input: {0}")]
    InvalidInput(String),
    /// An outbox entry (or other addressed record) does not exist.
    #[error("{what} not found")]
    NotFound {
        /// What was looked up.
        what: String,
    },
    /// A stored chunk could not be decoded (the file was altered outside Novadesk).
    #[error("stored telemetry chunk is damaged: {0}")]
    BadChunk(&'static str),
    /// JSON stored or given could not be (de)serialized.
    #[error("JSON error: {0}")]
    Json(#[from] serde_json::Error),
    /// Any other SQLite failure.
    #[error("SQLite error: {0}")]
    Sqlite(rusqlite::Error),
}

/// Result alias for the store.
pub type Result<T> = std::result::Result<T, Error>;

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        use rusqlite::ErrorCode as C;
        match e.sqlite_error_code() {
            Some(C::DiskFull) => Error::DiskFull,
            Some(C::DatabaseBusy) | Some(C::DatabaseLocked) => Error::Busy,
            Some(C::DatabaseCorrupt) => Error::Corrupt {
                detail: e.to_string(),
            },
            _ => Error::Sqlite(e),
        }
    }
}
