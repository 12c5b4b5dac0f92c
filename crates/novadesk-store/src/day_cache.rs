//! Bucket averages of whole UTC days, kept in memory between reads ([`crate::Store::averages`]):
//! the Fleet view prices every meter's month on every refresh, and past days rarely change.
//!
//! Never stale, by three rules: every write to a series' chunks or rollups evicts the UTC days it
//! touches ([`DayCache::evict`], called by `ingest` and `ingest_buckets`); retention clears it
//! all; and a commit by another connection to the same file (seen as a new `PRAGMA data_version`)
//! clears it all before the next read.

use std::collections::{BTreeMap, HashMap};

use crate::bucket::DAY_MS;

/// At most this many cached slots (8 bytes each, ~32 MiB); beyond, the cache starts over.
const MAX_SLOTS: usize = 4 << 20;

/// One day's bucket averages at one resolution, a slot per bucket; `NaN` where no data is stored
/// (the store refuses NaN samples, so it never stands for a value).
pub(crate) type DaySlots = Box<[f64]>;

#[derive(Default)]
pub(crate) struct DayCache {
    /// `PRAGMA data_version` the entries were read under.
    version: Option<i64>,
    /// Per series id: (UTC day start, resolution ms) → the day's slots.
    days: HashMap<i64, BTreeMap<(i64, i64), DaySlots>>,
    slots: usize,
}

impl std::fmt::Debug for DayCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DayCache")
            .field("series", &self.days.len())
            .field("slots", &self.slots)
            .finish()
    }
}

impl DayCache {
    /// Drops everything when another connection committed since the entries were read.
    pub fn check_version(&mut self, version: i64) {
        if self.version != Some(version) {
            self.clear();
            self.version = Some(version);
        }
    }

    pub fn get(&self, sid: i64, res_ms: i64, day: i64) -> Option<&DaySlots> {
        self.days.get(&sid)?.get(&(day, res_ms))
    }

    pub fn put(&mut self, sid: i64, res_ms: i64, day: i64, slots: DaySlots) {
        if self.slots + slots.len() > MAX_SLOTS {
            let version = self.version;
            self.clear();
            self.version = version;
        }
        self.slots += slots.len();
        if let Some(old) = self
            .days
            .entry(sid)
            .or_default()
            .insert((day, res_ms), slots)
        {
            self.slots -= old.len();
        }
    }

    /// Forgets the series' UTC days that `[from, to]` touches, at every resolution.
    pub fn evict(&mut self, sid: i64, from: i64, to: i64) {
        let Some(days) = self.days.get_mut(&sid) else {
            return;
        };
        let first = from.div_euclid(DAY_MS) * DAY_MS;
        let hit: Vec<(i64, i64)> = days
            .range((first, i64::MIN)..=(to, i64::MAX))
            .map(|(k, _)| *k)
            .collect();
        for k in hit {
            if let Some(old) = days.remove(&k) {
                self.slots -= old.len();
            }
        }
    }

    pub fn clear(&mut self) {
        self.days.clear();
        self.slots = 0;
        self.version = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eviction_forgets_only_the_touched_days_of_that_series() {
        let mut c = DayCache::default();
        c.check_version(1);
        for day in 0..4 {
            c.put(7, 900_000, day * DAY_MS, vec![1.0; 96].into());
            c.put(7, 3_600_000, day * DAY_MS, vec![1.0; 24].into());
            c.put(8, 900_000, day * DAY_MS, vec![1.0; 96].into());
        }
        // A write in the last hour of day 1 and the first of day 2.
        c.evict(7, DAY_MS + 23 * 3_600_000, 2 * DAY_MS + 10);
        assert!(c.get(7, 900_000, 0).is_some());
        assert!(c.get(7, 900_000, DAY_MS).is_none());
        assert!(c.get(7, 3_600_000, DAY_MS).is_none());
        assert!(c.get(7, 900_000, 2 * DAY_MS).is_none());
        assert!(c.get(7, 900_000, 3 * DAY_MS).is_some());
        assert!(c.get(8, 900_000, DAY_MS).is_some());
        assert_eq!(c.slots, 96 * 4 + 96 * 2 + 24 * 2);
        // Another connection's commit: all gone.
        c.check_version(2);
        assert!(c.get(8, 900_000, 0).is_none());
        assert_eq!(c.slots, 0);
    }
}
