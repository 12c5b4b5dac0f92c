//! The Power peak panel against the in-process Sandbox: a power-tariff site's month and hour from
//! fetched history, a site without a grid meter and a site on a tariff without a power charge
//! each say so in a sentence.

use std::sync::Arc;

use chrono::{DateTime, Datelike, DurationRound, TimeDelta, TimeZone, Utc};
use novacore::models::{Location, NewSite};
use novadesk_core::peak::{fetch_peak_history, peak_report, peak_site, PeakSource};
use novadesk_core::{Environment, FakeClock, RecordingEventSink, SandboxService, Workspace};

mod common;
use common::workspace_on;

struct Fixture {
    _sandbox: SandboxService,
    ws: Workspace,
    client: novacore::Client,
}

/// Signed in, the clock at half past the previous hour (history up to then is complete).
async fn fixture() -> Fixture {
    fixture_at(Utc::now().duration_trunc(TimeDelta::hours(1)).unwrap() - TimeDelta::minutes(30))
        .await
}

async fn fixture_at(now: DateTime<Utc>) -> Fixture {
    let sandbox = SandboxService::new();
    let base = sandbox.base_url_for(&Environment::Sandbox).await.unwrap();
    let events = Arc::new(RecordingEventSink::new());
    let (ws, client) = workspace_on(&base, Arc::new(FakeClock::new(now)), events).await;
    Fixture {
        _sandbox: sandbox,
        ws,
        client,
    }
}

async fn site_named(client: &novacore::Client, name: &str) -> String {
    client
        .sites()
        .list(None)
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.name == name)
        .map(|s| s.id)
        .unwrap_or_else(|| panic!("a demo site named {name}"))
}

#[tokio::test]
async fn a_power_tariff_site_shows_the_hour_and_the_months_charged_peaks() {
    let f = fixture().await;
    let id = site_named(&f.client, "Villa Stockholm").await;
    let site = peak_site(&f.ws, &id).await.unwrap();
    assert!(site.blocked.is_none(), "{:?}", site.blocked);
    assert!(!fetch_peak_history(&f.ws, &site).await.unwrap(), "online");
    let report = peak_report(&f.ws, &site, None).unwrap();
    assert!(report.applies);
    let s = report.status.expect("numbers");
    let now = f.ws.now_ms();
    assert_eq!(s.window_end_ms - s.window_start_ms, 3_600_000);
    assert_eq!(now - s.window_start_ms, 30 * 60_000, "half past");
    assert_eq!(
        (s.currency.as_str(), s.n_peaks, s.price_per_kw),
        ("SEK", 3, 65.0)
    );
    // Half an hour of minute history: a running average and a projection from it.
    assert!(s.running_avg_kw.is_some() && s.projected_kw.is_some());
    assert!(
        (s.measured_fraction - 1.0).abs() < 0.05,
        "{}",
        s.measured_fraction
    );
    // No stream watched: the readings are the cached ones.
    assert_eq!(s.source, PeakSource::Cached);
    // The month's peaks set the charge: their average × the price.
    assert!(s.peaks.len() <= 3);
    assert!(s.peaks.iter().all(|p| p.start_ms < s.window_start_ms));
    if !s.peaks.is_empty() {
        let avg = s.peaks.iter().map(|p| p.kw).sum::<f64>() / s.peaks.len() as f64;
        assert!((s.month_charge_ex_vat - avg * 65.0).abs() < 1e-6);
    }
    // The warning is there exactly when the projection sets a new peak that costs something.
    assert_eq!(report.warning.is_some(), s.warns());
}

#[tokio::test]
async fn in_the_months_first_hour_there_are_no_peaks_yet_and_no_error() {
    // Half past midnight on the first of last month, Stockholm time: the month before the
    // current hour is empty (the store refuses an empty range; it once failed the whole panel).
    let local = Utc::now().with_timezone(&chrono_tz::Europe::Stockholm);
    let first = chrono_tz::Europe::Stockholm
        .with_ymd_and_hms(local.year(), local.month(), 1, 0, 30, 0)
        .unwrap()
        - TimeDelta::days(1);
    let half_past = chrono_tz::Europe::Stockholm
        .with_ymd_and_hms(first.year(), first.month(), 1, 0, 30, 0)
        .unwrap()
        .with_timezone(&Utc);
    // At the hour's first millisecond (midnight) the window is empty too.
    for now in [half_past, half_past - TimeDelta::minutes(30)] {
        let f = fixture_at(now).await;
        let id = site_named(&f.client, "Villa Stockholm").await;
        let site = peak_site(&f.ws, &id).await.unwrap();
        assert!(!fetch_peak_history(&f.ws, &site).await.unwrap(), "online");
        let report = peak_report(&f.ws, &site, None).unwrap();
        let s = report.status.expect("numbers");
        assert_eq!(
            s.window_start_ms,
            half_past.timestamp_millis() - 30 * 60_000
        );
        assert!(s.peaks.is_empty(), "{:?}", s.peaks);
        assert_eq!(s.month_charge_ex_vat, 0.0);
        assert_eq!(s.running_avg_kw.is_some(), now == half_past, "{s:?}");
    }
}

#[tokio::test]
async fn a_site_without_a_grid_meter_says_so() {
    let f = fixture().await;
    let org = f
        .client
        .organizations()
        .list()
        .await
        .unwrap()
        .into_iter()
        .find(|o| o.name == "My Energy Lab")
        .expect("the identity's own demo organization");
    let site = f
        .client
        .sites()
        .create(&NewSite {
            org_id: org.id,
            name: "Empty lot Stockholm".into(),
            location: Some(Location {
                lat: 59.33,
                lon: 18.07,
            }),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        })
        .await
        .unwrap();
    let peak = peak_site(&f.ws, &site.id).await.unwrap();
    let report = peak_report(&f.ws, &peak, None).unwrap();
    assert!(report.applies, "on the power tariff");
    assert!(report.status.is_none(), "nothing computed");
    assert_eq!(
        report.note.as_deref(),
        Some("This site has no grid meter DER, so its power peaks cannot be measured.")
    );
}

#[tokio::test]
async fn a_tariff_without_a_power_charge_shows_no_panel() {
    let f = fixture().await;
    let id = site_named(&f.client, "Summer house Göteborg").await;
    let report = peak_report(&f.ws, &peak_site(&f.ws, &id).await.unwrap(), None).unwrap();
    assert!(!report.applies);
    assert_eq!(
        report.note.as_deref(),
        Some("The site's grid tariff has no power charge.")
    );
}
