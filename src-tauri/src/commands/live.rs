//! Live power flow to the window: `watch_site` streams a site's updates over a
//! `tauri::ipc::Channel` (one per subscription: cheaper than broadcasting an event to every window,
//! and it ends with its view), `unwatch_site` stops it. The core keeps one stream per site however
//! many subscriptions watch it, and stops it with the last one. Leaving the page (reload) or
//! closing the window ends every subscription ([`LiveSubscriptions::stop_all`]).

use std::collections::HashMap;
use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use novadesk_core::live::{forward, Backfill, Flow, LinkState, LiveFrame, LiveHub, LiveOptions};
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use crate::error::CommandResult;
use crate::state::AppState;

/// The live subscriptions of the app's windows (managed state).
#[derive(Default)]
pub struct LiveSubscriptions {
    hub: OnceLock<Arc<LiveHub>>,
    next: AtomicU32,
    /// Shared with each subscription's task, which removes itself when it ends on its own.
    active: Arc<Mutex<HashMap<u32, tokio::task::AbortHandle>>>,
}

impl std::fmt::Debug for LiveSubscriptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LiveSubscriptions")
            .field("active", &self.len())
            .finish_non_exhaustive()
    }
}

impl LiveSubscriptions {
    /// The hub, created on first use on the runtime the commands run on (shared with the
    /// installer's wait for a first reading: one stream per site for both).
    pub(crate) fn hub(&self) -> &Arc<LiveHub> {
        self.hub.get_or_init(|| {
            Arc::new(LiveHub::new(
                tokio::runtime::Handle::current(),
                LiveOptions::default(),
            ))
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u32, tokio::task::AbortHandle>> {
        lock(&self.active)
    }

    /// A fresh subscription id (live, peak and Fleet subscriptions share the table, so a reload
    /// stops them all).
    pub(crate) fn next_id(&self) -> u32 {
        self.next.fetch_add(1, Ordering::Relaxed) + 1
    }

    /// Runs `work` as subscription `id` until it ends or is stopped.
    pub(crate) fn spawn(&self, id: u32, work: impl Future<Output = ()> + Send + 'static) {
        // Inserting under the lock the task needs for removing itself: a task that ends at once
        // still finds its entry.
        let mut active = self.lock();
        let table = self.active.clone();
        let task = tokio::spawn(async move {
            work.await;
            lock(&table).remove(&id);
        });
        active.insert(id, task.abort_handle());
    }

    /// Subscriptions running.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether none runs.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Site streams running (each shared by its subscriptions).
    pub fn streams(&self) -> usize {
        self.hub.get().map_or(0, |h| h.streams())
    }

    /// Stops one subscription; `false` if it was not running (already stopped or unknown).
    pub fn stop(&self, id: u32) -> bool {
        match self.lock().remove(&id) {
            Some(task) => {
                task.abort();
                true
            }
            None => false,
        }
    }

    /// Stops every subscription (the page reloaded or the window closed).
    pub fn stop_all(&self) {
        for (_, task) in self.lock().drain() {
            task.abort();
        }
    }
}

fn lock(
    table: &Mutex<HashMap<u32, tokio::task::AbortHandle>>,
) -> std::sync::MutexGuard<'_, HashMap<u32, tokio::task::AbortHandle>> {
    table.lock().unwrap_or_else(|p| p.into_inner())
}

/// One update for a live view: a frame of core's [`SiteLive`](novadesk_core::live::SiteLive)
/// flattened for the view, with the frame's back-fills and misses. Times are epoch milliseconds
/// (numbers, for JavaScript).
#[derive(Debug, Clone, Serialize, Type)]
pub struct LiveUpdate {
    pub site_id: String,
    /// `connecting`, `live`, `reconnecting` or `offline`.
    pub state: LinkState,
    /// Why the state is not `live`, as a sentence.
    pub reason: Option<String>,
    /// Grid exchange, W: + importing, − exporting.
    pub grid: Option<LiveFlow>,
    /// Solar, W: ≤ 0 while generating (the platform's sign).
    pub solar: Option<LiveFlow>,
    /// Battery, W: + charging, − discharging.
    pub battery: Option<LiveFlow>,
    /// Battery state of charge, 0..1.
    pub battery_soc_fract: Option<f64>,
    /// Energy in the batteries, Wh.
    pub battery_stored_wh: Option<f64>,
    /// EV charger, W: + charging the vehicle, − feeding back.
    pub ev: Option<LiveFlow>,
    /// The charger's status word, when there is one charger.
    pub ev_status: Option<String>,
    /// Energy charged this session, Wh.
    pub ev_session_wh: Option<f64>,
    /// The house's own use, W.
    pub load_w: Option<f64>,
    /// Timestamp of the newest reading (stamped at the gateway).
    pub last_reading_ms: Option<f64>,
    /// When the app received the newest reading.
    pub received_ms: Option<f64>,
    /// When this update was handed to the channel.
    pub sent_ms: f64,
    /// Gaps back-filled from history since the previous update.
    pub backfills: Vec<LiveBackfill>,
    /// Updates this view fell too far behind to receive (the next one is current again).
    pub missed: u32,
}

/// One flow: power and the timestamp of the newest reading behind it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Type)]
pub struct LiveFlow {
    pub w: f64,
    pub ts_ms: f64,
}

/// A gap the stream reported, filled from history (or not, with the reason).
#[derive(Debug, Clone, PartialEq, Serialize, Type)]
pub struct LiveBackfill {
    pub from_ms: f64,
    pub to_ms: f64,
    pub buckets: u32,
    pub error: Option<String>,
}

impl LiveUpdate {
    /// The UI's shape of a frame; `None` for a frame with nothing to show.
    pub fn from_frame(site_id: &str, frame: LiveFrame, sent_ms: i64) -> Option<Self> {
        let backfills: Vec<LiveBackfill> = frame.backfills.iter().map(backfill).collect();
        let missed = u32::try_from(frame.missed).unwrap_or(u32::MAX);
        let s = frame.latest?;
        let flow = |f: Option<Flow>| {
            f.map(|f| LiveFlow {
                w: f.w,
                ts_ms: f.ts_ms as f64,
            })
        };
        Some(Self {
            site_id: site_id.to_string(),
            state: s.state,
            reason: s.reason.clone(),
            grid: flow(s.flow.grid),
            solar: flow(s.flow.solar),
            battery: flow(s.flow.battery),
            battery_soc_fract: s.flow.battery_soc_fract,
            battery_stored_wh: s.flow.battery_stored_wh,
            ev: flow(s.flow.ev),
            ev_status: s.flow.ev_status.clone(),
            ev_session_wh: s.flow.ev_session_wh,
            load_w: s.flow.load_w,
            last_reading_ms: s.last_reading_ms.map(|t| t as f64),
            received_ms: s.received_ms.map(|t| t as f64),
            sent_ms: sent_ms as f64,
            backfills,
            missed,
        })
    }
}

fn backfill(b: &Backfill) -> LiveBackfill {
    LiveBackfill {
        from_ms: b.from_ms as f64,
        to_ms: b.to_ms as f64,
        buckets: u32::try_from(b.buckets).unwrap_or(u32::MAX),
        error: b.error.clone(),
    }
}

/// Site ids are opaque tokens (`sit-…`); anything else is refused before it reaches a URL.
pub(crate) fn check_site_id(site_id: &str) -> CommandResult<()> {
    super::installer::id("site", site_id).map(|_| ())
}

/// Start receiving a site's live power flow on `channel`; returns the subscription id for
/// `unwatch_site`. Updates come at most once per frame.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, live, channel))]
pub async fn watch_site(
    state: State<'_, AppState>,
    live: State<'_, LiveSubscriptions>,
    site_id: String,
    channel: Channel<LiveUpdate>,
) -> CommandResult<u32> {
    check_site_id(&site_id)?;
    let ws = state.connections.workspace().await?;
    let id = live.next.fetch_add(1, Ordering::Relaxed) + 1;
    let watch = live.hub().watch(&ws, &site_id);
    let clock = ws.clock.clone();
    live.spawn(id, async move {
        forward(watch, clock.clone(), |frame| {
            match LiveUpdate::from_frame(&site_id, frame, clock.now().timestamp_millis()) {
                Some(update) => channel.send(update).is_ok(),
                None => true,
            }
        })
        .await;
    });
    Ok(id)
}

/// Stop a subscription (`false` if it had already ended). The site's stream stops when no one
/// watches it any more.
#[tauri::command]
#[specta::specta]
pub fn unwatch_site(live: State<'_, LiveSubscriptions>, subscription: u32) -> CommandResult<bool> {
    Ok(live.stop(subscription))
}

#[cfg(test)]
mod tests {
    use super::*;
    use novadesk_core::live::{PowerFlow, SiteLive};
    use std::sync::Arc;

    #[test]
    fn frames_become_updates_with_numbers_for_times_and_empty_frames_are_skipped() {
        let flow = PowerFlow {
            grid: Some(Flow {
                w: -1500.0,
                ts_ms: 1_772_791_200_000,
                ders: 1,
            }),
            battery_soc_fract: Some(0.4),
            ..Default::default()
        };
        let frame = LiveFrame {
            latest: Some(Arc::new(SiteLive {
                site_id: "sit-1".into(),
                state: LinkState::Reconnecting,
                reason: Some("Connection lost".into()),
                flow,
                last_reading_ms: Some(1_772_791_200_000),
                received_ms: Some(1_772_791_200_050),
                newest: None,
            })),
            backfills: vec![Backfill {
                from_ms: 0,
                to_ms: 60_000,
                buckets: 3,
                error: None,
            }],
            missed: 2,
        };
        let u = LiveUpdate::from_frame("sit-1", frame, 1_772_791_200_060).unwrap();
        let json = serde_json::to_value(&u).unwrap();
        assert_eq!(json["state"], "reconnecting");
        assert_eq!(json["grid"]["w"], -1500.0);
        assert_eq!(json["grid"]["ts_ms"], 1_772_791_200_000.0);
        assert_eq!(json["solar"], serde_json::Value::Null);
        assert_eq!(json["battery_soc_fract"], 0.4);
        assert_eq!(json["backfills"][0]["buckets"], 3);
        assert_eq!(json["missed"], 2);
        assert_eq!(json["sent_ms"], 1_772_791_200_060.0);
        assert!(LiveUpdate::from_frame("sit-1", LiveFrame::default(), 0).is_none());
    }

    #[test]
    fn site_ids_are_checked_before_they_reach_a_url() {
        assert!(check_site_id("sit-0b7c3f2e-1a2b-4c5d-8e9f-001122334455").is_ok());
        for bad in ["", "../organizations", "sit 1", "sit/1", &"x".repeat(201)] {
            let err = check_site_id(bad).unwrap_err();
            assert_eq!(
                err.message, "That is not a site id. Open it again from its list.",
                "{bad:?}"
            );
        }
    }

    #[tokio::test]
    async fn stopping_aborts_the_subscription_and_reports_whether_it_ran() {
        let subs = LiveSubscriptions::default();
        let task = tokio::spawn(std::future::pending::<()>());
        subs.lock().insert(7, task.abort_handle());
        assert_eq!(subs.len(), 1);
        assert!(subs.stop(7));
        assert!(!subs.stop(7), "already stopped");
        assert!(task.await.unwrap_err().is_cancelled());
        let other = tokio::spawn(std::future::pending::<()>());
        subs.lock().insert(8, other.abort_handle());
        subs.stop_all();
        assert!(subs.is_empty());
        assert!(other.await.unwrap_err().is_cancelled());
    }

    #[tokio::test]
    async fn a_subscription_that_ends_by_itself_leaves_the_table() {
        let subs = LiveSubscriptions::default();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        subs.spawn(1, async move {
            let _ = rx.await;
        });
        subs.spawn(2, std::future::pending());
        assert_eq!(subs.len(), 2);
        tx.send(()).unwrap(); // e.g. the window's channel is gone
        for _ in 0..200 {
            if subs.len() == 1 {
                break;
            }
            tokio::task::yield_now().await;
        }
        assert_eq!(subs.len(), 1, "the ended one removed itself");
        assert!(subs.stop(2));
        assert!(subs.is_empty());
    }
}
