//! Live power flow against the in-process sandbox: readings arrive, watchers share one stream that
//! stops with the last of them, readings reach the store, and a gap is back-filled from history.

use std::sync::Arc;
use std::time::Duration;

use novacore::{Client, Identity};
use novacore_sim::{FaultSpec, Sandbox, SandboxHandle};
use novadesk_core::live::{forward, LinkState, LiveEvent, LiveFrame, LiveHub, LiveOptions};
use novadesk_core::{Environment, RecordingEventSink, SystemClock, Workspace, WorkspaceParts};
use novadesk_store::{Resolution, SeriesKey};
use tokio::sync::broadcast::error::RecvError;

async fn workspace(sb: &SandboxHandle) -> Workspace {
    let client = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .build()
        .unwrap();
    let session = client.login().await.unwrap();
    Workspace::in_memory(WorkspaceParts {
        environment: Environment::Sandbox,
        base_url: sb.base_url().to_string(),
        client,
        identity_id: session.identity_id,
        clock: Arc::new(SystemClock),
        events: Arc::new(RecordingEventSink::new()),
    })
    .unwrap()
}

async fn first_site(ws: &Workspace) -> String {
    let sites = novadesk_core::refresh_sites(ws).await.unwrap().value;
    assert!(sites.len() >= 2, "{sites:?}");
    sites[0].id.clone()
}

/// The next snapshot that satisfies `cond`, within 10 s.
async fn until<F: Fn(&novadesk_core::live::SiteLive) -> bool>(
    rx: &mut tokio::sync::broadcast::Receiver<LiveEvent>,
    cond: F,
) -> Arc<novadesk_core::live::SiteLive> {
    tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            match rx.recv().await {
                Ok(LiveEvent::Snapshot(s)) if cond(&s) => return s,
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => panic!("the site's task ended"),
            }
        }
    })
    .await
    .expect("snapshot in time")
}

#[tokio::test]
async fn readings_flow_to_shared_watchers_and_the_store_and_stop_with_the_last_watcher() {
    let sb = Sandbox::builder()
        .seed(11)
        .sites(2)
        .sample_interval(Duration::from_millis(100))
        .start()
        .await
        .unwrap();
    let ws = workspace(&sb).await;
    let site = first_site(&ws).await;
    let hub = LiveHub::new(tokio::runtime::Handle::current(), LiveOptions::default());

    let mut a = hub.watch(&ws, &site);
    let mut b = hub.watch(&ws, &site);
    assert_eq!(hub.streams(), 1, "one stream however many watchers");
    assert_eq!(hub.watchers(&ws, &site), 2);

    // Every demo site has a meter, PV and a battery: all flows are known once each has reported.
    let live = until(&mut a.receiver, |s| {
        s.flow.grid.is_some() && s.flow.solar.is_some() && s.flow.battery.is_some()
    })
    .await;
    assert_eq!(live.state, LinkState::Live);
    assert_eq!(live.site_id, site);
    assert!(live.flow.solar.unwrap().w <= 0.0, "PV W ≤ 0 is generation");
    let soc = live.flow.battery_soc_fract.expect("SoC");
    assert!((0.0..=1.0).contains(&soc), "{soc}");
    let last = live.last_reading_ms.expect("last reading time");
    assert!((ws.now_ms() - last).abs() < 60_000, "readings are recent");
    // The second watcher sees the same stream.
    let seen_by_b = until(&mut b.receiver, |s| s.last_reading_ms >= Some(last)).await;
    assert_eq!(seen_by_b.site_id, site);

    // Readings reach the store (written every second).
    let meter_der = {
        let mut rx = a.receiver.resubscribe();
        until(&mut rx, |s| s.flow.grid.is_some()).await;
        // Find the meter's series among what was stored.
        tokio::time::sleep(Duration::from_millis(1500)).await;
        let series = ws.store().series().unwrap();
        let w: Vec<_> = series.iter().filter(|k| k.field == "W").cloned().collect();
        assert!(
            w.len() >= 3,
            "W of meter, PV and battery stored: {series:?}"
        );
        w[0].der_id.clone()
    };
    let samples = ws
        .store()
        .samples(&SeriesKey::new(meter_der, "W"), 0, ws.now_ms() + 1)
        .unwrap();
    assert!(!samples.is_empty());

    drop(a);
    assert_eq!(hub.streams(), 1, "b still watches");
    drop(b);
    assert_eq!(hub.streams(), 0, "the last watcher stopped the stream");
    // A later watcher starts a fresh stream that works.
    let mut c = hub.watch(&ws, &site);
    until(&mut c.receiver, |s| s.state == LinkState::Live).await;
    drop(c);
    sb.shutdown().await;
}

