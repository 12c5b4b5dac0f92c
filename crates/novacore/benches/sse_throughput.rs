//! SSE readings decoded per second through `stream_site` against a sandbox firehose, side by
//! side with a Python client (httpx + httpx-sse) on the same stream. `cargo bench -p novacore`.
//!
//! The firehose: the sandbox's replay ring is filled with N readings via `/_sim/readings`, then
//! each client connects with `Last-Event-ID: 0` and receives all N as fast as the server writes.
//! The sandbox writes one event at a time, so both clients hit its ceiling; a second, raw
//! firehose serves the same events pre-rendered over loopback to compare the clients themselves,
//! and a last row decodes the frames from memory (the client's ceiling).
//! The Python client runs from a venv under `target/bench-venv` (created on first run with pip).

use futures::StreamExt;
use novacore::models::NewSite;
use novacore::{Client, Identity, StreamEvent, StreamOptions};
use novacore_sim::Sandbox;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const READINGS: usize = 50_000;

fn reading(i: usize) -> serde_json::Value {
    serde_json::json!({
        "der_id": "der-bench-meter", "device_id": "dev-bench", "type": "meter",
        "timestamp": 1_772_791_200_000i64 + i as i64 * 1000,
        "W": 1234.5 + i as f64, "Hz": 50.01, "L1_V": 231.2, "L2_V": 230.8, "L3_V": 229.9,
        "L1_A": 5.1, "L2_A": 4.9, "L3_A": 5.3, "L1_W": 400.1, "L2_W": 410.2, "L3_W": 424.2,
        "total_import_Wh": 12_345_678.0 + i as f64, "total_export_Wh": 2_345_678.0
    })
}

async fn fill(base: &str, site: &str) {
    let http = reqwest::Client::new();
    let tasks: Vec<_> = (0..16)
        .map(|t| {
            let (http, url, site) = (
                http.clone(),
                format!("{base}/_sim/readings"),
                site.to_string(),
            );
            tokio::spawn(async move {
                for i in (t..READINGS).step_by(16) {
                    let r = http
                        .post(&url)
                        .json(&serde_json::json!({"site_id": site, "reading": reading(i)}))
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success(), "{}", r.status());
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
}

async fn rust_run(c: &Client, site: &str) -> (usize, Duration) {
    let opts = StreamOptions {
        last_event_id: Some("0".into()),
        ..StreamOptions::default()
    };
    let t0 = Instant::now();
    let mut s = Box::pin(c.telemetry().stream_site_with(site, opts));
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
}

/// The same readings pre-rendered as SSE bytes, served over loopback as fast as the socket takes
/// them: a firehose that does not bottleneck on the sandbox's per-event writes.
async fn raw_firehose() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut body = b"retry: 3000\n\n".to_vec();
    for i in 0..READINGS {
        body.extend_from_slice(format!("id: {}\ndata: {}\n\n", i + 1, reading(i)).as_bytes());
    }
    let body = std::sync::Arc::new(body);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let body = body.clone();
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0u8; 2048];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match sock.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(k) => head.extend_from_slice(&buf[..k]),
                    }
                }
                let h = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
                if sock.write_all(h.as_bytes()).await.is_ok() {
                    let _ = sock.write_all(&body).await;
                }
            });
        }
    });
    url
}

/// Client-side ceiling: the same frames parsed and decoded from memory, no network.
async fn decode_only() -> (usize, Duration) {
    use eventsource_stream::Eventsource;
    let mut bytes = Vec::new();
    for i in 0..READINGS {
        bytes.extend_from_slice(format!("id: {}\ndata: {}\n\n", i + 1, reading(i)).as_bytes());
    }
    let chunks: Vec<Result<bytes::Bytes, std::convert::Infallible>> = bytes
        .chunks(16 * 1024)
        .map(|c| Ok(bytes::Bytes::copy_from_slice(c)))
        .collect();
    let t0 = Instant::now();
    let mut events = Box::pin(futures::stream::iter(chunks).eventsource());
    let mut n = 0;
    while let Some(ev) = events.next().await {
        if let StreamEvent::Reading { reading, .. } =
            novacore::stream::decode_event(&ev.unwrap(), 1 << 20)
        {
            std::hint::black_box(&reading);
            n += 1;
        }
    }
    (n, t0.elapsed())
}

