//! The compared period: by default the last 12 whole local months (bills are monthly, so a
//! half-begun month would not compare like with like), and its local months.

use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;

use crate::chart::range::MAX_SPAN_MS;
use crate::chart::{local_day, local_midnight};
use crate::error::{Error, Result};

fn first_of_next(d: NaiveDate) -> NaiveDate {
    let (y, m) = if d.month() == 12 {
        (d.year() + 1, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(d + Duration::days(31))
}

fn months_back(d: NaiveDate, n: u32) -> NaiveDate {
    let total = d.year() * 12 + d.month0() as i32 - n as i32;
    NaiveDate::from_ymd_opt(total.div_euclid(12), total.rem_euclid(12) as u32 + 1, 1).unwrap_or(d)
}

/// The period to compare: the asked bounds (checked), else the 12 whole local months before the
/// current one.
pub(crate) fn resolve(tz: Tz, now: i64, from: Option<i64>, to: Option<i64>) -> Result<(i64, i64)> {
    let (from, to) =
        match (from, to) {
            (Some(f), Some(t)) => (f, t),
            (None, None) => {
                let this_month = local_day(tz, now).with_day(1).unwrap_or_default();
                (
                    local_midnight(tz, months_back(this_month, 12)),
                    local_midnight(tz, this_month),
                )
            }
            _ => return Err(Error::InvalidInput(
                "Choose both a start and an end for the period, or neither for the last 12 months."
                    .into(),
            )),
        };
    if from >= to {
        return Err(Error::InvalidInput(
            "The period's start must be before its end.".into(),
        ));
    }
    if to > now {
        return Err(Error::InvalidInput(
            "The period ends in the future; meter data exists only up to now.".into(),
        ));
    }
    // Saturating: the window's bounds may be any i64 (the chart range's fuzz crash, here too).
    if to.saturating_sub(from) > MAX_SPAN_MS || from < 0 {
        return Err(Error::InvalidInput(
            "The period must lie after 1970 and be at most three years long.".into(),
        ));
    }
    Ok((from, to))
}

/// The whole local months touching `[from, to)`, as `(start, end)` epoch ms.
pub(crate) fn months(tz: Tz, from: i64, to: i64) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    let mut m = local_day(tz, from).with_day(1).unwrap_or_default();
    loop {
        let start = local_midnight(tz, m);
        if start >= to {
            break;
        }
        let next = first_of_next(m);
        out.push((start, local_midnight(tz, next)));
        m = next;
    }
    out
}

/// "Jan 2026".
pub(crate) fn month_label(tz: Tz, start: i64) -> String {
    local_day(tz, start).format("%b %Y").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26:40Z

    #[test]
    fn default_is_the_twelve_whole_local_months_before_this_one() {
        let tz: Tz = "Europe/Stockholm".parse().unwrap();
        let (from, to) = resolve(tz, NOW, None, None).unwrap();
        assert_eq!(month_label(tz, from), "May 2025");
        assert_eq!(local_day(tz, to).to_string(), "2026-05-01");
        let ms = months(tz, from, to);
        assert_eq!(ms.len(), 12);
        assert_eq!(ms[0].0, from);
        assert_eq!(ms[11].1, to);
        assert!(ms.windows(2).all(|w| w[0].1 == w[1].0));
        // DST: March 2026 is an hour shorter, October an hour longer.
        let march = ms
            .iter()
            .find(|m| month_label(tz, m.0) == "Mar 2026")
            .unwrap();
        assert_eq!(march.1 - march.0, 31 * 86_400_000 - 3_600_000);
    }

    #[test]
    fn bad_periods_are_refused_with_a_sentence() {
        let tz = chrono_tz::UTC;
        for (f, t) in [
            (Some(NOW), None),
            (Some(NOW), Some(NOW)),
            (Some(0), Some(NOW + 1)),
        ] {
            let err = resolve(tz, NOW, f, t).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        }
        let (f, t) = resolve(tz, NOW, Some(NOW - 86_400_000), Some(NOW)).unwrap();
        assert_eq!(months(tz, f, t).len(), 1);
    }

    /// The chart range's `make fuzz` crash (i64 bounds overflowing `to - from`), here too.
    #[test]
    fn fuzz_regression_extreme_bounds_are_refused_not_a_panic() {
        let tz = chrono_tz::UTC;
        for (f, t) in [(i64::MIN, NOW), (i64::MIN, 0), (i64::MIN + 1, i64::MIN + 2)] {
            let err = resolve(tz, NOW, Some(f), Some(t)).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{f} {t}: {err:?}");
        }
    }
}
