//! 50 Sandbox Zaps (loopback 127.0.16.x) claimed into one organization (target ≤ 5 s in total).
//! Side by side in one run: the batch as shipped (8 at a time, owners read once, written
//! through to a file-backed store like the app's), its peer (the same 50 claims one at a time
//! through `claim_zap`, which reads the owners for each), and its floor (50 raw SDK claims, 8 at
//! a time: the Zap signs, the platform verifies; no store, no owner lookup). The gateways are
//! released between runs (not timed). `cargo bench -p novadesk-core --bench batch_claim`.

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_report::{Better, Figure, Row};
use futures::StreamExt;
use novacore_sim::{Sandbox, SandboxHandle};
use novadesk_core::*;

const ZAPS: usize = 50;
const RUNS: usize = 5;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let first = Ipv4Addr::new(127, 0, 16, 2);
        let port = novacore_sim::field_port(first).expect("a free loopback port");
        let sb = Sandbox::builder()
            .seed(50)
            .zaps(ZAPS)
            .demo(false)
            .zaps_on_loopback(first, port)
            .start()
            .await
            .unwrap();
        assert_eq!(sb.zaps().len(), ZAPS, "the Sandbox serves {ZAPS} Zaps");
        let addresses: Vec<String> = sb
            .zaps()
            .iter()
            .map(|z| z.url.trim_start_matches("http://").to_string())
            .collect();
        let dir = tempfile::tempdir().unwrap();
        let ws = signed_in(&sb, dir.path()).await;
        let org = create_organization(&ws, "Rack").await.unwrap();

        let mut batch = Vec::new();
        let mut peer = Vec::new();
        let mut floor = Vec::new();
        for _ in 0..RUNS {
            batch.push(timed(&ws, &sb, &org.id, || run_batch(&ws, &addresses, &org.id)).await);
            peer.push(timed(&ws, &sb, &org.id, || one_at_a_time(&ws, &addresses, &org.id)).await);
            floor.push(timed(&ws, &sb, &org.id, || raw_sdk(&ws, &addresses, &org.id)).await);
        }
        println!(
            "batch_claim: {ZAPS} Sandbox Zaps claimed into one organization, median (min–max) of {RUNS} runs (target ≤ 5000 ms):"
        );
        let n = BATCH_CONCURRENCY;
        println!("| {:<48} | {:<21} |", "what", "time");
        println!("|{:-<50}|{:-<23}|", "", "");
        let median = |v: &[Duration]| {
            let mut v = v.to_vec();
            v.sort();
            Figure::new(v[v.len() / 2].as_secs_f64() * 1000.0, "ms")
        };
        let ours = median(&batch);
        let (peer_ms, floor_ms) = (median(&peer), median(&floor));
        for (what, times) in [
            (format!("batch use-case, {n} at a time"), batch),
            ("peer: claim_zap one at a time".to_string(), peer),
            (format!("floor: raw SDK claims, {n} at a time, no store"), floor),
        ] {
            println!("| {what:<48} | {:<21} |", stats(times));
        }
        let row = |name: &str, figure: Figure| {
            Row::new(
                "core",
                &format!("installer: batch claim of {ZAPS} Sandbox Zaps, {n} at a time (median of {RUNS})"),
                ours.clone(),
                Better::Lower,
                "cargo bench -p novadesk-core --bench batch_claim",
            )
            .peer(name, figure)
            .goal("≤ 5,000 ms", Some(5000.0))
        };
        bench_report::record(
            "batch_claim",
            &[
                row("claim_zap one at a time", peer_ms),
                row(&format!("raw SDK claims, {n} at a time, no store"), floor_ms),
            ],
        );
        sb.shutdown().await;
    });
}

async fn signed_in(sb: &SandboxHandle, dir: &std::path::Path) -> Workspace {
    let env = Environment::Sandbox;
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let s = sign_in(&env, sb.base_url(), &vault).await.expect("sign in");
    Workspace::open(
        WorkspaceParts {
            environment: env,
            base_url: sb.base_url().to_string(),
            client: s.client,
            identity_id: s.identity_id,
            clock: Arc::new(SystemClock),
            events: Arc::new(RecordingEventSink::new()),
        },
        dir,
    )
    .unwrap()
}

/// Times `claim` (which must claim all 50), checks the platform has them all, then releases
/// them for the next run.
async fn timed<F, Fut>(ws: &Workspace, sb: &SandboxHandle, org_id: &str, claim: F) -> Duration
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let start = Instant::now();
    claim().await;
    let took = start.elapsed();
    let owners = refresh_gateway_owners(ws).await.unwrap();
    for z in sb.zaps() {
        assert_eq!(
            owners.owner(&z.serial).map(|o| o.org_id.as_str()),
            Some(org_id),
            "{} claimed",
            z.serial
        );
        release_gateway(ws, org_id, &z.serial).await.unwrap();
    }
    took
}

async fn run_batch(ws: &Workspace, addresses: &[String], org_id: &str) {
    let req = BatchRequest {
        addresses: addresses.to_vec(),
        org_id: org_id.to_string(),
        confirm_transfer: false,
        provision: None,
        concurrency: BATCH_CONCURRENCY,
    };
    let report = claim_batch(ws, &req, &CancelToken::new(), |_| {})
        .await
        .unwrap();
    assert!(
        report.rows.iter().all(|r| matches!(
            r.outcome,
            BatchOutcome::Done {
                claim: ClaimResult::Claimed { .. }
            }
        )),
        "{report:?}"
    );
}

async fn one_at_a_time(ws: &Workspace, addresses: &[String], org_id: &str) {
    for a in addresses {
        let r = claim_zap(ws, a, org_id, false).await.unwrap();
        assert!(matches!(r, ClaimResult::Claimed { .. }), "{r:?}");
    }
}

async fn raw_sdk(ws: &Workspace, addresses: &[String], org_id: &str) {
    let claims = futures::stream::iter(addresses.iter().map(|a| async move {
        let zap = novacore::zap::ZapClient::new(a).unwrap();
        ws.novacore(async |c| c.claim_gateway(&zap, org_id).await)
            .await
            .unwrap();
    }))
    .buffer_unordered(BATCH_CONCURRENCY)
    .collect::<Vec<()>>()
    .await;
    assert_eq!(claims.len(), addresses.len());
}

/// "median ms (min–max ms)".
fn stats(mut v: Vec<Duration>) -> String {
    v.sort();
    let ms = |d: Duration| d.as_millis();
    format!(
        "{} ms ({}–{} ms)",
        ms(v[v.len() / 2]),
        ms(v[0]),
        ms(v[v.len() - 1])
    )
}
