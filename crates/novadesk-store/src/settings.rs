//! Key/value settings for the app (last environment, per-site price area/currency/tariff, …).

use std::collections::BTreeMap;

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

    /// Every setting whose key starts with `prefix`, by key (one query: e.g. every site's
    /// preferences under `chart.prefs.`).
    pub fn settings_with_prefix(&self, prefix: &str) -> Result<BTreeMap<String, String>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT key, value FROM settings WHERE key >= ?1 ORDER BY key")?;
        let mut rows = stmt.query([prefix])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let key: String = r.get(0)?;
            // Keys sort bytewise, so the prefix's keys come first and together.
            if !key.starts_with(prefix) {
                break;
            }
            out.insert(key, r.get(1)?);
        }
        Ok(out)
    }

    /// Removes a setting; returns whether it existed.
    pub fn remove_setting(&mut self, key: &str) -> Result<bool> {
        Ok(self
            .conn
            .execute("DELETE FROM settings WHERE key = ?1", [key])?
            > 0)
    }
}
