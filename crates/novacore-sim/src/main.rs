//! `novacore-sim` binary: starts the sandbox, prints one JSON ready line, serves until
//! SIGINT/SIGTERM. Logs go to stderr.

use std::io::Write;
use std::net::{SocketAddr, SocketAddrV4};

use clap::Parser;
use novacore_sim::{FaultSpec, MdnsAnnounce, Sandbox};

/// Command line (issue 3).
#[derive(Debug, Parser)]
#[command(
    name = "novacore-sim",
    about = "Local Novacore + Zap emulator (the Sandbox)"
)]
struct Args {
    /// Cloud listen address.
    #[arg(long, default_value = "127.0.0.1:0")]
    addr: SocketAddr,
    /// World seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Sites per demo organization.
    #[arg(long, default_value_t = 4)]
    sites: usize,
    /// Emulated Zaps with their own port.
    #[arg(long, default_value_t = 1)]
    zaps: usize,
    /// Give each new identity a demo world (default).
    #[arg(long, overrides_with = "no_demo")]
    demo: bool,
    /// Start with an empty world.
    #[arg(long)]
    no_demo: bool,
    /// Load the world from / save it to this JSON file (on exit and every 30 s).
    #[arg(long)]
    state: Option<std::path::PathBuf>,
    /// Fault SPEC, e.g. `sse_drop=5,5xx=0.1` (grammar in the crate docs of `faults`).
    #[arg(long, default_value = "")]
    faults: String,
    /// Clock speed factor.
    #[arg(long, default_value_t = 1.0)]
    clock_speed: f64,
    /// Disable the /_sim control routes.
    #[arg(long)]
    no_control: bool,
    /// Serve Zap i on loopback address START+i, like Zaps on a LAN: `127.0.0.2` (port 80, the
    /// field's; needs root) or `127.0.0.2:8080`.
    #[arg(long, value_name = "START[:PORT]", value_parser = parse_zap_addr)]
    zap_addr: Option<SocketAddrV4>,
    /// Also serve a router-style HTML login page (not a Zap) at this loopback address (repeatable).
    #[arg(long, value_name = "ADDR")]
    web_page: Vec<SocketAddr>,
    /// Announce the Zaps by mDNS on the loopback interface only (run it in a network namespace).
    #[arg(long)]
    mdns_loopback: bool,
    /// Announce the Zaps by mDNS on every interface.
    #[arg(long, conflicts_with = "mdns_loopback")]
    mdns: bool,
    /// Faults every Zap starts with, as JSON (the body of `POST /_sim/zaps/{serial}/faults`),
    /// e.g. `{"wifi_reconnect_ms": 2000}`.
    #[arg(long, value_name = "JSON", value_parser = parse_zap_faults)]
    zap_faults: Option<novacore_sim::ZapFaultUpdate>,
    /// UDP port of the mDNS announcer.
    #[arg(long, default_value_t = 5353)]
    mdns_port: u16,
}

fn parse_zap_addr(s: &str) -> Result<SocketAddrV4, String> {
    if let Ok(a) = s.parse::<SocketAddrV4>() {
        return Ok(a);
    }
    s.parse::<std::net::Ipv4Addr>()
        .map(|ip| SocketAddrV4::new(ip, 80))
        .map_err(|_| format!("`{s}` is not an IPv4 address or address:port"))
}

fn parse_zap_faults(s: &str) -> Result<novacore_sim::ZapFaultUpdate, String> {
    serde_json::from_str(s).map_err(|e| format!("`{s}` is not a Zap fault update: {e}"))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let args = Args::parse();
    let faults = match FaultSpec::parse(&args.faults) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("novacore-sim: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let mut builder = Sandbox::builder();
    if let Some(p) = &args.state {
        builder = builder.state_file(p);
    }
    if let Some(a) = args.zap_addr {
        builder = builder.zaps_on_loopback(*a.ip(), a.port());
    }
    if let Some(f) = args.zap_faults.clone() {
        builder = builder.zap_faults(f);
    }
    for w in &args.web_page {
        builder = builder.web_page_host(*w);
    }
    if args.mdns || args.mdns_loopback {
        builder = builder.announce_mdns(MdnsAnnounce {
            loopback_only: args.mdns_loopback,
            port: args.mdns_port,
        });
    }
    let started = builder
        .addr(args.addr)
        .seed(args.seed)
        .sites(args.sites)
        .zaps(args.zaps)
        .demo(!args.no_demo || args.demo)
        .control(!args.no_control)
        .faults(faults)
        .clock_speed(args.clock_speed)
        .start()
        .await;
    let sb = match started {
        Ok(sb) => sb,
        Err(e) => {
            eprintln!("novacore-sim: {e}");
            return std::process::ExitCode::from(1);
        }
    };
    let line = serde_json::json!({"base_url": sb.base_url(), "zaps": sb.zaps(), "web_pages": sb.web_pages(), "seed": args.seed});
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    drop(out);
    wait_for_signal().await;
    tracing::info!("stopping");
    sb.shutdown().await;
    std::process::ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
