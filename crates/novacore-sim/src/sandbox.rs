//! The public entry point: `Sandbox::builder()…start()` → [`SandboxHandle`].

use std::collections::HashMap;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde::Serialize;
use serde_json::json;
use tokio::task::JoinHandle;

use crate::auth::jwt::Secret;
use crate::clock::SimClock;
use crate::config::{MdnsAnnounce, SandboxConfig};
use crate::error::{Error, Result};
use crate::faults::{FaultSpec, Faults};
use crate::ratelimit::RateLimiter;
use crate::state::Sim;
use crate::stream::StreamHub;
use crate::world::live;
use crate::world::model::World;
use crate::zap::faults::{ZapFaultUpdate, ZapListener};
use crate::zap::model::ZapState;
use crate::zap::profiles::field_device;
use crate::zap::{self, ZapCtx};

/// Namespace for [`Sandbox::builder`].
#[derive(Debug)]
pub struct Sandbox;

impl Sandbox {
    /// A builder with the defaults of [`SandboxConfig`].
    pub fn builder() -> SandboxBuilder {
        SandboxBuilder {
            cfg: SandboxConfig::default(),
        }
    }
}

/// Configures and starts a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxBuilder {
    cfg: SandboxConfig,
}

/// An emulated Zap as announced in the ready line.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ZapInfo {
    /// `zap-` + 16 hex.
    pub serial: String,
    /// Local API base URL (no trailing slash).
    pub url: String,
    /// `04` + 128 hex (uncompressed P-256 point).
    pub public_key: String,
}

