//! The Fleet view's data against the in-process Sandbox with a fake clock: states from the
//! stored readings and gateways (live, silent, back, gateway not seen, never reported), today's
//! energy and cost equal to the chart's cost summary for the same range, and the bad inputs (no
//! meter, no tariff stored) said in a sentence.

use std::sync::Arc;

use chrono::{DateTime, Duration, DurationRound, Timelike, Utc};
use novadesk_core::fleet::{fleet_rows, refresh_fleet, FleetRow, SiteState, LIVE_WITHIN_MS};
use novadesk_core::{
    create_site, render_chart, set_chart_prefs, sign_in, CancelToken, ChartPrefs, ChartRequest,
    Environment, FakeClock, IdentityVault, MemorySecretStore, NewSiteInput, RangePreset,
    RecordingEventSink, SandboxService, Workspace, WorkspaceParts,
};
use novadesk_store::{Batch, SeriesKey};

struct Fixture {
    _sandbox: SandboxService,
    ws: Workspace,
    clock: Arc<FakeClock>,
    now: DateTime<Utc>,
}

async fn fixture() -> Fixture {
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.unwrap();
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let signed = sign_in(&env, &base, &vault).await.expect("sign in");
    let now = settled_hour(Utc::now());
    let clock = Arc::new(FakeClock::new(now));
    let ws = Workspace::in_memory(WorkspaceParts {
        environment: env,
        base_url: base,
        client: signed.client,
        identity_id: signed.identity_id,
        clock: clock.clone(),
        events: Arc::new(RecordingEventSink::new()),
    })
    .unwrap();
    Fixture {
        _sandbox: sandbox,
        ws,
        clock,
        now,
    }
}

/// A whole hour in the recent past (the history and prices up to it exist on the Sandbox), at
/// least two hours into the local day in every Sandbox zone (UTC to UTC+3): "today" is then
/// never empty, as it was at local midnight (00:00-00:59 UTC put the clock at 00:00 Stockholm).
fn settled_hour(wall: DateTime<Utc>) -> DateTime<Utc> {
    let mut now = wall.duration_trunc(Duration::hours(1)).unwrap() - Duration::hours(1);
    while !(2..=20).contains(&now.hour()) {
        now -= Duration::hours(1);
    }
    now
}

#[test]
fn the_settled_hour_is_past_and_never_at_the_start_of_a_local_day() {
    let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
    assert_eq!(
        settled_hour(at("2026-12-06T00:30:00Z")),
        at("2026-12-05T20:00:00Z")
    );
    assert_eq!(
        settled_hour(at("2026-12-06T14:59:59Z")),
        at("2026-12-06T13:00:00Z")
    );
    assert_eq!(
        settled_hour(at("2026-12-06T03:00:00Z")),
        at("2026-12-06T02:00:00Z")
    );
}

fn rows(ws: &Workspace) -> Vec<FleetRow> {
    fleet_rows(ws, ws.now_ms())
        .unwrap()
        .expect("the fleet is stored")
        .value
}

fn row<'a>(rows: &'a [FleetRow], id: &str) -> &'a FleetRow {
    rows.iter()
        .find(|r| r.site_id == id)
        .expect("the site's row")
}

/// A power reading of every DER of the site at `at_ms`, as the live stream stores them.
fn readings(ws: &Workspace, site: &str, at_ms: i64) {
    let detail = novadesk_core::cached_site(ws, site).unwrap().unwrap().value;
    let mut batch = Batch::new(at_ms);
    for der in detail.devices.iter().flat_map(|d| &d.ders) {
        batch.push(&SeriesKey::new(&der.id, "W"), at_ms, 500.0);
    }
    ws.store().ingest(&batch).unwrap();
}

#[tokio::test]
async fn states_from_the_clock_and_the_store_problems_first() {
    let f = fixture().await;
    let ws = &f.ws;
    assert!(
        fleet_rows(ws, ws.now_ms()).unwrap().is_none(),
        "nothing stored yet: no fleet, not an empty one"
    );
    let done = refresh_fleet(ws, true).await.expect("refresh");
    assert!(!done.offline, "{done:?}");
    let all = rows(ws);
    assert!(all.len() >= 4, "{}", all.len());
    // The Sandbox's gateways have not sent anything to anyone yet.
    assert!(
        all.iter().all(|r| r.state == SiteState::GatewayNotSeen),
        "{:?}",
        all.iter().map(|r| r.state).collect::<Vec<_>>()
    );
    let (a, b) = (all[0].site_id.clone(), all[1].site_id.clone());

    let t0 = ws.now_ms();
    readings(ws, &a, t0 - 5_000);
    readings(ws, &b, t0 - 2_000);
    let now = rows(ws);
    assert_eq!(row(&now, &a).state, SiteState::Live);
    assert_eq!(row(&now, &a).last_reading_ms, Some(t0 - 5_000));
    assert_eq!(
        now.last().map(|r| r.state),
        Some(SiteState::Live),
        "live sites after the problems"
    );

    // Twenty minutes on, only b spoke again: a is silent since its last reading, listed first.
    f.clock.advance(std::time::Duration::from_secs(20 * 60));
    let t1 = ws.now_ms();
    readings(ws, &b, t1 - 1_000);
    let later = rows(ws);
    assert_eq!(later[0].site_id, a);
    assert_eq!(
        later[0].state,
        SiteState::Silent {
            since_ms: t0 - 5_000
        }
    );
    assert_eq!(row(&later, &b).state, SiteState::Live);

    // a is back.
    readings(ws, &a, t1);
    assert_eq!(row(&rows(ws), &a).state, SiteState::Live);
    f.clock
        .advance(std::time::Duration::from_millis(LIVE_WITHIN_MS as u64));
    assert!(matches!(
        row(&rows(ws), &a).state,
        SiteState::Silent { since_ms } if since_ms == t1
    ));
}

