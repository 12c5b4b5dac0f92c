//! The Fleet view's data for 500 sites from the store (target ≤ 50 ms), beside its floor in the
//! same run: the bare store reads it needs (every site with its devices and latest values, the
//! meter's 15-minute buckets — the month's where a tariff prices it, for the peaks, else today's —
//! and the day's prices) without the states, costs and peaks.
//! The store is filled from the in-process Sandbox with `NOVADESK_SANDBOX_SITES=500` (the fleet
//! refresh: devices, gateways, tariffs, prices, the month's meter history) plus a minute of live
//! readings per DER. `cargo bench -p novadesk-core --bench fleet_bench`

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DurationRound, Utc};
use novadesk_core::fleet::{fleet_rows, refresh_fleet, SiteState};
use novadesk_core::{
    cached_site, cached_sites, sign_in, Environment, FakeClock, IdentityVault, MemorySecretStore,
    RecordingEventSink, SandboxService, Workspace, WorkspaceParts, SANDBOX_SITES_ENV,
};
use novadesk_store::{Batch, Resolution, SeriesKey};

const SITES: usize = 500;
const RUNS: usize = 30;

fn p(mut v: Vec<Duration>, q: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * q).round() as usize]
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    // The demo organization gets this many sites (read when the sandbox starts).
    std::env::set_var(SANDBOX_SITES_ENV, SITES.to_string());
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.expect("sandbox");
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let signed = sign_in(&env, &base, &vault).await.expect("sign in");
    let now = Utc::now()
        .duration_trunc(chrono::Duration::hours(1))
        .unwrap()
        - chrono::Duration::hours(1)
        + chrono::Duration::minutes(37);
    let clock = Arc::new(FakeClock::new(now));
    let ws = Workspace::in_memory(WorkspaceParts {
        environment: env,
        base_url: base,
        client: signed.client.clone(),
        identity_id: signed.identity_id.clone(),
        clock: clock.clone(),
        events: Arc::new(RecordingEventSink::new()),
    })
    .expect("workspace");
    let t = Instant::now();
    let done = refresh_fleet(&ws, true).await.expect("fleet refresh");
    let fill = t.elapsed();
    assert!(!done.offline, "{done:?}");
    let sites = cached_sites(&ws).expect("read").expect("cached").value;
    assert!(sites.len() >= SITES, "{} sites", sites.len());
    // A minute of live readings (1 s apart) for every DER: what the live streams store.
    let now_ms = now.timestamp_millis();
    let mut meters = Vec::new(); // (site, meter series)
    for s in &sites {
        let detail = cached_site(&ws, &s.id).expect("read").expect("site").value;
        let mut batch = Batch::new(now_ms);
        for der in detail.devices.iter().flat_map(|d| &d.ders) {
            let key = SeriesKey::new(&der.id, "W");
            batch.extend(&key, (0..60).map(|i| (now_ms - 60_000 + i * 1_000, 800.0)));
            if der.der_type == "meter" {
                meters.push((s.id.clone(), key));
            }
        }
        ws.store().ingest(&batch).expect("ingest");
    }

    let (mut live, mut priced) = (0, 0);
    // Sites with a cost read their meter's month (for the peaks), the others today only.
    let with_cost: std::collections::HashSet<String> = fleet_rows(&ws, now_ms)
        .expect("rows")
        .expect("stored")
        .value
        .into_iter()
        .filter(|r| r.today.as_ref().is_some_and(|t| t.cost.is_some()))
        .map(|r| r.site_id)
        .collect();
    let mut full = Vec::new();
    let mut floor = Vec::new();
    let month_start = now_ms - 31 * 86_400_000;
    let day_start = now_ms - 86_400_000;
    for _ in 0..RUNS {
        let t = Instant::now();
        let rows = fleet_rows(&ws, now_ms)
            .expect("rows")
            .expect("stored")
            .value;
        full.push(t.elapsed());
        assert_eq!(rows.len(), sites.len());
        live = rows.iter().filter(|r| r.state == SiteState::Live).count();
        priced = rows
            .iter()
            .filter(|r| r.today.as_ref().is_some_and(|t| t.cost.is_some()))
            .count();

        let t = Instant::now();
        let listed = cached_sites(&ws).expect("read").expect("cached").value;
        for s in &listed {
            cached_site(&ws, &s.id).expect("read");
        }
        let store = ws.store();
        for (site, m) in &meters {
            let from = if with_cost.contains(site) {
                month_start
            } else {
                day_start
            };
            store
                .range(m, from, now_ms, Resolution::M15)
                .expect("range");
        }
        store
            .prices("SE3", "SEK", day_start, now_ms)
            .expect("prices");
        drop(store);
        floor.push(t.elapsed());
    }
    println!(
        "store filled by the fleet refresh in {fill:.1?}: {} sites, {live} live, {priced} with today's cost",
        sites.len()
    );
    println!("| Fleet view data from the store | sites | p50 | p90 |");
    println!("|---|---|---|---|");
    println!(
        "| rows: states, today's energy and cost, month's peak (target ≤ 50 ms) | {} | {:.1?} | {:.1?} |",
        sites.len(),
        p(full.clone(), 0.5),
        p(full, 0.9)
    );
    println!(
        "| floor: the bare store reads (sites, devices, latest, month's meter buckets, prices) | {} | {:.1?} | {:.1?} |",
        sites.len(),
        p(floor.clone(), 0.5),
        p(floor, 0.9)
    );
    sandbox.shutdown().await;
}
