//! The Fleet view: every site at a glance, kept live. The core's one monitor per signed-in
//! workspace, started at sign-in (see `monitors.rs`), watches every site through the shared live
//! hub and decides silence incidents, which the shell emits once each as
//! [`SilenceIncidentChanged`] (see [`FleetMonitors::set_emitter`]) whichever view is open.
//! `watch_fleet` subscribes a view to it: [`FleetUpdate`]s over a `Channel` (one subscription per
//! view, in the live subscriptions' table so a reload stops it too), the newest at once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use novadesk_core::fleet::{run_fleet, FleetUpdate, IncidentChange};
use novadesk_core::live::LiveHub;
use novadesk_core::{SettingsFile, Watch, WatchRegistry, Workspace};
use tauri::ipc::Channel;
use tauri::State;
use tokio::sync::broadcast::error::RecvError;

use super::live::LiveSubscriptions;
use crate::error::CommandResult;
use crate::state::AppState;

/// An incident started or cleared: emitted once per change, whichever views are open.
/// `title`/`body` are ready for a desktop notification.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, specta::Type, tauri_specta::Event)]
pub struct SilenceIncidentChanged {
    pub change: IncidentChange,
    pub title: String,
    pub body: String,
    /// Unique per incident and change (for "once" delivery).
    pub key: String,
}

impl From<IncidentChange> for SilenceIncidentChanged {
    fn from(change: IncidentChange) -> Self {
        Self {
            title: change.title(),
            body: change.body(),
            key: change.key(),
            change,
        }
    }
}

type Emitter = Arc<dyn Fn(SilenceIncidentChanged) + Send + Sync>;
/// One monitor per sign-in: (server, identity, workspace instance).
type MonitorKey = (String, String, u64);

/// The Fleet monitors (managed state).
#[derive(Default)]
pub struct FleetMonitors {
    registry: OnceLock<WatchRegistry<MonitorKey, FleetUpdate>>,
    emitter: OnceLock<Emitter>,
    /// Each running monitor's newest update, for a view that subscribes between two.
    latest: Mutex<HashMap<MonitorKey, Arc<Mutex<Option<FleetUpdate>>>>>,
}

impl std::fmt::Debug for FleetMonitors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetMonitors").finish_non_exhaustive()
    }
}

impl FleetMonitors {
    /// Where incident changes go (set once at setup; the app emits them to the window).
    pub fn set_emitter(&self, emit: Emitter) {
        let _ = self.emitter.set(emit);
    }

    fn registry(&self) -> &WatchRegistry<MonitorKey, FleetUpdate> {
        // Few updates buffered: a view only needs the newest.
        self.registry
            .get_or_init(|| WatchRegistry::new(tokio::runtime::Handle::current(), 8))
    }

    /// Watches the monitor of `ws`, starting it if none runs (its site streams come from `hub`,
    /// shared with the peak monitor and the live views); with the newest update so far.
    pub(crate) fn subscribe(
        &self,
        ws: &Workspace,
        hub: Arc<LiveHub>,
        settings: Arc<SettingsFile>,
    ) -> (Watch<MonitorKey, FleetUpdate>, Option<FleetUpdate>) {
        let key = (ws.base_url.clone(), ws.identity_id.clone(), ws.instance);
        let emit = self.emitter.get().cloned();
        let registry = self.registry();
        let mut latest = self.latest.lock().unwrap_or_else(|p| p.into_inner());
        let running = registry.keys();
        latest.retain(|k, _| running.contains(k));
        let newest = latest.entry(key.clone()).or_default().clone();
        let (ws, watch_ws, keep) = (ws.clone(), ws.clone(), newest.clone());
        let watch = registry.watch(key, move |tx| {
            let (relay, mut changes) = tokio::sync::broadcast::channel::<FleetUpdate>(8);
            async move {
                let forward = async move {
                    loop {
                        match changes.recv().await {
                            Ok(update) => {
                                if let Some(emit) = &emit {
                                    for change in &update.changes {
                                        emit(change.clone().into());
                                    }
                                }
                                *keep.lock().unwrap_or_else(|p| p.into_inner()) =
                                    Some(update.clone());
                                let _ = tx.send(update);
                            }
                            Err(RecvError::Lagged(_)) => continue,
                            Err(RecvError::Closed) => break,
                        }
                    }
                };
                let monitor =
                    run_fleet(ws, settings, move |site| hub.watch(&watch_ws, site), relay);
                tokio::join!(monitor, forward);
            }
        });
        let newest = newest.lock().unwrap_or_else(|p| p.into_inner()).clone();
        (watch, newest)
    }
}

/// Start receiving the Fleet view's updates on `channel` (the first at once from the store,
/// then every few seconds); returns the subscription id for `unwatch_fleet`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, live, fleet, channel))]
pub async fn watch_fleet(
    state: State<'_, AppState>,
    live: State<'_, LiveSubscriptions>,
    fleet: State<'_, FleetMonitors>,
    channel: Channel<FleetUpdate>,
) -> CommandResult<u32> {
    let ws = state.connections.workspace().await?;
    let (mut watch, newest) = fleet.subscribe(&ws, live.hub().clone(), state.settings.clone());
    let id = live.next_id();
    live.spawn(id, async move {
        if let Some(update) = newest {
            if channel.send(update).is_err() {
                return;
            }
        }
        loop {
            match watch.receiver.recv().await {
                Ok(update) => {
                    if channel.send(update).is_err() {
                        break;
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => break,
            }
        }
    });
    Ok(id)
}

/// Stop a Fleet subscription (`false` if it had already ended); the monitor stops with the last.
#[tauri::command]
#[specta::specta]
pub fn unwatch_fleet(live: State<'_, LiveSubscriptions>, subscription: u32) -> CommandResult<bool> {
    Ok(live.stop(subscription))
}