#[tokio::test]
async fn today_costs_what_the_chart_says_for_the_same_range_and_the_peak_is_the_months() {
    let f = fixture().await;
    let ws = &f.ws;
    refresh_fleet(ws, true).await.expect("refresh");
    let all = rows(ws);
    let priced: Vec<&FleetRow> = all
        .iter()
        .filter(|r| r.today.as_ref().is_some_and(|t| t.cost.is_some()))
        .collect();
    assert!(!priced.is_empty(), "{all:#?}");
    let site = priced[0];
    let today = site.today.as_ref().unwrap();
    assert!(today.import_kwh + today.export_kwh > 0.0, "{today:?}");
    assert!(today.metered_fraction > 0.99, "{today:?}");

    let detail = novadesk_core::cached_site(ws, &site.site_id)
        .unwrap()
        .unwrap()
        .value;
    let tz: chrono_tz::Tz = detail.site.timezone.clone().unwrap().parse().unwrap();
    let midnight = f
        .now
        .with_timezone(&tz)
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_local_timezone(tz)
        .earliest()
        .unwrap()
        .with_timezone(&Utc);
    let chart = render_chart(
        ws,
        &ChartRequest {
            site_id: site.site_id.clone(),
            preset: RangePreset::Custom,
            from_ms: Some(midnight.timestamp_millis()),
            to_ms: Some(f.now.timestamp_millis()),
            series: Vec::new(),
            width: 900,
            height: 400,
            dark: false,
        },
        &|_| {},
        &CancelToken::new(),
    )
    .await
    .expect("chart");
    let summary = chart.summary.expect("the chart's cost summary");
    assert_eq!(
        Some(summary.total_inc_vat),
        today.cost,
        "one cost calculation"
    );
    assert_eq!(summary.import_kwh, today.import_kwh);
    assert_eq!(summary.export_kwh, today.export_kwh);
    match (&site.peak, summary.peaks.first()) {
        (Some(peak), Some(first)) => {
            assert_eq!(peak.kw, first.kw);
            assert_eq!(peak.start_ms, first.start_ms);
            assert!(peak.month_charge > 0.0);
            assert_eq!(peak.currency, summary.currency);
        }
        (None, None) => assert_eq!(
            site.peak_note.as_deref(),
            Some("This tariff has no power charge.")
        ),
        other => panic!("the fleet and the chart disagree on the peak: {other:?}"),
    }
}

#[tokio::test]
async fn no_meter_no_tariff_and_no_devices_are_each_a_sentence_not_a_guess() {
    let f = fixture().await;
    let ws = &f.ws;
    refresh_fleet(ws, true).await.expect("refresh");
    let all = rows(ws);
    let org = all[0].org_id.clone().unwrap();
    // A new site: no devices at all, so no meter and no gateway.
    let bare = create_site(
        ws,
        NewSiteInput {
            org_id: org,
            name: "Empty lot".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        },
    )
    .await
    .unwrap();
    // A metered site whose chosen tariff the server does not have.
    let metered = all
        .iter()
        .find(|r| r.today.is_some())
        .expect("a metered site")
        .site_id
        .clone();
    set_chart_prefs(
        ws,
        &metered,
        ChartPrefs {
            price_area: "SE3".into(),
            currency: "SEK".into(),
            tariff_id: Some("trf-gone".into()),
        },
    )
    .unwrap();
    let done = refresh_fleet(ws, true).await.expect("refresh");
    assert!(
        done.note
            .as_deref()
            .is_some_and(|n| n.contains("Could not fetch everything")),
        "{done:?}"
    );
    let all = rows(ws);
    let empty = row(&all, &bare.id);
    assert_eq!(empty.state, SiteState::NeverReported);
    assert!(empty.devices_known);
    assert_eq!(empty.today, None);
    assert_eq!(
        empty.today_note.as_deref(),
        Some("No grid meter at this site, so its energy and peaks are unknown.")
    );
    assert_eq!(empty.peak, None);
    let m = row(&all, &metered);
    let today = m.today.as_ref().expect("energy does not need a tariff");
    assert_eq!(today.cost, None, "no cost without the tariff");
    assert!(today.import_kwh + today.export_kwh > 0.0);
    assert_eq!(
        m.today_note.as_deref(),
        Some("The site's grid tariff is not stored yet; it is fetched when online.")
    );
    assert_eq!(m.peak, None);
}
