//! The Installer view: find Zaps (sweep a network, or a typed address), check one link by link,
//! claim it into one of your organizations or release it. Finding and checking need no sign-in;
//! signed in, rows say which of your organizations holds each Zap.

use novadesk_core as core;
use serde::Serialize;
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use super::browse_types::{Fetched, Source};
use crate::error::CommandResult;
use crate::state::AppState;

/// Network scans in flight (each can be cancelled from its progress bar).
pub type SweepJobs = super::jobs::Jobs<NetworkScan>;

/// The kind of [`SweepJobs`].
pub struct NetworkScan;

/// mDNS browses in flight (one per open Installer view; stopped when it is left).
pub type MdnsJobs = super::jobs::Jobs<MdnsBrowse>;

/// The kind of [`MdnsJobs`].
pub struct MdnsBrowse;

/// One of your organizations as a place to claim a Zap into, with whether your role allows it.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ClaimTarget {
    pub organization: core::OrganizationRow,
    pub claim: core::Allowed,
}

/// One line of typed text (core's rule), or the sentence to show.
pub(super) fn text<'a>(what: &str, value: &'a str) -> CommandResult<&'a str> {
    Ok(core::input::text(what, value)?)
}

/// An opaque id from the window (core's rule), or the sentence to show.
pub(super) fn id<'a>(what: &str, value: &'a str) -> CommandResult<&'a str> {
    Ok(core::input::id(what, value)?)
}

/// A network as the scan form takes it: `a.b.c.d/nn`. The SDK parses it; this only refuses what
/// is plainly not one, with the sentence to show.
fn network(value: Option<String>) -> CommandResult<Option<String>> {
    let Some(v) = value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
    else {
        return Ok(None);
    };
    let shaped = v.len() <= 18
        && v.split_once('/').is_some_and(|(ip, bits)| {
            ip.split('.').count() == 4
                && ip.chars().all(|c| c.is_ascii_digit() || c == '.')
                && !bits.is_empty()
                && bits.chars().all(|c| c.is_ascii_digit())
        });
    if !shaped {
        return Err(core::Error::InvalidInput(
            "Type the network as an address and prefix length, like 192.168.1.0/24, or leave it empty for this computer's networks."
                .into(),
        )
        .into());
    }
    Ok(Some(v))
}

/// Sweep a network (`None`: this computer's own) for Zaps on `port` (`None`: 80). Progress and
/// each Zap as found arrive on `on_update`; `cancel_sweep(request_id)` stops it.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, jobs, on_update))]
pub async fn sweep_zaps(
    state: State<'_, AppState>,
    jobs: State<'_, SweepJobs>,
    network: Option<String>,
    port: Option<u16>,
    request_id: String,
    on_update: Channel<core::SweepUpdate>,
) -> CommandResult<()> {
    let request_id = id("request", &request_id)?.to_string();
    let req = core::SweepRequest {
        network: self::network(network)?,
        port,
        timeout: None,
    };
    let mut sweep = core::start_sweep(&req)?;
    let token = jobs.start(&request_id)?;
    // The sweep stops on its own handle; the job list keeps the app's token, so one watcher
    // passes a cancel from the window on.
    let cancel = sweep.canceller();
    let watcher = {
        let (token, cancel) = (token.clone(), cancel.clone());
        tauri::async_runtime::spawn(async move {
            token.cancelled().await;
            cancel.cancel();
        })
    };
    // Signed in: rows say which of your organizations holds each Zap (as last fetched).
    let owners = match state.connections.workspace().await {
        Ok(ws) => core::cached_gateway_owners(&ws).ok(),
        Err(_) => None,
    };
    while let Some(event) = sweep.next_event().await {
        if on_update
            .send(core::sweep_update(event, owners.as_ref()))
            .is_err()
        {
            // The window went away: nobody is watching, stop probing.
            cancel.cancel();
        }
    }
    watcher.abort();
    jobs.finish(&request_id, &token);
    Ok(())
}

/// Stop the sweep with this id. `false` if none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_sweep(jobs: State<'_, SweepJobs>, request_id: String) -> CommandResult<bool> {
    jobs.cancel(&request_id)
}

/// Browse mDNS for Zaps until `stop_mdns(request_id)` (or the window goes): a status first
/// (browsing, or why not — `NOVADESK_MDNS=off`), then each Zap as it announces itself and answers,
/// and each found one that goes.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, jobs, on_update))]
pub async fn watch_mdns(
    state: State<'_, AppState>,
    jobs: State<'_, MdnsJobs>,
    request_id: String,
    on_update: Channel<core::MdnsUpdate>,
) -> CommandResult<()> {
    let request_id = id("request", &request_id)?.to_string();
    let status = |browsing: bool, message: String| core::MdnsUpdate::Status { browsing, message };
    let started = core::MdnsMode::from_env().and_then(core::MdnsWatch::start);
    let mut watch = match started {
        Ok(Some(watch)) => watch,
        Ok(None) => {
            let _ = on_update.send(status(
                false,
                format!("Not listening for Zaps announcing themselves ({}=off): scan the network or add one by its address.", core::MDNS_ENV),
            ));
            return Ok(());
        }
        Err(err) => {
            let _ = on_update.send(status(
                false,
                format!("Cannot listen for Zaps announcing themselves ({}): scan the network or add one by its address.", err.user_message()),
            ));
            return Ok(());
        }
    };
    let token = jobs.start(&request_id)?;
    let _ = on_update.send(status(
        true,
        "Listening for Zaps announcing themselves (mDNS).".into(),
    ));
    let owners = match state.connections.workspace().await {
        Ok(ws) => core::cached_gateway_owners(&ws).ok(),
        Err(_) => None,
    };
    loop {
        let update = tokio::select! {
            () = token.cancelled() => break,
            update = watch.next_update(owners.as_ref()) => update,
        };
        let Some(update) = update else { break };
        if on_update.send(update).is_err() {
            // The window went away: nobody is watching.
            break;
        }
    }
    drop(watch);
    jobs.finish(&request_id, &token);
    Ok(())
}

