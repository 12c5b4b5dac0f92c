//! Start-up costs the core adds to the app: sandbox start → first answer, keychain probe,
//! settings save/load, in-memory secret access. Prints a table.
//! `cargo bench -p novadesk-core` (keychain row: run under `.ci/with-keyring.sh`).

use std::time::{Duration, Instant};

use std::sync::{Arc, Mutex};

use bench_report::{Better, Figure, Row};
use novadesk_core::{
    batch_frames, Clock, Environment, KeyringSecretStore, MemorySecretStore, SandboxService,
    Secret, SecretKey, SecretStore, SettingsFile, SystemClock, WatchRegistry, FRAME,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn stats(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let p = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (p(0.5), p(0.9), v[v.len() - 1])
}

/// Prints the line; returns the p50 in ms for the report.
fn row(name: &str, n: usize, v: Vec<Duration>) -> f64 {
    let (p50, p90, max) = stats(v);
    println!("| {name:<44} | {n:>5} | {p50:>12.2?} | {p90:>12.2?} | {max:>12.2?} |");
    p50.as_secs_f64() * 1000.0
}

/// The floor of "start → first answer": a bare TCP listener that answers one fixed 200.
async fn bare_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        if let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .await;
        }
    });
    format!("http://{addr}")
}

async fn first_answer(url: &str) {
    let addr = url.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req =
        format!("GET /public/der-types HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await.expect("write");
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await.expect("read");
    assert!(
        buf.starts_with(b"HTTP/1.1 200"),
        "sandbox did not answer 200"
    );
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    println!("| operation                                    |     n |          p50 |          p90 |          max |");
    println!("|----------------------------------------------|-------|--------------|--------------|--------------|");

    let n = 20;
    let (mut start, mut stop) = (Vec::new(), Vec::new());
    rt.block_on(async {
        for i in 0..n {
            let svc = SandboxService::with_seed(i as u64);
            let t = Instant::now();
            let url = svc
                .base_url_for(&Environment::Sandbox)
                .await
                .expect("start");
            first_answer(&url).await;
            start.push(t.elapsed());
            let t = Instant::now();
            svc.shutdown().await;
            stop.push(t.elapsed());
        }
    });
    let start_ms = row("sandbox start -> first HTTP 200", n, start);
    row("sandbox shutdown", n, stop);
    let bare = rt.block_on(async {
        let mut v = Vec::new();
        for _ in 0..n {
            let t = Instant::now();
            let url = bare_server().await;
            first_answer(&url).await;
            v.push(t.elapsed());
        }
        v
    });
    let bare_ms = row("floor: bare TCP server start -> first 200", n, bare);
    let command = ".ci/with-keyring.sh cargo bench -p novadesk-core --bench core_bench";
    let mut rows = vec![Row::new(
        "core",
        "in-process Sandbox start → first HTTP 200 (p50)",
        Figure::new(start_ms, "ms"),
        Better::Lower,
        command,
    )
    .peer(
        "bare TCP server start → first 200",
        Figure::new(bare_ms, "ms"),
    )];
    let mut keychain_ms = None;

    if std::env::var("NOVADESK_KEYRING_TESTS").as_deref() == Ok("1") {
        let store = KeyringSecretStore::with_service("dev.novadesk.desktop.bench");
        let v = (0..n)
            .map(|_| {
                let t = Instant::now();
                store.probe().expect("probe");
                t.elapsed()
            })
            .collect();
        keychain_ms = Some(row("keychain probe (set+get+delete+get, real SS)", n, v));
    } else {
        println!("| keychain probe: skipped (run under .ci/with-keyring.sh)                                      |");
    }

    let dir = tempfile::tempdir().expect("tempdir");
    let settings = SettingsFile::open(dir.path());
    let n = 200;
    let envs = ["sandbox", "testnet"];
    let save = (0..n)
        .map(|i| {
            let t = Instant::now();
            settings
                .update(|s| s.last_environment = Some(envs[i % 2].into()))
                .expect("save");
            t.elapsed()
        })
        .collect();
    row("settings update (atomic+fsync)", n, save);
    let load = (0..n)
        .map(|_| {
            let t = Instant::now();
            let _ = SettingsFile::open(dir.path()).get();
            t.elapsed()
        })
        .collect();
    row("settings open (read+parse)", n, load);

    let mem = MemorySecretStore::new();
    let key = SecretKey::new("sandbox", "identity").expect("key");
    let secret = Secret::new("x".repeat(64));
    let n = 10_000;
    let v = (0..n)
        .map(|_| {
            let t = Instant::now();
            mem.set(&key, &secret).expect("set");
            mem.get(&key).expect("get");
            t.elapsed()
        })
        .collect();
    let memory_ms = row("memory secret set+get", n, v);
    if let Some(ms) = keychain_ms {
        rows.push(
            Row::new(
                "core",
                "keychain probe: set + get + delete + get on the Secret Service (p50)",
                Figure::new(ms, "ms"),
                Better::Lower,
                command,
            )
            .peer(
                "in-memory secret store set + get",
                Figure::new(memory_ms, "ms"),
            ),
        );
    }

    // 20 sites live, 10 readings/s each, 2 views per site: one task per site, fanned out and
    // paced to at most one UI update per frame. Latency = send -> batch delivered. The sites
    // start sending once every view watches: a reading sent before a view subscribed is not
    // that view's to receive (on a loaded machine the first tick came before, 798 of 800).
    let v = rt.block_on(async {
        let reg = WatchRegistry::<usize, Instant>::new(tokio::runtime::Handle::current(), 256);
        let lat = Arc::new(Mutex::new(Vec::new()));
        let mut views = Vec::new();
        let (start, started) = tokio::sync::watch::channel(false);
        for site in 0..20 {
            for _ in 0..2 {
                let mut started = started.clone();
                let w = reg.watch(site, |tx| async move {
                    let _ = started.wait_for(|go| *go).await;
                    let mut iv = tokio::time::interval(Duration::from_millis(100));
                    for _ in 0..20 {
                        iv.tick().await;
                        let _ = tx.send(Instant::now());
                    }
                });
                let rx = w.receiver.resubscribe();
                let l = lat.clone();
                let clock: Arc<dyn Clock> = Arc::new(SystemClock);
                views.push(tokio::spawn(async move {
                    let _watching = w; // the site's task runs while a view watches
                    batch_frames(rx, clock, FRAME, move |b| {
                        let now = Instant::now();
                        l.lock().unwrap().extend(b.items.iter().map(|t| now - *t));
                        true
                    })
                    .await;
                }));
            }
        }
        start.send_replace(true);
        for v in views {
            v.await.expect("view");
        }
        let v = std::mem::take(&mut *lat.lock().unwrap());
        v
    });
    assert_eq!(v.len(), 20 * 2 * 20, "every reading reached every view");
    let n = v.len();
    row("reading -> UI batch (20 sites x 2 views)", n, v.clone());
    let mut sorted = v;
    sorted.sort();
    println!(
        "| reading -> UI batch p99                      | {n:>5} | {:>12.2?} |              |              |",
        sorted[(n - 1) * 99 / 100]
    );
    bench_report::record("core_bench", &rows);
}
