//! What runs in the background while signed in, whichever view is open: the peak monitor (a
//! desktop notification when a power-tariff site is about to set a new charged peak) and the
//! Fleet monitor (one per silence incident). Started by the core's `Connections` at every
//! sign-in and stopped with it (sign-out, identity forgotten or imported, another environment);
//! the views subscribe to these same monitors. Both follow the sites through the one live hub:
//! one stream per site, however many of them (and of the views) watch it.

use std::time::Duration;

use novadesk_core::Workspace;
use tauri::{AppHandle, Manager, Runtime};
use tokio::task::JoinHandle;

use crate::commands::fleet::FleetMonitors;
use crate::commands::live::LiveSubscriptions;
use crate::commands::peak::PeakMonitors;
use crate::notify::Notifier;
use crate::state::AppState;

/// How long after a sign-in the monitors start. Starting them opens a stream and fetches history
/// for every site; at once, that work competed with the first view's own requests (the
/// organizations list) for the same two cores and connection pool. A view that needs a monitor
/// sooner (Fleet) starts it by subscribing.
pub const START_AFTER: Duration = Duration::from_secs(2);

/// Starts both monitors for `ws` after [`START_AFTER`]; the task returned holds them (aborting it
/// — before they start, or after — lets them stop once no view watches them either).
pub fn start<R: Runtime>(app: &AppHandle<R>, ws: &Workspace) -> Vec<JoinHandle<()>> {
    let (app, ws) = (app.clone(), ws.clone());
    vec![tokio::spawn(async move {
        tokio::time::sleep(START_AFTER).await;
        let (Some(notifier), Some(state)) =
            (app.try_state::<Notifier>(), app.try_state::<AppState>())
        else {
            return;
        };
        let hub = app.state::<LiveSubscriptions>().hub().clone();
        let settings = state.settings.clone();
        let (fleet, _) = app
            .state::<FleetMonitors>()
            .subscribe(&ws, hub.clone(), settings.clone());
        let (peaks, _) =
            app.state::<PeakMonitors>()
                .subscribe(&ws, hub, settings, notifier.inner().clone());
        tracing::info!(identity = %ws.identity_id, "background monitors started");
        let _held = (fleet, peaks);
        std::future::pending::<()>().await
    })]
}
