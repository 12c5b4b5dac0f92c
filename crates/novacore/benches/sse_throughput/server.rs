//! The two firehoses the clients read: the Sandbox's replay ring filled with READINGS readings,
//! and a raw server writing the same events pre-rendered. Served from a process of their own
//! (`serve`, the bench binary re-run with SSE_BENCH_SERVE=1), or inside the caller's runtime
//! for the in-process comparison.

use novacore::models::NewSite;
use novacore::{Client, Identity};
use novacore_sim::{Sandbox, SandboxHandle};
use std::io::{BufRead, Write};
use std::time::Instant;

use super::{frames, reading, READINGS};

/// Where the clients connect.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Endpoints {
    /// `http://127.0.0.1:port` of the Sandbox.
    pub sandbox: String,
    /// Bearer token that may read `site`.
    pub token: String,
    /// The filled site.
    pub site: String,
    /// `http://127.0.0.1:port` of the raw firehose.
    pub raw: String,
}

/// Starts both firehoses in the current runtime; the Sandbox's handle keeps it alive.
pub async fn start() -> (Endpoints, SandboxHandle) {
    let sb = Sandbox::builder()
        .seed(1)
        .sites(1)
        .zaps(0)
        .ring_size(READINGS + 10)
        .rate_limit(10_000_000, 1e9)
        .start()
        .await
        .expect("sandbox");
    let c = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .build()
        .expect("client");
    let session = c.login().await.expect("login");
    let org = c.organizations().create("Bench").await.expect("org");
    let site = c
        .sites()
        .create(&NewSite {
            org_id: org.id,
            name: "Firehose".into(),
            ..Default::default()
        })
        .await
        .expect("site");
    let t = Instant::now();
    fill(sb.base_url(), &site.id).await;
    eprintln!("filled {READINGS} readings in {:?}", t.elapsed());
    let raw = raw_firehose().await;
    let ep = Endpoints {
        sandbox: sb.base_url().to_string(),
        token: session.token.expose().to_string(),
        site: site.id,
        raw,
    };
    (ep, sb)
}

/// The server process: both firehoses, one JSON line with the endpoints on stdout, then serving
/// until stdin closes (the bench ends or dies).
pub fn serve() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let (ep, sb) = start().await;
        let mut out = std::io::stdout().lock();
        serde_json::to_writer(&mut out, &ep).expect("stdout");
        writeln!(out).expect("stdout");
        out.flush().expect("stdout");
        drop(out);
        tokio::task::spawn_blocking(|| {
            let mut line = String::new();
            while std::io::stdin()
                .lock()
                .read_line(&mut line)
                .is_ok_and(|n| n > 0)
            {
                line.clear();
            }
        })
        .await
        .expect("stdin");
        sb.shutdown().await;
    });
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
                        .expect("post reading");
                    assert!(r.status().is_success(), "{}", r.status());
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("fill task");
    }
}

/// The same readings pre-rendered as SSE bytes, written as fast as the socket takes them: a
/// firehose that measures the clients, not the server.
async fn raw_firehose() -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut body = b"retry: 3000\n\n".to_vec();
    body.extend_from_slice(&frames());
    let body = std::sync::Arc::new(body);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
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
