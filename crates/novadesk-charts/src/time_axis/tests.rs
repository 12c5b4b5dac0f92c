use super::*;
use chrono::TimeZone;
use chrono_tz::Europe::Stockholm;

fn utc(y: i32, mo: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, 0, 0)
        .single()
        .unwrap_or_default()
}

fn labels(from: DateTime<Utc>, to: DateTime<Utc>, max: usize) -> (TickStep, Vec<String>) {
    let step = choose_step((to - from).num_milliseconds(), max);
    (
        step,
        ticks(from, to, Stockholm, step)
            .into_iter()
            .map(|t| label(t, Stockholm, step))
            .collect(),
    )
}

#[test]
fn one_hour_gets_minute_ticks_on_local_quarter_hours() {
    let from = utc(2026, 6, 10, 12) + Duration::minutes(7);
    let (step, l) = labels(from, from + Duration::hours(1), 6);
    assert_eq!(step, TickStep::Minutes(15));
    // 12:07 UTC is 14:07 CEST.
    assert_eq!(l, vec!["14:15", "14:30", "14:45", "15:00"]);
}

#[test]
fn a_day_shows_hours_and_the_local_midnight_as_a_day() {
    let from = utc(2026, 6, 10, 22); // 00:00 CEST on the 11th
    let (step, l) = labels(from, from + Duration::hours(24), 8);
    assert_eq!(step, TickStep::Hours(6));
    assert_eq!(l, vec!["Thu 11", "06:00", "12:00", "18:00"]);
}

#[test]
fn a_week_shows_days_at_local_midnight() {
    let from = utc(2026, 6, 7, 22); // Mon 8 June 00:00 CEST
    let (step, l) = labels(from, from + Duration::days(7), 12);
    assert_eq!(step, TickStep::Days(1));
    assert_eq!(l.first().map(String::as_str), Some("Mon 8"));
    assert_eq!(l.len(), 7);
}

#[test]
fn a_month_shows_mondays() {
    let from = utc(2026, 5, 31, 22); // 1 June 00:00 CEST
    let (step, l) = labels(from, from + Duration::days(30), 12);
    assert_eq!(step, TickStep::Weeks);
    assert_eq!(l, vec!["1 Jun", "8 Jun", "15 Jun", "22 Jun", "29 Jun"]);
}

#[test]
fn a_year_shows_months_and_the_new_year_as_a_year() {
    let from = utc(2025, 6, 30, 22); // 1 July 2025 local
    let (step, l) = labels(from, from + Duration::days(365), 16);
    assert_eq!(step, TickStep::Months(1));
    assert_eq!(l[0], "Jul");
    assert!(l.contains(&"2026".to_string()));
    assert_eq!(l.len(), 12);
}

#[test]
fn ticks_follow_dst_in_local_time() {
    // Spring forward on 29 March 2026: local midnights are 23:00 UTC before, 22:00 UTC after.
    let from = utc(2026, 3, 27, 23);
    let step = TickStep::Days(1);
    let t = ticks(from, from + Duration::days(4), Stockholm, step);
    let hours: Vec<u32> = t
        .iter()
        .filter_map(|&ms| DateTime::<Utc>::from_timestamp_millis(ms))
        .map(|d| d.hour())
        .collect();
    assert_eq!(hours, vec![23, 23, 22, 22, 22]);
    // Hourly ticks skip the local hour that does not exist (02:00), never duplicate.
    let from = utc(2026, 3, 28, 23);
    let t = ticks(
        from,
        from + Duration::hours(5),
        Stockholm,
        TickStep::Hours(1),
    );
    let l: Vec<String> = t
        .iter()
        .map(|&ms| label(ms, Stockholm, TickStep::Hours(1)))
        .collect();
    assert_eq!(l, vec!["Sun 29", "01:00", "03:00", "04:00", "05:00"]);
}

#[test]
fn tick_count_stays_within_the_limit_for_any_range() {
    for hours in [1i64, 3, 24, 24 * 7, 24 * 30, 24 * 365, 24 * 365 * 3] {
        for max in [3usize, 6, 12, 20] {
            let from = utc(2026, 1, 1, 0);
            let (step, t) = choose_ticks(from, from + Duration::hours(hours), Stockholm, max);
            let n = t.len();
            assert!(
                n <= 2 * max,
                "{hours} h, max {max}: {n} ticks with {step:?}"
            );
            assert!(n >= 2, "{hours} h, max {max}: {n} ticks");
        }
    }
}

/// A range ending at the last representable instant must not overflow the tick arithmetic
/// (regression: `advance_local` added durations unchecked and panicked there).
#[test]
fn ticks_at_the_end_of_time_do_not_panic() {
    let to = DateTime::<Utc>::MAX_UTC;
    for span in [Duration::hours(3), Duration::days(40), Duration::days(3000)] {
        let from = to - span;
        let (_, t) = choose_ticks(from, to, Stockholm, 8);
        assert!(t
            .iter()
            .all(|ms| *ms >= from.timestamp_millis() && *ms < to.timestamp_millis()));
        let axis = TimeAxis::new(from, to, Stockholm, 8);
        assert_eq!(axis.range(), from.timestamp_millis()..to.timestamp_millis());
    }
    let from = DateTime::<Utc>::MIN_UTC;
    let (_, t) = choose_ticks(from, from + Duration::days(20), Stockholm, 8);
    assert!(t.iter().all(|ms| *ms >= from.timestamp_millis()));
}