/// Stop the mDNS browse with this id. `false` if none runs.
#[tauri::command]
#[specta::specta]
pub fn stop_mdns(jobs: State<'_, MdnsJobs>, request_id: String) -> CommandResult<bool> {
    jobs.cancel(&request_id)
}

/// The Sandbox's own Zaps as table rows (found by `sandbox`), starting the Sandbox if needed: the
/// Installer view lists them on opening when the environment is the Sandbox.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn sandbox_zaps(state: State<'_, AppState>) -> CommandResult<Vec<core::ZapRow>> {
    let urls = state.connections.sandbox_zap_urls().await?;
    let found = core::inspect_sandbox_zaps(&urls).await;
    let owners = match state.connections.workspace().await {
        Ok(ws) => core::cached_gateway_owners(&ws).ok(),
        Err(_) => None,
    };
    Ok(found
        .into_iter()
        .map(|f| core::zap_row(f, owners.as_ref()))
        .collect())
}

/// Read the Zap at a typed address (IP, `host:port` or URL) as a table row; a host that is not a
/// Zap fails with the sentence saying what answered.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn inspect_zap(
    state: State<'_, AppState>,
    address: String,
) -> CommandResult<core::ZapRow> {
    let address = text("Zap's address", &address)?;
    let found = core::inspect_zap(address).await?;
    let owners = match state.connections.workspace().await {
        Ok(ws) => core::cached_gateway_owners(&ws).ok(),
        Err(_) => None,
    };
    Ok(core::zap_row(found, owners.as_ref()))
}

/// The Zap's health chain, link by link; signed in, its claim and readings too.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn check_zap_health(
    state: State<'_, AppState>,
    address: String,
) -> CommandResult<core::HealthChain> {
    let address = text("Zap's address", &address)?;
    let ws = state.connections.workspace().await.ok();
    Ok(core::check_health(ws.as_ref(), address).await?)
}

/// Your organizations, each with whether your role lets you claim Zaps into it.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_claim_targets(
    state: State<'_, AppState>,
    source: Source,
) -> CommandResult<Fetched<Vec<ClaimTarget>>> {
    let ws = state.connections.workspace().await?;
    let found = match source {
        Source::Cache => core::cached_organizations(&ws)?,
        Source::Network => Some(core::refresh_organizations(&ws).await?),
    };
    Ok(Fetched::of(found, source, |rows| {
        rows.into_iter()
            .map(|organization| ClaimTarget {
                claim: core::Permissions::for_role(organization.role.as_deref()).manage_gateways(),
                organization,
            })
            .collect()
    }))
}

/// Claim the Zap at `address` into `org_id`. Claimed into another of your organizations, it
/// answers `needs_transfer` unless `confirm_transfer`.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn claim_zap(
    state: State<'_, AppState>,
    address: String,
    org_id: String,
    confirm_transfer: bool,
) -> CommandResult<core::ClaimResult> {
    let address = text("Zap's address", &address)?;
    let org_id = text("organization", &org_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::claim_zap(&ws, address, org_id, confirm_transfer).await?)
}

/// Release the gateway `serial` from `org_id` (owners and admins).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn release_gateway(
    state: State<'_, AppState>,
    org_id: String,
    serial: String,
) -> CommandResult<()> {
    let org_id = text("organization", &org_id)?;
    let serial = text("gateway serial", &serial)?;
    let ws = state.connections.workspace().await?;
    Ok(core::release_gateway(&ws, org_id, serial).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_are_shaped_like_cidr_or_empty() {
        assert_eq!(network(None).unwrap(), None);
        assert_eq!(network(Some("  ".into())).unwrap(), None);
        assert_eq!(
            network(Some(" 127.0.5.0/27 ".into())).unwrap().as_deref(),
            Some("127.0.5.0/27")
        );
        for bad in [
            "127.0.5.0",
            "zap.local/24",
            "1.2.3/24",
            "1.2.3.4/",
            "1.2.3.4/2x",
        ] {
            let err = network(Some(bad.into())).unwrap_err();
            assert!(err.message.contains("192.168.1.0/24"), "{bad}: {err:?}");
        }
    }

    #[test]
    fn text_arguments_are_bounded() {
        assert_eq!(text("x", " a ").unwrap(), "a");
        assert!(text("Zap's address", "")
            .unwrap_err()
            .message
            .contains("Enter the Zap's address"));
        assert!(text("x", &"a".repeat(core::input::MAX_TEXT + 1)).is_err());
        assert!(text("x", "a\nb").is_err());
    }
}
