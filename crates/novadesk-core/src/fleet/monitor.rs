//! The live Fleet view: one live stream per site through the live hub (readings land in the
//! store as for any watched site), the rows recomputed from the store every [`FLEET_TICK`] (no
//! request per site per tick), the site list and gateways refreshed every few minutes, and the
//! silence incidents decided by the [`SilenceTracker`] (kept in the store, so a restart does not
//! announce an incident twice).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use tokio::sync::broadcast::{self, error::TryRecvError};

use super::incidents::{IncidentChange, Observation, SilenceIncident, SilenceTracker};
use super::refresh::{refresh_fleet, FleetRefreshed};
use super::rows::{fleet_rows, FleetRow};
use crate::chart::{load_json, save_json};
use crate::error::Result;
use crate::live::{LinkState, LiveEvent, LiveKey};
use crate::settings::SettingsFile;
use crate::watch::Watch;
use crate::workspace::Workspace;

/// How often the rows are recomputed from the store.
pub const FLEET_TICK: Duration = Duration::from_secs(3);
/// How often the site list and the gateways are fetched again (one request per organization).
const REFRESH_EVERY_MS: i64 = 5 * 60_000;
/// A site stream that ended is opened again after this long.
const REWATCH_AFTER_MS: i64 = 30_000;
/// A stream still connecting after this long counts as open: a site that sends nothing at all
/// is silent, not unreachable (a stream that cannot connect says so long before).
const CONNECT_GRACE_MS: i64 = 30_000;
/// Where the open incidents are kept.
const INCIDENTS_KEY: &str = "fleet.silence_incidents";

/// What the Fleet view shows after each recompute.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FleetUpdate {
    /// Every site, problems first.
    pub rows: Vec<FleetRow>,
    /// When the site list was fetched, epoch ms (`None`: never; the view says so).
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub fetched_at_ms: Option<i64>,
    /// The server has not confirmed the data since the view opened (offline, or refreshing):
    /// what shows is what the store holds.
    pub cached: bool,
    /// A refresh is running.
    pub refreshing: bool,
    /// Offline or what could not be fetched, for a person.
    pub note: Option<String>,
    /// Open silence incidents, longest first (one line each in the view).
    pub incidents: Vec<SilenceIncident>,
    /// Incidents that started or cleared with this update (each exactly once).
    pub changes: Vec<IncidentChange>,
    /// The silence threshold applied, minutes.
    pub silence_minutes: u32,
    /// When this was computed, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub computed_ms: i64,
}

/// One site's live stream as the monitor holds it.
struct Link {
    watch: Option<Watch<LiveKey, LiveEvent>>,
    state: LinkState,
    /// When the current watch started, or when to try again after it ended.
    at_ms: i64,
}

type Refresh<'a> = Pin<Box<dyn Future<Output = Result<FleetRefreshed>> + Send + 'a>>;

