//! Site chart timings against the in-process Sandbox: a cold render (fetching history, prices and
//! the month's meter data, then drawing) and a warm one (everything from the store), per preset,
//! plus exports. Prints a table. `cargo bench -p novadesk-core --bench chart_bench`

use std::sync::Arc;
use std::time::{Duration, Instant};

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
        for pass in ["cold", "warm"] {
            let t = Instant::now();
            let out = render_chart(&ws, &req, &|_| {}, &CancelToken::new())
                .await
                .expect("render");
            println!(
                "| {name} {pass} | {} | {:.1?} |",
                out.network_requests,
                t.elapsed()
            );
        }
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
            }
            let _ = std::fs::remove_dir_all(&dir);
        }
    }
    sandbox.shutdown().await;
}
