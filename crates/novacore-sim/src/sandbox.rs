//! The public entry point: `Sandbox::builder()…start()` → [`SandboxHandle`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, RngCore, SeedableRng};
use serde::Serialize;
use serde_json::json;
use tokio::task::JoinHandle;

use crate::auth::jwt::Secret;
use crate::clock::SimClock;
use crate::config::SandboxConfig;
use crate::error::{Error, Result};
use crate::faults::{FaultSpec, Faults};
use crate::ratelimit::RateLimiter;
use crate::state::Sim;
use crate::stream::StreamHub;
use crate::world::live;
use crate::world::model::World;
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
    /// Sites per demo organization.
    pub fn sites(mut self, n: usize) -> Self {
        self.cfg.sites = n.min(50);
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
            let listener = bind(SocketAddr::from(([127, 0, 0, 1], 0))).await?;
            let url = format!("http://{}", local(&listener)?);
            z.url = Some(url.clone());
            zaps.push(ZapInfo {
                serial: serial.clone(),
                url,
                public_key: z.public_key_hex(),
            });
            sim.world().zaps.insert(serial.clone(), z);
            let app = zap::router(ZapCtx {
                sim: sim.clone(),
                serial,
            });
            tasks.push(serve(listener, app, sim.clone()));
        }
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
            sim,
            tasks,
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

fn serve(listener: tokio::net::TcpListener, app: axum::Router, sim: Arc<Sim>) -> JoinHandle<()> {
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
    sim: Arc<Sim>,
    tasks: Vec<JoinHandle<()>>,
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

    /// Current simulated time (epoch ms).
    pub fn now_ms(&self) -> i64 {
        self.sim.clock.now_ms()
    }

    /// Stops every listener and background task (open SSE streams end).
    pub async fn shutdown(self) {
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
