//! Sweep of a /24 (127.0.3.0/24, loopback only) with 10 sandbox Zaps on it, all found.
//! Target: ≤ 3 s. `cargo bench -p novacore --bench zap_sweep`.

use std::net::Ipv4Addr;
use std::time::Duration;

use bench_report::{Better, Figure, Row};
use novacore::zap::discovery::{Ipv4Net, Sweep, SweepOptions};
use novacore_sim::Sandbox;

const RUNS: usize = 5;

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let first = Ipv4Addr::new(127, 0, 3, 2);
        let port = novacore_sim::field_port(first).expect("a free loopback port");
        let sb = Sandbox::builder()
            .seed(9)
            .zaps(10)
            .zaps_on_loopback(first, port)
            .web_page_host(std::net::SocketAddr::from(([127, 0, 3, 100], port)))
            .start()
            .await
            .unwrap();
        let hosts = Ipv4Net::parse("127.0.3.0/24").unwrap().hosts();
        // Side by side in one run: the sweep as shipped (64 at a time), its peer probing one host
        // at a time, and its floor: the same /24 on a block where nothing listens (refusals only).
        let sweep = measure(&hosts, port, 64, 10).await;
        let one_at_a_time = measure(&hosts, port, 1, 10).await;
        let empty = Ipv4Net::parse("127.0.9.0/24").unwrap().hosts();
        let floor = measure(&empty, port, 64, 0).await;
        println!(
            "zap_sweep: /24 (254 hosts, port {port}) with 10 sandbox Zaps + 1 web page, all 10 found \
             each run; median (min–max) of {RUNS} runs (target ≤ 3000 ms):\n  \
             concurrency 64: {}\n  concurrency 1 (peer): {}\n  floor, empty /24 at 64: {}",
            sweep.text, one_at_a_time.text, floor.text
        );
        let command = "cargo bench -p novacore --bench zap_sweep";
        let row = |peer: &str, of: &Runs| {
            Row::new(
                "core",
                "Zap sweep of a /24 on loopback, 10 Zaps found, 64 at a time",
                Figure::new(sweep.median, "ms"),
                Better::Lower,
                command,
            )
            .peer(peer, Figure::new(of.median, "ms"))
            .goal("≤ 3,000 ms", Some(3000.0))
        };
        bench_report::record(
            "zap_sweep",
            &[
                row("one host at a time", &one_at_a_time),
                row("floor: empty /24, refusals only", &floor),
            ],
        );
        sb.shutdown().await;
    });
}

/// The median of RUNS sweeps, and "median ms (min–max ms)" for the printed table.
struct Runs {
    median: f64,
    text: String,
}

/// Sweeps `hosts` RUNS times; each must find exactly `zaps` Zaps.
async fn measure(hosts: &[Ipv4Addr], port: u16, concurrency: usize, zaps: usize) -> Runs {
    let mut times = Vec::new();
    for _ in 0..RUNS {
        let opts = SweepOptions {
            port,
            concurrency,
            timeout: Duration::from_millis(1000),
        };
        let report = Sweep::start(hosts.to_vec(), opts).unwrap().finish().await;
        assert_eq!(report.zaps.len(), zaps, "Zaps found");
        assert_eq!(report.progress.probed, 254);
        times.push(report.elapsed_ms);
    }
    times.sort_unstable();
    Runs {
        median: times[RUNS / 2] as f64,
        text: format!(
            "{} ms ({}–{} ms)",
            times[RUNS / 2],
            times[0],
            times[RUNS - 1]
        ),
    }
}
