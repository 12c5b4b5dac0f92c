//! The clients measured: the SDK's `stream_site`, httpx-sse in a Python process, a byte counter
//! (what a server writes, nothing decoded) and the decoder alone on bytes in memory.

use futures::StreamExt;
use novacore::{Client, Session, StreamEvent, StreamOptions};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use super::{frames, READINGS};

/// Readings per second.
pub fn rate(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

/// A client of `base` reading with `token`.
pub fn sdk(base: &str, token: &str) -> Client {
    let c = Client::new(base).expect("client");
    c.set_session(Some(Session::from_token(token, "idt-bench")));
    c
}

/// `stream_site` from `Last-Event-ID: 0` until READINGS readings have been decoded, read by a
/// task on the runtime's workers as the app reads a site's stream (not by the thread blocked
/// on the runtime: each chunk hyper hands over would then wake a thread; 540 k instead of 717 k
/// readings/s on the raw firehose here).
pub async fn rust_run(c: &Client, site: &str) -> (usize, Duration) {
    let opts = StreamOptions {
        last_event_id: Some("0".into()),
        ..StreamOptions::default()
    };
    let (c, site) = (c.clone(), site.to_string());
    tokio::spawn(async move {
        let t0 = Instant::now();
        let mut s = Box::pin(c.telemetry().stream_site_with(&site, opts));
        let mut n = 0;
        while n < READINGS {
            match s.next().await {
                Some(Ok(StreamEvent::Reading { reading, .. })) => {
                    std::hint::black_box(&reading);
                    n += 1;
                }
                Some(Ok(_)) => {}
                other => panic!("stream ended early: {other:?}"),
            }
        }
        (n, t0.elapsed())
    })
    .await
    .expect("stream task")
}

/// The firehose's frames in 16 KiB chunks, as a byte stream's items.
fn frame_chunks() -> Vec<Result<bytes::Bytes, std::convert::Infallible>> {
    frames()
        .chunks(16 * 1024)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect()
}

/// The decoder's ceiling: the firehose's frames from memory in 16 KiB chunks, through the SDK's
/// decoding path (size guard, SSE parser, reading decoder), no network.
pub async fn decode_only() -> (usize, Duration) {
    let chunks = frame_chunks();
    let t0 = Instant::now();
    let mut events = Box::pin(novacore::stream::decode_chunks(
        futures::stream::iter(chunks),
        1 << 20,
    ));
    let mut n = 0;
    while let Some(ev) = events.next().await {
        if let Ok(StreamEvent::Reading { reading, .. }) = ev {
            std::hint::black_box(&reading);
            n += 1;
        }
    }
    assert_eq!(n, READINGS);
    (n, t0.elapsed())
}

/// The SSE parser alone on the firehose's frames from memory in 16 KiB chunks: events counted,
/// nothing decoded.
pub async fn parse_only() -> (usize, Duration) {
    let chunks = frame_chunks();
    let t0 = Instant::now();
    let mut events = sseer::EventStream::new(futures::stream::iter(chunks));
    let mut n = 0;
    while let Some(ev) = events.next().await {
        std::hint::black_box(&ev.expect("in-memory frames parse"));
        n += 1;
    }
    assert_eq!(n, READINGS);
    (n, t0.elapsed())
}

/// The bench's reading and nothing else, strings borrowed: serde_json's fastest decoding of it
/// (no envelope rules, no other kinds, no unknown fields kept, fails on any other shape).
#[derive(serde::Deserialize)]
#[allow(dead_code, non_snake_case)]
pub struct MeterShape<'a> {
    der_id: &'a str,
    device_id: &'a str,
    r#type: &'a str,
    timestamp: i64,
    W: f64,
    Hz: f64,
    L1_V: f64,
    L2_V: f64,
    L3_V: f64,
    L1_A: f64,
    L2_A: f64,
    L3_A: f64,
    L1_W: f64,
    L2_W: f64,
    L3_W: f64,
    total_import_Wh: f64,
    total_export_Wh: f64,
}

/// What the server writes, nothing decoded: raw HTTP/1.1 over one socket, counting `id: ` lines
/// until READINGS frames have arrived.
pub async fn count_frames(base: &str, path: &str, token: &str) -> (usize, Duration) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let addr = base.trim_start_matches("http://");
    let t0 = Instant::now();
    let mut sock = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "GET {path} HTTP/1.1\r\nhost: {addr}\r\nauthorization: Bearer {token}\r\n\
         last-event-id: 0\r\naccept: text/event-stream\r\n\r\n"
    );
    sock.write_all(req.as_bytes()).await.expect("request");
    let finder = memchr::memmem::Finder::new(b"id: ");
    let mut buf = vec![0u8; 256 * 1024];
    // The last 3 bytes of the previous read, so an `id: ` split between reads is counted once.
    let mut carry = 0;
    let mut n = 0;
    while n < READINGS {
        let k = sock.read(&mut buf[carry..]).await.expect("read");
        assert!(k > 0, "stream ended after {n} frames");
        let end = carry + k;
        n += finder.find_iter(&buf[..end]).count();
        carry = end.min(3);
        buf.copy_within(end - carry..end, 0);
    }
    (n, t0.elapsed())
}

/// The venv's python with httpx + httpx-sse (made by .ci/install-bench.sh), if there is one.
pub fn python() -> Result<PathBuf, String> {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let py = target.join("bench-venv/bin/python");
    let ok = Command::new(&py)
        .args(["-c", "import httpx, httpx_sse"])
        .status()
        .is_ok_and(|s| s.success());
    if ok {
        Ok(py)
    } else {
        Err(format!(
            "no httpx-sse at {} (run .ci/install-bench.sh)",
            py.display()
        ))
    }
}

/// httpx + httpx-sse in its own process; `None` when it failed (said on stderr).
pub fn python_run(py: &Path, url: &str, token: &str) -> Option<(usize, Duration)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/sse_client.py");
    let out = Command::new(py)
        .arg(script)
        .args([url, token, &READINGS.to_string()])
        .output()
        .ok()?;
    if !out.status.success() {
        eprintln!(
            "python client failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        return None;
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).ok()?;
    Some((
        v["readings"].as_u64()? as usize,
        Duration::from_secs_f64(v["secs"].as_f64()?),
    ))
}