impl SandboxBuilder {
    /// World seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.cfg.seed = seed;
        self
    }
    /// Sites per demo organization (at most 500: the app's `NOVADESK_SANDBOX_SITES` and the Fleet
    /// view's benchmark ask for that many).
    pub fn sites(mut self, n: usize) -> Self {
        self.cfg.sites = n.min(500);
        self
    }
    /// Number of HTTP-served Zaps.
    pub fn zaps(mut self, n: usize) -> Self {
        self.cfg.zaps = n.min(64);
        self
    }
    /// Demo world on first sign-in.
    pub fn demo(mut self, on: bool) -> Self {
        self.cfg.demo = on;
        self
    }
    /// Serve `/_sim/*`.
    pub fn control(mut self, on: bool) -> Self {
        self.cfg.control = on;
        self
    }
    /// Session token lifetime.
    pub fn token_ttl(mut self, d: Duration) -> Self {
        self.cfg.token_ttl = d;
        self
    }
    /// SSE keep-alive interval.
    pub fn keepalive(mut self, d: Duration) -> Self {
        self.cfg.keepalive = d.max(Duration::from_millis(10));
        self
    }
    /// Initial faults.
    pub fn faults(mut self, f: FaultSpec) -> Self {
        self.cfg.faults = f;
        self
    }
    /// Clock speed factor.
    pub fn clock_speed(mut self, x: f64) -> Self {
        self.cfg.clock_speed = x;
        self
    }
    /// Cloud listen address (default `127.0.0.1:0`).
    pub fn addr(mut self, a: SocketAddr) -> Self {
        self.cfg.addr = a;
        self
    }
    /// Live sample interval per DER (default 1 s).
    pub fn sample_interval(mut self, d: Duration) -> Self {
        self.cfg.sample_interval = d.max(Duration::from_millis(10));
        self
    }
    /// Token bucket per identity: burst and refill per second.
    pub fn rate_limit(mut self, burst: u32, per_sec: f64) -> Self {
        self.cfg.rate_burst = burst;
        self.cfg.rate_per_sec = per_sec;
        self
    }
    /// SSE replay ring size per site.
    pub fn ring_size(mut self, n: usize) -> Self {
        self.cfg.ring_size = n.max(1);
        self
    }
    /// Load the world from / save it to this JSON file.
    pub fn state_file(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.cfg.state_file = Some(path.into());
        self
    }
    /// Serves Zap *i* on the loopback address `first + i` at `port` (80 looks like the field and
    /// needs root or `CAP_NET_BIND_SERVICE`); checked by [`SandboxBuilder::start`].
    pub fn zaps_on_loopback(mut self, first: Ipv4Addr, port: u16) -> Self {
        self.cfg.zap_addr = Some(SocketAddrV4::new(first, port));
        self
    }
    /// Also serves a router-style HTML login page (not a Zap) at this loopback address.
    pub fn web_page_host(mut self, addr: SocketAddr) -> Self {
        self.cfg.web_pages.push(addr);
        self
    }
    /// Announces the Zaps by mDNS.
    pub fn announce_mdns(mut self, mode: MdnsAnnounce) -> Self {
        self.cfg.mdns = Some(mode);
        self
    }
    /// Faults every Zap starts with (also settable later per Zap: [`SandboxHandle::set_zap_faults`]).
    pub fn zap_faults(mut self, update: ZapFaultUpdate) -> Self {
        self.cfg.zap_faults = update;
        self
    }
    /// Replaces the whole configuration.
    pub fn config(mut self, cfg: SandboxConfig) -> Self {
        self.cfg = cfg;
        self
    }

    /// Binds the listeners and starts serving.
    pub async fn start(self) -> Result<SandboxHandle> {
        let cfg = self.cfg;
        let mut secret = vec![0u8; 32];
        rand::thread_rng().fill_bytes(&mut secret);
        let (shutdown, _) = tokio::sync::watch::channel(false);
        let world = match &cfg.state_file {
            Some(p) => crate::persist::load(p)?.unwrap_or_default(),
            None => World::default(),
        };
        let sim = Arc::new(Sim {
            clock: SimClock::new(cfg.clock_speed),
            world: Mutex::new(world),
            challenges: Mutex::new(HashMap::new()),
            jwt_secret: Secret::new(secret),
            faults: Mutex::new(Faults::new(cfg.faults.clone(), cfg.seed)),
            limiter: Mutex::new(RateLimiter::new(cfg.rate_burst, cfg.rate_per_sec)),
            hub: StreamHub::new(cfg.ring_size),
            shutdown,
            cfg,
        });
        let mut tasks = Vec::new();
        let mut zaps = Vec::new();
        let mut announced = Vec::new();
        for i in 0..sim.cfg.zaps {
            let mut rng = StdRng::seed_from_u64(sim.cfg.seed ^ (0x2A9_0000 + i as u64));
            let serial = format!("zap-{:016x}", rng.gen::<u64>());
            let key = p256::ecdsa::SigningKey::random(&mut rng);
            let saved = sim.world().zaps.remove(&serial);
            let mut z = match saved {
                Some(z) => z,
                None => {
                    let mut z = ZapState::new(serial.clone(), key);
                    if sim.cfg.demo {
                        attach_demo_devices(&mut z, &mut rng);
                    }
                    z
                }
            };
            let listener = bind(zap_addr(&sim.cfg, i)?).await?;
            let at = local(&listener)?;
            let url = zap_url(at);
            announced.push((serial.clone(), at));
            z.url = Some(url.clone());
            z.faults.apply(&sim.cfg.zap_faults);
            zaps.push(ZapInfo {
                serial: serial.clone(),
                url,
                public_key: z.public_key_hex(),
            });
            sim.world().zaps.insert(serial.clone(), z);
            let ctx = ZapCtx {
                sim: sim.clone(),
                serial,
            };
            let app = zap::router(ctx.clone());
            let listener = ZapListener {
                inner: listener,
                ctx,
            };
            tasks.push(serve(listener, app, sim.clone()));
        }
        let mut web_pages = Vec::new();
        for addr in sim.cfg.web_pages.clone() {
            if !addr.ip().is_loopback() {
                return Err(Error::Config(format!(
                    "web page host {addr}: only loopback addresses"
                )));
            }
            let listener = bind(addr).await?;
            web_pages.push(format!("http://{}", local(&listener)?));
            tasks.push(serve(listener, crate::webpage::router(), sim.clone()));
        }
        let announcer = match sim.cfg.mdns {
            Some(mode) => Some(crate::mdns::Announcer::start(mode, &announced)?),
            None => None,
        };
        let listener = bind(sim.cfg.addr).await?;
        let base_url = format!("http://{}", local(&listener)?);
        tasks.push(serve(
            listener,
            crate::server::router(sim.clone()),
            sim.clone(),
        ));
        tasks.push(tokio::spawn(live::run(sim.clone())));
        if sim.cfg.state_file.is_some() {
            tasks.push(tokio::spawn(autosave(sim.clone())));
        }
        tracing::info!(%base_url, zaps = zaps.len(), "novacore-sim ready");
        Ok(SandboxHandle {
            base_url,
            zaps,
            web_pages,
            sim,
            tasks,
            announcer,
        })
    }
}

/// A field kit on a fresh Zap: hybrid inverter and P1 meter, DERs not yet publishing.
fn attach_demo_devices(z: &mut ZapState, rng: &mut StdRng) {
    for (profile, cfg) in [
        (
            "sungrow",
            json!({"type": "modbus_tcp", "ip": "192.168.1.60", "port": 502, "unit_id": 1, "profile": "sungrow"}),
        ),
        ("p1", json!({"type": "p1_uart", "baud_rate": 115200})),
    ] {
        let sn = format!(
            "{}{:06X}",
            profile.to_uppercase(),
            rng.gen::<u32>() & 0xFF_FFFF
        );
        if let Some(fd) = field_device(
            profile,
            sn.clone(),
            cfg.as_object().cloned().unwrap_or_default(),
            false,
        ) {
            z.devices.insert(sn, fd);
        }
        z.next_device += 1;
    }
}

