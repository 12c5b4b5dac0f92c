//! What-if timings against the in-process Sandbox on loopback: 12 months × 5 tariffs (the 4 the
//! Stockholm site's grid company offers plus a current tariff chosen from another company), cold
//! (a fresh store: history, a year of prices and the tariffs fetched) and warm (from the store;
//! only the offered list is asked again), with its floor in the same run: reading the inputs from
//! the store and `compute_cost` alone over them for the 5 tariffs. Prints a table.
//! `cargo bench -p novadesk-core --bench whatif_bench`

use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_report::{Better, Figure, Row};
use novacore::pricing::{compute_cost, Tariff, TimeRange};
use novadesk_core::{
    cached_site_info, chart_prefs, cost_inputs, cost_level, cost_span, set_chart_prefs, sign_in,
    what_if, CancelToken, Environment, IdentityVault, MemorySecretStore, RecordingEventSink,
    SandboxService, SystemClock, WhatIfRequest, Workspace, WorkspaceParts,
};
use novadesk_store::SeriesKey;

fn stats(mut v: Vec<Duration>) -> (Duration, Duration, Duration) {
    v.sort();
    let p = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    (p(0.5), p(0.9), v[v.len() - 1])
}

/// Prints the line; returns the p50 in ms for the report.
fn row(name: &str, n: usize, v: Vec<Duration>) -> f64 {
    let (p50, p90, max) = stats(v);
    println!("| {name:<62} | {n:>3} | {p50:>10.2?} | {p90:>10.2?} | {max:>10.2?} |");
    p50.as_secs_f64() * 1000.0
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn workspace(base: &str, signed: &novadesk_core::SignedIn) -> Workspace {
    Workspace::in_memory(WorkspaceParts {
        environment: Environment::Sandbox,
        base_url: base.to_string(),
        client: signed.client.clone(),
        identity_id: signed.identity_id.clone(),
        clock: Arc::new(SystemClock),
        events: Arc::new(RecordingEventSink::new()),
    })
    .expect("workspace")
}

/// The Stockholm site (4 offered tariffs), its current tariff chosen from another company: 5 rows.
async fn prepare(ws: &Workspace) -> WhatIfRequest {
    let sites = novadesk_core::refresh_sites(ws).await.expect("sites").value;
    let site = sites
        .iter()
        .find(|s| s.name.contains("Stockholm"))
        .expect("the Stockholm demo site");
    let info = cached_site_info(ws, &site.id).await.expect("site");
    let mut prefs = chart_prefs(ws, &info).expect("prefs");
    prefs.tariff_id = Some("vattenfall-tid-2026".into());
    set_chart_prefs(ws, &site.id, prefs).expect("prefs saved");
    WhatIfRequest {
        site_id: site.id.clone(),
        from_ms: None,
        to_ms: None,
        width: 1200,
        height: 360,
        dark: false,
    }
}

async fn run() {
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.expect("sandbox");
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let signed = sign_in(&env, &base, &vault).await.expect("sign in");

    println!("| What-if, last 12 months x 5 tariffs (Sandbox on loopback) | n | p50 | p90 | max |");
    println!("|---|---|---|---|---|");
    let mut cold = Vec::new();
    let mut requests = 0;
    let mut ws = None;
    for _ in 0..3 {
        let fresh = workspace(&base, &signed).await;
        let req = prepare(&fresh).await;
        let t = Instant::now();
        let out = what_if(&fresh, &req, &|_| {}, &CancelToken::new())
            .await
            .expect("cold what-if");
        cold.push(t.elapsed());
        requests = out.network_requests;
        assert_eq!(out.rows.len(), 5, "5 tariffs");
        assert!(out.rows.iter().all(|r| r.cost.is_some()));
        ws = Some((fresh, req));
    }
    let (ws, req) = ws.expect("a workspace");
    let cold_ms = row(
        &format!("cold: fresh store, {requests} requests (history, prices, tariffs)"),
        cold.len(),
        cold,
    );

    let mut warm = Vec::new();
    let mut out = None;
    for _ in 0..20 {
        let t = Instant::now();
        let o = what_if(&ws, &req, &|_| {}, &CancelToken::new())
            .await
            .expect("warm what-if");
        warm.push(t.elapsed());
        assert_eq!(o.network_requests, 1, "only the offered list");
        out = Some(o);
    }
    let out = out.expect("an outcome");
    let warm_ms = row(
        "warm: from the store (+1 loopback request: offered list)",
        warm.len(),
        warm,
    );

    // The floor: the same inputs read from the store, and compute_cost alone over them.
    let tz: chrono_tz::Tz = out.time_zone.parse().expect("zone");
    let now = chrono::Utc::now().timestamp_millis();
    let span = cost_span(tz, out.from_ms, out.to_ms, now);
    let level = cost_level(out.from_ms, out.to_ms);
    let info = cached_site_info(&ws, &req.site_id).await.expect("site");
    let key = SeriesKey::new(&info.meter().expect("meter").id, "W");
    let mut reads = Vec::new();
    let mut inputs = None;
    for _ in 0..20 {
        let t = Instant::now();
        inputs = Some(
            cost_inputs(&ws, &key, level, span, &out.price_area, &out.currency).expect("inputs"),
        );
        reads.push(t.elapsed());
    }
    let reads_ms = row(
        "floor: the inputs read from the store (meter + prices)",
        reads.len(),
        reads,
    );
    let (meter, spot) = inputs.expect("inputs");
    let mut tariffs = Vec::new();
    for r in &out.rows {
        let sdk = ws
            .novacore(async |c| c.tariffs().tariff(&r.tariff_id).await)
            .await
            .expect("tariff");
        tariffs.push(Tariff::from_sdk(&sdk).expect("priceable"));
    }
    let range = TimeRange::new(
        chrono::DateTime::from_timestamp_millis(out.from_ms).expect("from"),
        chrono::DateTime::from_timestamp_millis(out.to_ms).expect("to"),
    );
    let mut floor = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        for tariff in &tariffs {
            std::hint::black_box(compute_cost(&meter, &spot, tariff, range).expect("cost"));
        }
        floor.push(t.elapsed());
    }
    let compute_ms = row(
        "floor: compute_cost alone, 12 months x 5 tariffs",
        floor.len(),
        floor,
    );
    println!(
        "\nmeter data covers {:.0}% of the period ({} buckets at {} s)",
        out.coverage.metered_fraction * 100.0,
        match &meter {
            novacore::pricing::MeterSeries::NetPower { points, .. } => points.len(),
            _ => 0,
        },
        level.as_ms() / 1000
    );
    let command = "cargo bench -p novadesk-core --bench whatif_bench";
    let floor = Figure::new(reads_ms + compute_ms, "ms");
    let floor_name = "store reads + compute_cost alone";
    bench_report::record(
        "whatif_bench",
        &[
            Row::new(
                "app",
                "What-if: 12 months × 5 tariffs, warm from the store (p50)",
                Figure::new(warm_ms, "ms"),
                Better::Lower,
                command,
            )
            .peer(floor_name, floor.clone())
            .goal("≤ 300 ms", Some(300.0)),
            Row::new(
                "app",
                &format!("What-if: same, cold (fresh store, {requests} requests on loopback, p50)"),
                Figure::new(cold_ms, "ms"),
                Better::Lower,
                command,
            )
            .peer(floor_name, floor),
        ],
    );
    sandbox.shutdown().await;
}
