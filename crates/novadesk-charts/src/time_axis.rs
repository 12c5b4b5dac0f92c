//! The time axis: tick positions and labels in the site's local time, from an hour to years.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use plotters::coord::ranged1d::{KeyPointHint, NoDefaultFormatting, Ranged, ValueFormatter};
use std::ops::Range;

/// A step between ticks, in local calendar terms (so days and months follow DST and month length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TickStep {
    /// Every n minutes.
    Minutes(u32),
    /// Every n hours.
    Hours(u32),
    /// Every n days.
    Days(u32),
    /// Every Monday.
    Weeks,
    /// Every n months (first of the month).
    Months(u32),
    /// Every n years (1 January).
    Years(u32),
}

impl TickStep {
    /// Nominal length, used only to pick a step.
    fn nominal_ms(self) -> i64 {
        const MIN: i64 = 60_000;
        match self {
            TickStep::Minutes(n) => n as i64 * MIN,
            TickStep::Hours(n) => n as i64 * 60 * MIN,
            TickStep::Days(n) => n as i64 * 1440 * MIN,
            TickStep::Weeks => 7 * 1440 * MIN,
            TickStep::Months(n) => n as i64 * 30 * 1440 * MIN,
            TickStep::Years(n) => n as i64 * 365 * 1440 * MIN,
        }
    }
}

const LADDER: [TickStep; 20] = [
    TickStep::Minutes(1),
    TickStep::Minutes(5),
    TickStep::Minutes(10),
    TickStep::Minutes(15),
    TickStep::Minutes(30),
    TickStep::Hours(1),
    TickStep::Hours(2),
    TickStep::Hours(3),
    TickStep::Hours(6),
    TickStep::Hours(12),
    TickStep::Days(1),
    TickStep::Days(2),
    TickStep::Weeks,
    TickStep::Months(1),
    TickStep::Months(3),
    TickStep::Months(6),
    TickStep::Years(1),
    TickStep::Years(2),
    TickStep::Years(5),
    TickStep::Years(10),
];

/// The smallest step giving at most `max_ticks` ticks over `span_ms`.
pub fn choose_step(span_ms: i64, max_ticks: usize) -> TickStep {
    let max_ticks = max_ticks.max(2) as i64;
    LADDER
        .iter()
        .copied()
        .find(|s| span_ms / s.nominal_ms() < max_ticks)
        .unwrap_or(TickStep::Years(10))
}

/// Step and ticks for a range: the step from [`choose_step`], made finer while it would leave fewer
/// than two ticks (a month step over 1–31 January has none: 1 January local is before `from`).
pub fn choose_ticks(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: Tz,
    max_ticks: usize,
) -> (TickStep, Vec<i64>) {
    let step = choose_step((to - from).num_milliseconds(), max_ticks);
    let mut index = LADDER
        .iter()
        .position(|s| *s == step)
        .unwrap_or(LADDER.len() - 1);
    loop {
        let t = ticks(from, to, tz, LADDER[index]);
        if t.len() >= 2 || index == 0 {
            return (LADDER[index], t);
        }
        index -= 1;
    }
}

/// Local start of the period containing `t` for `step` (e.g. the local hour, day, Monday, month).
fn floor_local(t: NaiveDateTime, step: TickStep) -> NaiveDateTime {
    let date = t.date();
    let at_midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or(t);
    match step {
        TickStep::Minutes(n) => {
            let m = t.minute() - t.minute() % n;
            date.and_hms_opt(t.hour(), m, 0).unwrap_or(t)
        }
        TickStep::Hours(n) => date.and_hms_opt(t.hour() - t.hour() % n, 0, 0).unwrap_or(t),
        TickStep::Days(_) => at_midnight(date),
        TickStep::Weeks => {
            let back = Duration::days(i64::from(date.weekday().num_days_from_monday()));
            at_midnight(date.checked_sub_signed(back).unwrap_or(date))
        }
        TickStep::Months(n) => {
            let m0 = date.month0() - date.month0() % n;
            at_midnight(NaiveDate::from_ymd_opt(date.year(), m0 + 1, 1).unwrap_or(date))
        }
        TickStep::Years(n) => {
            let y = date.year() - date.year().rem_euclid(n as i32);
            at_midnight(NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or(date))
        }
    }
}

