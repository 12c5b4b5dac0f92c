//! Local-time arithmetic in the tariff's time zone: hour and month boundaries as UTC instants.
//!
//! Everything inside the module is in UTC; these helpers answer "where does the local hour / month
//! containing this instant start", which makes DST days (23 or 25 local hours) and month boundaries
//! fall out of chrono-tz instead of being special-cased.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Whether `t` lies in the years 1900–9999: far enough from chrono's limits that adding a
/// month, a slot or a bucket width can never overflow (which would panic).
pub(crate) fn in_supported_era(t: DateTime<Utc>) -> bool {
    // `naive_utc`: `DateTime::year` goes through the (zero) offset addition first.
    (1900..=9999).contains(&t.naive_utc().year())
}

const DAY_MS: i64 = 86_400_000;

/// Epoch milliseconds to UTC instants, for times that come in order: the calendar date is
/// derived once per UTC day, where chrono's `from_timestamp_millis` derives it for every point
/// (the largest cost of turning a month of meter buckets into instants). The instants are the
/// same as `from_timestamp_millis`'s.
pub(crate) struct UtcDays {
    day: i64,
    date: NaiveDate,
}

impl Default for UtcDays {
    fn default() -> Self {
        Self {
            day: i64::MIN,
            date: NaiveDate::MIN,
        }
    }
}

impl UtcDays {
    /// The instant `ms` milliseconds after the Unix epoch; `None` outside chrono's range.
    // Inlined into the caller's loop: returned through memory, the Option cost more than the work.
    #[inline(always)]
    pub fn at(&mut self, ms: i64) -> Option<DateTime<Utc>> {
        let (day, in_day) = (ms.div_euclid(DAY_MS), ms.rem_euclid(DAY_MS));
        if day != self.day {
            self.date = DateTime::from_timestamp_millis(ms.checked_sub(in_day)?)?.date_naive();
            self.day = day;
        }
        // `in_day` is in 0..86,400,000, so both parts fit a u32.
        let (secs, milli) = ((in_day / 1000) as u32, (in_day % 1000) as u32);
        let time = NaiveTime::from_num_seconds_from_midnight_opt(secs, milli * 1_000_000)?;
        Some(self.date.and_time(time).and_utc())
    }
}

/// Start of the local clock hour containing `t`, as a UTC instant.
pub(crate) fn local_hour_start(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    let local = t.with_timezone(&tz);
    let into_hour = TimeDelta::seconds(i64::from(local.minute()) * 60 + i64::from(local.second()))
        + TimeDelta::nanoseconds(i64::from(local.nanosecond()));
    t - into_hour
}

/// Start of the window of length `minutes` (a divisor of 60) containing `t`, aligned to local hours.
pub(crate) fn local_window_start(t: DateTime<Utc>, tz: Tz, minutes: u32) -> DateTime<Utc> {
    let hour = local_hour_start(t, tz);
    let width = TimeDelta::minutes(i64::from(minutes));
    let n = (t - hour).num_milliseconds() / width.num_milliseconds();
    hour + width * n as i32
}

/// First instant of the given local calendar day (midnight, or the first existing instant if a
/// DST jump swallows midnight).
fn local_day_start(date: NaiveDate, tz: Tz) -> DateTime<Utc> {
    let mut naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A gap is at most a few hours long; step forward until the local time exists.
    for _ in 0..24 {
        if let Some(t) = tz.from_local_datetime(&naive).earliest() {
            return t.with_timezone(&Utc);
        }
        naive += TimeDelta::minutes(30);
    }
    Utc.from_utc_datetime(&date.and_hms_opt(0, 0, 0).unwrap_or_default())
}

/// A local calendar month: its label and its UTC bounds `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LocalMonth {
    pub year: i32,
    pub month: u32,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// The local calendar month containing `t`.
pub(crate) fn local_month(t: DateTime<Utc>, tz: Tz) -> LocalMonth {
    let local = t.with_timezone(&tz);
    let (year, month) = (local.year(), local.month());
    let first = NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default();
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }
    .unwrap_or_default();
    LocalMonth {
        year,
        month,
        start: local_day_start(first, tz),
        end: local_day_start(next, tz),
    }
}

/// Every local month overlapping `[from, to)`, in order.
pub(crate) fn months_overlapping(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: Tz,
) -> Vec<LocalMonth> {
    let mut out = Vec::new();
    let mut cursor = from;
    while cursor < to {
        let m = local_month(cursor, tz);
        cursor = m.end;
        out.push(m);
    }
    out
}

/// The local calendar date of `t` (used for "one peak per day").
pub(crate) fn local_date(t: DateTime<Utc>, tz: Tz) -> NaiveDate {
    t.with_timezone(&tz).date_naive()
}

/// Length of `[a, b) ∩ [c, d)` in milliseconds (0 when disjoint).
pub(crate) fn overlap_ms(
    a: DateTime<Utc>,
    b: DateTime<Utc>,
    c: DateTime<Utc>,
    d: DateTime<Utc>,
) -> i64 {
    let start = a.max(c);
    let end = b.min(d);
    (end - start).num_milliseconds().max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().unwrap()
    }

    #[test]
    fn utc_days_gives_from_timestamp_millis_instants() {
        let mut days = UtcDays::default();
        // In order, out of order, before the epoch, at day edges and at chrono's limits.
        let mut ms: Vec<i64> = (0..5_000)
            .map(|i| 1_780_000_000_000 + i * 900_000)
            .collect();
        ms.extend([
            0,
            -1,
            -86_400_000,
            -86_400_001,
            86_399_999,
            86_400_000,
            1_000,
        ]);
        ms.extend([
            i64::MIN,
            i64::MAX,
            -1_000_000_000_000_000,
            8_000_000_000_000_000,
        ]);
        ms.extend((0..2_000).map(|i| (i * 7_919_000_003_i64) % 400_000_000_000_000));
        let (min, max) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
        ms.extend([min.timestamp_millis(), max.timestamp_millis()]);
        for m in ms {
            assert_eq!(days.at(m), DateTime::from_timestamp_millis(m), "{m} ms");
        }
    }

    #[test]
    fn march_in_stockholm_has_743_hours_and_october_745() {
        let tz = chrono_tz::Europe::Stockholm;
        let march = local_month(utc("2026-03-15T12:00:00Z"), tz);
        assert_eq!(march.start, utc("2026-02-28T23:00:00Z"));
        assert_eq!(march.end, utc("2026-03-31T22:00:00Z"));
        assert_eq!((march.end - march.start).num_hours(), 31 * 24 - 1);
        let october = local_month(utc("2026-10-15T12:00:00Z"), tz);
        assert_eq!((october.end - october.start).num_hours(), 31 * 24 + 1);
    }

    #[test]
    fn hour_start_follows_half_hour_offsets() {
        let tz = chrono_tz::Asia::Kolkata; // UTC+05:30
        let t = utc("2026-01-01T10:10:00Z"); // 15:40 local
        assert_eq!(local_hour_start(t, tz), utc("2026-01-01T09:30:00Z"));
        assert_eq!(local_window_start(t, tz, 15), utc("2026-01-01T10:00:00Z"));
    }

    #[test]
    fn months_overlapping_lists_each_month_once() {
        let tz = chrono_tz::Europe::Stockholm;
        let ms = months_overlapping(utc("2026-01-31T22:00:00Z"), utc("2026-03-01T00:00:00Z"), tz);
        let labels: Vec<_> = ms.iter().map(|m| (m.year, m.month)).collect();
        assert_eq!(labels, vec![(2026, 1), (2026, 2), (2026, 3)]);
    }
}
