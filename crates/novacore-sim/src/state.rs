//! Shared server state.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use crate::auth::jwt::Secret;
use crate::clock::SimClock;
use crate::config::SandboxConfig;
use crate::faults::Faults;
use crate::ratelimit::RateLimiter;
use crate::stream::StreamHub;
use crate::world::model::World;

/// A pending login challenge.
#[derive(Debug, Clone)]
pub struct Challenge {
    /// Canonical key it was issued for.
    pub public_key: String,
    /// Expiry (wall clock).
    pub expires: Instant,
}

/// Everything the handlers share.
#[derive(Debug)]
pub struct Sim {
    /// Configuration.
    pub cfg: SandboxConfig,
    /// The simulated clock.
    pub clock: SimClock,
    /// Cloud state.
    pub world: Mutex<World>,
    /// Open challenges by challenge string.
    pub challenges: Mutex<HashMap<String, Challenge>>,
    /// JWT key.
    pub jwt_secret: Secret,
    /// Fault injection.
    pub faults: Mutex<Faults>,
    /// Rate limiter.
    pub limiter: Mutex<RateLimiter>,
    /// SSE fan-out.
    pub hub: StreamHub,
    /// Flips to `true` on shutdown so streams and background tasks end.
    pub shutdown: tokio::sync::watch::Sender<bool>,
}

/// Handle passed to axum.
pub type AppState = Arc<Sim>;

/// Locks a mutex, recovering from poisoning (a panicking handler must not wedge the sandbox).
pub fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

impl Sim {
    /// Locks the world.
    pub fn world(&self) -> MutexGuard<'_, World> {
        lock(&self.world)
    }
}

impl Sim {
    /// Lifetime of newly issued tokens (a `token_ttl` fault overrides the configured one).
    pub fn token_ttl(&self) -> std::time::Duration {
        lock(&self.faults)
            .spec()
            .token_ttl_secs
            .map(std::time::Duration::from_secs)
            .unwrap_or(self.cfg.token_ttl)
    }
}

/// Resolves once shutdown has been signalled — including before this was first polled (a plain
/// `changed()` would miss a signal sent between subscribing and the first poll).
pub async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|v| *v).await;
}
