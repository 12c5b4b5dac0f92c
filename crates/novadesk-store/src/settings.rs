//! Key/value settings for the app (last environment, per-site price area/currency/tariff, …).

use rusqlite::{params, OptionalExtension};

use crate::error::{Error, Result};
use crate::Store;

impl Store {
    /// Sets a setting (the app chooses keys, e.g. `site/sit-1/price_area`; values are free text or JSON).
    pub fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        if key.is_empty() {
            return Err(Error::InvalidInput("setting key must not be empty".into()));
        }
        self.conn.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?1, ?2)",
            params![key, value],
        )?;
        Ok(())
    }

    /// Reads a setting.
    pub fn setting(&self, key: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()?)
    }

    /// Removes a setting; returns whether it existed.
    pub fn remove_setting(&mut self, key: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?
            > 0)
    }
}
