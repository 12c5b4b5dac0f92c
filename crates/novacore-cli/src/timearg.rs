//! Time arguments: RFC 3339 instants, epoch milliseconds, or calendar dates whose midnight
//! depends on the time zone they are read in.

use std::str::FromStr;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// A `--from`/`--to` value as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeArg {
    /// An absolute instant.
    Instant(DateTime<Utc>),
    /// A calendar date, resolved to midnight in some time zone.
    Date(NaiveDate),
}

impl FromStr for TimeArg {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if let Ok(t) = DateTime::parse_from_rfc3339(s) {
            return Ok(TimeArg::Instant(t.with_timezone(&Utc)));
        }
        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
            return Ok(TimeArg::Date(d));
        }
        if let Ok(ms) = s.parse::<i64>() {
            if let Some(t) = DateTime::from_timestamp_millis(ms) {
                return Ok(TimeArg::Instant(t));
            }
        }
        Err(format!(
            "`{s}` is not an RFC 3339 time (2026-03-06T10:00:00Z), a date (2026-03-06) or epoch ms"
        ))
    }
}

impl TimeArg {
    /// The instant, reading a date as local midnight in `tz` (the first instant of the day
    /// when DST skips midnight).
    pub fn resolve(self, tz: Tz) -> DateTime<Utc> {
        match self {
            TimeArg::Instant(t) => t,
            TimeArg::Date(d) => {
                let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default();
                (0..6)
                    .find_map(|h| {
                        tz.from_local_datetime(&(midnight + chrono::TimeDelta::hours(h)))
                            .earliest()
                    })
                    .map(|t| t.with_timezone(&Utc))
                    .unwrap_or_else(|| Utc.from_utc_datetime(&midnight))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_three_forms() {
        let t: TimeArg = "2026-03-06T11:00:00+01:00".parse().unwrap();
        assert_eq!(t, TimeArg::Instant("2026-03-06T10:00:00Z".parse().unwrap()));
        let ms: TimeArg = "1772791200000".parse().unwrap();
        assert_eq!(
            ms,
            TimeArg::Instant("2026-03-06T10:00:00Z".parse().unwrap())
        );
        let d: TimeArg = "2026-03-06".parse().unwrap();
        assert_eq!(
            d.resolve(chrono_tz::Europe::Stockholm),
            "2026-03-05T23:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
        assert!("yesterday".parse::<TimeArg>().is_err());
    }
}
