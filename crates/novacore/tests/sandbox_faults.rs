//! Retry, re-auth and stream-resumption rules under the sandbox's fault injection.

use futures::StreamExt;
use novacore::{Client, Error, Identity, RetryPolicy, Secret, Session, StreamEvent, StreamOptions};
use novacore_sim::Sandbox;
use std::time::{Duration, Instant};

async fn set_faults(base: &str, spec: &str) {
    let r = reqwest::Client::new()
        .put(format!("{base}/_sim/faults"))
        .json(&serde_json::json!({ "spec": spec }))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.status());
}

fn retry(max_attempts: u32, max_total: Duration) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_total,
    }
}

#[tokio::test]
async fn rest_retries_under_5xx_429_and_outage() {
    let sb = Sandbox::builder()
        .seed(5)
        .sites(1)
        .zaps(0)
        .start()
        .await
        .unwrap();
    let c = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .retry(retry(10, Duration::from_secs(10)))
        .build()
        .unwrap();
    c.login().await.unwrap();

    set_faults(sb.base_url(), "5xx=0.3").await;
    for _ in 0..20 {
        c.organizations()
            .list()
            .await
            .expect("GET retried through 30% 5xx");
    }

    set_faults(sb.base_url(), "429=1.0").await;
    let short = Client::builder(sb.base_url())
        .retry(retry(10, Duration::from_millis(1500)))
        .session(c.session().unwrap())
        .build()
        .unwrap();
    let t = Instant::now();
    let e = short.organizations().list().await.unwrap_err();
    assert!(
        matches!(e, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(1)),
        "{e:?}"
    );
    assert!(
        t.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured: {:?}",
        t.elapsed()
    );
    assert!(
        t.elapsed() < Duration::from_millis(1600),
        "bounded by max_total: {:?}",
        t.elapsed()
    );

    set_faults(sb.base_url(), "cloud_down=true").await;
    let e = short.sites().list(None).await.unwrap_err();
    assert!(
        matches!(e, Error::Server { status: 503, .. }) && e.is_transient(),
        "{e:?}"
    );

    set_faults(sb.base_url(), "").await;
    assert!(short.sites().list(None).await.is_ok());
    sb.shutdown().await;
}

#[tokio::test]
async fn short_tokens_and_rejected_tokens_reauthenticate() {
    let sb = Sandbox::builder()
        .seed(6)
        .sites(1)
        .zaps(0)
        // Tokens carry whole seconds (`exp` = `iat` + ttl, `iat` rounded down), so a 1 s token
        // issued at x.99 s lived 10 ms: the one fetched on a 401 could expire in flight under
        // load (a flake). 2 s tokens live 1–2 s.
        .token_ttl(Duration::from_secs(2))
        .start()
        .await
        .unwrap();
    let c = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .reauth_margin(Duration::ZERO)
        .build()
        .unwrap();
    let s1 = c.login().await.unwrap();
    assert!(s1.expires_at <= chrono::Utc::now() + chrono::Duration::seconds(3));
    // Until just past its expiry (at most 2 s).
    let left = (s1.expires_at - chrono::Utc::now())
        .to_std()
        .unwrap_or_default();
    tokio::time::sleep(left + Duration::from_millis(100)).await;
    c.organizations()
        .list()
        .await
        .expect("re-login before use of an expired token");
    let s2 = c.session().unwrap();
    assert_ne!(s1.token, s2.token);

    // A token the server does not accept although it looks valid for an hour: one 401, re-login.
    c.set_session(Some(Session {
        token: Secret::new("not-a-jwt"),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
        identity_id: s2.identity_id.clone(),
    }));
    c.organizations().list().await.expect("re-login on 401");
    assert_ne!(c.session().unwrap().token.expose(), "not-a-jwt");

    // Without an identity, the 401 surfaces as the typed error.
    let bare = Client::builder(sb.base_url())
        .session(Session::from_token("not-a-jwt", "idt-x"))
        .build()
        .unwrap();
    assert!(matches!(
        bare.organizations().list().await,
        Err(Error::Unauthorized { .. })
    ));
    sb.shutdown().await;
}

