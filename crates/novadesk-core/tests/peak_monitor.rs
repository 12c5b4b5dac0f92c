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
