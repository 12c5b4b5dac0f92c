//! The site chart against the in-process Sandbox: missing ranges are fetched with progress, cached
//! ones render without network, cancel keeps what was stored, the cost summary is the pricing
//! module's, exports land atomically or fail with a typed error.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, DurationRound, Utc};
use novacore::pricing::{compute_cost, Tariff, TimeRange};
use novadesk_core::{
    chart_options, cost_inputs, cost_level, cost_span, export_chart, render_chart, set_chart_prefs,
    CancelToken, ChartRequest, Environment, Error, ExportFormat, FakeClock, Progress, RangePreset,
    RecordingEventSink, SandboxService, Workspace,
};
use novadesk_store::SeriesKey;

mod common;
use common::workspace_on;

struct Fixture {
    sandbox: SandboxService,
    ws: Workspace,
    site_id: String,
    now: DateTime<Utc>,
}

async fn fixture() -> Fixture {
    let sandbox = SandboxService::new();
    let base = sandbox.base_url_for(&Environment::Sandbox).await.unwrap();
    // A whole hour in the recent past: every fetched bucket is complete and stays cached.
    let now = Utc::now().duration_trunc(Duration::hours(1)).unwrap() - Duration::hours(1);
    let events = Arc::new(RecordingEventSink::new());
    let (ws, client) = workspace_on(&base, Arc::new(FakeClock::new(now)), events).await;
    let mut site_id = None;
    for site in client.sites().list(None).await.unwrap() {
        let devices = client.sites().devices(&site.id).await.unwrap();
        if devices
            .iter()
            .flat_map(|d| &d.ders)
            .any(|d| d.der_type == "meter")
        {
            site_id = Some(site.id);
            break;
        }
    }
    Fixture {
        sandbox,
        ws,
        site_id: site_id.expect("a demo site with a grid meter"),
        now,
    }
}

fn request(site_id: &str, from: DateTime<Utc>, to: DateTime<Utc>) -> ChartRequest {
    ChartRequest {
        site_id: site_id.into(),
        preset: RangePreset::Custom,
        from_ms: Some(from.timestamp_millis()),
        to_ms: Some(to.timestamp_millis()),
        series: Vec::new(),
        width: 900,
        height: 400,
        dark: false,
    }
}

fn recorder() -> (Arc<Mutex<Vec<Progress>>>, impl Fn(Progress) + Send + Sync) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    (seen, move |p: Progress| sink.lock().unwrap().push(p))
}

#[tokio::test]
async fn missing_ranges_are_fetched_with_progress_and_cached_ones_render_without_network() {
    let f = fixture().await;
    let options = chart_options(&f.ws, &f.site_id).await.expect("options");
    assert!(options.ders.iter().any(|d| d.der_type == "meter"));
    assert_eq!(options.prefs.currency, "SEK");
    assert!(!options.tariffs.is_empty(), "tariffs listed");
    let req = request(
        &f.site_id,
        f.now - Duration::days(2),
        f.now - Duration::days(1),
    );

    let (seen, progress) = recorder();
    let first = render_chart(&f.ws, &req, &progress, &CancelToken::new())
        .await
        .expect("first render");
    assert!(first.network_requests > 0);
    assert!(first.svg.starts_with("<svg"), "an SVG document");
    assert!(first.missing.is_empty(), "{:?}", first.missing);
    assert!(!first.offline);
    let summary = first.summary.clone().expect("a cost summary");
    assert!(summary.total_inc_vat.is_finite() && summary.import_kwh + summary.export_kwh > 0.0);
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() >= 2, "{seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0].fraction <= w[1].fraction),
        "monotonic: {seen:?}"
    );
    assert_eq!(seen.last().unwrap().fraction, 1.0);
    assert!(seen.iter().all(|p| !p.what.is_empty()));

    let (seen, progress) = recorder();
    let second = render_chart(&f.ws, &req, &progress, &CancelToken::new())
        .await
        .expect("second render");
    assert_eq!(second.network_requests, 0, "served from the store");
    assert_eq!(second.svg, first.svg);
    assert_eq!(second.summary, first.summary);
    assert_eq!(seen.lock().unwrap().last().unwrap().fraction, 1.0);

    // With the server gone the cached range still renders, and a new range shows as not cached.
    f.sandbox.shutdown().await;
    let third = render_chart(&f.ws, &req, &|_| {}, &CancelToken::new())
        .await
        .expect("cached render offline");
    assert_eq!(third.svg, first.svg);
    let older = request(
        &f.site_id,
        f.now - Duration::days(5),
        f.now - Duration::days(4),
    );
    let offline = render_chart(&f.ws, &older, &|_| {}, &CancelToken::new())
        .await
        .expect("offline render of an uncached range");
    assert!(offline.offline);
    assert!(!offline.missing.is_empty());
    assert!(offline.svg.starts_with("<svg"));
}

