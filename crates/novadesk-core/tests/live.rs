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

#[tokio::test]
async fn a_server_restart_is_followed_to_live_again_and_its_outage_back_filled() {
    // The restarted server numbers its events from 1 again and cannot replay the outage. Watched
    // through `forward`, frame by frame, as the window gets it.
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("world.json");
    let start = |addr: std::net::SocketAddr| {
        Sandbox::builder()
            .seed(17)
            .sites(1)
            .zaps(0)
            .addr(addr)
            .state_file(&state)
            .sample_interval(Duration::from_millis(100))
            .start()
    };
    let sb = start("127.0.0.1:0".parse().unwrap()).await.unwrap();
    let addr: std::net::SocketAddr = sb.base_url().trim_start_matches("http://").parse().unwrap();
    let ws = workspace(&sb).await;
    let site = first_site(&ws).await;
    let hub = LiveHub::new(tokio::runtime::Handle::current(), LiveOptions::default());
    let (tx, mut frames) = tokio::sync::mpsc::unbounded_channel::<LiveFrame>();
    let task = tokio::spawn(forward(hub.watch(&ws, &site), ws.clock.clone(), move |f| {
        tx.send(f).is_ok()
    }));
    let mut next = async || {
        tokio::time::timeout(Duration::from_secs(20), frames.recv())
            .await
            .expect("a frame within 20 s")
            .expect("forward runs")
    };
    let live = |f: &LiveFrame| {
        f.latest
            .as_ref()
            .is_some_and(|s| s.state == LinkState::Live)
    };
    while !live(&next().await) {}
    tokio::time::sleep(Duration::from_millis(300)).await;
    sb.shutdown().await;
    let down = loop {
        let f = next().await;
        if let Some(s) = f.latest.filter(|s| s.state != LinkState::Live) {
            break s;
        }
    };
    assert_eq!(down.state, LinkState::Reconnecting, "{down:?}");
    let last_before = down.last_reading_ms.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    let sb = start(addr).await.unwrap();
    let mut states = vec![down.state];
    let mut filled = None;
    let first_after = loop {
        let f = next().await;
        let Some(s) = f.latest else {
            assert!(
                f.backfills.is_empty(),
                "a back-fill in a frame the window does not draw: {f:?}"
            );
            continue;
        };
        if states.last() != Some(&s.state) {
            states.push(s.state);
        }
        if let Some(b) = f.backfills.first() {
            filled = Some(b.clone());
        }
        match (&filled, s.last_reading_ms) {
            (Some(_), Some(t)) if t > last_before && s.state == LinkState::Live => break t,
            _ => {}
        }
    };
    let filled = filled.unwrap();
    assert_eq!(states.first(), Some(&LinkState::Reconnecting), "{states:?}");
    assert_eq!(states.last(), Some(&LinkState::Live), "{states:?}");
    assert_eq!(filled.error, None, "{filled:?}");
    assert!(
        filled.from_ms <= last_before && filled.to_ms >= first_after && filled.buckets > 0,
        "outage {last_before}..{first_after}, back-filled {filled:?}"
    );
    // The store holds the outage's minutes.
    let series = ws.store().series().unwrap();
    let w = series.iter().find(|k| k.field == "W").unwrap().clone();
    let minutes: Vec<i64> = ws
        .store()
        .range(&w, filled.from_ms, filled.to_ms, Resolution::M1)
        .unwrap()
        .iter()
        .map(|b| b.start)
        .collect();
    for m in (Resolution::M1.floor(last_before)..=Resolution::M1.floor(first_after)).step_by(60_000)
    {
        assert!(
            minutes.contains(&m),
            "minute {m} of the outage missing: {minutes:?}"
        );
    }
    task.abort();
    sb.shutdown().await;
}

#[tokio::test]
async fn a_back_fill_alone_in_its_frame_carries_the_last_snapshot() {
    // As in the window: the history request outlasts a frame, so the back-fill arrives on its own.
    let registry = novadesk_core::WatchRegistry::<novadesk_core::live::LiveKey, LiveEvent>::new(
        tokio::runtime::Handle::current(),
        16,
    );
    let snap = Arc::new(novadesk_core::live::SiteLive {
        site_id: "sit-1".into(),
        state: LinkState::Live,
        reason: None,
        flow: Default::default(),
        last_reading_ms: Some(1_000),
        received_ms: Some(1_000),
        newest: None,
    });
    let filled = novadesk_core::live::Backfill {
        from_ms: 0,
        to_ms: 60_000,
        buckets: 3,
        error: None,
    };
    let (s, b) = (snap.clone(), filled.clone());
    let key = ("url".to_string(), "idt-1".to_string(), "sit-1".to_string());
    let watch = registry.watch(key, move |tx| async move {
        let _ = tx.send(LiveEvent::Snapshot(s));
        tokio::time::sleep(Duration::from_millis(100)).await;
        let _ = tx.send(LiveEvent::Backfilled(b));
        tokio::time::sleep(Duration::from_millis(100)).await;
    });
    let mut frames = Vec::new();
    forward(watch, Arc::new(SystemClock), |f| {
        frames.push(f);
        true
    })
    .await;
    assert_eq!(
        frames,
        [
            LiveFrame {
                latest: Some(snap.clone()),
                ..Default::default()
            },
            LiveFrame {
                latest: Some(snap),
                backfills: vec![filled],
                missed: 0
            }
        ]
    );
}
