//! The projection and the warning decision on hand-made hours (Europe/Stockholm).

use chrono::{DateTime, TimeDelta, Utc};
use novacore::pricing::{NetPowerPoint, PowerComponent, Tariff, Validity};

use super::*;
use crate::live::{Flow, LinkState, PowerFlow};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn ms(s: &str) -> i64 {
    utc(s).timestamp_millis()
}

fn tariff(one_per_day: bool) -> (Tariff, PowerComponent) {
    let comp = PowerComponent {
        name: "Effektavgift".into(),
        price_per_kw: 50.0,
        n_peaks: 3,
        peak_duration_minutes: 60,
        one_peak_per_day: one_per_day,
        validity: Validity::default(),
    };
    let t = Tariff {
        time_zone: "Europe/Stockholm".into(),
        currency: "SEK".into(),
        fixed_per_month: 0.0,
        energy: vec![],
        energy_combination: Default::default(),
        power: vec![comp.clone()],
        vat_rate: 0.25,
    };
    (t, comp)
}

/// Four quarter-hour buckets of `kw` from `hour` (UTC).
fn hour(at: &str, kw: f64) -> Vec<NetPowerPoint> {
    (0..4)
        .map(|i| NetPowerPoint {
            ts: utc(at) + TimeDelta::minutes(15 * i),
            w: kw * 1000.0,
        })
        .collect()
}

/// January: peaks of 5, 4 and 3 kW on three days, 1 kW otherwise.
fn january() -> Vec<NetPowerPoint> {
    let mut m = Vec::new();
    m.extend(hour("2026-01-05T17:00:00Z", 5.0));
    m.extend(hour("2026-01-06T17:00:00Z", 4.0));
    m.extend(hour("2026-01-07T17:00:00Z", 3.0));
    m.extend(hour("2026-01-08T17:00:00Z", 1.0));
    m
}

fn piece(from: &str, to: &str, kw: f64) -> MeterPiece {
    MeterPiece {
        start_ms: ms(from),
        end_ms: ms(to),
        w: kw * 1000.0,
    }
}

