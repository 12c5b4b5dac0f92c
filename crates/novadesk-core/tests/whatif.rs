//! The What-if comparison against the in-process Sandbox: every tariff offered at the site's
//! location plus its current one, fetched with progress, cached, priced exactly as the chart's
//! cost summary and the pricing module price them; bad input gets a sentence.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, DurationRound, Utc};
use novacore::pricing::{compute_cost, Tariff, TimeRange};
use novacore_sim::{FaultSpec, Sandbox, SandboxHandle};
use novadesk_core::*;
use novadesk_store::SeriesKey;

mod common;
use common::workspace_on;

struct Fixture {
    _sb: SandboxHandle,
    ws: Workspace,
    site_id: String,
    meter_id: String,
    now: DateTime<Utc>,
}

async fn fixture(faults: &str) -> Fixture {
    let sb = Sandbox::builder()
        .seed(15)
        .demo(true)
        .faults(FaultSpec::parse(faults).unwrap())
        .start()
        .await
        .unwrap();
    // A whole hour in the recent past: every fetched bucket is complete and stays cached.
    let now = Utc::now().duration_trunc(Duration::hours(1)).unwrap() - Duration::hours(1);
    let events = Arc::new(RecordingEventSink::new());
    let (ws, client) = workspace_on(sb.base_url(), Arc::new(FakeClock::new(now)), events).await;
    let mut found = None;
    for site in client.sites().list(None).await.unwrap() {
        let devices = client.sites().devices(&site.id).await.unwrap();
        let meter = devices
            .iter()
            .flat_map(|d| &d.ders)
            .find(|d| d.der_type == "meter");
        // Göteborg: its grid company offers three tariffs (fuse, power, time-of-use).
        if let (Some(m), true) = (meter, site.name.contains("Göteborg")) {
            found = Some((site.id.clone(), m.id.clone()));
            break;
        }
    }
    let (site_id, meter_id) = found.expect("a demo site in Göteborg with a grid meter");
    Fixture {
        _sb: sb,
        ws,
        site_id,
        meter_id,
        now,
    }
}

fn request(f: &Fixture, from: DateTime<Utc>, to: DateTime<Utc>) -> WhatIfRequest {
    WhatIfRequest {
        site_id: f.site_id.clone(),
        from_ms: Some(from.timestamp_millis()),
        to_ms: Some(to.timestamp_millis()),
        width: 900,
        height: 360,
        dark: false,
    }
}

fn chart_request(f: &Fixture, from: DateTime<Utc>, to: DateTime<Utc>) -> ChartRequest {
    ChartRequest {
        site_id: f.site_id.clone(),
        preset: RangePreset::Custom,
        from_ms: Some(from.timestamp_millis()),
        to_ms: Some(to.timestamp_millis()),
        series: Vec::new(),
        width: 900,
        height: 400,
        dark: false,
    }
}

