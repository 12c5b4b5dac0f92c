//! Sandbox configuration (builder and CLI both fill this).

use std::net::{SocketAddr, SocketAddrV4};
use std::time::Duration;

use crate::faults::FaultSpec;

/// Everything that shapes a sandbox run.
#[derive(Debug, Clone)]
pub struct SandboxConfig {
    /// World seed.
    pub seed: u64,
    /// Sites per demo organization.
    pub sites: usize,
    /// Emulated Zaps with their own HTTP port.
    pub zaps: usize,
    /// Give each new identity a demo world.
    pub demo: bool,
    /// Serve `/_sim/*` control routes.
    pub control: bool,
    /// Session token lifetime.
    pub token_ttl: Duration,
    /// Interval of `: keep-alive` SSE comments.
    pub keepalive: Duration,
    /// Interval of live samples per DER.
    pub sample_interval: Duration,
    /// Initial faults.
    pub faults: FaultSpec,
    /// Clock speed factor.
    pub clock_speed: f64,
    /// Cloud listen address.
    pub addr: SocketAddr,
    /// Token bucket burst per identity.
    pub rate_burst: u32,
    /// Token bucket refill per second.
    pub rate_per_sec: f64,
    /// Max JSON body size in bytes.
    pub body_limit: usize,
    /// SSE replay ring size per site.
    pub ring_size: usize,
    /// Challenge lifetime.
    pub challenge_ttl: Duration,
    /// Where to load/save the world (`--state`).
    pub state_file: Option<std::path::PathBuf>,
    /// Serve Zap *i* on `first + i` (loopback only) at this port, like Zaps on a LAN; `None`:
    /// every Zap on `127.0.0.1` with a port of its own.
    pub zap_addr: Option<SocketAddrV4>,
    /// Loopback addresses answering every path with a router-style HTML login page (not a Zap).
    pub web_pages: Vec<SocketAddr>,
    /// Announce the Zaps by mDNS (`_http._tcp.local.`, instance = serial).
    pub mdns: Option<MdnsAnnounce>,
    /// Faults every Zap starts with (e.g. `wifi_reconnect_ms` for a window's Wi-Fi walk).
    pub zap_faults: crate::ZapFaultUpdate,
}

/// How the sandbox announces its Zaps by mDNS.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MdnsAnnounce {
    /// Use only the loopback interface. mdns-sd still joins the group on every interface when its
    /// daemon starts, so tests run announcer and browser inside a network namespace of their own.
    pub loopback_only: bool,
    /// UDP port (5353 in the field).
    pub port: u16,
}

impl Default for MdnsAnnounce {
    fn default() -> Self {
        Self {
            loopback_only: true,
            port: 5353,
        }
    }
}

impl Default for SandboxConfig {
    fn default() -> Self {
        Self {
            seed: 7,
            sites: 4,
            zaps: 1,
            demo: true,
            control: true,
            token_ttl: Duration::from_secs(24 * 3600),
            keepalive: Duration::from_secs(15),
            sample_interval: Duration::from_secs(1),
            faults: FaultSpec::default(),
            clock_speed: 1.0,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            rate_burst: 1000,
            rate_per_sec: 200.0,
            body_limit: 64 * 1024,
            ring_size: 2048,
            challenge_ttl: Duration::from_secs(300),
            state_file: None,
            zap_addr: None,
            web_pages: Vec::new(),
            mdns: None,
            zap_faults: crate::ZapFaultUpdate::default(),
        }
    }
}

/// The port to serve loopback Zaps on "like the field" ([`SandboxBuilder::zaps_on_loopback`]):
/// 80 when it can be bound at `first` (as root, as CI runs), else a port free now; says which on
/// stderr, so a test log shows whether it ran like the field.
///
/// [`SandboxBuilder::zaps_on_loopback`]: crate::SandboxBuilder::zaps_on_loopback
pub fn field_port(first: std::net::Ipv4Addr) -> std::io::Result<u16> {
    if std::net::TcpListener::bind((first, 80)).is_ok() {
        eprintln!("serving the sandbox Zaps on port 80, like the field");
        return Ok(80);
    }
    let port = std::net::TcpListener::bind((first, 0))?
        .local_addr()?
        .port();
    eprintln!("port 80 cannot be bound here (not root?): serving the sandbox Zaps on {port}");
    Ok(port)
}