fn run(
    t: &(Tariff, PowerComponent),
    month: &[NetPowerPoint],
    window: &[MeterPiece],
    now: &str,
    link: Option<LinkState>,
) -> PeakStatus {
    project(
        PeakInputs {
            tariff: &t.0,
            month,
            month_interval_s: 900,
            window,
            now: utc(now),
            link,
            flow: None,
        },
        &t.1,
    )
    .unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn a_heavy_half_hour_projects_a_new_peak_and_what_it_adds() {
    let t = tariff(false);
    let window = [
        piece("2026-01-20T09:00:00Z", "2026-01-20T09:20:00Z", 2.0),
        piece("2026-01-20T09:20:00Z", "2026-01-20T09:30:00Z", 8.0),
    ];
    let s = run(
        &t,
        &january(),
        &window,
        "2026-01-20T09:30:00Z",
        Some(LinkState::Live),
    );
    assert_eq!(s.window_start_ms, ms("2026-01-20T09:00:00Z"));
    assert!(
        close(s.running_avg_kw.unwrap(), 4.0),
        "2 kWh in half an hour"
    );
    assert!(
        close(s.projected_kw.unwrap(), 6.0),
        "8 kW held for the other half"
    );
    let peaks: Vec<f64> = s.peaks.iter().map(|p| p.kw).collect();
    assert_eq!(peaks, vec![5.0, 4.0, 3.0]);
    assert!(close(s.month_charge_ex_vat, 200.0), "avg 4 kW × 50");
    assert!(s.new_peak && s.warns());
    assert!(close(s.adds_ex_vat, 50.0), "avg 5 kW: 250 − 200");
    assert!(close(s.adds_inc_vat, 62.5));
    assert_eq!(s.source, PeakSource::Live);
    assert_eq!(
        warning_text(std::slice::from_ref(&s)),
        "This hour would add ≈ SEK 63 to the month's power charge (inc VAT; SEK 50 ex VAT)."
    );
}

#[test]
fn a_projection_below_the_lowest_charged_peak_does_not_warn() {
    let t = tariff(false);
    let window = [piece("2026-01-20T09:00:00Z", "2026-01-20T09:30:00Z", 2.9)];
    let s = run(
        &t,
        &january(),
        &window,
        "2026-01-20T09:30:00Z",
        Some(LinkState::Live),
    );
    assert!(close(s.projected_kw.unwrap(), 2.9));
    assert!(!s.new_peak && !s.warns());
    assert_eq!(s.adds_ex_vat, 0.0);
}

#[test]
fn at_the_hour_boundary_the_finished_hour_joins_the_month_and_a_new_window_starts() {
    let t = tariff(false);
    let mut month = january();
    month.extend(hour("2026-01-20T09:00:00Z", 7.0));
    let window = [piece("2026-01-20T09:00:00Z", "2026-01-20T09:59:59Z", 7.0)];
    // One second before: the hour is still the window, projected at 7 kW, not yet in the month.
    let s = run(
        &t,
        &month,
        &window,
        "2026-01-20T09:59:59Z",
        Some(LinkState::Live),
    );
    assert_eq!(s.window_start_ms, ms("2026-01-20T09:00:00Z"));
    assert_eq!(
        s.peaks.iter().map(|p| p.kw).collect::<Vec<_>>(),
        vec![5.0, 4.0, 3.0]
    );
    assert!(s.new_peak);
    // On the boundary: a fresh window without readings, the finished hour a charged peak.
    let s = run(
        &t,
        &month,
        &window,
        "2026-01-20T10:00:00Z",
        Some(LinkState::Live),
    );
    assert_eq!(s.window_start_ms, ms("2026-01-20T10:00:00Z"));
    assert_eq!(
        s.peaks.iter().map(|p| p.kw).collect::<Vec<_>>(),
        vec![7.0, 5.0, 4.0]
    );
    assert_eq!((s.running_avg_kw, s.projected_kw), (None, None));
    assert_eq!(s.source, PeakSource::NoReadings);
    assert!(!s.warns());
}

#[test]
fn the_spring_change_day_has_an_hour_window_after_the_jump() {
    let t = tariff(false);
    // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 01:30Z is 03:30 local, its window 01:00Z.
    let window = [piece("2026-03-29T01:00:00Z", "2026-03-29T01:30:00Z", 4.0)];
    let s = run(
        &t,
        &[],
        &window,
        "2026-03-29T01:30:00Z",
        Some(LinkState::Live),
    );
    assert_eq!(s.window_start_ms, ms("2026-03-29T01:00:00Z"));
    assert_eq!(s.window_end_ms - s.window_start_ms, 3_600_000);
    assert!(close(s.projected_kw.unwrap(), 4.0));
    assert!(
        s.new_peak,
        "the month has fewer than three peaks: any hour is one"
    );
}

#[test]
fn the_repeated_hour_of_the_autumn_change_is_its_own_window_and_one_peak_per_day_holds() {
    let t = tariff(true);
    let mut month = Vec::new();
    month.extend(hour("2026-10-22T17:00:00Z", 3.0));
    month.extend(hour("2026-10-23T17:00:00Z", 4.0));
    month.extend(hour("2026-10-24T17:00:00Z", 5.0));
    // The first 02:00 of 25 October (00:00Z) drew 6 kW.
    month.extend(hour("2026-10-25T00:00:00Z", 6.0));
    // The second 02:00 (01:00Z) is the window now, at 7 kW.
    let window = [piece("2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z", 7.0)];
    let s = run(
        &t,
        &month,
        &window,
        "2026-10-25T01:30:00Z",
        Some(LinkState::Live),
    );
    assert_eq!(s.window_start_ms, ms("2026-10-25T01:00:00Z"));
    assert_eq!(
        s.peaks.iter().map(|p| p.kw).collect::<Vec<_>>(),
        vec![6.0, 5.0, 4.0]
    );
    assert!(s.new_peak, "7 kW replaces the day's 6 kW");
    assert!(
        close(s.adds_ex_vat, 50.0 / 3.0),
        "avg (7+5+4)/3 vs (6+5+4)/3"
    );
    // At 5.5 kW it would not beat the day's own 6 kW: one peak per day.
    let window = [piece("2026-10-25T01:00:00Z", "2026-10-25T01:30:00Z", 5.5)];
    let s = run(
        &t,
        &month,
        &window,
        "2026-10-25T01:30:00Z",
        Some(LinkState::Live),
    );
    assert!(!s.new_peak && !s.warns());
}

#[test]
fn a_dropped_stream_works_from_the_cached_readings_and_says_so() {
    let t = tariff(false);
    // Readings stopped at 09:20; it is 09:40 and the stream is reconnecting.
    let window = [piece("2026-01-20T09:00:00Z", "2026-01-20T09:20:00Z", 3.0)];
    let s = run(
        &t,
        &january(),
        &window,
        "2026-01-20T09:40:00Z",
        Some(LinkState::Reconnecting),
    );
    assert_eq!(s.source, PeakSource::Cached);
    assert!(close(s.running_avg_kw.unwrap(), 3.0));
    assert!(close(s.measured_fraction, 0.5));
    assert!(
        close(s.projected_kw.unwrap(), 3.0),
        "the last power held to the end"
    );
    assert_eq!(s.last_reading_ms, Some(ms("2026-01-20T09:00:00Z")));
    let s = run(
        &t,
        &january(),
        &window,
        "2026-01-20T09:40:00Z",
        Some(LinkState::Offline),
    );
    assert_eq!(s.source, PeakSource::Cached);
}

#[test]
fn export_counts_as_no_import() {
    let t = tariff(false);
    let window = [piece("2026-01-20T09:00:00Z", "2026-01-20T09:30:00Z", -4.0)];
    let s = run(
        &t,
        &january(),
        &window,
        "2026-01-20T09:30:00Z",
        Some(LinkState::Live),
    );
    assert_eq!((s.running_avg_kw, s.projected_kw), (Some(0.0), Some(0.0)));
}

fn warning_status(window_start: &str) -> PeakStatus {
    let t = tariff(false);
    let start = utc(window_start);
    let window = [MeterPiece {
        start_ms: start.timestamp_millis(),
        end_ms: (start + TimeDelta::minutes(30)).timestamp_millis(),
        w: 9000.0,
    }];
    let now = (start + TimeDelta::minutes(30)).to_rfc3339();
    run(&t, &january(), &window, &now, Some(LinkState::Live))
}

#[test]
fn a_notification_goes_out_once_per_site_and_hour_and_not_when_turned_off() {
    let mut alerts = PeakAlerts::new();
    let nine = warning_status("2026-01-20T09:00:00Z");
    assert!(nine.warns());
    assert!(!alerts.should_notify("sit-a", &nine, false), "turned off");
    assert!(alerts.should_notify("sit-a", &nine, true));
    assert!(!alerts.should_notify("sit-a", &nine, true), "same hour");
    assert!(alerts.should_notify("sit-b", &nine, true), "another site");
    let ten = warning_status("2026-01-20T10:00:00Z");
    assert!(alerts.should_notify("sit-a", &ten, true), "the next hour");
    let quiet = run(
        &tariff(false),
        &january(),
        &[],
        "2026-01-20T11:30:00Z",
        Some(LinkState::Live),
    );
    assert!(!alerts.should_notify("sit-a", &quiet, true));
}

#[test]
fn the_notification_names_the_hour_the_cost_and_what_is_drawing() {
    let mut s = warning_status("2026-01-20T09:00:00Z");
    s.consumers = consumers(&PowerFlow {
        load_w: Some(2500.0),
        ev: Some(Flow {
            w: 11_000.0,
            ts_ms: 0,
            ders: 1,
        }),
        battery: Some(Flow {
            w: -3000.0,
            ts_ms: 0,
            ders: 1,
        }),
        ..Default::default()
    });
    let labels: Vec<&str> = s.consumers.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        vec!["EV charger", "House"],
        "discharging draws nothing"
    );
    let (title, body) = notification(
        "Uppsala",
        std::slice::from_ref(&s),
        chrono_tz::Europe::Stockholm,
    )
    .unwrap();
    assert_eq!(title, "Uppsala: a new power peak at 10:00");
    assert!(
        body.starts_with("Projected 9.0 kW this hour. This hour would add ≈ SEK"),
        "{body}"
    );
    assert!(
        body.ends_with("Drawing: EV charger 11.0 kW, House 2.5 kW."),
        "{body}"
    );
}

