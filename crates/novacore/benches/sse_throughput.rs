//! SSE readings per second through `stream_site`, side by side with a Python client (httpx +
//! httpx-sse) on the same streams, plus the decoder's ceiling and the Sandbox's writer.
//! `cargo bench -p novacore --bench sse_throughput` (Python from .ci/install-bench.sh).
//!
//! Both firehoses are served from a process of their own (this binary re-run with
//! SSE_BENCH_SERVE=1), so the Rust client and the Python client each have a process to
//! themselves against the same server: the Sandbox's replay ring filled with READINGS readings
//! (each client connects with `Last-Event-ID: 0` and receives them all as fast as the Sandbox
//! writes), and a raw server writing the same events pre-rendered (the clients' own speed). The
//! set-up the bench had before, both servers inside the Rust client's runtime, runs once at the
//! end for comparison.

#[path = "sse_throughput/clients.rs"]
mod clients;
#[path = "sse_throughput/server.rs"]
mod server;

use bench_report::{Better, Figure, Row};
use clients::rate;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Instant;

const READINGS: usize = 50_000;
const RUNS: usize = 3;
const COMMAND: &str = "cargo bench -p novacore --bench sse_throughput";
const UNIT: &str = "readings/s";

fn reading(i: usize) -> serde_json::Value {
    serde_json::json!({
        "der_id": "der-bench-meter", "device_id": "dev-bench", "type": "meter",
        "timestamp": 1_772_791_200_000i64 + i as i64 * 1000,
        "W": 1234.5 + i as f64, "Hz": 50.01, "L1_V": 231.2, "L2_V": 230.8, "L3_V": 229.9,
        "L1_A": 5.1, "L2_A": 4.9, "L3_A": 5.3, "L1_W": 400.1, "L2_W": 410.2, "L3_W": 424.2,
        "total_import_Wh": 12_345_678.0 + i as f64, "total_export_Wh": 2_345_678.0
    })
}

/// The READINGS events as SSE frames (`id:` + `data:`), as both firehoses send them.
fn frames() -> Vec<u8> {
    let mut bytes = Vec::new();
    for i in 0..READINGS {
        bytes.extend_from_slice(format!("id: {}\ndata: {}\n\n", i + 1, reading(i)).as_bytes());
    }
    bytes
}

/// Best rate of each client against one set-up.
#[derive(Debug, Default, Clone, Copy)]
struct SetUp {
    raw_rust: f64,
    raw_py: f64,
    sandbox_rust: f64,
    sandbox_py: f64,
    writer: f64,
    writer_floor: f64,
}

fn line(label: &str, run: usize, n: usize, d: std::time::Duration) -> f64 {
    let r = rate(n, d);
    println!("{label:<52} {run:>4} {:>10.3} {r:>14.0}", d.as_secs_f64());
    r
}

async fn python(
    py: &Option<PathBuf>,
    url: String,
    token: String,
) -> Option<(usize, std::time::Duration)> {
    let py = py.clone()?;
    tokio::task::spawn_blocking(move || clients::python_run(&py, &url, &token))
        .await
        .expect("python task")
}

/// Every client against one set-up, `runs` times each; the best of each.
async fn measure(tag: &str, ep: &server::Endpoints, py: &Option<PathBuf>, runs: usize) -> SetUp {
    let mut best = SetUp::default();
    let raw = clients::sdk(&ep.raw, "bench");
    let sandbox = clients::sdk(&ep.sandbox, &ep.token);
    let raw_url = format!("{}/stream/sites/raw", ep.raw);
    let sb_url = format!("{}/stream/sites/{}", ep.sandbox, ep.site);
    let sb_path = format!("/stream/sites/{}", ep.site);
    for run in 1..=runs {
        let (n, d) = clients::rust_run(&raw, "raw").await;
        best.raw_rust = best.raw_rust.max(line(
            &format!("{tag}raw firehose: stream_site (Rust)"),
            run,
            n,
            d,
        ));
        if let Some((n, d)) = python(py, raw_url.clone(), "bench".into()).await {
            best.raw_py = best.raw_py.max(line(
                &format!("{tag}raw firehose: httpx-sse (Python)"),
                run,
                n,
                d,
            ));
        }
        let (n, d) = clients::rust_run(&sandbox, &ep.site).await;
        best.sandbox_rust = best.sandbox_rust.max(line(
            &format!("{tag}Sandbox: stream_site (Rust)"),
            run,
            n,
            d,
        ));
        if let Some((n, d)) = python(py, sb_url.clone(), ep.token.clone()).await {
            best.sandbox_py = best.sandbox_py.max(line(
                &format!("{tag}Sandbox: httpx-sse (Python)"),
                run,
                n,
                d,
            ));
        }
        let (n, d) = clients::count_frames(&ep.sandbox, &sb_path, &ep.token).await;
        best.writer = best.writer.max(line(
            &format!("{tag}Sandbox writer: frames counted"),
            run,
            n,
            d,
        ));
        let (n, d) = clients::count_frames(&ep.raw, "/stream/sites/raw", "bench").await;
        best.writer_floor = best.writer_floor.max(line(
            &format!("{tag}raw firehose: frames counted"),
            run,
            n,
            d,
        ));
    }
    best
}

