//! A signed-in workspace on a fresh in-process Sandbox, with a fake clock and recorded events;
//! a signed-in workspace on a given sandbox (the installer tests' Zaps on loopback addresses).
// Each test file uses a different part of it.
#![allow(dead_code)]

use std::sync::Arc;

use chrono::TimeZone;
use novadesk_core::*;

pub struct World {
    pub sandbox: SandboxService,
    pub ws: Workspace,
    pub clock: Arc<FakeClock>,
    pub events: Arc<RecordingEventSink>,
}

pub async fn world() -> World {
    let sandbox = SandboxService::new();
    let base = sandbox.base_url_for(&Environment::Sandbox).await.unwrap();
    let clock = Arc::new(FakeClock::new(
        chrono::Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap(),
    ));
    let events = Arc::new(RecordingEventSink::new());
    let (ws, _) = workspace_on(&base, clock.clone(), events.clone()).await;
    World {
        sandbox,
        ws,
        clock,
        events,
    }
}

/// A workspace signed in (new identity, real clock) to the sandbox `sb`.
pub async fn signed_in(sb: &novacore_sim::SandboxHandle) -> Workspace {
    let events = Arc::new(RecordingEventSink::new());
    workspace_on(sb.base_url(), Arc::new(SystemClock), events)
        .await
        .0
}

/// A workspace signed in with a new identity to the Sandbox at `base`, on `clock`, recording
/// its events into `events`; and its client (for set-up the test does beside the app).
pub async fn workspace_on(
    base: &str,
    clock: Arc<dyn Clock>,
    events: Arc<RecordingEventSink>,
) -> (Workspace, novacore::Client) {
    let env = Environment::Sandbox;
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let s = sign_in(&env, base, &vault).await.expect("sign in");
    let ws = Workspace::in_memory(WorkspaceParts {
        environment: env,
        base_url: base.to_string(),
        client: s.client.clone(),
        identity_id: s.identity_id,
        clock,
        events,
    })
    .unwrap();
    (ws, s.client)
}

/// A loopback Zap's address as an installer types it: the bare IP on port 80, else `ip:port`.
pub fn zap_address(ip: std::net::Ipv4Addr, port: u16) -> String {
    if port == 80 {
        ip.to_string()
    } else {
        format!("{ip}:{port}")
    }
}

/// The Sandbox's cloud cut off (or back) through its control route.
pub async fn cloud_down(sb: &novacore_sim::SandboxHandle, down: bool) {
    let url = url::Url::parse(sb.base_url()).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let body = format!("{{\"down\":{down}}}");
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut s = tokio::net::TcpStream::connect(&host).await.unwrap();
    let req = format!(
        "POST /_sim/cloud HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}
