//! The reconnecting SSE stream against a scripted raw-TCP server.

mod support;

use futures::StreamExt;
use novacore::{Client, Error, Session, StreamEvent, StreamOptions};
use std::time::Duration;
use support::sse_server::{reading, reading_at, start, Act};

fn client(url: &str) -> Client {
    let c = Client::new(url).unwrap();
    c.set_session(Some(Session::from_token("tok", "idt-1")));
    c
}

fn fast() -> StreamOptions {
    StreamOptions {
        idle_timeout: Duration::from_secs(5),
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        max_event_bytes: 4096,
        ..StreamOptions::default()
    }
}

/// Collects events until `n` readings arrived (or 10 s passed).
async fn readings_until(
    s: impl futures::Stream<Item = novacore::Result<StreamEvent>>,
    n: usize,
) -> (Vec<u64>, Vec<StreamEvent>) {
    let mut s = Box::pin(s);
    let mut ids = Vec::new();
    let mut others = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while ids.len() < n {
        let ev = tokio::time::timeout_at(deadline, s.next())
            .await
            .expect("timed out")
            .expect("ended");
        match ev.expect("stream error") {
            StreamEvent::Reading { id, reading } => {
                assert_eq!(id, reading.power_w().map(|w| w as u64));
                ids.push(id.unwrap())
            }
            other => others.push(other),
        }
    }
    (ids, others)
}

#[tokio::test]
async fn resumes_with_last_event_id_without_duplicates() {
    let srv = start("200 OK", "text/event-stream", |conn, last| match conn {
        0 => vec![
            Act::Write(b"retry: 3000\n\n".to_vec()),
            Act::Write((1..=5).flat_map(reading).collect()),
        ],
        // The server replays more than asked (ids 3..=8): the client must drop 3..=5.
        _ => {
            assert_eq!(last, Some(5));
            vec![
                Act::Write((3..=8).flat_map(reading).collect()),
                Act::Sleep(Duration::from_secs(30)),
            ]
        }
    })
    .await;
    let c = client(&srv.url);
    let (ids, others) = readings_until(c.telemetry().stream_site_with("sit-1", fast()), 8).await;
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
    assert!(others
        .iter()
        .any(|e| matches!(e, StreamEvent::Disconnected { .. })));
    assert!(others
        .iter()
        .any(|e| matches!(e, StreamEvent::Reconnected { attempt: 1, last_event_id: Some(id) } if id == "5")));
    assert_eq!(
        srv.seen.lock().unwrap().last_event_ids[..2],
        [None, Some("5".to_string())]
    );
}