#[tokio::test]
async fn every_offered_tariff_is_ranked_and_equals_the_chart_and_pricing() {
    let f = fixture("").await;
    let (from, to) = (f.now - Duration::days(40), f.now - Duration::days(2));
    let seen = Arc::new(Mutex::new(Vec::<Progress>::new()));
    let sink = seen.clone();
    let progress = move |p: Progress| sink.lock().unwrap().push(p);
    let out = what_if(
        &f.ws,
        &request(&f, from, to),
        &progress,
        &CancelToken::new(),
    )
    .await
    .expect("what-if");

    // Progress moved monotonically to the end while history and prices were fetched.
    let seen = seen.lock().unwrap().clone();
    assert!(seen.len() > 2, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].fraction <= w[1].fraction));
    assert_eq!(seen.last().unwrap().fraction, 1.0);
    assert!(out.network_requests > 2 && !out.offline && !out.tariffs_cached);

    // Three tariffs, of three shapes, the current one among them; cheapest first.
    let ids: Vec<&str> = out.rows.iter().map(|r| r.tariff_id.as_str()).collect();
    assert_eq!(out.rows.len(), 3, "{ids:?}");
    for id in [
        "goteborg-enkel-2026",
        "goteborg-effekt-2026",
        "goteborg-tid-2026",
    ] {
        assert!(ids.contains(&id), "{ids:?}");
    }
    assert_eq!(
        out.current_tariff_id.as_deref(),
        Some("goteborg-enkel-2026")
    );
    let totals: Vec<f64> = out
        .rows
        .iter()
        .map(|r| r.cost.as_ref().expect("priced").total_inc_vat)
        .collect();
    assert!(totals.windows(2).all(|w| w[0] <= w[1]), "{totals:?}");
    assert_eq!(
        out.rows.iter().map(|r| r.rank).collect::<Vec<_>>(),
        vec![Some(1), Some(2), Some(3)]
    );
    let current = out.rows.iter().find(|r| r.current).unwrap();
    assert_eq!(current.difference, Some(0.0));
    assert!(out.coverage.metered_fraction > 0.99 && out.coverage.priced_fraction > 0.99);
    assert!(
        out.coverage.summary.starts_with("Meter data covers 100%"),
        "{}",
        out.coverage.summary
    );
    assert!(out.chart_svg.starts_with("<svg") && out.chart_svg.contains("(today)"));
    assert_eq!(out.months.len(), out.rows[0].monthly.len());

    // Each total equals pricing's over the chart's inputs, and the chart's own cost summary.
    let tz: chrono_tz::Tz = out.time_zone.parse().unwrap();
    let (a, b) = (from.timestamp_millis(), to.timestamp_millis());
    let span = cost_span(tz, a, b, f.now.timestamp_millis());
    let level = cost_level(a, b);
    let key = SeriesKey::new(&f.meter_id, "W");
    let (meter, spot) =
        cost_inputs(&f.ws, &key, level, span, &out.price_area, &out.currency).unwrap();
    let site = cached_site_info(&f.ws, &f.site_id).await.unwrap();
    for row in &out.rows {
        let cost = row.cost.as_ref().unwrap();
        let sdk =
            f.ws.novacore(async |c| c.tariffs().tariff(&row.tariff_id).await)
                .await
                .unwrap();
        let direct = compute_cost(
            &meter,
            &spot,
            &Tariff::from_sdk(&sdk).unwrap(),
            TimeRange::new(from, to),
        )
        .unwrap();
        assert_eq!(
            cost,
            &CostSummary::from_report(&direct, &row.tariff_id),
            "pricing: {}",
            row.tariff_id
        );
        let monthly: f64 = row
            .monthly
            .iter()
            .map(|m| m.expect("every month priced"))
            .sum();
        assert!(
            (monthly - cost.total_inc_vat).abs() < 1e-6,
            "{monthly} vs {}",
            cost.total_inc_vat
        );

        let mut prefs = chart_prefs(&f.ws, &site).unwrap();
        prefs.tariff_id = Some(row.tariff_id.clone());
        set_chart_prefs(&f.ws, &f.site_id, prefs).unwrap();
        let chart = render_chart(
            &f.ws,
            &chart_request(&f, from, to),
            &|_| {},
            &CancelToken::new(),
        )
        .await
        .unwrap();
        assert_eq!(
            chart.summary.as_ref(),
            Some(cost),
            "chart: {}",
            row.tariff_id
        );
    }

    // Again: meter data, prices and tariffs come from the store; only the offered list is asked.
    let mut prefs = chart_prefs(&f.ws, &site).unwrap();
    prefs.tariff_id = None;
    set_chart_prefs(&f.ws, &f.site_id, prefs).unwrap();
    let again = what_if(&f.ws, &request(&f, from, to), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(again.network_requests, 1);
    assert_eq!(again.rows, out.rows);
    assert!(again.cached_at.is_some());

    // CSV: a header and one row per tariff, in rank order.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("whatif.csv");
    let bytes = export_what_if(&f.ws, &request(&f, from, to), &path)
        .await
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.len() as u64, bytes);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[0].starts_with("rank,tariff_id,tariff,current,total incl. VAT [SEK]"));
    assert!(lines[1].starts_with(&format!("1,{},", out.rows[0].tariff_id)));
    assert!(lines[1].contains(&format!("{:.2}", totals[0])));
}