/// `SOAK_SCALE` (default 1; `make soak` sets 10) multiplies a test's count.
fn soak_scale() -> u32 {
    std::env::var("SOAK_SCALE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}

/// 100 forced disconnects (`SOAK_SCALE` times as many in `make soak`).
#[tokio::test]
async fn stream_resumes_across_100_forced_disconnects_without_loss_or_duplicates() {
    let disconnects = 100 * soak_scale();
    let sb = Sandbox::builder()
        .seed(9)
        .sites(1)
        .zaps(0)
        .sample_interval(Duration::from_millis(20))
        .ring_size(4096)
        .start()
        .await
        .unwrap();
    let c = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .build()
        .unwrap();
    c.login().await.unwrap();
    let org = c.organizations().list().await.unwrap().remove(0);
    let site = c.sites().list(Some(&org.id)).await.unwrap().remove(0);
    set_faults(sb.base_url(), "sse_drop=5").await;

    let opts = StreamOptions {
        initial_backoff: Duration::from_millis(2),
        max_backoff: Duration::from_millis(10),
        ..StreamOptions::default()
    };
    let mut s = Box::pin(c.telemetry().stream_site_with(&site.id, opts));
    let mut ids: Vec<u64> = Vec::new();
    let mut reconnects = 0;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60) * soak_scale();
    let started = std::time::Instant::now();
    while reconnects < disconnects {
        let ev = tokio::time::timeout_at(deadline, s.next())
            .await
            .expect("too slow")
            .unwrap()
            .unwrap();
        match ev {
            StreamEvent::Reading { id, .. } => ids.push(id.expect("sandbox sends ids")),
            StreamEvent::Reconnected { .. } => reconnects += 1,
            StreamEvent::Disconnected { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    drop(s);
    let mut seen = std::collections::HashSet::new();
    let duplicated = ids.iter().filter(|id| !seen.insert(**id)).count();
    let out_of_order = ids.windows(2).filter(|w| w[1] <= w[0]).count();
    let missing: u64 = ids.windows(2).map(|w| w[1].saturating_sub(w[0] + 1)).sum();
    println!(
        "soak-figure\t(a) SDK stream through forced disconnects (sse_drop=5)\tdisconnects={disconnects}\tdelivered={}\tmissing={missing}\tduplicated={duplicated}\tout_of_order={out_of_order}\tseconds={:.1}",
        ids.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(
        ids.len() >= 4 * disconnects as usize,
        "{} readings",
        ids.len()
    );
    // Contiguous ids: nothing lost, nothing twice.
    for w in ids.windows(2) {
        assert_eq!(w[1], w[0] + 1, "ids jump from {} to {}", w[0], w[1]);
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn malformed_frames_are_skipped_and_reported() {
    let sb = Sandbox::builder()
        .seed(10)
        .sites(1)
        .zaps(0)
        .sample_interval(Duration::from_millis(20))
        .start()
        .await
        .unwrap();
    let c = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .build()
        .unwrap();
    c.login().await.unwrap();
    let org = c.organizations().list().await.unwrap().remove(0);
    let site = c.sites().list(Some(&org.id)).await.unwrap().remove(0);
    set_faults(sb.base_url(), "malformed=0.3").await;
    let mut s = Box::pin(c.telemetry().stream_site(&site.id));
    let (mut readings, mut skipped) = (0, 0);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while readings < 20 || skipped < 3 {
        match tokio::time::timeout_at(deadline, s.next())
            .await
            .expect("too slow")
            .unwrap()
            .unwrap()
        {
            StreamEvent::Reading { .. } => readings += 1,
            StreamEvent::Skipped { .. } => skipped += 1,
            StreamEvent::Disconnected { .. } | StreamEvent::Reconnected { .. } => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    sb.shutdown().await;
}