/// Runs the Fleet view for `ws` until aborted, sending a [`FleetUpdate`] after every recompute.
/// `watch_site` opens a site's live stream (the shell's shared live hub).
pub async fn run_fleet<W>(
    ws: Workspace,
    settings: Arc<SettingsFile>,
    watch_site: W,
    tx: broadcast::Sender<FleetUpdate>,
) where
    W: Fn(&str) -> Watch<LiveKey, LiveEvent> + Send,
{
    let open: Vec<SilenceIncident> = load_json(&ws, INCIDENTS_KEY)
        .ok()
        .flatten()
        .unwrap_or_default();
    let mut tracker = SilenceTracker::with_open(open);
    let mut links: HashMap<String, Link> = HashMap::new();
    let mut refresh: Refresh<'_> = Box::pin(refresh_fleet(&ws, true));
    let mut refreshing = true;
    let mut confirmed = false;
    let mut note: Option<String> = None;
    let mut last_refresh = ws.now_ms();
    let mut tick = tokio::time::interval(FLEET_TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            done = &mut refresh, if refreshing => {
                refreshing = false;
                last_refresh = ws.now_ms();
                (confirmed, note) = match done {
                    Ok(r) if r.offline => (false, Some(offline_note(&ws))),
                    Ok(r) => (true, r.note),
                    Err(e) if e.kind() == crate::ErrorKind::Offline => (false, Some(offline_note(&ws))),
                    Err(e) => (false, Some(e.user_message())),
                };
            }
            _ = tick.tick() => {}
        }
        let now = ws.now_ms();
        if !refreshing && now - last_refresh >= REFRESH_EVERY_MS {
            // Offline, the next attempt fetches everything again (the first may have stopped early).
            refresh = Box::pin(refresh_fleet(&ws, !confirmed));
            refreshing = true;
        }
        let rows = match fleet_rows(&ws, now) {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "fleet rows not readable");
                continue;
            }
        };
        let (rows, fetched_at_ms) = match rows {
            Some(c) => (c.value, Some(c.fetched_at_ms)),
            None => (Vec::new(), None),
        };
        follow_links(&mut links, &rows, now, &watch_site);
        let online = ws.connectivity.status().online != Some(false);
        let observed: Vec<Observation<'_>> = rows
            .iter()
            .map(|r| Observation {
                site_id: &r.site_id,
                site_name: &r.name,
                org_name: r.org_name.as_deref(),
                state: r.state,
                last_reading_ms: r.last_reading_ms,
                link_up: online && links.get(&r.site_id).is_some_and(|l| link_up(l, now)),
            })
            .collect();
        let silence_minutes = settings.get().silence_minutes();
        // Until the site list is known, a missing site is not one that left the fleet.
        let changes = if fetched_at_ms.is_some() {
            tracker.observe(now, i64::from(silence_minutes) * 60_000, &observed)
        } else {
            Vec::new()
        };
        if !changes.is_empty() {
            if let Err(e) = save_json(&ws, INCIDENTS_KEY, &tracker.open()) {
                tracing::warn!(error = %e, "silence incidents not kept");
            }
        }
        // The monitor runs from sign-in: the server going away after the last refresh makes what
        // shows the store's, however fresh the refresh was.
        let update = FleetUpdate {
            rows,
            fetched_at_ms,
            cached: !confirmed || !online,
            refreshing,
            note: if online {
                note.clone()
            } else {
                Some(offline_note(&ws))
            },
            incidents: tracker.open(),
            changes,
            silence_minutes,
            computed_ms: now,
        };
        // No receiver is fine: the last view may be leaving just now.
        let _ = tx.send(update);
    }
}

fn offline_note(ws: &Workspace) -> String {
    format!(
        "{} cannot be reached: showing what the store holds.",
        ws.environment.display_name()
    )
}

/// Opens a stream for every site listed (again, a while after one ended), closes those of sites
/// gone, and reads each stream's newest state.
fn follow_links<W>(links: &mut HashMap<String, Link>, rows: &[FleetRow], now: i64, watch_site: &W)
where
    W: Fn(&str) -> Watch<LiveKey, LiveEvent>,
{
    links.retain(|id, _| rows.iter().any(|r| &r.site_id == id));
    for row in rows {
        let link = links.entry(row.site_id.clone()).or_insert(Link {
            watch: None,
            state: LinkState::Connecting,
            at_ms: now,
        });
        if link.watch.is_none() && now >= link.at_ms {
            link.watch = Some(watch_site(&row.site_id));
            link.state = LinkState::Connecting;
            link.at_ms = now;
        }
        let Some(watch) = link.watch.as_mut() else {
            continue;
        };
        loop {
            match watch.receiver.try_recv() {
                Ok(LiveEvent::Snapshot(s)) => link.state = s.state,
                Ok(LiveEvent::Backfilled(_)) | Err(TryRecvError::Lagged(_)) => {}
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Closed) => {
                    link.watch = None;
                    link.state = LinkState::Offline;
                    link.at_ms = now + REWATCH_AFTER_MS;
                    break;
                }
            }
        }
    }
}

fn link_up(link: &Link, now: i64) -> bool {
    link.watch.is_some()
        && match link.state {
            LinkState::Live => true,
            LinkState::Connecting => now - link.at_ms >= CONNECT_GRACE_MS,
            LinkState::Reconnecting | LinkState::Offline => false,
        }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_stream_counts_as_open_when_live_or_connecting_past_the_grace() {
        let link = |state, at_ms| Link {
            watch: None,
            state,
            at_ms,
        };
        // Without a watch nothing is up, whatever the last state said.
        assert!(!link_up(&link(LinkState::Live, 0), 1));
        let reg = crate::watch::WatchRegistry::<LiveKey, LiveEvent>::new(
            tokio::runtime::Handle::current(),
            4,
        );
        let key: LiveKey = ("u".into(), "i".into(), "s".into());
        let mut l = link(LinkState::Connecting, 1_000);
        l.watch = Some(reg.watch(key, |_tx| async {}));
        assert!(!link_up(&l, 1_000 + CONNECT_GRACE_MS - 1));
        assert!(link_up(&l, 1_000 + CONNECT_GRACE_MS));
        l.state = LinkState::Reconnecting;
        assert!(!link_up(&l, 1_000_000));
        l.state = LinkState::Live;
        assert!(link_up(&l, 1_001));
    }
}