/// Two power components: the month's 3 highest hours at 50/kW all the time, and on top the
/// highest weekday daytime (07–19 local) hour at 100/kW.
fn two_component_tariff() -> Tariff {
    let (mut t, all_hours) = tariff(false);
    let daytime = PowerComponent {
        name: "Höglasteffekt".into(),
        price_per_kw: 100.0,
        n_peaks: 1,
        peak_duration_minutes: 60,
        one_peak_per_day: false,
        validity: Validity {
            months: vec![],
            weekdays: vec![1, 2, 3, 4, 5],
            hours: (7..19).collect(),
        },
    };
    t.power = vec![all_hours, daytime];
    t
}

fn run_all(t: &Tariff, window: &[MeterPiece], now: &str) -> Vec<PeakStatus> {
    project_all(PeakInputs {
        tariff: t,
        month: &january(),
        month_interval_s: 900,
        window,
        now: utc(now),
        link: Some(LinkState::Live),
        flow: None,
    })
    .unwrap()
}

#[test]
fn every_power_component_is_evaluated_and_the_warning_adds_them_up() {
    let t = two_component_tariff();
    // Tuesday 20 January, 10:00–11:00 local (09Z): counts for both components. 6 kW projected.
    let window = [piece("2026-01-20T09:00:00Z", "2026-01-20T09:30:00Z", 6.0)];
    let all = run_all(&t, &window, "2026-01-20T09:30:00Z");
    assert_eq!(all.len(), 2, "one status per component");
    assert_eq!(all[0].component, "Effektavgift");
    assert_eq!(all[1].component, "Höglasteffekt");
    // First component: peaks 5, 4, 3 (avg 4 → 200); with 6: 6, 5, 4 (avg 5 → 250): adds 50.
    assert!(close(all[0].adds_ex_vat, 50.0), "{}", all[0].adds_ex_vat);
    // Second: the January daytime peak is 5 kW (17Z is 18:00 local, a weekday): 500; with 6:
    // 600, adds 100 — the first component alone would have missed it.
    assert!(close(all[1].month_charge_ex_vat, 500.0));
    assert!(close(all[1].adds_ex_vat, 100.0), "{}", all[1].adds_ex_vat);
    assert!(all.iter().all(PeakStatus::warns));
    // The report is about the one adding most; the sentence adds both up.
    assert_eq!(headline(&all).unwrap().component, "Höglasteffekt");
    assert_eq!(
        warning_text(&all),
        "This hour would add ≈ SEK 188 to the month's power charges (Effektavgift SEK 63, Höglasteffekt SEK 125; inc VAT; SEK 150 ex VAT)."
    );
    let (_, body) = notification("Uppsala", &all, chrono_tz::Europe::Stockholm).unwrap();
    assert!(body.contains("≈ SEK 188"), "{body}");

    // 20:00 local (19Z): only the first component's window counts; the daytime one adds nothing.
    let window = [piece("2026-01-20T19:00:00Z", "2026-01-20T19:30:00Z", 6.0)];
    let evening = run_all(&t, &window, "2026-01-20T19:30:00Z");
    assert!(evening[0].warns());
    assert!(!evening[1].window_counts && !evening[1].warns());
    assert_eq!(headline(&evening).unwrap().component, "Effektavgift");
    assert_eq!(
        warning_text(&evening),
        "This hour would add ≈ SEK 63 to the month's power charge (inc VAT; SEK 50 ex VAT)."
    );

    // A projection under both charged levels warns about nothing.
    let window = [piece("2026-01-20T09:00:00Z", "2026-01-20T09:30:00Z", 1.0)];
    let quiet = run_all(&t, &window, "2026-01-20T09:30:00Z");
    assert!(quiet.iter().all(|s| !s.warns()));
    assert_eq!(
        notification("Uppsala", &quiet, chrono_tz::Europe::Stockholm),
        None
    );
    assert_eq!(
        headline(&quiet).unwrap().component,
        "Effektavgift",
        "first counting"
    );
}
