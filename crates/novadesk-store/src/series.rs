//! Series identity and ingest batches.

use std::collections::BTreeMap;

use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A telemetry series: one numeric field of one DER, e.g. `("der-1", "W")`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SeriesKey {
    /// DER id (`der-…`).
    pub der_id: String,
    /// Telemetry field name (`W`, `SoC_nom_fract`, …).
    pub field: String,
}

impl SeriesKey {
    /// Builds a key.
    pub fn new(der_id: impl Into<String>, field: impl Into<String>) -> Self {
        SeriesKey {
            der_id: der_id.into(),
            field: field.into(),
        }
    }
}

impl std::fmt::Display for SeriesKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.der_id, self.field)
    }
}

/// A batch of raw samples for one or more series, written in one transaction by
/// [`crate::Store::ingest`]: either all of it is stored or none.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub(crate) received_at: i64,
    pub(crate) series: BTreeMap<SeriesKey, Vec<(i64, f64)>>,
}

impl Batch {
    /// An empty batch; `received_at` (epoch ms) is recorded as the coverage's `fetched_at`.
    pub fn new(received_at: i64) -> Self {
        Batch {
            received_at,
            series: BTreeMap::new(),
        }
    }

    /// Adds one sample (`ts` in epoch ms). Order does not matter; a repeated `ts` keeps the last value.
    pub fn push(&mut self, series: &SeriesKey, ts: i64, value: f64) -> &mut Self {
        match self.series.get_mut(series) {
            Some(v) => v.push((ts, value)),
            None => {
                self.series.insert(series.clone(), vec![(ts, value)]);
            }
        }
        self
    }

    /// Adds many samples of one series.
    pub fn extend(&mut self, series: &SeriesKey, samples: impl IntoIterator<Item = (i64, f64)>) {
        self.series
            .entry(series.clone())
            .or_default()
            .extend(samples);
    }

    /// Adds every numeric field of one SSE reading (`{"der_id":…,"timestamp":<ms>,"W":…,…}`) as a sample of
    /// series `(der_id, field)`. Non-numeric fields (`type`, ids) are not telemetry and are skipped.
    /// Returns how many samples were added; a reading without `der_id` or `timestamp` is an error.
    pub fn push_reading(&mut self, reading: &serde_json::Value) -> Result<usize> {
        let bad = |what: &str| Error::InvalidInput(format!("reading without {what}: {reading}"));
        let obj = reading.as_object().ok_or_else(|| bad("a JSON object"))?;
        let der = obj
            .get("der_id")
            .and_then(|v| v.as_str())
            .ok_or_else(|| bad("der_id"))?;
        let ts = obj
            .get("timestamp")
            .and_then(|v| v.as_i64())
            .ok_or_else(|| bad("an integer timestamp"))?;
        let mut added = 0;
        for (field, value) in obj {
            if field == "timestamp" {
                continue;
            }
            if let Some(v) = value.as_f64() {
                self.push(&SeriesKey::new(der, field.as_str()), ts, v);
                added += 1;
            }
        }
        Ok(added)
    }

    /// Number of samples in the batch.
    pub fn len(&self) -> usize {
        self.series.values().map(Vec::len).sum()
    }

    /// Whether the batch holds no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Looks up a series' row id.
pub(crate) fn find_id(conn: &Connection, key: &SeriesKey) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM series WHERE der_id = ?1 AND field = ?2")?
        .query_row(params![key.der_id, key.field], |r| r.get(0))
        .optional()?)
}

/// Looks up or creates a series' row id.
pub(crate) fn ensure_id(conn: &Connection, key: &SeriesKey) -> Result<i64> {
    if let Some(id) = find_id(conn, key)? {
        return Ok(id);
    }
    conn.execute(
        "INSERT INTO series (der_id, field) VALUES (?1, ?2)",
        params![key.der_id, key.field],
    )?;
    Ok(conn.last_insert_rowid())
}

/// All series the store knows.
pub(crate) fn all(conn: &Connection) -> Result<Vec<SeriesKey>> {
    let mut stmt = conn.prepare("SELECT der_id, field FROM series ORDER BY der_id, field")?;
    let rows = stmt.query_map([], |r| {
        Ok(SeriesKey::new(
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
