//! The one task per watched site: reads the SDK's live stream, keeps the power flow and the
//! connection state, stores the readings, back-fills gaps, and broadcasts a [`SiteLive`] snapshot
//! after everything that changes what the UI shows.

use std::sync::Arc;

use futures::StreamExt;
use novacore::models::Reading;
use novacore::StreamEvent;
use tokio::sync::broadcast;

use super::backfill::{backfill, Backfill};
use super::flow::{BatterySign, FlowState, PowerFlow};
use super::ingest::{PendingIngest, INGEST_EVERY};
use super::LiveOptions;
use crate::workspace::Workspace;

/// How the site's live connection is doing.
///
/// - `Connecting`: opening the stream; nothing received yet.
/// - `Live`: readings are arriving.
/// - `Reconnecting`: the connection dropped; the SDK is reconnecting (resuming where it left off).
/// - `Offline`: several reconnects failed in a row, or the stream ended: the data shown is old.
///
/// (Variant docs live here: on the variants, the generated JSDoc of the window splits the type.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "LiveState"))]
pub enum LinkState {
    Connecting,
    Live,
    Reconnecting,
    Offline,
}

/// Everything the UI shows about one site's live state, after the latest change.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteLive {
    /// The site.
    pub site_id: String,
    /// Connection state.
    pub state: LinkState,
    /// Why the state is not `Live`, as a sentence.
    pub reason: Option<String>,
    /// The flows from each DER's latest reading.
    pub flow: PowerFlow,
    /// Timestamp (epoch ms, stamped by the gateway) of the newest reading.
    pub last_reading_ms: Option<i64>,
    /// When the app received the newest reading (epoch ms, the workspace clock).
    pub received_ms: Option<i64>,
    /// The reading that made this snapshot (`None` for a change of state): which DER spoke,
    /// for those waiting on one (the installer's first reading).
    pub newest: Option<Arc<Reading>>,
}

/// What a site's task broadcasts to its watchers.
#[derive(Debug, Clone, PartialEq)]
pub enum LiveEvent {
    /// The site's state after a change (shared: every watcher gets the same one).
    Snapshot(Arc<SiteLive>),
    /// A gap the stream reported was back-filled from history (or could not be).
    Backfilled(Backfill),
}

/// Failed reconnects in a row after which the site is shown as offline rather than reconnecting.
pub const OFFLINE_AFTER_FAILURES: u32 = 3;

/// Runs the site's stream until it ends (or the task is aborted by the last watcher leaving).
pub(crate) async fn run(
    ws: Workspace,
    site_id: String,
    tx: broadcast::Sender<LiveEvent>,
    options: LiveOptions,
) {
    let mut site = Site {
        live: SiteLive {
            site_id: site_id.clone(),
            state: LinkState::Connecting,
            reason: None,
            flow: PowerFlow::default(),
            last_reading_ms: None,
            received_ms: None,
            newest: None,
        },
        flows: FlowState::new(),
        sign: options.battery_sign,
        tx,
    };
    site.send();
    let mut pending = PendingIngest::new(ws.clone());
    // Readings and reconnects report online, failures offline (the banner), as they arrive.
    let mut stream = Box::pin(ws.novacore_stream(|c| {
        c.telemetry()
            .stream_site_with(&site_id, options.stream.clone())
    }));
    let mut flush = tokio::time::interval(INGEST_EVERY);
    flush.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failures = 0u32;
    loop {
        let event = tokio::select! {
            e = stream.next() => e,
            _ = flush.tick() => {
                pending.flush();
                continue;
            }
        };
        match event {
            None => {
                site.set_state(LinkState::Offline, Some("The live stream ended.".into()));
                break;
            }
            Some(Err(err)) => {
                let reason = if err.is_auth() {
                    "The session ended; sign in again to see live values.".to_string()
                } else if err.is_offline() {
                    format!("{} cannot be reached.", ws.environment.display_name())
                } else {
                    format!("The live stream stopped: {err}.")
                };
                site.set_state(LinkState::Offline, Some(reason));
                break;
            }
            Some(Ok(StreamEvent::Reading { reading, .. })) => {
                failures = 0;
                pending.push(&reading);
                site.flows.apply(&reading);
                site.live.received_ms = Some(ws.now_ms());
                site.live.last_reading_ms = site.flows.last_reading_ms();
                site.live.flow = site.flows.flow(site.sign);
                site.live.state = LinkState::Live;
                site.live.reason = None;
                site.live.newest = Some(Arc::new(reading));
                site.send();
                site.live.newest = None;
            }
            Some(Ok(StreamEvent::Reconnected { .. })) => {
                failures = 0;
                site.set_state(LinkState::Live, None);
            }
            Some(Ok(StreamEvent::Disconnected { reason, retry_in })) => {
                failures += 1;
                pending.flush();
                let state = if failures >= OFFLINE_AFTER_FAILURES {
                    LinkState::Offline
                } else {
                    LinkState::Reconnecting
                };
                let secs = retry_in.as_secs_f64().ceil().max(1.0);
                site.set_state(
                    state,
                    Some(format!(
                        "Connection lost ({reason}); trying again in {secs:.0} s."
                    )),
                );
            }
            Some(Ok(StreamEvent::KeepAliveTimeout)) => {
                site.set_state(
                    LinkState::Reconnecting,
                    Some("No data for a while; reconnecting.".into()),
                );
            }
            Some(Ok(StreamEvent::Gap { from, to, .. })) => {
                pending.flush();
                // Without times from the server: from the last reading seen up to now.
                let now = ws.clock.now();
                let last = site
                    .live
                    .last_reading_ms
                    .and_then(chrono::DateTime::from_timestamp_millis);
                let from = from.or(last).unwrap_or(now);
                let to = to.unwrap_or(now);
                let done = backfill(&ws, &site_id, from, to).await;
                let _ = site.tx.send(LiveEvent::Backfilled(done));
            }
            Some(Ok(StreamEvent::Skipped { reason })) => {
                tracing::debug!(%site_id, %reason, "live frame skipped");
            }
        }
    }
}

struct Site {
    live: SiteLive,
    flows: FlowState,
    sign: BatterySign,
    tx: broadcast::Sender<LiveEvent>,
}

impl Site {
    fn send(&self) {
        // No receiver is fine: the last watcher may be leaving just now.
        let _ = self
            .tx
            .send(LiveEvent::Snapshot(Arc::new(self.live.clone())));
    }

    fn set_state(&mut self, state: LinkState, reason: Option<String>) {
        if self.live.state != state || self.live.reason != reason {
            self.live.state = state;
            self.live.reason = reason;
            self.send();
        }
    }
}