fn save_state(sim: &Sim) {
    if let Some(p) = &sim.cfg.state_file {
        let result = crate::persist::save(p, &sim.world());
        if let Err(e) = result {
            tracing::error!(error = %e, "cannot save state");
        }
    }
}

async fn autosave(sim: Arc<Sim>) {
    let mut stop = sim.shutdown.subscribe();
    let mut iv = tokio::time::interval(Duration::from_secs(30));
    iv.tick().await;
    loop {
        tokio::select! {
            _ = iv.tick() => save_state(&sim),
            _ = crate::state::stopped(&mut stop) => break,
        }
    }
}

/// Where Zap `i` listens: its own loopback address when configured, else an ephemeral port.
fn zap_addr(cfg: &SandboxConfig, i: usize) -> Result<SocketAddr> {
    let Some(first) = cfg.zap_addr else {
        return Ok(SocketAddr::from(([127, 0, 0, 1], 0)));
    };
    let ip = u32::from(*first.ip())
        .checked_add(i as u32)
        .map(Ipv4Addr::from)
        .filter(|ip| ip.is_loopback() && ip.octets()[3] != 255)
        .ok_or_else(|| {
            Error::Config(format!(
                "Zap {i} would not be on a loopback address starting at {}",
                first.ip()
            ))
        })?;
    Ok(SocketAddr::from((ip, first.port())))
}

/// `http://ip` for port 80 (as a Zap in the field is addressed), else `http://ip:port`.
fn zap_url(at: SocketAddr) -> String {
    if at.port() == 80 {
        format!("http://{}", at.ip())
    } else {
        format!("http://{at}")
    }
}

async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind {
            addr: addr.to_string(),
            source,
        })
}

fn local(l: &tokio::net::TcpListener) -> Result<SocketAddr> {
    l.local_addr().map_err(|source| Error::Bind {
        addr: "listener".into(),
        source,
    })
}

fn serve<L>(listener: L, app: axum::Router, sim: Arc<Sim>) -> JoinHandle<()>
where
    L: axum::serve::Listener,
    L::Addr: std::fmt::Debug,
{
    let mut stop = sim.shutdown.subscribe();
    tokio::spawn(async move {
        let graceful = async move {
            let _ = stop.wait_for(|v| *v).await;
        };
        if let Err(e) = axum::serve(listener, app)
            .with_graceful_shutdown(graceful)
            .await
        {
            tracing::error!(error = %e, "server stopped");
        }
    })
}

/// A running sandbox.
#[derive(Debug)]
pub struct SandboxHandle {
    base_url: String,
    zaps: Vec<ZapInfo>,
    web_pages: Vec<String>,
    sim: Arc<Sim>,
    tasks: Vec<JoinHandle<()>>,
    announcer: Option<crate::mdns::Announcer>,
}

impl SandboxHandle {
    /// Cloud base URL, e.g. `http://127.0.0.1:41234` (no trailing slash).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The HTTP-served Zaps.
    pub fn zaps(&self) -> &[ZapInfo] {
        &self.zaps
    }

    /// Base URLs of the web-page (non-Zap) hosts.
    pub fn web_pages(&self) -> &[String] {
        &self.web_pages
    }

    /// Changes the faults of the Zap `serial` (fields absent from `update` keep their value).
    pub fn set_zap_faults(&self, serial: &str, update: &ZapFaultUpdate) -> Result<()> {
        let mut w = self.sim.world();
        let z = w
            .zaps
            .get_mut(serial)
            .ok_or_else(|| Error::NotFound(format!("zap {serial} not found")))?;
        z.faults.apply(update);
        Ok(())
    }

    /// Raises a site's household load by `w` watts from `from_ms` on, in live readings and
    /// history alike (`w` = 0 removes it): as `POST /_sim/sites/{id}/load`, for in-process tests.
    pub fn set_site_load(&self, site_id: &str, w: f64, from_ms: i64) -> Result<()> {
        crate::routes::control::set_site_load(&self.sim, site_id, w, from_ms)
    }

    /// Current simulated time (epoch ms).
    pub fn now_ms(&self) -> i64 {
        self.sim.clock.now_ms()
    }

    /// Stops every listener and background task (open SSE streams end).
    pub async fn shutdown(self) {
        if let Some(a) = self.announcer {
            a.stop().await;
        }
        let _ = self.sim.shutdown.send(true);
        save_state(&self.sim);
        for t in self.tasks {
            let abort = t.abort_handle();
            if tokio::time::timeout(Duration::from_secs(5), t)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}
