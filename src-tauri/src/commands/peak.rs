//! The site view's "Power peak" panel: `watch_peak` sends the site's [`PeakReport`] on a channel
//! now and every few seconds (running average, projection, the month's charged peaks, the
//! warning), and shows a desktop notification when core's [`PeakAlerts`] says so (once per site
//! and hour, unless turned off for the site). `unwatch_site` stops it like a live subscription.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use novadesk_core::live::{LiveEvent, SiteLive};
use novadesk_core::peak::{
    fetch_peak_history, notification, peak_report, peak_site, PeakAlerts, PeakReport,
};
use novadesk_core::SettingsFile;
use tauri::ipc::Channel;
use tauri::State;
use tokio::sync::broadcast::error::RecvError;

use crate::commands::live::{check_site_id, LiveSubscriptions};
use crate::error::CommandResult;
use crate::notify::Notifier;
use crate::state::AppState;

/// How often the panel's numbers are recomputed from the store.
const EVERY: Duration = Duration::from_secs(3);

/// Reports a notification waits for the live power flow before going out without it.
const FLOW_WAIT: u32 = 3;

/// The peak warnings already notified (managed state; one ledger for every window).
#[derive(Debug, Default, Clone)]
pub struct PeakWatch {
    alerts: Arc<Mutex<PeakAlerts>>,
}

impl PeakWatch {
    fn should_notify(&self, site_id: &str, report: &PeakReport, settings: &SettingsFile) -> bool {
        let Some(status) = &report.status else {
            return false;
        };
        let on = settings.get().peak_notifications_on(site_id);
        self.alerts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .should_notify(site_id, status, on)
    }
}

/// Start receiving a site's power-peak report on `channel`; returns the subscription id for
/// `unwatch_site`. A site without a power tariff (or with a half-filled one, or no grid meter)
/// gets one report saying so.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, live, peaks, notifier, channel))]
pub async fn watch_peak(
    state: State<'_, AppState>,
    live: State<'_, LiveSubscriptions>,
    peaks: State<'_, PeakWatch>,
    notifier: State<'_, Notifier>,
    site_id: String,
    channel: Channel<PeakReport>,
) -> CommandResult<u32> {
    check_site_id(&site_id)?;
    let ws = state.connections.workspace().await?;
    let site = peak_site(&ws, &site_id).await?;
    let id = live.next_id();
    if site.blocked.is_some() {
        let _ = channel.send(peak_report(&ws, &site, None)?);
        return Ok(id);
    }
    let mut watch = live.hub().watch(&ws, &site_id);
    let (settings, peaks, notifier) = (
        state.settings.clone(),
        peaks.inner().clone(),
        notifier.inner().clone(),
    );
    let tz = site.site.tz();
    live.spawn(id, async move {
        let mut latest: Option<Arc<SiteLive>> = None;
        let mut fetched_window = None;
        // Reports computed so far: the notification waits a few for the live flow (what is
        // drawing), but not for ever when the stream does not deliver.
        let mut reports = 0u32;
        let mut tick = tokio::time::interval(EVERY);
        loop {
            tokio::select! {
                event = watch.receiver.recv() => match event {
                    Ok(LiveEvent::Snapshot(s)) => latest = Some(s),
                    Ok(LiveEvent::Backfilled(_)) | Err(RecvError::Lagged(_)) => {}
                    // The stream's task ended: keep computing from the cache, saying so.
                    Err(RecvError::Closed) => {
                        latest = latest.map(|s| Arc::new(SiteLive {
                            state: novadesk_core::live::LinkState::Offline,
                            ..(*s).clone()
                        }));
                        tick.tick().await;
                    }
                },
                _ = tick.tick() => {
                    let report = match peak_report(&ws, &site, latest.as_deref()) {
                        Ok(r) => r,
                        Err(err) => {
                            tracing::warn!(%err, "peak report failed");
                            continue;
                        }
                    };
                    let window = report.status.as_ref().map(|s| s.window_start_ms);
                    if window != fetched_window {
                        // A new hour (or the first): fill what the store lacks, then recompute.
                        fetched_window = window;
                        if let Err(err) = fetch_peak_history(&ws, &site).await {
                            tracing::warn!(%err, "peak history not fetched");
                        }
                        tick.reset_immediately();
                        continue;
                    }
                    reports += 1;
                    let flow_known = latest.is_some() || reports > FLOW_WAIT;
                    if flow_known && peaks.should_notify(&site.site.id, &report, &settings) {
                        if let Some(status) = &report.status {
                            let (title, body) = notification(&site.site.name, status, tz);
                            notifier.send(&title, &body);
                        }
                    }
                    if channel.send(report).is_err() {
                        break;
                    }
                }
            }
        }
    });
    Ok(id)
}