fn python_venv(target: &Path) -> Option<PathBuf> {
    let venv = target.join("bench-venv");
    let py = venv.join("bin/python");
    if !py.exists() {
        let ok = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status()
            .ok()?
            .success()
            && Command::new(venv.join("bin/pip"))
                .args(["install", "-q", "httpx", "httpx-sse"])
                .status()
                .ok()?
                .success();
        if !ok {
            return None;
        }
    }
    Some(py)
}

fn python_run(py: &Path, url: &str, token: &str) -> Option<(usize, Duration)> {
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

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let sb = Sandbox::builder()
            .seed(1)
            .sites(1)
            .zaps(0)
            .ring_size(READINGS + 10)
            .rate_limit(10_000_000, 1e9)
            .start()
            .await
            .unwrap();
        let c = Client::builder(sb.base_url()).identity(Identity::generate()).build().unwrap();
        let session = c.login().await.unwrap();
        let org = c.organizations().create("Bench").await.unwrap();
        let site = c
            .sites()
            .create(&NewSite { org_id: org.id, name: "Firehose".into(), ..Default::default() })
            .await
            .unwrap();
        let t = Instant::now();
        fill(sb.base_url(), &site.id).await;
        eprintln!("filled {READINGS} readings in {:?}", t.elapsed());

        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
        let url = format!("{}/stream/sites/{}", sb.base_url(), site.id);
        let py = python_venv(&target);

        println!("\nSSE readings decoded/s, {READINGS} readings per run (replay firehose, same sandbox stream)");
        println!("{:<34} {:>6} {:>12} {:>14}", "client", "run", "seconds", "readings/s");
        let mut best_rust = 0f64;
        let mut best_py = 0f64;
        for run in 1..=3 {
            let (n, d) = rust_run(&c, &site.id).await;
            let rate = n as f64 / d.as_secs_f64();
            best_rust = best_rust.max(rate);
            println!("{:<34} {:>6} {:>12.3} {:>14.0}", "novacore stream_site (Rust)", run, d.as_secs_f64(), rate);
            if let Some(py) = &py {
                let (url, token, py) = (url.clone(), session.token.expose().to_string(), py.clone());
                let res = tokio::task::spawn_blocking(move || python_run(&py, &url, &token)).await.unwrap();
                if let Some((n, d)) = res {
                    let rate = n as f64 / d.as_secs_f64();
                    best_py = best_py.max(rate);
                    println!("{:<34} {:>6} {:>12.3} {:>14.0}", "httpx + httpx-sse (Python)", run, d.as_secs_f64(), rate);
                }
            }
        }
        let raw = raw_firehose().await;
        let raw_client = Client::new(&raw).unwrap();
        raw_client.set_session(Some(novacore::Session::from_token("bench", "idt-bench")));
        let raw_url = format!("{raw}/stream/sites/raw");
        let mut raw_best = (0f64, 0f64);
        for run in 1..=3 {
            let (n, d) = rust_run(&raw_client, "raw").await;
            let rate = n as f64 / d.as_secs_f64();
            raw_best.0 = raw_best.0.max(rate);
            println!("{:<34} {:>6} {:>12.3} {:>14.0}", "raw firehose: stream_site (Rust)", run, d.as_secs_f64(), rate);
            if let Some(py) = &py {
                let (url, py) = (raw_url.clone(), py.clone());
                let res = tokio::task::spawn_blocking(move || python_run(&py, &url, "bench")).await.unwrap();
                if let Some((n, d)) = res {
                    let rate = n as f64 / d.as_secs_f64();
                    raw_best.1 = raw_best.1.max(rate);
                    println!("{:<34} {:>6} {:>12.3} {:>14.0}", "raw firehose: httpx-sse (Python)", run, d.as_secs_f64(), rate);
                }
            }
        }
        let (n, d) = decode_only().await;
        println!(
            "{:<34} {:>6} {:>12.3} {:>14.0}",
            "decode only, in memory (Rust)",
            1,
            d.as_secs_f64(),
            n as f64 / d.as_secs_f64()
        );
        if best_py > 0.0 {
            println!("best, sandbox firehose: Rust {best_rust:.0}/s, Python {best_py:.0}/s, ratio {:.1}x", best_rust / best_py);
            println!(
                "best, raw firehose:     Rust {:.0}/s, Python {:.0}/s, ratio {:.1}x",
                raw_best.0,
                raw_best.1,
                raw_best.0 / raw_best.1.max(1e-9)
            );
        } else {
            println!("best: Rust {best_rust:.0}/s; Python client unavailable (python3 + pip httpx httpx-sse)");
        }
        sb.shutdown().await;
    });
}
