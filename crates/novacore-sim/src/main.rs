//! `novacore-sim` binary: starts the sandbox, prints one JSON ready line, serves until
//! SIGINT/SIGTERM. Logs go to stderr.

use std::io::Write;
use std::net::SocketAddr;

use clap::Parser;
use novacore_sim::{FaultSpec, Sandbox};

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
    /// State file (accepted for compatibility; state is not persisted yet).
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
    if args.state.is_some() {
        tracing::warn!(
            "--state is accepted but persistence is not implemented; the world is in memory"
        );
    }
    let started = Sandbox::builder()
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
    let line = serde_json::json!({"base_url": sb.base_url(), "zaps": sb.zaps(), "seed": args.seed});
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
