//! A signed-in workspace on a fresh in-process Sandbox, with a fake clock and recorded events.
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
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.unwrap();
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let signed_in = sign_in(&env, &base, &vault).await.expect("sign in");
    let clock = Arc::new(FakeClock::new(
        chrono::Utc.with_ymd_and_hms(2026, 11, 26, 8, 0, 0).unwrap(),
    ));
    let events = Arc::new(RecordingEventSink::new());
    let ws = Workspace::in_memory(WorkspaceParts {
        environment: env,
        base_url: base,
        client: signed_in.client,
        identity_id: signed_in.identity_id,
        clock: clock.clone(),
        events: events.clone(),
    })
    .unwrap();
    World {
        sandbox,
        ws,
        clock,
        events,
    }
}
