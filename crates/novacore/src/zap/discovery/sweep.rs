//! Subnet sweep: probe `GET http://<ip>:<port>/api/system` on every host of a network with
//! bounded concurrency and a short timeout; a host is a Zap only when it answers JSON with a
//! `zap` section. Events: progress after every probe, each Zap as it is found; cancellable.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::{mpsc, Notify};

use super::{inspect, FoundBy, FoundZap};
use crate::error::{Error, Result};
use crate::zap::ZapClient;

/// How to sweep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SweepOptions {
    /// Port of the Zap API (80 in the field).
    pub port: u16,
    /// Hosts probed at once.
    pub concurrency: usize,
    /// Per-host timeout (connect and answer).
    pub timeout: Duration,
}

impl Default for SweepOptions {
    fn default() -> Self {
        Self {
            port: 80,
            concurrency: 64,
            timeout: Duration::from_millis(1000),
        }
    }
}

/// Where a sweep stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SweepProgress {
    /// Hosts probed so far.
    pub probed: usize,
    /// Hosts to probe.
    pub total: usize,
    /// Zaps found so far.
    pub found: usize,
    /// No more events follow.
    pub done: bool,
    /// Ended by [`SweepCancel::cancel`].
    pub cancelled: bool,
}

/// What a sweep reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum SweepEvent {
    /// After every probe, and once more at the end (`done: true`).
    Progress(SweepProgress),
    /// A Zap.
    Found(FoundZap),
}

/// The outcome of a whole sweep ([`Sweep::finish`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepReport {
    /// Zaps, in address order.
    pub zaps: Vec<FoundZap>,
    /// Final counts.
    pub progress: SweepProgress,
    /// Wall time, ms.
    pub elapsed_ms: u64,
}

/// Stops a running sweep (clone it into a Cancel button); probes in flight are abandoned.
#[derive(Debug, Clone, Default)]
pub struct SweepCancel {
    flag: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl SweepCancel {
    /// Requests the stop; the sweep's last event is `Progress { done: true, cancelled: true }`.
    pub fn cancel(&self) {
        self.flag.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// Whether cancel was requested.
    pub fn is_cancelled(&self) -> bool {
        self.flag.load(Ordering::SeqCst)
    }

    async fn cancelled(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_cancelled() {
                return;
            }
            notified.await;
        }
    }
}

/// A running sweep: a [`Stream`] of [`SweepEvent`]s. Dropping it cancels it.
#[derive(Debug)]
pub struct Sweep {
    events: mpsc::Receiver<SweepEvent>,
    cancel: SweepCancel,
    started: Instant,
}

impl Sweep {
    /// Starts sweeping `hosts` (e.g. [`super::Ipv4Net::hosts`]) on the current tokio runtime.
    pub fn start(hosts: Vec<Ipv4Addr>, opts: SweepOptions) -> Result<Self> {
        if opts.concurrency == 0 || opts.timeout.is_zero() {
            return Err(Error::InvalidInput(
                "a sweep needs a concurrency and a timeout above zero".into(),
            ));
        }
        let http = reqwest::Client::builder()
            .timeout(opts.timeout)
            .connect_timeout(opts.timeout)
            // One connection per probe and no proxy: each host is asked directly, once.
            .pool_max_idle_per_host(0)
            .no_proxy()
            .build()
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        let (tx, events) = mpsc::channel(256);
        let cancel = SweepCancel::default();
        tokio::spawn(run(hosts, opts, http, tx, cancel.clone()));
        Ok(Self {
            events,
            cancel,
            started: Instant::now(),
        })
    }

    /// A handle that cancels this sweep.
    pub fn canceller(&self) -> SweepCancel {
        self.cancel.clone()
    }

    /// The next event; `None` after the final progress.
    pub async fn next_event(&mut self) -> Option<SweepEvent> {
        self.events.recv().await
    }

    /// Runs to the end and collects the Zaps.
    pub async fn finish(mut self) -> SweepReport {
        let mut zaps = Vec::new();
        let mut progress = SweepProgress::default();
        while let Some(ev) = self.events.recv().await {
            match ev {
                SweepEvent::Found(z) => zaps.push(z),
                SweepEvent::Progress(p) => progress = p,
            }
        }
        zaps.sort_by_key(|z| sort_key(&z.url));
        SweepReport {
            zaps,
            progress,
            elapsed_ms: self.started.elapsed().as_millis() as u64,
        }
    }
}

fn sort_key(url: &str) -> (u32, String) {
    let host = url.trim_start_matches("http://");
    let ip = host
        .split(':')
        .next()
        .and_then(|h| h.parse::<Ipv4Addr>().ok());
    (ip.map(u32::from).unwrap_or(u32::MAX), url.to_string())
}

impl Drop for Sweep {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}

impl Stream for Sweep {
    type Item = SweepEvent;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<SweepEvent>> {
        self.events.poll_recv(cx)
    }
}

/// Probes one host; `Some` only for a Zap.
async fn probe(http: reqwest::Client, ip: Ipv4Addr, port: u16) -> Option<FoundZap> {
    let addr = SocketAddr::new(IpAddr::V4(ip), port);
    let text = if port == 80 {
        format!("http://{ip}")
    } else {
        format!("http://{addr}")
    };
    let base = url::Url::parse(&text).ok()?;
    let client = ZapClient::with_http(http, base);
    inspect(&client, FoundBy::Sweep).await.ok()
}

async fn run(
    hosts: Vec<Ipv4Addr>,
    opts: SweepOptions,
    http: reqwest::Client,
    tx: mpsc::Sender<SweepEvent>,
    cancel: SweepCancel,
) {
    let mut progress = SweepProgress {
        total: hosts.len(),
        ..Default::default()
    };
    let port = opts.port;
    let mut probes = futures::stream::iter(hosts)
        .map(|ip| probe(http.clone(), ip, port))
        .buffer_unordered(opts.concurrency);
    loop {
        let next = tokio::select! {
            n = probes.next() => n,
            _ = cancel.cancelled() => {
                progress.cancelled = true;
                None
            }
        };
        let Some(found) = next else { break };
        progress.probed += 1;
        if let Some(z) = found {
            progress.found += 1;
            if tx.send(SweepEvent::Found(z)).await.is_err() {
                return;
            }
        }
        if tx.send(SweepEvent::Progress(progress)).await.is_err() {
            return;
        }
    }
    progress.done = true;
    let _ = tx.send(SweepEvent::Progress(progress)).await;
}
