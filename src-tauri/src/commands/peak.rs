//! The site view's "Power peak" panel over the background peak monitor: core's [`run_peaks`],
//! one per signed-in workspace, started at sign-in (see `monitors.rs`) over every site on a
//! power tariff, sends the desktop notifications (once per site and window, unless turned off
//! for the site) whichever view is open. `watch_peak` subscribes a view to it: the site's
//! [`PeakReport`] on a channel every few seconds; `unwatch_site` stops it like a live
//! subscription.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use novadesk_core::live::LiveHub;
use novadesk_core::peak::{peak_report, peak_site, run_peaks, PeakAsks, PeakReport, PeakReports};
use novadesk_core::{SettingsFile, Watch, WatchRegistry, Workspace};
use tauri::ipc::Channel;
use tauri::State;
use tokio::sync::broadcast::error::RecvError;

use crate::commands::live::{check_site_id, LiveSubscriptions};
use crate::error::CommandResult;
use crate::notify::Notifier;
use crate::state::AppState;

/// One monitor per sign-in: (server, identity, workspace instance).
type MonitorKey = (String, String, u64);

/// The peak monitors (managed state).
#[derive(Default)]
pub struct PeakMonitors {
    registry: OnceLock<WatchRegistry<MonitorKey, PeakReports>>,
    /// Each running monitor's inbox for sites a view read.
    asks: Mutex<HashMap<MonitorKey, PeakAsks>>,
}

impl std::fmt::Debug for PeakMonitors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PeakMonitors").finish_non_exhaustive()
    }
}

impl PeakMonitors {
    fn registry(&self) -> &WatchRegistry<MonitorKey, PeakReports> {
        // Few recomputes buffered: a view only needs the newest.
        self.registry
            .get_or_init(|| WatchRegistry::new(tokio::runtime::Handle::current(), 8))
    }

    /// Watches the monitor of `ws`, starting it if none runs: its site streams come from `hub`
    /// (shared with the Fleet monitor and the live views), its notifications go to `notifier`.
    pub(crate) fn subscribe(
        &self,
        ws: &Workspace,
        hub: Arc<LiveHub>,
        settings: Arc<SettingsFile>,
        notifier: Notifier,
    ) -> (Watch<MonitorKey, PeakReports>, PeakAsks) {
        let key = (ws.base_url.clone(), ws.identity_id.clone(), ws.instance);
        let registry = self.registry();
        let mut asks = self.asks.lock().unwrap_or_else(|p| p.into_inner());
        let running = registry.keys();
        asks.retain(|k, _| running.contains(k));
        let inbox = asks.entry(key.clone()).or_default().clone();
        let (ws, watch_ws, monitor_inbox) = (ws.clone(), ws.clone(), inbox.clone());
        let watch = registry.watch(key, move |tx| {
            run_peaks(
                ws,
                settings,
                monitor_inbox,
                move |site| hub.watch(&watch_ws, site),
                move |notice| {
                    notifier.send_once(&notice.key, &notice.title, &notice.body);
                },
                tx,
            )
        });
        (watch, inbox)
    }
}

/// Start receiving a site's power-peak report on `channel`; returns the subscription id for
/// `unwatch_site`. A site without a power tariff (or with a half-filled one, or no grid meter)
/// gets one report saying so; any other follows the background monitor's reports.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, live, peaks, notifier, channel))]
pub async fn watch_peak(
    state: State<'_, AppState>,
    live: State<'_, LiveSubscriptions>,
    peaks: State<'_, PeakMonitors>,
    notifier: State<'_, Notifier>,
    site_id: String,
    channel: Channel<PeakReport>,
) -> CommandResult<u32> {
    check_site_id(&site_id)?;
    let ws = state.connections.workspace().await?;
    // Read now, not from the monitor's copy: the tariff chosen in the chart may have changed.
    let site = peak_site(&ws, &site_id).await?;
    let id = live.next_id();
    if site.blocked.is_some() {
        let _ = channel.send(peak_report(&ws, &site, None)?);
        return Ok(id);
    }
    let (mut watch, asks) = peaks.subscribe(
        &ws,
        live.hub().clone(),
        state.settings.clone(),
        notifier.inner().clone(),
    );
    asks.ask(site);
    live.spawn(id, async move {
        loop {
            match watch.receiver.recv().await {
                Ok(reports) => {
                    let Some(report) = reports.iter().find(|r| r.site_id == site_id) else {
                        continue;
                    };
                    if channel.send(report.clone()).is_err() {
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
