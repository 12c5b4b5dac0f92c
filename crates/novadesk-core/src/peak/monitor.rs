//! The background peak monitor: one per signed-in workspace, started at sign-in, over every site
//! the identity can see whose grid tariff has a power charge. It follows each such site's live
//! stream through the shared [`LiveHub`](crate::live::LiveHub) (the same stream the Fleet monitor
//! and the views use: no extra connection), recomputes every site's [`PeakReport`] from the store
//! every [`PEAK_TICK`], decides the desktop notification with [`PeakAlerts`] (once per site and
//! window, respecting the per-site switch), and broadcasts the reports for the site views.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::broadcast::{self, error::TryRecvError};

use super::alert::{notification, PeakAlerts};
use super::panel::{cached_peak_site, fetch_peak_history, peak_report, PeakReport, PeakSite};
use crate::browse::cached_sites;
use crate::live::{LinkState, LiveEvent, LiveKey, SiteLive};
use crate::settings::SettingsFile;
use crate::watch::Watch;
use crate::workspace::Workspace;

/// How often every site's report is recomputed from the store.
pub const PEAK_TICK: Duration = Duration::from_secs(3);
/// How often the cached site list is read again for sites that came or went.
const SCAN_EVERY_MS: i64 = 60_000;
/// A site without a usable power tariff (or not readable) is looked at again after this long.
const RECHECK_AFTER_MS: i64 = 5 * 60_000;
/// A site stream that ended is opened again after this long.
const REWATCH_AFTER_MS: i64 = 30_000;
/// Reports a notification waits for the live power flow (what is drawing) before going out
/// without it.
const FLOW_WAIT: u32 = 3;

/// One desktop notification the monitor decided on; `key` is unique per site and window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeakNotice {
    pub site_id: String,
    pub key: String,
    pub title: String,
    pub body: String,
}

/// Every report of one recompute (a view picks its site's).
pub type PeakReports = Arc<Vec<PeakReport>>;

/// Sites a view read just now (tariff chosen in the chart, a site the list did not have yet):
/// the monitor takes them over at its next tick.
#[derive(Debug, Clone, Default)]
pub struct PeakAsks(Arc<Mutex<Vec<PeakSite>>>);

impl PeakAsks {
    /// Asks the monitor to follow `site` as read.
    pub fn ask(&self, site: PeakSite) {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).push(site);
    }

    fn take(&self) -> Vec<PeakSite> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

/// One site as the monitor holds it.
struct Followed {
    site: PeakSite,
    watch: Option<Watch<LiveKey, LiveEvent>>,
    latest: Option<Arc<SiteLive>>,
    /// The window whose history was fetched.
    fetched_window: Option<i64>,
    /// Reports since the stream was opened (the notification waits a few for the flow).
    reports: u32,
    /// When to open the stream again, or (blocked) to read the site again.
    retry_at_ms: i64,
    /// Asked by a view: kept even when the cached list does not have it.
    asked: bool,
}

impl Followed {
    fn new(site: PeakSite, now: i64, asked: bool) -> Self {
        let site_blocked = site.blocked.is_some();
        Self {
            site,
            watch: None,
            latest: None,
            fetched_window: None,
            reports: 0,
            // Usable: open its stream at once; blocked: look at it again later.
            retry_at_ms: if site_blocked {
                now + RECHECK_AFTER_MS
            } else {
                now
            },
            asked,
        }
    }

    /// Reads what the stream sent since the last tick; reopens it a while after it ended.
    fn follow<W>(&mut self, now: i64, watch_site: &W)
    where
        W: Fn(&str) -> Watch<LiveKey, LiveEvent>,
    {
        if self.watch.is_none() && now >= self.retry_at_ms {
            self.watch = Some(watch_site(&self.site.site.id));
            self.reports = 0;
        }
        let Some(watch) = self.watch.as_mut() else {
            return;
        };
        loop {
            match watch.receiver.try_recv() {
                Ok(LiveEvent::Snapshot(s)) => self.latest = Some(s),
                Ok(LiveEvent::Backfilled(_)) | Err(TryRecvError::Lagged(_)) => {}
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => {
                    // Keep computing from the cache, saying so.
                    self.latest = self.latest.take().map(|s| {
                        Arc::new(SiteLive {
                            state: LinkState::Offline,
                            ..(*s).clone()
                        })
                    });
                    self.watch = None;
                    self.retry_at_ms = now + REWATCH_AFTER_MS;
                    break;
                }
            }
        }
    }
}

