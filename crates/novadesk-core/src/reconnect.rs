//! Coming back online by itself: while the workspace is offline, try to reach the server with
//! backoff; the first success flips [`crate::Connectivity`] back (the window hides the banner and
//! refreshes). A fresh login is the probe because an offline start holds a possibly stale token.
//! Once reachable, the installer's journal replays what waited for the cloud. A platform that
//! answers but is unavailable (HTTP 502–504) counts as offline too. While offline the journal
//! keeps trying with its own backoff per entry (its replay reads before it sends).

use std::time::Duration;

use crate::connectivity::Backoff;
use crate::workspace::Workspace;

/// How often an online workspace looks whether it went offline (cheap: no network).
pub const OFFLINE_POLL: Duration = Duration::from_secs(1);

/// Runs until dropped ([`crate::Connections`] aborts it when its connection ends). `on_login`
/// gets each fresh session so the caller can keep it for the next offline start.
pub async fn keep_connected<F>(ws: Workspace, initial: Duration, max: Duration, on_login: F)
where
    F: Fn(&novacore::Session) + Send + Sync,
{
    let mut backoff = Backoff::new(initial, max);
    loop {
        if ws.connectivity.status().online == Some(false) {
            let name = ws.environment.display_name();
            ws.connectivity
                .reconnect(&mut backoff, || async {
                    // The journal's entries keep their own schedule while offline (a replay
                    // reads before it sends, and re-signs in on a stale session); failures
                    // stay on the entries.
                    if crate::installer::replay_due(&ws).unwrap_or(false) {
                        let _ = crate::installer::replay(&ws).await;
                    }
                    match ws.novacore(async |c| c.login().await).await {
                        Ok(session) => {
                            on_login(&session);
                            Ok(())
                        }
                        Err(e) if e.is_unavailable() => {
                            Err(format!("{name} is unavailable right now."))
                        }
                        // Reached, but refused: the server is back; the session problem is
                        // for the sign-in view, not the offline banner.
                        Err(e) if !e.is_offline() => Ok(()),
                        Err(_) => Err(format!("{name} cannot be reached.")),
                    }
                })
                .await;
        }
        if ws.connectivity.status().online != Some(false)
            && crate::installer::replay_due(&ws).unwrap_or(false)
        {
            // Failures stay on the entries (shown in the journal); nothing to add here.
            let _ = crate::installer::replay(&ws).await;
        }
        ws.clock.sleep(OFFLINE_POLL).await;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::Arc;

    use super::*;
    use crate::{
        sign_in, AppEvent, Environment, IdentityVault, MemorySecretStore, RecordingEventSink,
        SandboxService, SystemClock, WorkspaceParts,
    };

    /// Offline start against a stopped sandbox, then the sandbox comes back on the same port:
    /// the loop notices, logs in, and reports "restored" once.
    #[tokio::test]
    async fn an_offline_workspace_comes_back_when_the_server_does() {
        let seed_sandbox = SandboxService::new();
        let env = Environment::Sandbox;
        let base = seed_sandbox.base_url_for(&env).await.unwrap();
        let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
        sign_in(&env, &base, &vault).await.unwrap();
        seed_sandbox.shutdown().await;
        let signed = sign_in(&env, &base, &vault).await.unwrap();
        assert!(signed.offline);

        let events = Arc::new(RecordingEventSink::new());
        let ws = Workspace::in_memory(WorkspaceParts {
            environment: env.clone(),
            base_url: base.clone(),
            client: signed.client.clone(),
            identity_id: signed.identity_id.clone(),
            clock: Arc::new(SystemClock),
            events: events.clone(),
        })
        .unwrap();
        ws.connectivity.report_offline("gone");
        let logins = Arc::new(AtomicUsize::new(0));
        let counter = logins.clone();
        let task = tokio::spawn(keep_connected(
            ws.clone(),
            Duration::from_millis(20),
            Duration::from_millis(100),
            move |_| {
                counter.fetch_add(1, Ordering::SeqCst);
            },
        ));
        tokio::time::sleep(Duration::from_millis(200)).await;
        assert_eq!(
            ws.connectivity.status().online,
            Some(false),
            "still offline"
        );

        // The same port again (the stored identity is registered in the same deterministic world
        // only after a login, which keep_connected does).
        let addr: std::net::SocketAddr = base.trim_start_matches("http://").parse().unwrap();
        let back = novacore_sim::Sandbox::builder()
            .demo(true)
            .control(false)
            .addr(addr)
            .start()
            .await;
        let Ok(back) = back else {
            task.abort();
            return; // the port was taken meanwhile; nothing to assert on this machine
        };
        let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
        while ws.connectivity.status().online != Some(true)
            && tokio::time::Instant::now() < deadline
        {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        task.abort();
        back.shutdown().await;
        assert_eq!(ws.connectivity.status().online, Some(true));
        assert_eq!(
            logins.load(Ordering::SeqCst),
            1,
            "one login brought it back"
        );
        let restored = events
            .events()
            .into_iter()
            .filter(|e| matches!(e, AppEvent::ConnectivityChanged { online: true, .. }))
            .count();
        assert_eq!(restored, 1);
    }
}
