//! Synthetic day-ahead prices per bidding zone (reference §6.1): 15-minute slots over the
//! area's local day, a daily shape, seeded noise, occasional negative midday prices, and
//! publication of tomorrow at 13:00 local time.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::world::physics::{hash64, unit};

/// (area, time zone, base price EUR/MWh, country).
pub const AREAS: &[(&str, &str, f64, &str)] = &[
    ("SE1", "Europe/Stockholm", 35.0, "Sweden"),
    ("SE2", "Europe/Stockholm", 38.0, "Sweden"),
    ("SE3", "Europe/Stockholm", 62.0, "Sweden"),
    ("SE4", "Europe/Stockholm", 85.0, "Sweden"),
    ("NO1", "Europe/Oslo", 58.0, "Norway"),
    ("NO2", "Europe/Oslo", 60.0, "Norway"),
    ("NO3", "Europe/Oslo", 40.0, "Norway"),
    ("NO4", "Europe/Oslo", 30.0, "Norway"),
    ("NO5", "Europe/Oslo", 55.0, "Norway"),
    ("DK1", "Europe/Copenhagen", 90.0, "Denmark"),
    ("DK2", "Europe/Copenhagen", 92.0, "Denmark"),
    ("FI", "Europe/Helsinki", 70.0, "Finland"),
    ("DE-LU", "Europe/Berlin", 95.0, "Germany-Luxembourg"),
];

/// EUR → SEK rate used for conversion.
pub const SEK_PER_EUR: f64 = 11.45;

/// Area record by code.
pub fn area(code: &str) -> Option<&'static (&'static str, &'static str, f64, &'static str)> {
    AREAS.iter().find(|a| a.0 == code)
}

/// Time zone of an area.
pub fn area_tz(code: &str) -> Tz {
    area(code)
        .and_then(|a| a.1.parse().ok())
        .unwrap_or(chrono_tz::Europe::Stockholm)
}

/// The area's local calendar day at `now`.
pub fn local_today(code: &str, now: DateTime<Utc>) -> NaiveDate {
    now.with_timezone(&area_tz(code)).date_naive()
}

/// Whether `date` (local) is published at `now`: past days and today always, tomorrow from
/// 13:00 local time, later days never.
pub fn published(code: &str, date: NaiveDate, now: DateTime<Utc>) -> bool {
    let local = now.with_timezone(&area_tz(code));
    let today = local.date_naive();
    date <= today || (Some(date) == today.succ_opt() && local.hour() >= 13)
}

fn local_midnight(tz: Tz, d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&naive))
}

/// 15-minute slots (start, EUR/MWh) of one local day (92/96/100 slots around DST).
pub fn day_prices_eur(seed: u64, code: &str, date: NaiveDate) -> Vec<(DateTime<Utc>, f64)> {
    let tz = area_tz(code);
    let base = area(code).map_or(60.0, |a| a.2);
    let key = hash64(&[&seed.to_le_bytes(), code.as_bytes()]);
    let start = local_midnight(tz, date);
    let end = local_midnight(tz, date.succ_opt().unwrap_or(date));
    let day_idx = date.to_epoch_days() as i64;
    let level = 0.6 + 0.9 * unit(key, day_idx);
    let negative_day = unit(key ^ 0x4E6, day_idx) < 0.12;
    let mut out = Vec::with_capacity(100);
    let mut t = start;
    while t < end {
        let lt = t.with_timezone(&tz);
        let h = f64::from(lt.hour()) + f64::from(lt.minute()) / 60.0;
        let g = |mu: f64, s: f64| (-(h - mu).powi(2) / (2.0 * s * s)).exp();
        let mut p = base
            * level
            * (0.75 + 0.45 * g(8.0, 1.5) + 0.65 * g(18.5, 1.8)
                - 0.2 * g(13.5, 2.5)
                - 0.25 * g(3.0, 2.0));
        p *= 0.9 + 0.2 * unit(key ^ 0x51, t.timestamp() / 900);
        if negative_day {
            p -= base * 1.4 * g(13.0, 1.6);
        }
        out.push((t, (p * 100.0).round() / 100.0));
        t += Duration::minutes(15);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ninety_six_local_slots_and_dst() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 17).unwrap();
        let p = day_prices_eur(7, "SE3", d);
        assert_eq!(p.len(), 96);
        assert_eq!(p[0].0.to_rfc3339(), "2026-07-16T22:00:00+00:00");
        let spring = NaiveDate::from_ymd_opt(2026, 3, 29).unwrap();
        assert_eq!(day_prices_eur(7, "SE3", spring).len(), 92);
        assert_eq!(p, day_prices_eur(7, "SE3", d));
    }

    #[test]
    fn some_days_have_negative_prices() {
        let d0 = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let neg = (0..365)
            .filter(|i| {
                day_prices_eur(7, "SE3", d0 + Duration::days(*i))
                    .iter()
                    .any(|x| x.1 < 0.0)
            })
            .count();
        assert!(neg > 5 && neg < 150, "{neg}");
    }

    #[test]
    fn tomorrow_publishes_at_13_local() {
        let d = NaiveDate::from_ymd_opt(2026, 7, 17).unwrap();
        let before = Utc.with_ymd_and_hms(2026, 7, 16, 10, 59, 0).unwrap(); // 12:59 CEST
        let after = Utc.with_ymd_and_hms(2026, 7, 16, 11, 0, 0).unwrap();
        assert!(!published("SE3", d, before));
        assert!(published("SE3", d, after));
        assert!(!published("SE3", d.succ_opt().unwrap(), after));
    }
}
