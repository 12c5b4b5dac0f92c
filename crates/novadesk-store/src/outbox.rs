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
    /// The server refused it for a reason a person must settle (claimed meanwhile by another
    /// organization, a validation error, a role change): waits for retry or drop.
    Conflict,
}

impl OutboxStatus {
    fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Done => "done",
            Self::Failed => "failed",
            Self::Conflict => "conflict",
        }
    }

    fn parse(s: &str) -> rusqlite::Result<Self> {
        match s {
            "pending" => Ok(Self::Pending),
            "done" => Ok(Self::Done),
            "failed" => Ok(Self::Failed),
            "conflict" => Ok(Self::Conflict),
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
    /// When the request was last handed to the network (epoch ms): set before sending, so after a
    /// crash the entry is known to be possibly applied already and is read back before a resend.
    pub sent_at: Option<i64>,
    /// What the server did, as the app words it (set with [`Store::mark_done`]).
    pub result: Option<String>,
    /// When it was confirmed, epoch ms.
    pub done_at: Option<i64>,
}

/// How many entries wait, by kind of wait (the status bar's count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxCounts {
    /// Pending: replayed by themselves when the server can be reached.
    pub queued: i64,
    /// Waiting for a person's decision.
    pub conflict: i64,
}

const COLUMNS: &str =
    "id, kind, payload, idempotency_key, created_at, status, attempts, next_try_at, \
     last_error, sent_at, result, done_at";

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
            sent_at: r.get(9)?,
            result: r.get(10)?,
            done_at: r.get(11)?,
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

    /// Marks an entry confirmed, with what the server did (`result`, for the UI).
    pub fn mark_done(&mut self, id: i64, now: i64, result: Option<&str>) -> Result<()> {
        self.set_status(
            id,
            "UPDATE outbox SET status = 'done', done_at = ?2, result = ?3, last_error = NULL
             WHERE id = ?1",
            params![id, now, result],
        )
    }

    /// Records that the entry's request is about to be sent (committed before it leaves).
    pub fn mark_sending(&mut self, id: i64, now: i64) -> Result<()> {
        self.set_status(
            id,
            "UPDATE outbox SET sent_at = ?2 WHERE id = ?1",
            params![id, now],
        )
    }

    /// Parks an entry until a person decides ([`Store::retry_entry`] or [`Store::drop_entry`]).
    pub fn mark_conflict(&mut self, id: i64, attempts: i64, message: &str) -> Result<()> {
        self.set_status(
            id,
            "UPDATE outbox SET status = 'conflict', attempts = ?2, last_error = ?3 WHERE id = ?1",
            params![id, attempts, message],
        )
    }

    /// Puts a conflicting or failed entry back in the queue, due at `now`, optionally with a
    /// corrected payload (the installer's edit). A done entry stays done.
    pub fn retry_entry(
        &mut self,
        id: i64,
        now: i64,
        payload: Option<&serde_json::Value>,
    ) -> Result<()> {
        let payload = payload.map(serde_json::to_string).transpose()?;
        let changed = self.conn.execute(
            "UPDATE outbox SET status = 'pending', next_try_at = ?2, payload = coalesce(?3, payload)
             WHERE id = ?1 AND status != 'done'",
            params![id, now, payload],
        )?;
        if changed == 0 {
            return Err(self.not_retryable(id));
        }
        Ok(())
    }

    /// Removes an entry that is not done (the installer gave it up; nothing is sent).
    pub fn drop_entry(&mut self, id: i64) -> Result<()> {
        let changed = self.conn.execute(
            "DELETE FROM outbox WHERE id = ?1 AND status != 'done'",
            [id],
        )?;
        if changed == 0 {
            return Err(self.not_retryable(id));
        }
        Ok(())
    }

    fn not_retryable(&self, id: i64) -> Error {
        match self.outbox_entry(id) {
            Ok(Some(_)) => Error::InvalidInput(format!(
                "outbox entry {id} is already done: the server applied it"
            )),
            Ok(None) => Error::NotFound {
                what: format!("outbox entry {id}"),
            },
            Err(e) => e,
        }
    }

    /// One entry by id.
    pub fn outbox_entry(&self, id: i64) -> Result<Option<OutboxEntry>> {
        let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = ?1");
        let row = self.conn.query_row(&sql, [id], entry).optional()?;
        row.map(with_payload).transpose()
    }

    /// Pending entries in enqueue order, due or not (a journal replays in order).
    pub fn pending_in_order(&self) -> Result<Vec<OutboxEntry>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM outbox WHERE status = 'pending' ORDER BY id"
        ))?;
        let rows = stmt.query_map([], entry)?;
        rows.map(|r| with_payload(r?)).collect()
    }

    /// How many entries wait (pending) or need a decision (conflict).
    pub fn outbox_counts(&self) -> Result<OutboxCounts> {
        Ok(self.conn.query_row(
            "SELECT coalesce(sum(status = 'pending'), 0), coalesce(sum(status = 'conflict'), 0)
             FROM outbox",
            [],
            |r| {
                Ok(OutboxCounts {
                    queued: r.get(0)?,
                    conflict: r.get(1)?,
                })
            },
        )?)
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
