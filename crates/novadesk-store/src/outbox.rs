//! The outbox: installer operations queued durably until the server confirms them.

use rusqlite::{params, OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::Store;

/// Where an outbox entry stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OutboxStatus {
    /// Waiting for its next try.
    Pending,
    /// Confirmed by the server.
    Done,
    /// Given up (no further retries); kept for the UI.
    Failed,
}

impl OutboxStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Failed => "failed",
        }
    }

    fn parse(s: &str) -> rusqlite::Result<Self> {
        match s {
            "pending" => Ok(Self::Pending),
            "done" => Ok(Self::Done),
            "failed" => Ok(Self::Failed),
            _ => Err(rusqlite::Error::InvalidColumnType(
                0,
                format!("status {s}"),
                rusqlite::types::Type::Text,
            )),
        }
    }
}

/// One queued operation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxEntry {
    /// Local id (increasing in enqueue order).
    pub id: i64,
    /// Operation kind chosen by the app (`claim`, `provision`, …).
    pub kind: String,
    /// Operation payload.
    pub payload: serde_json::Value,
    /// Sent with the request so a retry never applies twice.
    pub idempotency_key: String,
    /// Enqueue time, epoch ms.
    pub created_at: i64,
    /// Current state.
    pub status: OutboxStatus,
    /// Failed attempts so far.
    pub attempts: i64,
    /// Earliest next try, epoch ms.
    pub next_try_at: i64,
    /// Last failure message.
    pub last_error: Option<String>,
}

const COLUMNS: &str =
    "id, kind, payload, idempotency_key, created_at, status, attempts, next_try_at, last_error";

fn entry(r: &Row<'_>) -> rusqlite::Result<(OutboxEntry, String)> {
    let payload: String = r.get(2)?;
    Ok((
        OutboxEntry {
            id: r.get(0)?,
            kind: r.get(1)?,
            payload: serde_json::Value::Null,
            idempotency_key: r.get(3)?,
            created_at: r.get(4)?,
            status: OutboxStatus::parse(&r.get::<_, String>(5)?)?,
            attempts: r.get(6)?,
            next_try_at: r.get(7)?,
            last_error: r.get(8)?,
        },
        payload,
    ))
}

fn with_payload((mut e, payload): (OutboxEntry, String)) -> Result<OutboxEntry> {
    e.payload = serde_json::from_str(&payload)?;
    Ok(e)
}

impl Store {
    /// Queues an operation due immediately. Enqueuing the same `idempotency_key` again returns the
    /// existing entry's id and changes nothing.
    pub fn enqueue(
        &mut self,
        kind: &str,
        payload: &serde_json::Value,
        idempotency_key: &str,
        now: i64,
    ) -> Result<i64> {
        if kind.is_empty() || idempotency_key.is_empty() {
            return Err(Error::InvalidInput(
                "outbox kind and idempotency key must not be empty".into(),
            ));
        }
        let tx = self.conn.transaction()?;
        let existing: Option<i64> = tx
            .query_row(
                "SELECT id FROM outbox WHERE idempotency_key = ?1",
                [idempotency_key],
                |r| r.get(0),
            )
            .optional()?;
        let id = match existing {
            Some(id) => id,
            None => {
                tx.execute(
                    "INSERT INTO outbox (kind, payload, idempotency_key, created_at, next_try_at)
                     VALUES (?1, ?2, ?3, ?4, ?4)",
                    params![kind, serde_json::to_string(payload)?, idempotency_key, now],
                )?;
                tx.last_insert_rowid()
            }
        };
        tx.commit()?;
        Ok(id)
    }

    /// The oldest pending entry due at `now`, if any.
    pub fn next_due(&self, now: i64) -> Result<Option<OutboxEntry>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM outbox WHERE status = 'pending' AND next_try_at <= ?1
             ORDER BY next_try_at, id LIMIT 1"
        );
        let row = self.conn.query_row(&sql, [now], entry).optional()?;
        row.map(with_payload).transpose()
    }

    /// Marks an entry confirmed.
    pub fn mark_done(&mut self, id: i64, now: i64) -> Result<()> {
        self.set_status(
            id,
            "UPDATE outbox SET status = 'done', done_at = ?2 WHERE id = ?1",
            params![id, now],
        )
    }

    /// Records a failed attempt: retried at `next_try` (epoch ms), or given up when `next_try` is `None`.
    pub fn mark_failed(
        &mut self,
        id: i64,
        attempts: i64,
        next_try: Option<i64>,
        error: &str,
    ) -> Result<()> {
        let status = if next_try.is_some() {
            OutboxStatus::Pending
        } else {
            OutboxStatus::Failed
        };
        self.set_status(
            id,
            "UPDATE outbox SET status = ?2, attempts = ?3, next_try_at = coalesce(?4, next_try_at), last_error = ?5
             WHERE id = ?1",
            params![id, status.as_str(), attempts, next_try, error],
        )
    }

    /// Every entry, newest first (for the UI).
    pub fn outbox(&self) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM outbox ORDER BY id DESC"))?;
        let rows = stmt.query_map([], entry)?;
        rows.map(|r| with_payload(r?)).collect()
    }

    fn set_status(&mut self, id: i64, sql: &str, params: impl rusqlite::Params) -> Result<()> {
        if self.conn.execute(sql, params)? == 0 {
            return Err(Error::NotFound {
                what: format!("outbox entry {id}"),
            });
        }
        Ok(())
    }
}
