//! The in-process Sandbox: started on loopback on first use, once, with control routes off,
//! and stopped on shutdown and on drop.

use std::time::Duration;

use novadesk_core::{Environment, SandboxService};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A minimal HTTP/1.1 GET (keeps reqwest out of this crate's test build); the status code.
async fn get_status(base_url: &str, path: &str) -> std::io::Result<u16> {
    let addr = base_url.trim_start_matches("http://");
    let mut s = TcpStream::connect(addr).await?;
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    s.write_all(req.as_bytes()).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    let head = String::from_utf8_lossy(&buf);
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("not HTTP: {head:.80}")))?;
    Ok(status)
}

/// Polls until nothing accepts connections at `base_url` (shutdown is asynchronous on drop).
async fn wait_until_closed(base_url: &str) -> bool {
    let addr = base_url.trim_start_matches("http://").to_owned();
    for _ in 0..100 {
        if TcpStream::connect(&addr).await.is_err() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn starts_once_on_loopback_serves_the_api_without_control_routes() {
    let svc = SandboxService::new();
    assert_eq!(svc.base_url().await, None);
    // Fixed environments never start it.
    assert_eq!(
        svc.base_url_for(&Environment::Testnet).await.unwrap(),
        "https://novacore-testnet.sourceful.dev"
    );
    assert_eq!(svc.base_url().await, None);

    let url = svc.base_url_for(&Environment::Sandbox).await.unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert!(!url.ends_with('/'));
    assert_ne!(url, "http://127.0.0.1:0");
    // Second selection: the same server, not a second one.
    assert_eq!(svc.ensure_started().await.unwrap(), url);
    assert_eq!(svc.base_url().await.as_deref(), Some(url.as_str()));

    assert_eq!(get_status(&url, "/public/device-types").await.unwrap(), 200);
    assert_eq!(get_status(&url, "/organizations").await.unwrap(), 401);
    // Control routes are off in the app's sandbox.
    assert_eq!(get_status(&url, "/_sim/clock").await.unwrap(), 404);

    svc.shutdown().await;
    assert_eq!(svc.base_url().await, None);
    assert!(
        wait_until_closed(&url).await,
        "still listening after shutdown"
    );
    // Shutting down twice is harmless; starting again gives a fresh server.
    svc.shutdown().await;
    let again = svc.ensure_started().await.unwrap();
    assert_eq!(
        get_status(&again, "/public/device-types").await.unwrap(),
        200
    );
    svc.shutdown().await;
}

#[tokio::test]
async fn dropping_the_service_stops_the_sandbox() {
    let svc = SandboxService::with_seed(11);
    let url = svc.ensure_started().await.unwrap();
    assert_eq!(get_status(&url, "/public/der-types").await.unwrap(), 200);
    drop(svc);
    assert!(wait_until_closed(&url).await, "still listening after drop");
}

#[tokio::test]
async fn concurrent_first_selections_share_one_start() {
    let svc = SandboxService::new();
    let (a, b) = tokio::join!(svc.ensure_started(), svc.ensure_started());
    let url = a.unwrap();
    assert_eq!(url, b.unwrap());
    // One server, and it serves.
    assert_eq!(get_status(&url, "/public/der-types").await.unwrap(), 200);
    svc.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn its_zaps_are_listed_and_read_as_sandbox_rows_the_same_on_every_start() {
    let svc = SandboxService::new();
    let urls = svc.zap_urls().await.unwrap();
    assert_eq!(urls.len(), novadesk_core::SANDBOX_ZAPS);
    for url in &urls {
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    }
    let found = novadesk_core::inspect_sandbox_zaps(&urls).await;
    assert_eq!(found.len(), urls.len(), "every sandbox Zap answers");
    let rows: Vec<_> = found
        .into_iter()
        .map(|f| novadesk_core::zap_row(f, None))
        .collect();
    let serials: Vec<String> = rows.iter().map(|r| r.serial.clone().unwrap()).collect();
    for r in &rows {
        assert_eq!(
            serde_json::to_value(r.found_by).unwrap(),
            serde_json::json!("sandbox")
        );
        assert!(r.serial.as_deref().unwrap().starts_with("zap-"));
        assert!(!r.claim_known, "signed out: the claim column is unknown");
    }
    let distinct: std::collections::BTreeSet<&String> = serials.iter().collect();
    assert_eq!(distinct.len(), serials.len(), "{serials:?}");
    svc.shutdown().await;

    // The demo world is deterministic: another start (same seed) serves the same Zaps.
    let again = SandboxService::new();
    let urls = again.zap_urls().await.unwrap();
    let serials_again: Vec<String> = novadesk_core::inspect_sandbox_zaps(&urls)
        .await
        .into_iter()
        .map(|f| f.serial.unwrap())
        .collect();
    assert_eq!(serials_again, serials);
    again.shutdown().await;
}
