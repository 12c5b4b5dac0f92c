//! [`SandboxService`]: the Sandbox environment's server — `novacore-sim` started in-process on
//! loopback the first time it is needed, and stopped on shutdown or drop.

use tokio::sync::Mutex;

use novacore_sim::{Sandbox, SandboxHandle};

use crate::environment::Environment;
use crate::error::{Error, Result};

/// World seed of the app's Sandbox: the same demo world on every run.
pub const DEFAULT_SEED: u64 = 7;

/// Zaps the app's Sandbox serves, each on `127.0.0.1:<own port>`: enough for the Installer view to
/// show a table (and a choice), few enough to start in a blink. Their serials follow the seed.
pub const SANDBOX_ZAPS: usize = 3;

/// Developer option: `NOVADESK_SANDBOX_SITES=N` (1..=500) gives each new identity's demo
/// organization N sites instead of the sandbox's 4 — e.g. the measurement script's 20 live sites.
pub const SANDBOX_SITES_ENV: &str = "NOVADESK_SANDBOX_SITES";

/// The demo sites per organization asked for with [`SANDBOX_SITES_ENV`], if set.
pub fn sandbox_sites_from_env() -> Result<Option<usize>> {
    std::env::var(SANDBOX_SITES_ENV)
        .ok()
        .map(|text| parse_sandbox_sites(&text))
        .transpose()
}

fn parse_sandbox_sites(text: &str) -> Result<usize> {
    match text.trim().parse::<usize>() {
        Ok(n) if (1..=500).contains(&n) => Ok(n),
        _ => Err(Error::InvalidEnvironment {
            input: format!("{SANDBOX_SITES_ENV}={text}"),
            reason: format!("{SANDBOX_SITES_ENV} must be a number of sites from 1 to 500"),
        }),
    }
}

/// Starts the in-process sandbox on demand (demo world on, control routes off, `127.0.0.1:0`,
/// [`SANDBOX_ZAPS`] Zaps).
#[derive(Debug)]
pub struct SandboxService {
    seed: u64,
    running: Mutex<Option<Running>>,
}

#[derive(Debug)]
struct Running {
    handle: SandboxHandle,
    /// The runtime serving the sandbox, so `Drop` (which cannot `.await`) can stop it there.
    runtime: tokio::runtime::Handle,
}

impl Default for SandboxService {
    fn default() -> Self {
        Self::new()
    }
}

impl SandboxService {
    /// A service that will start the sandbox with [`DEFAULT_SEED`].
    pub fn new() -> Self {
        Self::with_seed(DEFAULT_SEED)
    }

    /// A service that will start the sandbox with `seed`.
    pub fn with_seed(seed: u64) -> Self {
        Self {
            seed,
            running: Mutex::new(None),
        }
    }

    /// Starts the sandbox unless it runs already; its base URL (no trailing slash).
    /// Concurrent callers wait for the one start.
    pub async fn ensure_started(&self) -> Result<String> {
        let mut running = self.running.lock().await;
        if let Some(r) = running.as_ref() {
            return Ok(r.handle.base_url().to_owned());
        }
        let mut builder = Sandbox::builder()
            .seed(self.seed)
            .demo(true)
            .control(false)
            .zaps(SANDBOX_ZAPS);
        if let Some(sites) = sandbox_sites_from_env()? {
            builder = builder.sites(sites);
        }
        let handle = builder.start().await.map_err(Error::SandboxStart)?;
        // Let the sandbox's tasks run once: its live task subscribes to shutdown when first
        // polled, and a shutdown sent before that is only noticed after a 5 s timeout.
        tokio::task::yield_now().await;
        let url = handle.base_url().to_owned();
        tracing::info!(base_url = %url, "sandbox started");
        *running = Some(Running {
            handle,
            runtime: tokio::runtime::Handle::current(),
        });
        Ok(url)
    }

    /// The base URL if the sandbox runs.
    pub async fn base_url(&self) -> Option<String> {
        self.running
            .lock()
            .await
            .as_ref()
            .map(|r| r.handle.base_url().to_owned())
    }

    /// The base URLs of the sandbox's Zaps' local APIs (starting it first if needed), in the
    /// sandbox's order.
    pub async fn zap_urls(&self) -> Result<Vec<String>> {
        self.ensure_started().await?;
        let running = self.running.lock().await;
        Ok(running
            .as_ref()
            .map(|r| r.handle.zaps().iter().map(|z| z.url.clone()).collect())
            .unwrap_or_default())
    }

    /// The base URL for `environment`: the fixed one, or — for the Sandbox — the running
    /// sandbox's, starting it first if needed.
    pub async fn base_url_for(&self, environment: &Environment) -> Result<String> {
        match environment.fixed_base_url() {
            Some(url) => Ok(url),
            None => self.ensure_started().await,
        }
    }

    /// Stops the sandbox if it runs (listeners close, open streams end). A later
    /// [`SandboxService::ensure_started`] starts a fresh one.
    pub async fn shutdown(&self) {
        let running = self.running.lock().await.take();
        if let Some(r) = running {
            r.handle.shutdown().await;
            tracing::info!("sandbox stopped");
        }
    }
}

impl Drop for SandboxService {
    fn drop(&mut self) {
        if let Some(r) = self.running.get_mut().take() {
            // If that runtime is already gone, so are the sandbox's tasks.
            r.runtime.spawn(r.handle.shutdown());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sites_option_takes_a_sane_count_and_refuses_anything_else_with_a_reason() {
        assert_eq!(parse_sandbox_sites(" 20 ").unwrap(), 20);
        for bad in ["0", "-3", "lots", "501", ""] {
            match parse_sandbox_sites(bad) {
                Err(Error::InvalidEnvironment { input, reason }) => {
                    assert!(input.starts_with("NOVADESK_SANDBOX_SITES="), "{input}");
                    assert!(reason.contains("1 to 500"), "{reason}");
                }
                other => panic!("{bad:?} gave {other:?}"),
            }
        }
    }
}
