//! Spot price slots per (area, currency).

use rusqlite::params;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::telemetry::{check_range, read_range};
use crate::Store;

/// One price slot `[start, end)` (e.g. 15 min or 1 h), price per kWh in the currency's unit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriceSlot {
    /// Start, epoch ms.
    pub start: i64,
    /// End (exclusive), epoch ms.
    pub end: i64,
    /// Price; may be negative.
    pub price: f64,
    /// When it was fetched, epoch ms.
    pub fetched_at: i64,
}

impl Store {
    /// Stores price slots for `(area, currency)`. Stored slots overlapping the new ones' overall span are
    /// replaced (so a switch from hourly to 15-minute slots leaves no stale hour behind).
    pub fn upsert_prices(&mut self, area: &str, currency: &str, slots: &[PriceSlot]) -> Result<()> {
        if area.is_empty() || currency.is_empty() {
            return Err(Error::InvalidInput(
                "price area and currency must not be empty".into(),
            ));
        }
        let Some(from) = slots.iter().map(|s| s.start).min() else {
            return Ok(());
        };
        let to = slots.iter().map(|s| s.end).max().unwrap_or(from);
        for s in slots {
            check_range(s.start, s.end)?;
            if !s.price.is_finite() {
                return Err(Error::InvalidInput(format!(
                    "price at {} is not finite",
                    s.start
                )));
            }
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "DELETE FROM prices WHERE area = ?1 AND currency = ?2 AND start < ?4 AND start + res > ?3",
            params![area, currency, from, to],
        )?;
        {
            let mut ins = tx.prepare_cached(
                "INSERT OR REPLACE INTO prices (area, currency, start, res, price, fetched_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?;
            for s in slots {
                ins.execute(params![
                    area,
                    currency,
                    s.start,
                    s.end - s.start,
                    s.price,
                    s.fetched_at
                ])?;
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// Price slots of `(area, currency)` overlapping `[from, to)`, by start.
    pub fn prices(&self, area: &str, currency: &str, from: i64, to: i64) -> Result<Vec<PriceSlot>> {
        let (from, to) = read_range(from, to)?;
        let mut stmt = self.conn.prepare_cached(
            "SELECT start, res, price, fetched_at FROM prices
             WHERE area = ?1 AND currency = ?2 AND start < ?4 AND start + res > ?3 ORDER BY start",
        )?;
        let rows = stmt.query_map(params![area, currency, from, to], |r| {
            let start: i64 = r.get(0)?;
            Ok(PriceSlot {
                start,
                end: start + r.get::<_, i64>(1)?,
                price: r.get(2)?,
                fetched_at: r.get(3)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