#[tokio::test]
async fn a_restarted_server_numbering_from_1_again_is_followed_and_its_outage_is_a_gap() {
    let t0 = 1_772_791_200_000u64;
    let srv = start("200 OK", "text/event-stream", move |conn, _| match conn {
        0 => vec![Act::Write((1..=5).flat_map(reading).collect())],
        // Restarted after a 60 s outage: its ids start at 1 again (and Last-Event-ID 5 is ahead
        // of its stream), its readings are newer than any delivered.
        _ => vec![
            Act::Write(
                (1..=3)
                    .flat_map(|i| reading_at(i, t0 + 65_000 + i * 1000))
                    .collect(),
            ),
            Act::Sleep(Duration::from_secs(30)),
        ],
    })
    .await;
    let c = client(&srv.url);
    let (ids, others) = readings_until(c.telemetry().stream_site_with("sit-1", fast()), 8).await;
    assert_eq!(
        ids,
        [1, 2, 3, 4, 5, 1, 2, 3],
        "the new server's readings are delivered"
    );
    let gaps: Vec<_> = others
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Gap { from, to, .. } => Some((
                from.map(|t| t.timestamp_millis()),
                to.map(|t| t.timestamp_millis()),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        gaps,
        [(Some((t0 + 5_000) as i64), Some((t0 + 66_000) as i64))],
        "the outage, from the last reading delivered to the first after the restart"
    );
}

#[tokio::test]
async fn silence_beyond_idle_timeout_reconnects() {
    let srv = start("200 OK", "text/event-stream", |conn, _| match conn {
        0 => vec![Act::Write(reading(1)), Act::Sleep(Duration::from_secs(30))],
        _ => vec![Act::Write(reading(2)), Act::Sleep(Duration::from_secs(30))],
    })
    .await;
    let opts = StreamOptions {
        idle_timeout: Duration::from_millis(300),
        ..fast()
    };
    let (ids, others) = readings_until(
        client(&srv.url).telemetry().stream_site_with("sit-1", opts),
        2,
    )
    .await;
    assert_eq!(ids, [1, 2]);
    assert!(
        matches!(others[0], StreamEvent::KeepAliveTimeout),
        "{others:?}"
    );
}

#[tokio::test]
async fn keepalives_keep_the_connection_alive() {
    let srv = start("200 OK", "text/event-stream", |conn, _| match conn {
        0 => {
            let mut acts = vec![Act::Write(reading(1))];
            for _ in 0..10 {
                acts.push(Act::Sleep(Duration::from_millis(100)));
                acts.push(Act::Write(b": keep-alive\n\n".to_vec()));
            }
            acts.push(Act::Write(reading(2)));
            acts.push(Act::Sleep(Duration::from_secs(30)));
            acts
        }
        _ => vec![Act::Sleep(Duration::from_secs(30))],
    })
    .await;
    let opts = StreamOptions {
        idle_timeout: Duration::from_millis(300),
        ..fast()
    };
    let (ids, others) = readings_until(
        client(&srv.url).telemetry().stream_site_with("sit-1", opts),
        2,
    )
    .await;
    assert_eq!(ids, [1, 2]);
    assert!(others.is_empty(), "{others:?}");
}

#[tokio::test]
async fn split_bytes_bad_frames_gap_and_oversize() {
    let srv = start("200 OK", "text/event-stream", |_, _| {
        let mut bytes = reading(1);
        bytes.extend_from_slice(b"id: 2\ndata: {\"type\":\"meter\",\n\n");
        bytes.extend_from_slice(b"event: gap\ndata: {\"from_id\":3,\"to_id\":9,\"from_ts\":1772791203000,\"to_ts\":1772791209000}\n\n");
        bytes.extend_from_slice(b"id: 10\ndata: {\"type\":\"meter\",\"timestamp\":1,\"W\":1,\"pad\":\"");
        bytes.extend(std::iter::repeat_n(b'x', 20_000));
        bytes.extend_from_slice(b"\"}\n\n");
        bytes.extend(reading(11));
        // One byte per write: the parser must reassemble every frame.
        let mut acts: Vec<Act> = bytes.chunks(1).take(300).map(|c| Act::Write(c.to_vec())).collect();
        acts.push(Act::Write(bytes[300.min(bytes.len())..].to_vec()));
        acts.push(Act::Sleep(Duration::from_secs(30)));
        acts
    })
    .await;
    let (ids, others) = readings_until(
        client(&srv.url)
            .telemetry()
            .stream_site_with("sit-1", fast()),
        2,
    )
    .await;
    assert_eq!(ids, [1, 11]);
    assert_eq!(others.len(), 3, "{others:?}");
    assert!(
        matches!(&others[0], StreamEvent::Skipped { reason } if reason.contains("invalid reading"))
    );
    assert!(matches!(
        &others[1],
        StreamEvent::Gap {
            from_id: Some(3),
            to_id: Some(9),
            from: Some(_),
            to: Some(_)
        }
    ));
    assert!(matches!(&others[2], StreamEvent::Skipped { reason } if reason.contains("oversized")));
}

#[tokio::test]
async fn wrong_content_type_and_http_errors_are_terminal() {
    let srv = start("200 OK", "text/html", |_, _| {
        vec![Act::Write(b"<html>login</html>".to_vec())]
    })
    .await;
    let mut s = Box::pin(
        client(&srv.url)
            .telemetry()
            .stream_site_with("sit-1", fast()),
    );
    assert!(matches!(s.next().await, Some(Err(Error::Decode { .. }))));
    assert!(s.next().await.is_none());

    let srv = start("404 Not Found", "application/json", |_, _| {
        vec![Act::Write(
            br#"{"error":"not_found","message":"Site not found"}"#.to_vec(),
        )]
    })
    .await;
    let mut s = Box::pin(
        client(&srv.url)
            .telemetry()
            .stream_site_with("sit-1", fast()),
    );
    assert!(matches!(s.next().await, Some(Err(Error::NotFound { .. }))));
    assert!(s.next().await.is_none());
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let srv = start("200 OK", "text/event-stream", |_, _| {
        vec![
            Act::Write(reading(1)),
            Act::KeepAliveUntilGone(Duration::from_millis(20)),
        ]
    })
    .await;
    let (ids, _) = {
        let s = client(&srv.url)
            .telemetry()
            .stream_site_with("sit-1", fast());
        readings_until(s, 1).await
    };
    assert_eq!(ids, [1]);
    for _ in 0..100 {
        if srv.seen.lock().unwrap().client_gone {
            return;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    panic!("server never noticed the client went away");
}

#[tokio::test]
async fn gives_up_after_configured_failures() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let opts = StreamOptions {
        max_consecutive_failures: Some(2),
        ..fast()
    };
    let s = client(&format!("http://127.0.0.1:{port}"))
        .telemetry()
        .stream_site_with("sit-1", opts);
    let evs: Vec<_> = s.collect().await;
    let disconnects = evs
        .iter()
        .filter(|e| matches!(e, Ok(StreamEvent::Disconnected { .. })))
        .count();
    assert_eq!(disconnects, 2, "{evs:?}");
    assert!(matches!(evs.last(), Some(Err(e)) if e.is_offline()));
}

#[tokio::test]
async fn rate_limited_reconnect_waits_at_least_retry_after() {
    // The header rides along in the content-type slot of the scripted server.
    let srv = start(
        "429 Too Many Requests",
        "application/json\r\nretry-after: 1",
        |_, _| {
            vec![Act::Write(
                br#"{"error":"rate_limited","message":"slow down"}"#.to_vec(),
            )]
        },
    )
    .await;
    let opts = StreamOptions {
        max_consecutive_failures: Some(0),
        ..fast()
    };
    let mut s = Box::pin(client(&srv.url).telemetry().stream_site_with("sit-1", opts));
    // With no failures allowed, the first failure ends the stream with the transport verdict.
    assert!(matches!(s.next().await, Some(Err(Error::Transport(m))) if m.contains("rate limited")));

    let opts = StreamOptions {
        max_consecutive_failures: Some(1),
        ..fast()
    };
    let mut s = Box::pin(client(&srv.url).telemetry().stream_site_with("sit-1", opts));
    match s.next().await {
        Some(Ok(StreamEvent::Disconnected { retry_in, .. })) => {
            assert!(retry_in >= Duration::from_secs(1), "{retry_in:?}")
        }
        other => panic!("{other:?}"),
    }
}
