//! Site chart timings against the in-process Sandbox: a cold render (fetching history, prices and
//! the month's meter data, then drawing) and a warm one (everything from the store), per preset,
//! plus exports. Prints a table. In the report each warm render stands beside the same chart cold
//! (its peer: what the store saves), and each export beside the warm render it writes out.
//! `cargo bench -p novadesk-core --bench chart_bench`

use std::sync::Arc;
use std::time::{Duration, Instant};

use bench_report::{Better, Figure, Row};
use novadesk_core::{
    chart_options, export_chart, render_chart, sign_in, CancelToken, ChartRequest, Environment,
    ExportFormat, IdentityVault, MemorySecretStore, RangePreset, RecordingEventSink,
    SandboxService, SystemClock, Workspace, WorkspaceParts,
};

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let sandbox = SandboxService::new();
    let env = Environment::Sandbox;
    let base = sandbox.base_url_for(&env).await.expect("sandbox");
    let vault = IdentityVault::new(Arc::new(MemorySecretStore::new()));
    let signed = sign_in(&env, &base, &vault).await.expect("sign in");
    let ws = Workspace::in_memory(WorkspaceParts {
        environment: env,
        base_url: base,
        client: signed.client.clone(),
        identity_id: signed.identity_id.clone(),
        clock: Arc::new(SystemClock),
        events: Arc::new(RecordingEventSink::new()),
    })
    .expect("workspace");
    let site = novadesk_core::refresh_sites(&ws)
        .await
        .expect("sites")
        .value[0]
        .id
        .clone();
    chart_options(&ws, &site).await.expect("options");
    let command = "cargo bench -p novadesk-core --bench chart_bench";
    let ms = |d: Duration| Figure::new(d.as_secs_f64() * 1000.0, "ms");
    let mut rows = Vec::new();
    println!("| chart (1,200 x 420 px, grid meter power + prices + cost) | requests | time |");
    println!("|---|---|---|");
    for (name, preset) in [
        ("24 h", RangePreset::Day),
        ("7 d", RangePreset::Week),
        ("30 d", RangePreset::Month),
        ("1 y", RangePreset::Year),
    ] {
        let req = ChartRequest {
            site_id: site.clone(),
            preset,
            from_ms: None,
            to_ms: None,
            series: Vec::new(),
            width: 1200,
            height: 420,
            dark: false,
        };
        let mut took = Vec::new();
        let mut cold_requests = 0;
        for pass in ["cold", "warm"] {
            let t = Instant::now();
            let out = render_chart(&ws, &req, &|_| {}, &CancelToken::new())
                .await
                .expect("render");
            took.push(t.elapsed());
            if pass == "cold" {
                cold_requests = out.network_requests;
            }
            println!(
                "| {name} {pass} | {} | {:.1?} |",
                out.network_requests,
                t.elapsed()
            );
        }
        let warm = took[1];
        rows.push(
            Row::new(
                "app",
                &format!("site chart {name}, warm (from the store)"),
                ms(warm),
                Better::Lower,
                command,
            )
            .peer(
                &format!("same chart cold ({cold_requests} requests on loopback)"),
                ms(took[0]),
            ),
        );
        if preset == RangePreset::Year {
            let dir = std::env::temp_dir().join(format!("chart-bench-{}", std::process::id()));
            std::fs::create_dir_all(&dir).expect("temp dir");
            for (f, ext) in [
                (ExportFormat::Csv, "csv"),
                (ExportFormat::Png, "png"),
                (ExportFormat::Svg, "svg"),
            ] {
                let t = Instant::now();
                let bytes = export_chart(&ws, &req, f, &dir.join(format!("c.{ext}")))
                    .await
                    .expect("export");
                let took: Duration = t.elapsed();
                println!("| export 1 y {ext} ({bytes} bytes) | 0 | {took:.1?} |");
                rows.push(
                    Row::new(
                        "app",
                        &format!("export the 1 y chart as {ext}"),
                        ms(took),
                        Better::Lower,
                        command,
                    )
                    .peer("the same chart rendered warm", ms(warm))
                    .note(&format!("{bytes} bytes")),
                );
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    bench_report::record("chart_bench", &rows);
    sandbox.shutdown().await;
}