#[tokio::test]
async fn forward_paces_frames_and_stops_the_stream_when_the_ui_is_gone() {
    let sb = Sandbox::builder()
        .seed(12)
        .sites(1)
        .sample_interval(Duration::from_millis(50))
        .start()
        .await
        .unwrap();
    let ws = workspace(&sb).await;
    let site = first_site(&ws).await;
    let hub = Arc::new(LiveHub::new(
        tokio::runtime::Handle::current(),
        LiveOptions::default(),
    ));
    let watch = hub.watch(&ws, &site);
    let frames = Arc::new(std::sync::Mutex::new(
        Vec::<(std::time::Instant, LiveFrame)>::new(),
    ));
    let seen = frames.clone();
    let task = tokio::spawn(forward(watch, ws.clock.clone(), move |f| {
        let mut v = seen.lock().unwrap();
        v.push((std::time::Instant::now(), f));
        v.len() < 40 // then the "window" goes away
    }));
    tokio::time::timeout(Duration::from_secs(20), task)
        .await
        .expect("forward ends when deliver says the UI is gone")
        .unwrap();
    assert_eq!(hub.streams(), 0, "its watch was dropped with it");
    let frames = std::mem::take(&mut *frames.lock().unwrap());
    assert_eq!(frames.len(), 40);
    assert_eq!(
        frames[0].1.latest.as_ref().map(|s| s.state),
        Some(LinkState::Connecting),
        "the first frame says it is connecting"
    );
    assert!(frames.iter().any(|(_, f)| f
        .latest
        .as_ref()
        .is_some_and(|s| s.state == LinkState::Live)));
    // Several DERs report at the same instant: bursts are merged, frames stay ≥ 1 frame apart
    // (with a little slack for timer granularity).
    let min_gap = frames.windows(2).map(|w| w[1].0 - w[0].0).min().unwrap();
    assert!(min_gap >= Duration::from_millis(14), "{min_gap:?}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_gap_the_server_cannot_replay_is_back_filled_from_history() {
    // The server keeps one event to replay and drops the stream every 6 events: every reconnect
    // resumes after events that are gone, which the SDK reports as a gap.
    let sb = Sandbox::builder()
        .seed(13)
        .sites(1)
        .ring_size(1)
        .sample_interval(Duration::from_millis(100))
        .faults(FaultSpec::parse("sse_drop=6").unwrap())
        .start()
        .await
        .unwrap();
    let ws = workspace(&sb).await;
    let site = first_site(&ws).await;
    let hub = LiveHub::new(tokio::runtime::Handle::current(), LiveOptions::default());
    let mut watch = hub.watch(&ws, &site);
    let mut saw_reconnecting = false;
    let filled = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match watch.receiver.recv().await {
                Ok(LiveEvent::Backfilled(b)) => return b,
                Ok(LiveEvent::Snapshot(s)) => {
                    saw_reconnecting |= s.state == LinkState::Reconnecting;
                }
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => panic!("task ended"),
            }
        }
    })
    .await
    .expect("a back-fill within 20 s");
    assert!(saw_reconnecting, "the drop was shown as reconnecting");
    assert_eq!(filled.error, None);
    assert!(filled.buckets > 0, "{filled:?}");
    assert!(filled.from_ms < filled.to_ms);
    assert_eq!(filled.from_ms % 60_000, 0, "minute-aligned");
    // The store now has server buckets for the gap at one minute.
    let series = ws.store().series().unwrap();
    let w = series.iter().find(|k| k.field == "W").unwrap().clone();
    let buckets = ws
        .store()
        .range(&w, filled.from_ms, filled.to_ms, Resolution::M1)
        .unwrap();
    assert!(!buckets.is_empty(), "history buckets for {w}");
    drop(watch);
    sb.shutdown().await;
}