#[tokio::test]
async fn cancel_stops_the_fetch_with_cancelled() {
    let f = fixture("latency=30").await;
    let (from, to) = (f.now - Duration::days(60), f.now - Duration::days(2));
    let token = CancelToken::new();
    let t = token.clone();
    let progress = move |p: Progress| {
        if p.fraction > 0.0 {
            t.cancel();
        }
    };
    let err = what_if(&f.ws, &request(&f, from, to), &progress, &token)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Cancelled), "{err:?}");
}

#[tokio::test]
async fn a_half_filled_tariff_is_listed_last_with_what_it_lacks() {
    let f = fixture("half_tariff=true").await;
    let (from, to) = (f.now - Duration::days(10), f.now - Duration::days(2));
    let out = what_if(&f.ws, &request(&f, from, to), &|_| {}, &CancelToken::new())
        .await
        .unwrap();
    assert_eq!(out.rows.len(), 4);
    let last = out.rows.last().unwrap();
    assert_eq!(last.tariff_id, "halvfylld-2026");
    assert_eq!(last.rank, None);
    assert!(last.cost.is_none() && last.monthly.iter().all(Option::is_none));
    assert_eq!(
        last.problem.as_deref(),
        Some("Nätbolaget AB — Nätbolaget Halvfylld is half-filled: the platform gave no timeZone, fixedPrice.components[0].priceExVat, energyPrice.components[0].priceExVat, so it is left out rather than guessed.")
    );
    assert!(out.rows[..3].iter().all(|r| r.cost.is_some()));
}

#[tokio::test]
async fn no_prices_and_no_meter_are_sentences() {
    let f = fixture("").await;
    let (from, to) = (f.now - Duration::days(5), f.now - Duration::days(2));
    // A price area the price service does not serve: nothing to price the energy with.
    let site = cached_site_info(&f.ws, &f.site_id).await.unwrap();
    let mut prefs = chart_prefs(&f.ws, &site).unwrap();
    prefs.price_area = "XX1".into();
    set_chart_prefs(&f.ws, &f.site_id, prefs).unwrap();
    let err = what_if(&f.ws, &request(&f, from, to), &|_| {}, &CancelToken::new())
        .await
        .unwrap_err();
    let Error::InvalidInput(msg) = &err else {
        panic!("{err:?}")
    };
    assert!(
        msg.starts_with("There are no XX1 spot prices in SEK between"),
        "{msg}"
    );
    assert!(
        msg.ends_with("so no tariff can be priced; choose a period with published prices."),
        "{msg}"
    );

    // A site without a grid meter (a new, empty site).
    // (The identity owns one demo organization and views the shared one.)
    let mut empty = None;
    for org in
        f.ws.novacore(async |c| c.organizations().list().await)
            .await
            .unwrap()
    {
        let input = NewSiteInput {
            org_id: org.id,
            name: "Empty lot".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        };
        if let Ok(site) = create_site(&f.ws, input).await {
            empty = Some(site);
            break;
        }
    }
    let empty = empty.expect("an organization the identity owns");
    let mut req = request(&f, from, to);
    req.site_id = empty.id;
    let err = what_if(&f.ws, &req, &|_| {}, &CancelToken::new())
        .await
        .unwrap_err();
    assert_eq!(
        err.user_message(),
        "Empty lot has no grid meter, so there is no imported or exported energy to price under any tariff."
    );
}

#[tokio::test]
async fn the_default_period_is_the_last_twelve_months_with_its_coverage() {
    let f = fixture("").await;
    let mut req = request(&f, f.now, f.now);
    req.from_ms = None;
    req.to_ms = None;
    let out = what_if(&f.ws, &req, &|_| {}, &CancelToken::new())
        .await
        .expect("what-if over the last 12 months");
    assert_eq!(out.months.len(), 12);
    assert_eq!(out.rows.len(), 3);
    // The demo site's meters were installed about 200 days ago: the rest of the year is a gap.
    assert!(out.coverage.metered_fraction > 0.3 && out.coverage.metered_fraction < 0.7);
    assert!(
        out.coverage.summary.contains("(missing: "),
        "{}",
        out.coverage.summary
    );
    assert!(out.rows.iter().all(|r| r.monthly.len() == 12));
}