/// Runs the peak monitor for `ws` until aborted: broadcasts every power-tariff site's report
/// after each recompute on `tx` and hands each notification decided to `notify`.
/// `watch_site` opens a site's live stream (the shell's shared live hub).
pub async fn run_peaks<W, N>(
    ws: Workspace,
    settings: Arc<SettingsFile>,
    asks: PeakAsks,
    watch_site: W,
    notify: N,
    tx: broadcast::Sender<PeakReports>,
) where
    W: Fn(&str) -> Watch<LiveKey, LiveEvent> + Send,
    N: Fn(PeakNotice) + Send,
{
    let mut sites: HashMap<String, Followed> = HashMap::new();
    let mut alerts = PeakAlerts::new();
    let mut last_scan: Option<i64> = None;
    let mut tick = tokio::time::interval(PEAK_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let now = ws.now_ms();
        for site in asks.take() {
            let id = site.site.id.clone();
            match sites.get_mut(&id) {
                Some(f) => {
                    f.site = site;
                    f.asked = true;
                }
                None => {
                    sites.insert(id, Followed::new(site, now, true));
                }
            }
        }
        if last_scan.is_none_or(|t| now - t >= SCAN_EVERY_MS) {
            // Until the site list is cached (the Fleet monitor fetches it at sign-in), every tick.
            last_scan = scan(&ws, &mut sites, now).await.then_some(now);
        }
        let on = settings.get();
        let mut reports = Vec::new();
        for f in sites.values_mut() {
            if f.site.blocked.is_some() {
                continue;
            }
            f.follow(now, &watch_site);
            let mut report = match peak_report(&ws, &f.site, f.latest.as_deref()) {
                Ok(r) => r,
                Err(err) => {
                    tracing::warn!(%err, "peak report failed");
                    continue;
                }
            };
            let window = report.status.as_ref().map(|s| s.window_start_ms);
            if window != f.fetched_window {
                // A new window (or the first): fill what the store lacks, then recompute.
                f.fetched_window = window;
                if let Err(err) = fetch_peak_history(&ws, &f.site).await {
                    tracing::warn!(%err, "peak history not fetched");
                }
                match peak_report(&ws, &f.site, f.latest.as_deref()) {
                    Ok(r) => report = r,
                    Err(err) => tracing::warn!(%err, "peak report failed"),
                }
            }
            f.reports += 1;
            let flow_known = f.latest.is_some() || f.reports > FLOW_WAIT;
            let id = &f.site.site.id;
            if let Some(status) = report.status.as_ref().filter(|_| flow_known) {
                if alerts.should_notify(id, status, on.peak_notifications_on(id)) {
                    if let Some((title, body)) =
                        notification(&f.site.site.name, &report.components, f.site.site.tz())
                    {
                        notify(PeakNotice {
                            site_id: id.clone(),
                            key: format!("peak:{id}:{}", status.window_start_ms),
                            title,
                            body,
                        });
                    }
                }
            }
            reports.push(report);
        }
        // No receiver is fine: no site view is open.
        let _ = tx.send(Arc::new(reports));
    }
}

/// Follows the sites of the cached list that are new (or due a second look), and drops those
/// gone from it (unless a view asked for them). `false` when no site list is cached yet.
async fn scan(ws: &Workspace, sites: &mut HashMap<String, Followed>, now: i64) -> bool {
    let listed = match cached_sites(ws) {
        Ok(Some(list)) => list.value,
        Ok(None) => return false,
        Err(err) => {
            tracing::warn!(%err, "site list not readable");
            return false;
        }
    };
    sites.retain(|id, f| f.asked || listed.iter().any(|s| &s.id == id));
    for listed in &listed {
        let due = sites
            .get(&listed.id)
            .is_none_or(|f| f.site.blocked.is_some() && now >= f.retry_at_ms);
        if !due {
            continue;
        }
        match cached_peak_site(ws, &listed.id).await {
            Ok(site) => {
                let asked = sites.get(&listed.id).is_some_and(|f| f.asked);
                sites.insert(listed.id.clone(), Followed::new(site, now, asked));
            }
            Err(err) => {
                tracing::debug!(%err, site = %listed.id, "peak site not readable yet");
            }
        }
    }
    true
}
