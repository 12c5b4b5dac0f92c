//! Live power flow of sites: one SDK stream per watched site however many views watch it
//! ([`LiveHub`] over [`WatchRegistry`]), readings stored for the chart and offline views, the
//! connection state with the time of the last reading, gaps back-filled from history, and updates
//! paced to at most one per frame for the UI ([`forward`]).
//!
//! ```no_run
//! # async fn show(ws: novadesk_core::Workspace) {
//! use novadesk_core::live::{forward, LiveHub, LiveOptions};
//! let hub = LiveHub::new(tokio::runtime::Handle::current(), LiveOptions::default());
//! let watch = hub.watch(&ws, "sit-1");
//! forward(watch, ws.clock.clone(), |frame| {
//!     if let Some(s) = &frame.latest {
//!         println!("{:?} {:?}", s.state, s.flow.grid);
//!     }
//!     true // false once the UI side is gone
//! })
//! .await;
//! # }
//! ```

mod backfill;
mod flow;
mod ingest;
mod site_stream;

use std::sync::Arc;

use novacore::StreamOptions;

pub use backfill::{Backfill, BACKFILL_TIMEOUT};
pub use flow::{BatterySign, Flow, FlowState, PowerFlow};
pub use ingest::{reading_json, PendingIngest, INGEST_EVERY};
pub use site_stream::{LinkState, LiveEvent, SiteLive, OFFLINE_AFTER_FAILURES};

use crate::clock::Clock;
use crate::frames::{batch_frames, FRAME};
use crate::watch::{Watch, WatchRegistry};
use crate::workspace::Workspace;

/// Tuning of the live streams.
#[derive(Debug, Clone, Default)]
pub struct LiveOptions {
    /// The SDK stream's reconnect and timeout settings.
    pub stream: StreamOptions,
    /// Which way battery power points on the wire.
    pub battery_sign: BatterySign,
}

/// Snapshots a watcher may fall behind by before it is told it missed some (only the latest
/// snapshot matters to a view, so a small buffer is enough).
const BUFFER: usize = 256;

/// Which stream a watch belongs to: a site of one identity on one server (a second sign-in to
/// another environment must not share the first one's stream).
pub type LiveKey = (String, String, String);

/// One live task per (server, identity, site), shared by its watchers.
pub struct LiveHub {
    registry: WatchRegistry<LiveKey, LiveEvent>,
    options: LiveOptions,
}

impl std::fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveHub")
            .field("registry", &self.registry)
            .finish_non_exhaustive()
    }
}

impl LiveHub {
    /// Site tasks run on `runtime`.
    pub fn new(runtime: tokio::runtime::Handle, options: LiveOptions) -> Self {
        Self {
            registry: WatchRegistry::new(runtime, BUFFER),
            options,
        }
    }

    /// Watches `site_id` in `ws`: starts its stream if no one watches it yet. Drop the watch to
    /// stop watching; the stream stops with its last watcher.
    pub fn watch(&self, ws: &Workspace, site_id: &str) -> Watch<LiveKey, LiveEvent> {
        let key = (
            ws.base_url.clone(),
            ws.identity_id.clone(),
            site_id.to_string(),
        );
        let (ws, site, options) = (ws.clone(), site_id.to_string(), self.options.clone());
        self.registry
            .watch(key, move |tx| site_stream::run(ws, site, tx, options))
    }

    /// How many watchers a site of `ws` has.
    pub fn watchers(&self, ws: &Workspace, site_id: &str) -> usize {
        self.registry.watchers(&(
            ws.base_url.clone(),
            ws.identity_id.clone(),
            site_id.to_string(),
        ))
    }

    /// Sites with a running stream.
    pub fn streams(&self) -> usize {
        self.registry.keys().len()
    }
}

/// One UI update: the latest snapshot of a frame's worth of events, plus what else happened.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LiveFrame {
    /// The newest snapshot in the frame; a frame with back-fills but no snapshot repeats the
    /// previous one (the window draws an update from a snapshot, and would drop the back-fill).
    pub latest: Option<Arc<SiteLive>>,
    /// Back-fills finished during the frame.
    pub backfills: Vec<Backfill>,
    /// Events this watcher fell too far behind to receive.
    pub missed: u64,
}

/// Delivers the watch's events to `deliver`, at most once per frame, each frame reduced to its
/// newest snapshot. Returns when the site's task ends or `deliver` returns `false`; the watch is
/// dropped then (stopping the stream if it was the last).
pub async fn forward<F>(mut watch: Watch<LiveKey, LiveEvent>, clock: Arc<dyn Clock>, mut deliver: F)
where
    F: FnMut(LiveFrame) -> bool,
{
    // Take the watch's own receiver (it holds what the task sent before we got here, e.g. the
    // first "connecting" snapshot); the stand-in left behind is never read.
    let placeholder = watch.receiver.resubscribe();
    let receiver = std::mem::replace(&mut watch.receiver, placeholder);
    let mut current: Option<Arc<SiteLive>> = None;
    batch_frames(receiver, clock, FRAME, |batch| {
        let mut frame = LiveFrame {
            missed: batch.missed,
            ..Default::default()
        };
        for event in batch.items {
            match event {
                LiveEvent::Snapshot(s) => frame.latest = Some(s),
                LiveEvent::Backfilled(b) => frame.backfills.push(b),
            }
        }
        // A back-fill finishes before the reading that revealed the gap is shown: measured in
        // the window (a history request over loopback outlasts a frame), it came alone.
        match &frame.latest {
            Some(s) => current = Some(s.clone()),
            None if !frame.backfills.is_empty() => frame.latest = current.clone(),
            None => {}
        }
        deliver(frame)
    })
    .await;
    drop(watch);
}