#[tokio::test]
async fn cancel_mid_way_keeps_what_was_stored() {
    let f = fixture().await;
    chart_options(&f.ws, &f.site_id).await.expect("options");
    // Thirty days at 15 min for every DER: several requests.
    let req = ChartRequest {
        preset: RangePreset::Month,
        ..request(&f.site_id, f.now, f.now)
    };
    let token = CancelToken::new();
    let canceller = token.clone();
    let steps = Arc::new(Mutex::new(0usize));
    let counter = steps.clone();
    let progress = move |p: Progress| {
        let mut n = counter.lock().unwrap();
        *n += 1;
        if *n == 2 && p.fraction < 1.0 {
            canceller.cancel();
        }
    };
    let err = render_chart(&f.ws, &req, &progress, &token)
        .await
        .expect_err("cancelled");
    assert!(matches!(err, Error::Cancelled), "{err:?}");

    // The finished request's data is stored and counted as cached: the next render asks for less.
    let (seen, progress) = recorder();
    let done = render_chart(&f.ws, &req, &progress, &CancelToken::new())
        .await
        .expect("render after cancel");
    assert!(done.network_requests >= 1);
    let first_total = seen.lock().unwrap().len();
    assert!(first_total >= 2);
    let again = render_chart(&f.ws, &req, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(again.network_requests, 0);
    f.sandbox.shutdown().await;
}

#[tokio::test]
async fn cost_summary_is_the_pricing_modules_result_for_the_same_inputs() {
    let f = fixture().await;
    let options = chart_options(&f.ws, &f.site_id).await.expect("options");
    let req = request(
        &f.site_id,
        f.now - Duration::days(3),
        f.now - Duration::days(2),
    );
    let out = render_chart(&f.ws, &req, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let summary = out.summary.expect("summary");
    let tariff_id = options
        .suggested_tariff_id
        .expect("tariff found by location");
    assert_eq!(summary.tariff_id, tariff_id);

    let meter = options.site.meter().expect("meter");
    let tz = options.site.tz();
    let now = f.now.timestamp_millis();
    let span = cost_span(tz, out.from_ms, out.to_ms, now);
    let level = cost_level(out.from_ms, out.to_ms);
    let (meter_series, spot) = cost_inputs(
        &f.ws,
        &SeriesKey::new(&meter.id, "W"),
        level,
        span,
        &options.prefs.price_area,
        &options.prefs.currency,
    )
    .unwrap();
    let sdk_tariff =
        f.ws.novacore(async |c| c.tariffs().tariff(&tariff_id).await)
            .await
            .unwrap();
    let tariff = Tariff::from_sdk(&sdk_tariff).unwrap();
    let range = TimeRange::new(
        DateTime::from_timestamp_millis(out.from_ms).unwrap(),
        DateTime::from_timestamp_millis(out.to_ms).unwrap(),
    );
    let report = compute_cost(&meter_series, &spot, &tariff, range).unwrap();
    assert_eq!(summary.total_inc_vat, report.total_inc_vat);
    assert_eq!(summary.spot_cost, report.spot_cost);
    assert_eq!(summary.power_charge, report.power_charge);
    assert_eq!(summary.fixed_fee, report.fixed_fee);
    assert_eq!(summary.import_kwh, report.import_kwh);
    assert_eq!(summary.export_revenue, report.export_revenue);
    assert!(summary.fixed_fee > 0.0, "a share of the month's fixed fee");
    let peaks: usize = report.power_months.iter().map(|m| m.peaks.len()).sum();
    assert_eq!(summary.peaks.len(), peaks, "the month's peaks are listed");
    f.sandbox.shutdown().await;
}

#[tokio::test]
async fn exports_write_the_file_or_fail_with_a_typed_error() {
    let f = fixture().await;
    chart_options(&f.ws, &f.site_id).await.expect("options");
    let req = request(&f.site_id, f.now - Duration::hours(6), f.now);
    render_chart(&f.ws, &req, &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    let dir = tempfile::tempdir().unwrap();

    let csv = dir.path().join("chart.csv");
    export_chart(&f.ws, &req, ExportFormat::Csv, &csv)
        .await
        .expect("csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("timestamp_utc,timestamp_local,Grid meter"),
        "{header}"
    );
    assert!(header.ends_with(" W [W],spot price [SEK/kWh]"), "{header}");
    let rows: Vec<&str> = lines.collect();
    // Six hours at one bucket per minute.
    assert_eq!(rows.len(), 360, "{}", rows.len());
    let first: Vec<&str> = rows[0].split(',').collect();
    let start = f.now - Duration::hours(6);
    assert_eq!(first[0], start.format("%Y-%m-%dT%H:%M:%SZ").to_string());
    assert!(first[1].starts_with(&start.format("%Y-%m-%d").to_string()[..4]));
    assert!(
        first[1].ends_with("+01:00") || first[1].ends_with("+02:00"),
        "{}",
        first[1]
    );
    assert!(
        first[2].parse::<f64>().is_ok() && first[3].parse::<f64>().is_ok(),
        "{first:?}"
    );

    for (format, name, magic) in [
        (ExportFormat::Png, "chart.png", &b"\x89PNG"[..]),
        (ExportFormat::Svg, "chart.svg", &b"<svg"[..]),
    ] {
        let path = dir.path().join(name);
        let n = export_chart(&f.ws, &req, format, &path)
            .await
            .expect("export");
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(bytes.len() as u64, n);
        assert!(bytes.starts_with(magic), "{name}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty());

    let bad = dir.path().join("no-such-folder").join("chart.csv");
    let err = export_chart(&f.ws, &req, ExportFormat::Csv, &bad)
        .await
        .expect_err("unwritable");
    match err {
        Error::Export { path, .. } => assert_eq!(path, bad),
        other => panic!("expected an export error, got {other:?}"),
    }
    f.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_power_tariff_charges_the_months_peaks_and_the_chart_marks_them() {
    use chrono::{Datelike, TimeZone};
    let f = fixture().await;
    let options = chart_options(&f.ws, &f.site_id).await.expect("options");
    // Chosen by hand: Ellevio's power tariff (the average of the month's 3 highest hours).
    let mut prefs = options.prefs.clone();
    prefs.tariff_id = Some("ellevio-effekt-2026".into());
    let saved = set_chart_prefs(&f.ws, &f.site_id, prefs).expect("prefs");
    assert_eq!(
        chart_options(&f.ws, &f.site_id).await.unwrap().prefs,
        saved,
        "remembered"
    );
    // The whole previous local month, so its peaks are inside the range.
    let tz = options.site.tz();
    let local = f.now.with_timezone(&tz);
    let this_month = tz
        .with_ymd_and_hms(local.year(), local.month(), 1, 0, 0, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc);
    let prev = this_month.with_timezone(&tz) - Duration::days(1);
    let prev_month = tz
        .with_ymd_and_hms(prev.year(), prev.month(), 1, 0, 0, 0)
        .earliest()
        .unwrap()
        .with_timezone(&Utc);
    let req = request(&f.site_id, prev_month, this_month);
    let out = render_chart(&f.ws, &req, &|_| {}, &CancelToken::new())
        .await
        .expect("render");
    let summary = out.summary.expect("summary");
    assert_eq!(summary.tariff_id, "ellevio-effekt-2026");
    assert!(summary.power_charge > 0.0, "{summary:?}");
    assert_eq!(summary.peaks.len(), 3, "{:?}", summary.peaks);
    assert!(
        out.svg.contains("Peak 1") && out.svg.contains("Peak 3"),
        "peaks marked"
    );
    f.sandbox.shutdown().await;
}