/// The next tick after `t`, or `None` past the end of the representable calendar.
fn advance_local(t: NaiveDateTime, step: TickStep) -> Option<NaiveDateTime> {
    let add = |d: Duration| t.checked_add_signed(d);
    match step {
        TickStep::Minutes(n) => add(Duration::minutes(i64::from(n))),
        TickStep::Hours(n) => add(Duration::hours(i64::from(n))),
        TickStep::Days(n) => add(Duration::days(i64::from(n))),
        TickStep::Weeks => add(Duration::days(7)),
        TickStep::Months(n) => t.checked_add_months(chrono::Months::new(n)),
        TickStep::Years(n) => t.checked_add_months(chrono::Months::new(12 * n)),
    }
}

/// Tick times (epoch ms) in `[from, to)` for `step`, aligned to local calendar boundaries.
/// Local times that do not exist (DST spring-forward) are skipped; ambiguous ones take the earlier.
pub fn ticks(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz, step: TickStep) -> Vec<i64> {
    let mut out = Vec::new();
    let mut local = floor_local(from.with_timezone(&tz).naive_local(), step);
    let (from_ms, to_ms) = (from.timestamp_millis(), to.timestamp_millis());
    // Bounded: the step was chosen for a bounded tick count; the guard protects against a bad step.
    for _ in 0..10_000 {
        if let Some(utc) = tz.from_local_datetime(&local).earliest() {
            let ms = utc.timestamp_millis();
            if ms >= to_ms {
                break;
            }
            if ms >= from_ms && out.last() != Some(&ms) {
                out.push(ms);
            }
        }
        match advance_local(local, step) {
            Some(next) => local = next,
            None => break,
        }
    }
    out
}

/// Label of a tick: "14:00", "Mon 12" at local midnight, "12 Mar" for weeks, "Mar"/"2026".
pub fn label(ms: i64, tz: Tz, step: TickStep) -> String {
    let Some(utc) = DateTime::<Utc>::from_timestamp_millis(ms) else {
        return String::new();
    };
    let t = utc.with_timezone(&tz);
    let midnight = t.hour() == 0 && t.minute() == 0;
    match step {
        TickStep::Minutes(_) | TickStep::Hours(_) if !midnight => t.format("%H:%M").to_string(),
        TickStep::Minutes(_) | TickStep::Hours(_) | TickStep::Days(_) => {
            t.format("%a %-d").to_string()
        }
        TickStep::Weeks => t.format("%-d %b").to_string(),
        TickStep::Months(_) if t.month() == 1 => t.format("%Y").to_string(),
        TickStep::Months(_) => t.format("%b").to_string(),
        TickStep::Years(_) => t.format("%Y").to_string(),
    }
}

/// Plotters coordinate for the time axis: epoch ms mapped linearly, our own local-time ticks.
#[derive(Debug, Clone)]
pub struct TimeAxis {
    from_ms: i64,
    to_ms: i64,
    tz: Tz,
    step: TickStep,
    ticks: Vec<i64>,
}

impl TimeAxis {
    /// Axis over `[from, to)` with at most `max_ticks` labelled ticks.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>, tz: Tz, max_ticks: usize) -> Self {
        let (from_ms, to_ms) = (from.timestamp_millis(), to.timestamp_millis());
        let step = choose_step(to_ms - from_ms, max_ticks);
        TimeAxis {
            from_ms,
            to_ms,
            tz,
            step,
            ticks: ticks(from, to, tz, step),
        }
    }
}

impl Ranged for TimeAxis {
    type FormatOption = NoDefaultFormatting;
    type ValueType = i64;

    fn map(&self, value: &i64, limit: (i32, i32)) -> i32 {
        limit.0 + crate::downsample::scaled(*value, self.from_ms, self.to_ms, limit.1 - limit.0)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<i64> {
        // Light (minor) grid lines would only repeat the ticks: give none.
        if hint.weight().allow_light_points() {
            return Vec::new();
        }
        self.ticks.clone()
    }

    fn range(&self) -> Range<i64> {
        self.from_ms..self.to_ms
    }
}

impl ValueFormatter<i64> for TimeAxis {
    fn format_ext(&self, value: &i64) -> String {
        label(*value, self.tz, self.step)
    }
}

#[cfg(test)]
mod tests;
