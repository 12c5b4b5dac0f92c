//! The background peak monitor against an in-process Sandbox (control on, real clock), with no
//! view open: it finds the power-tariff sites from the cached site list by itself, follows them
//! through the live hub, and notifies once per site and hour for the site whose load is raised —
//! not for a site whose notifications are turned off, though its report warns too.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use novadesk_core::live::{LiveHub, LiveOptions};
use novadesk_core::peak::{run_peaks, PeakAsks, PeakNotice, PeakReports};
use novadesk_core::{refresh_sites, SettingsFile};

mod common;
use common::signed_in;

const HOUR: i64 = 3_600_000;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_no_view_open_a_raised_load_notifies_once_and_a_muted_site_not_at_all() {
    let sb = novacore_sim::Sandbox::builder()
        .seed(21)
        .demo(true)
        .control(true)
        .start()
        .await
        .expect("sandbox");
    let ws = signed_in(&sb).await;
    let sites = refresh_sites(&ws).await.expect("the site list").value;
    let id = |name: &str| {
        sites
            .iter()
            .find(|s| s.name == name)
            .map(|s| s.id.clone())
            .unwrap_or_else(|| panic!("a demo site named {name}"))
    };
    let (villa, helsinki) = (id("Villa Stockholm"), id("House Helsinki"));
    let hour_start = sb.now_ms() / HOUR * HOUR;
    // Both hours (Stockholm's and Helsinki's start on UTC hours) cross into a new charged peak.
    sb.set_site_load(&villa, 40_000.0, hour_start).unwrap();
    sb.set_site_load(&helsinki, 40_000.0, hour_start).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let settings = Arc::new(SettingsFile::open(dir.path()));
    settings
        .update(|s| s.set_peak_notifications(&helsinki, false))
        .unwrap();
    let hub = Arc::new(LiveHub::new(
        tokio::runtime::Handle::current(),
        LiveOptions::default(),
    ));
    let notices: Arc<Mutex<Vec<PeakNotice>>> = Arc::default();
    let (tx, mut reports) = tokio::sync::broadcast::channel::<PeakReports>(64);
    let (watch_ws, log) = (ws.clone(), notices.clone());
    let monitor = tokio::spawn(run_peaks(
        ws.clone(),
        settings,
        PeakAsks::default(),
        move |site| hub.watch(&watch_ws, site),
        move |n| log.lock().unwrap().push(n),
        tx,
    ));
    let for_site = |site: &str| -> Vec<PeakNotice> {
        let all = notices.lock().unwrap().clone();
        all.into_iter().filter(|n| n.site_id == site).collect()
    };

    let deadline = tokio::time::Instant::now() + Duration::from_secs(90);
    while for_site(&villa).is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no notification for the raised site in 90 s"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Several more recomputes: still one per site and hour.
    tokio::time::sleep(Duration::from_secs(8)).await;
    let sent = for_site(&villa);
    let hours: std::collections::BTreeSet<&str> = sent.iter().map(|n| n.key.as_str()).collect();
    assert_eq!(hours.len(), sent.len(), "one per hour: {sent:?}");
    assert!(sent.len() <= 2, "at most an hour boundary apart: {sent:?}");
    assert!(
        sent[0]
            .title
            .starts_with("Villa Stockholm: a new power peak at "),
        "{}",
        sent[0].title
    );
    assert!(sent[0].body.contains("would add ≈ SEK"), "{}", sent[0].body);

    // The muted site's report warns (the monitor follows it) but nothing was sent for it.
    let mut helsinki_warns = false;
    while let Ok(batch) = reports.try_recv() {
        helsinki_warns |= batch
            .iter()
            .any(|r| r.site_id == helsinki && r.warning.is_some());
    }
    assert!(helsinki_warns, "the muted site is followed and warns");
    assert_eq!(
        for_site(&helsinki),
        Vec::new(),
        "turned off: no notification"
    );
    monitor.abort();
}

/// What one recompute of the background peak monitor costs with 20 demo sites live: every
/// power-tariff site's report from the store (what each 3-second tick does besides reading the
/// shared streams' snapshots). Printed, not asserted (a measurement, not a timed test).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: cargo test -p novadesk-core --test peak_monitor -- --ignored --nocapture"]
async fn measure_one_recompute_at_20_sites() {
    use novadesk_core::fleet::refresh_fleet;
    use novadesk_core::peak::{cached_peak_site, fetch_peak_history, peak_report};
    let sb = novacore_sim::Sandbox::builder()
        .seed(21)
        .demo(true)
        // 18 in the identity's own demo organization and 2 in the shared one: 20 sites.
        .sites(18)
        .control(true)
        .start()
        .await
        .expect("sandbox");
    let ws = signed_in(&sb).await;
    refresh_fleet(&ws, true).await.expect("the fleet fetched");
    let listed = novadesk_core::cached_sites(&ws).unwrap().unwrap().value;
    let mut followed = Vec::new();
    for s in &listed {
        let site = cached_peak_site(&ws, &s.id).await.unwrap();
        if site.blocked.is_none() {
            fetch_peak_history(&ws, &site).await.unwrap();
            followed.push(site);
        }
    }
    let mut times = Vec::new();
    for _ in 0..30 {
        let t = std::time::Instant::now();
        for site in &followed {
            peak_report(&ws, site, None).unwrap();
        }
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "peak monitor: {} sites listed, {} on a power tariff; one recompute p50 {:.1} ms, max {:.1} ms (every {} s)",
        listed.len(),
        followed.len(),
        times[times.len() / 2],
        times[times.len() - 1],
        novadesk_core::peak::PEAK_TICK.as_secs()
    );
}