/// The firehoses in a process of their own; returns the endpoints and the process (stdin open:
/// the server runs until it is closed).
fn spawn_server() -> (server::Endpoints, std::process::Child) {
    let exe = std::env::current_exe().expect("current exe");
    let mut child = Command::new(exe)
        .env("SSE_BENCH_SERVE", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn the firehose server");
    let mut first = String::new();
    std::io::BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("server ready line");
    let ep = serde_json::from_str(&first).expect("server endpoints");
    (ep, child)
}

fn main() {
    if std::env::var_os("SSE_BENCH_SERVE").is_some() {
        server::serve();
        return;
    }
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(run());
}

async fn run() {
    let py = clients::python()
        .map_err(|e| eprintln!("Python peer skipped: {e}"))
        .ok();
    println!("\nSSE readings/s, {READINGS} readings per run");
    println!(
        "{:<52} {:>4} {:>10} {:>14}",
        "client", "run", "seconds", UNIT
    );

    // The decoder alone; serde_json's parse of the same JSON into a Value; and the floor of the
    // chosen crates: the SSE parser alone plus serde_json into a struct made for this one shape.
    let mut in_memory = 0f64;
    let mut json_floor = 0f64;
    let mut parser_alone = 0f64;
    let mut typed_floor = 0f64;
    let datas: Vec<String> = (0..READINGS).map(|i| reading(i).to_string()).collect();
    for run in 1..=RUNS {
        let (n, d) = clients::decode_only().await;
        in_memory = in_memory.max(line("decode from memory (Rust)", run, n, d));
        let t0 = Instant::now();
        for d in &datas {
            std::hint::black_box(serde_json::from_str::<serde_json::Value>(d).expect("json"));
        }
        json_floor = json_floor.max(line(
            "serde_json to Value only (floor)",
            run,
            READINGS,
            t0.elapsed(),
        ));
        let (n, d) = clients::parse_only().await;
        parser_alone = parser_alone.max(line("SSE parser alone (sseer, no decode)", run, n, d));
        let t0 = Instant::now();
        for d in &datas {
            std::hint::black_box(serde_json::from_str::<clients::MeterShape>(d).expect("json"));
        }
        typed_floor = typed_floor.max(line(
            "serde_json to a struct of this shape only",
            run,
            READINGS,
            t0.elapsed(),
        ));
    }
    // Per reading, the parser's time plus the struct's: no decoder of these crates is faster.
    let crates_floor = 1.0 / (1.0 / parser_alone + 1.0 / typed_floor);

    let (ep, mut child) = spawn_server();
    let apart = measure("", &ep, &py, RUNS).await;
    drop(child.stdin.take());
    let _ = child.wait();

    // The set-up before: both servers inside this process's runtime.
    let (ep, sb) = server::start().await;
    let inside = measure("in-process: ", &ep, &py, 1).await;
    sb.shutdown().await;

    let ratio = |a: f64, b: f64| {
        if b > 0.0 {
            format!("{:.1}x", a / b)
        } else {
            "-".into()
        }
    };
    println!(
        "\n{:<52} {:>14} {:>14} {:>8}",
        "best of each", "Rust", "peer", "ratio"
    );
    let rows_printed = [
        (
            "decode from memory vs serde_json Value floor",
            in_memory,
            json_floor,
        ),
        (
            "decode from memory vs parser + typed struct floor",
            in_memory,
            crates_floor,
        ),
        (
            "raw firehose, server apart: Rust vs Python",
            apart.raw_rust,
            apart.raw_py,
        ),
        (
            "Sandbox, server apart: Rust vs Python",
            apart.sandbox_rust,
            apart.sandbox_py,
        ),
        (
            "Sandbox writer vs raw firehose (frames counted)",
            apart.writer,
            apart.writer_floor,
        ),
        (
            "raw firehose, in-process: Rust vs Python",
            inside.raw_rust,
            inside.raw_py,
        ),
        (
            "Sandbox, in-process: Rust vs Python",
            inside.sandbox_rust,
            inside.sandbox_py,
        ),
    ];
    for (label, ours, peer) in rows_printed {
        println!(
            "{label:<52} {ours:>14.0} {peer:>14.0} {:>8}",
            ratio(ours, peer)
        );
    }
    println!(
        "raw firehose (apart) vs decode from memory: {:.2}x slower",
        in_memory / apart.raw_rust.max(1e-9)
    );

    let fig = |v: f64| Figure::new(v, UNIT);
    let with_py = |row: Row, v: f64| {
        if v > 0.0 {
            row.peer("httpx-sse (Python)", fig(v))
        } else {
            row
        }
    };
    let note = format!(
        "{READINGS} readings of 17 fields per run, best of {RUNS}; server in its own process"
    );
    let rows = [
        Row::new(
            "SSE",
            "decode from memory: size guard + SSE parser + reading",
            fig(in_memory),
            Better::Higher,
            COMMAND,
        )
        .peer("serde_json to Value alone (floor)", fig(json_floor))
        .goal("≥ 1,000,000 readings/s", Some(1e6))
        .note(&format!(
            "{READINGS} readings in 16 KiB chunks, best of {RUNS}"
        )),
        Row::new(
            "SSE",
            "floor of the chosen crates: sseer parsing alone + serde_json into a struct of this one shape",
            fig(crates_floor),
            Better::Higher,
            COMMAND,
        )
        .peer("10× httpx-sse (the firehose goal)", fig(10.0 * apart.raw_py))
        .note(&format!(
            "from memory, before any network: sseer {parser_alone:.0}/s, the struct {typed_floor:.0}/s; \
             our whole decode is {:.2}× under this floor",
            crates_floor / in_memory.max(1e-9)
        )),
        with_py(
            Row::new(
                "SSE",
                "stream_site, raw loopback firehose",
                fig(apart.raw_rust),
                Better::Higher,
                COMMAND,
            ),
            apart.raw_py,
        )
        .goal("≥ 10× httpx-sse and within 2× of decode from memory", None)
        .note(&format!(
            "{note}; {:.2}× under decode from memory",
            in_memory / apart.raw_rust.max(1e-9)
        )),
        with_py(
            Row::new(
                "SSE",
                "stream_site through the Sandbox (replay ring)",
                fig(apart.sandbox_rust),
                Better::Higher,
                COMMAND,
            ),
            apart.sandbox_py,
        )
        .goal("never slower than httpx-sse", None)
        .note(&note),
        Row::new(
            "Sandbox",
            "SSE writer, replay to one client (frames counted, not decoded)",
            fig(apart.writer),
            Better::Higher,
            COMMAND,
        )
        .peer(
            "raw firehose, pre-rendered (socket floor)",
            fig(apart.writer_floor),
        )
        .goal("≥ 200,000 readings/s", Some(200_000.0))
        .note(&note),
        with_py(
            Row::new(
                "SSE",
                "stream_site, raw firehose, server in the client's runtime",
                fig(inside.raw_rust),
                Better::Higher,
                COMMAND,
            ),
            inside.raw_py,
        )
        .note("the set-up before: server and Rust client share one process (once, for comparison)"),
        with_py(
            Row::new(
                "SSE",
                "stream_site through the Sandbox, Sandbox in the client's runtime",
                fig(inside.sandbox_rust),
                Better::Higher,
                COMMAND,
            ),
            inside.sandbox_py,
        )
        .note(
            "the set-up before: Sandbox and Rust client share one process (once, for comparison)",
        ),
    ];
    bench_report::record("sse_throughput", &rows);
}
