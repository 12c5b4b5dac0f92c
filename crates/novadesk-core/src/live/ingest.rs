//! Live readings into the offline store, so the chart and the offline views have them.
//!
//! Samples are gathered and written every [`INGEST_EVERY`]: each write re-encodes the hour's
//! chunk of every series touched, so one transaction per second per site is much cheaper than one
//! per reading. What is pending when the stream stops is written on drop (also on abort).

use std::time::Duration;

use novacore::models::Reading;
use novadesk_store::Batch;
use serde_json::Value;

use crate::workspace::Workspace;

/// How often gathered samples are written.
pub const INGEST_EVERY: Duration = Duration::from_secs(1);

/// Samples waiting to be written to the workspace's store.
pub struct PendingIngest {
    ws: Workspace,
    batch: Batch,
    /// Readings that had no DER id or timestamp to key them by (never silently dropped: counted
    /// and logged).
    pub unusable: u64,
}

impl PendingIngest {
    /// Nothing pending yet.
    pub fn new(ws: Workspace) -> Self {
        let batch = Batch::new(ws.now_ms());
        Self {
            ws,
            batch,
            unusable: 0,
        }
    }

    /// Adds every numeric field of `reading` as a sample of `(der_id, field)`.
    pub fn push(&mut self, reading: &Reading) {
        let value = reading_json(reading);
        if let Err(err) = self.batch.push_reading(&value) {
            self.unusable += 1;
            tracing::warn!(%err, "live reading not stored");
        }
    }

    /// Samples pending.
    pub fn len(&self) -> usize {
        self.batch.len()
    }

    /// Whether nothing is pending.
    pub fn is_empty(&self) -> bool {
        self.batch.is_empty()
    }

    /// Writes what is pending (one transaction). A rejected batch is logged and dropped: it is
    /// telemetry the server still holds, and the chart back-fills it from history.
    pub fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let batch = std::mem::replace(&mut self.batch, Batch::new(self.ws.now_ms()));
        if let Err(err) = self.ws.store().ingest(&batch) {
            tracing::warn!(%err, samples = batch.len(), "live samples not stored");
        }
    }
}

impl Drop for PendingIngest {
    fn drop(&mut self) {
        self.flush();
    }
}

/// The reading as the store's flat shape: `{"der_id", "timestamp": <ms>, <field>: <number>, …}`
/// with the wire field names (`W`, `SoC_nom_fract`, …).
pub fn reading_json(r: &Reading) -> Value {
    let mut m = r.fields();
    // The store keys samples by these two; ids and `type` are not numeric and are skipped there.
    if let Some(der) = &r.der_id {
        m.insert("der_id".into(), Value::String(der.clone()));
    }
    m.insert(
        "timestamp".into(),
        Value::from(r.timestamp.timestamp_millis()),
    );
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_store_shape_keeps_wire_names_numbers_and_the_timestamp_in_ms() {
        let r = Reading::from_json(
            r#"{"type":"battery","der_id":"der-b","timestamp":"2026-03-06T10:00:00Z","W":-250.5,"SoC_nom_fract":0.42,"vendor_x":3}"#,
        )
        .unwrap();
        let v = reading_json(&r);
        assert_eq!(v["der_id"], "der-b");
        assert_eq!(v["timestamp"], 1_772_791_200_000_i64);
        assert_eq!(v["W"], -250.5);
        assert_eq!(v["SoC_nom_fract"], 0.42);
        assert_eq!(
            v["vendor_x"], 3,
            "unmodelled numeric fields are telemetry too"
        );
        let mut b = Batch::new(0);
        assert_eq!(b.push_reading(&v).unwrap(), 3);
    }
}
