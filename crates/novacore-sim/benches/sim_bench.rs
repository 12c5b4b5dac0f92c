//! Sandbox benchmarks (harness = false): `cargo bench -p novacore-sim`.
//!
//! Measures requests/s for `GET /sites`, concurrent SSE clients at 1 event/s each with
//! delivery-delay percentiles, and generation speed of a year of 1-minute history for one DER.
//! Floors in the same run: `GET /public/der-types` (no auth, a small static body) for the request
//! rate, and one SSE client for the delivery delay.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine;
use bench_report::{Better, Figure, Row};
use ed25519_dalek::{Signer, SigningKey};
use futures::StreamExt;
use novacore_sim::world::history::der_points;
use novacore_sim::world::physics::SiteProfile;
use novacore_sim::Sandbox;
use serde_json::{json, Value};

async fn login(c: &reqwest::Client, base: &str) -> String {
    let k = SigningKey::from_bytes(&[1; 32]);
    let pk = base64::engine::general_purpose::STANDARD.encode(k.verifying_key().to_bytes());
    let ch: Value = c
        .post(format!("{base}/auth/challenge"))
        .json(&json!({"public_key": pk}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let chs = ch["challenge"].as_str().unwrap();
    let sig = base64::engine::general_purpose::STANDARD.encode(k.sign(chs.as_bytes()).to_bytes());
    let v: Value = c
        .post(format!("{base}/auth/verify"))
        .json(&json!({"public_key": pk, "signature": sig, "challenge": chs}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    v["token"].as_str().unwrap().to_string()
}

/// Requests/s of 32 concurrent clients for 5 s on `path` (with the bearer token when `auth`).
async fn bench_get(path: &str, auth: bool) -> f64 {
    let sb = Sandbox::builder()
        .demo(true)
        .zaps(0)
        .rate_limit(10_000_000, 1e9)
        .start()
        .await
        .unwrap();
    let c = reqwest::Client::new();
    let token = login(&c, sb.base_url()).await;
    let url = format!("{}{path}", sb.base_url());
    let done = Arc::new(AtomicU64::new(0));
    let until = Instant::now() + Duration::from_secs(5);
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let (c, url, token, done) = (c.clone(), url.clone(), token.clone(), done.clone());
        tasks.push(tokio::spawn(async move {
            while Instant::now() < until {
                let rb = c.get(&url);
                let rb = if auth { rb.bearer_auth(&token) } else { rb };
                let r = rb.send().await.unwrap();
                assert_eq!(r.status(), 200);
                let _ = r.bytes().await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    let t0 = Instant::now();
    for t in tasks {
        t.await.unwrap();
    }
    let rps = done.load(Ordering::Relaxed) as f64 / t0.elapsed().as_secs_f64();
    sb.shutdown().await;
    rps
}

/// One site with exactly one publishing DER (1 event/s); `clients` SSE subscribers for `secs`.
async fn bench_sse(clients: usize, secs: u64) -> (usize, u64, u64, u64, f64) {
    let sb = Sandbox::builder()
        .demo(true)
        .zaps(1)
        .sites(1)
        .rate_limit(10_000_000, 1e9)
        .start()
        .await
        .unwrap();
    let base = sb.base_url().to_string();
    let c = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let token = login(&c, &base).await;
    let auth = |rb: reqwest::RequestBuilder| rb.bearer_auth(&token);
    let org: Value = auth(c.post(format!("{base}/organizations")))
        .json(&json!({"name": "Bench"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let org = org["id"].as_str().unwrap().to_string();
    let site: Value = auth(c.post(format!("{base}/sites")))
        .json(&json!({"org_id": org, "name": "B"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let site = site["id"].as_str().unwrap().to_string();
    let zap = sb.zaps()[0].clone();
    let me: Value = auth(c.get(format!("{base}/organizations/{org}/members")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let my_id = me[0]["identity_id"].as_str().unwrap().to_string();
    let s: Value = c
        .post(format!("{}/api/crypto/sign", zap.url))
        .json(&json!({"message": my_id}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let r = auth(c.post(format!("{base}/gateways/claim"))).json(&json!({"org_id": org, "gateway_serial": zap.serial, "public_key": zap.public_key, "message": s["message"], "signature": s["sign"]})).send().await.unwrap();
    assert!(r.status().is_success());
    let devs: Value = c
        .get(format!("{}/api/devices", zap.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let inverter = devs["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["profile"] == "sungrow")
        .unwrap();
    let sn = inverter["sn"].as_str().unwrap().to_string();
    let r = auth(c.post(format!("{base}/devices/provision"))).json(&json!({"gateway_serial": zap.serial, "hardware_id": sn, "device_type": "inverter", "site_id": site, "ders": [{"name": "pv", "type": "solar"}]})).send().await.unwrap();
    assert!(r.status().is_success());
    let r = c
        .post(format!("{}/api/devices/{sn}/types", zap.url))
        .json(&json!({"ders": [{"type": "pv", "enabled": true}]}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success());
    let delays = Arc::new(Mutex::new(Vec::<u64>::new()));
    let connected = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (c, url, token, delays, connected) = (
            c.clone(),
            format!("{base}/stream/sites/{site}"),
            token.clone(),
            delays.clone(),
            connected.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let Ok(r) = c.get(&url).bearer_auth(&token).send().await else {
                return;
            };
            connected.fetch_add(1, Ordering::Relaxed);
            let mut body = r.bytes_stream();
            let mut buf = String::new();
            let stop = tokio::time::Instant::now() + Duration::from_secs(secs);
            let mut mine = Vec::new();
            while let Ok(Some(Ok(chunk))) = tokio::time::timeout_at(stop, body.next()).await {
                let now = chrono::Utc::now().timestamp_millis();
                buf.push_str(&String::from_utf8_lossy(&chunk));
                while let Some(p) = buf.find("\n\n") {
                    let frame: String = buf.drain(..p + 2).collect();
                    if let Some(d) = frame.lines().find_map(|l| l.strip_prefix("data: ")) {
                        if let Ok(v) = serde_json::from_str::<Value>(d) {
                            mine.push((now - v["timestamp"].as_i64().unwrap_or(now)).max(0) as u64);
                        }
                    }
                }
            }
            delays.lock().unwrap().extend(mine);
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let mut d = delays.lock().unwrap().clone();
    d.sort_unstable();
    let pct = |p: f64| {
        d.get(((d.len() as f64 * p) as usize).min(d.len().saturating_sub(1)))
            .copied()
            .unwrap_or(0)
    };
    let per_client = d.len() as f64 / clients as f64 / secs as f64;
    sb.shutdown().await;
    (
        connected.load(Ordering::Relaxed) as usize,
        pct(0.5),
        pct(0.99),
        d.len() as u64,
        per_client,
    )
}

fn bench_history() -> (f64, usize) {
    let p = SiteProfile::new(7, "sit-bench", None);
    let start = 1_767_225_600_000i64; // 2026-01-01
    let year = 365 * 86_400_000i64;
    let chunk = 60 * 86_400_000i64;
    let t0 = Instant::now();
    let mut points = 0;
    let mut from = start;
    while from < start + year {
        let to = (from + chunk).min(start + year);
        points += der_points(&p, "battery", from, to, 60_000).unwrap().len();
        from = to;
    }
    (t0.elapsed().as_secs_f64(), points)
}

const COMMAND: &str = "cargo bench -p novacore-sim --bench sim_bench";

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut rows = Vec::new();
    println!("| benchmark | result |");
    println!("|---|---|");
    let rps = rt.block_on(bench_get("/sites", true));
    println!(
        "| GET /sites (32 concurrent clients, 5 s, demo user with 6 sites) | {rps:.0} req/s |"
    );
    let floor = rt.block_on(bench_get("/public/der-types", false));
    println!(
        "| floor: GET /public/der-types (no auth, static body), same clients | {floor:.0} req/s |"
    );
    rows.push(
        Row::new(
            "Sandbox",
            "GET /sites, 32 concurrent clients",
            Figure::new(rps, "req/s"),
            Better::Higher,
            COMMAND,
        )
        .peer(
            "GET /public/der-types (no auth)",
            Figure::new(floor, "req/s"),
        ),
    );
    let (_, _, one_p99, _, _) = rt.block_on(bench_sse(1, 8));
    println!("| floor: SSE 1 client × 1 event/s, 8 s | delay p99 {one_p99} ms |");
    for n in [200usize, 1000, 2000] {
        let (conn, p50, p99, events, per) = rt.block_on(bench_sse(n, 8));
        println!("| SSE {n} clients × 1 event/s, 8 s | connected {conn}, {events} events, {per:.2} ev/s/client, delay p50 {p50} ms, p99 {p99} ms |");
        rows.push(
            Row::new(
                "Sandbox",
                &format!("SSE {n} concurrent clients × 1 event/s: delivery delay p99"),
                Figure::new(p99 as f64, "ms"),
                Better::Lower,
                COMMAND,
            )
            .peer("1 client", Figure::new(one_p99 as f64, "ms"))
            .goal("< 100 ms", Some(100.0))
            .note(&format!(
                "{conn} connected, {per:.2} events/s per client, p50 {p50} ms"
            )),
        );
    }
    let (secs, points) = bench_history();
    println!("| history: 1 year of 1-minute points, one battery DER | {points} points in {secs:.2} s ({:.0} points/s) |", points as f64 / secs);
    bench_report::record("sim_bench", &rows);
}
