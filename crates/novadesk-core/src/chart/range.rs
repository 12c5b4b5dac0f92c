//! Range presets in the site's time zone and the resolution that fits the chart's width.

use chrono::{DateTime, Duration, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use novadesk_store::{Resolution, DAY_MS, HOUR_MS, MINUTE_MS};

use crate::error::{Error, Result};

/// The range buttons.
///
/// - `Day`: the last 24 hours.
/// - `Week`: today and the 6 local days before.
/// - `Month`: today and the 29 local days before.
/// - `Year`: today and the 364 local days before.
/// - `Custom`: the request's `from_ms`..`to_ms`.
///
/// (Variant docs live here: on the variants, the generated JSDoc of the window splits the type.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "RangePresetName")
)]
pub enum RangePreset {
    Day,
    Week,
    Month,
    Year,
    Custom,
}

/// A range fixed to instants, with the resolutions to draw and to fetch at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedRange {
    /// Start, epoch ms (aligned to `fetch_level`).
    pub from: i64,
    /// End (exclusive), epoch ms.
    pub to: i64,
    /// Bucket width of the drawn series: about one bucket per pixel column.
    pub chart_res: Resolution,
    /// The stored level the chart is read from and history is fetched at (divides `chart_res`).
    pub fetch_level: Resolution,
}

/// Chart bucket widths, finest first: one is picked so the range has about one bucket per column.
const NICE_MS: [i64; 11] = [
    MINUTE_MS,
    5 * MINUTE_MS,
    15 * MINUTE_MS,
    30 * MINUTE_MS,
    HOUR_MS,
    2 * HOUR_MS,
    3 * HOUR_MS,
    6 * HOUR_MS,
    12 * HOUR_MS,
    DAY_MS,
    7 * DAY_MS,
];

/// Longest custom range: the store's resolutions and one chart stay meaningful up to here.
pub const MAX_SPAN_MS: i64 = 3 * 366 * DAY_MS;

/// Fixes `preset` (or the custom bounds) to instants at `now_ms` in `tz`, and picks the
/// resolutions for a chart whose plot is `columns` pixels wide.
pub fn resolve_range(
    preset: RangePreset,
    custom: (Option<i64>, Option<i64>),
    tz: Tz,
    now_ms: i64,
    columns: u32,
) -> Result<ResolvedRange> {
    let now = DateTime::<Utc>::from_timestamp_millis(now_ms)
        .ok_or_else(|| Error::InvalidInput("The clock is out of range.".into()))?;
    let days_back = |n: i64| -> i64 {
        let today = now.with_timezone(&tz).date_naive();
        let first = today - Duration::days(n);
        tz.from_local_datetime(&first.and_time(NaiveTime::MIN))
            .earliest()
            // A midnight skipped by DST: an hour later exists.
            .or_else(|| {
                tz.from_local_datetime(&(first.and_time(NaiveTime::MIN) + Duration::hours(1)))
                    .earliest()
            })
            .map_or(now_ms - (n + 1) * DAY_MS, |t| t.timestamp_millis())
    };
    let (from, to) = match preset {
        RangePreset::Day => (now_ms - DAY_MS, now_ms),
        RangePreset::Week => (days_back(6), now_ms),
        RangePreset::Month => (days_back(29), now_ms),
        RangePreset::Year => (days_back(364), now_ms),
        RangePreset::Custom => match custom {
            (Some(f), Some(t)) => (f, t),
            _ => {
                return Err(Error::InvalidInput(
                    "Choose both a start and an end for the custom range.".into(),
                ))
            }
        },
    };
    if from >= to {
        return Err(Error::InvalidInput(
            "The range's start must be before its end.".into(),
        ));
    }
    // Saturating: the window's custom bounds may be any i64 (found by `make fuzz`, command_args).
    if to.saturating_sub(from) > MAX_SPAN_MS {
        return Err(Error::InvalidInput(
            "The range is longer than three years; choose a shorter one.".into(),
        ));
    }
    if from < 0 || to > novadesk_store::MAX_TS {
        return Err(Error::InvalidInput(
            "The range is outside the years 1970-9999.".into(),
        ));
    }
    let cols = i64::from(columns.max(1));
    let per_column = (to - from + cols - 1) / cols;
    let chart_ms = NICE_MS
        .iter()
        .copied()
        .find(|ms| *ms >= per_column)
        .unwrap_or(NICE_MS[NICE_MS.len() - 1]);
    let chart_res = Resolution::from_ms(chart_ms)?;
    let fetch_level = Resolution::LEVELS
        .iter()
        .rev()
        .copied()
        .find(|l| chart_ms % l.as_ms() == 0)
        .unwrap_or(Resolution::M1);
    Ok(ResolvedRange {
        from: fetch_level.floor(from),
        to,
        chart_res,
        fetch_level,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000_000; // 2026-05-28T20:26:40Z

    #[test]
    fn presets_start_at_local_midnight_and_end_now() {
        let tz: Tz = "Europe/Stockholm".parse().unwrap();
        let week = resolve_range(RangePreset::Week, (None, None), tz, NOW, 1500).unwrap();
        assert_eq!(week.to, NOW);
        let start = DateTime::<Utc>::from_timestamp_millis(week.from)
            .unwrap()
            .with_timezone(&tz);
        assert_eq!(
            start.format("%Y-%m-%d %H:%M").to_string(),
            "2026-05-22 00:00"
        );
        let day = resolve_range(RangePreset::Day, (None, None), tz, NOW, 1500).unwrap();
        assert_eq!(day.chart_res, Resolution::M1);
        assert!(NOW - day.from >= DAY_MS && NOW - day.from < DAY_MS + MINUTE_MS);
    }

    #[test]
    fn resolution_is_about_one_bucket_per_column_on_a_stored_level() {
        let tz = chrono_tz::UTC;
        let year = resolve_range(RangePreset::Year, (None, None), tz, NOW, 1500).unwrap();
        assert_eq!(year.chart_res.as_ms(), 6 * HOUR_MS);
        assert_eq!(year.fetch_level, Resolution::H1);
        let month = resolve_range(RangePreset::Month, (None, None), tz, NOW, 1500).unwrap();
        assert_eq!(month.chart_res.as_ms(), 30 * MINUTE_MS);
        assert_eq!(month.fetch_level, Resolution::M15);
        assert!((month.to - month.from) / month.chart_res.as_ms() <= 1500);
    }

    #[test]
    fn bad_custom_ranges_are_refused_with_a_sentence() {
        let tz = chrono_tz::UTC;
        for custom in [
            (None, Some(NOW)),
            (Some(NOW), Some(NOW)),
            (Some(0), Some(NOW)),
        ] {
            let err = resolve_range(RangePreset::Custom, custom, tz, NOW, 800).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{err:?}");
        }
    }

    /// `make fuzz` (command_args): the window's custom bounds at the ends of i64 (a JS number
    /// like -1e300 becomes i64::MIN) overflowed `to - from`, a panic in debug builds.
    #[test]
    fn fuzz_regression_extreme_custom_bounds_are_refused_not_a_panic() {
        let tz = chrono_tz::UTC;
        for custom in [
            (Some(i64::MIN), Some(i64::MAX)),
            (Some(i64::MIN), Some(NOW)),
            (Some(-1), Some(i64::MAX)),
        ] {
            let err = resolve_range(RangePreset::Custom, custom, tz, NOW, 900).unwrap_err();
            assert!(matches!(err, Error::InvalidInput(_)), "{custom:?}: {err:?}");
        }
    }
}
