//! Browsing: organizations, one organization, all sites, one site, one device. Each read takes a
//! `source`: `cache` answers from the offline store at once (data `null` if never fetched),
//! `network` fetches, writes through and answers fresh. Views ask for both, in that order;
//! offline, the network read fails with code `offline` and the cached data stays on screen.

use novadesk_core as core;
use tauri::State;

use super::browse_types::{DeviceView, Fetched, OrganizationView, SiteItem, SiteView, Source};
use super::installer::id;
use crate::error::CommandResult;
use crate::state::AppState;

/// Your organizations, with your role in each.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_organizations(
    state: State<'_, AppState>,
    source: Source,
) -> CommandResult<Fetched<Vec<core::OrganizationRow>>> {
    let ws = state.connections.workspace().await?;
    let found = match source {
        Source::Cache => core::cached_organizations(&ws)?,
        Source::Network => Some(core::refresh_organizations(&ws).await?),
    };
    Ok(Fetched::of(found, source, |rows| rows))
}

/// One organization: its sites, members with roles, gateways and what your role allows.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_organization(
    state: State<'_, AppState>,
    org_id: String,
    source: Source,
) -> CommandResult<Fetched<OrganizationView>> {
    let org_id = id("organization", &org_id)?;
    let ws = state.connections.workspace().await?;
    let found = match source {
        Source::Cache => core::cached_organization(&ws, org_id)?,
        Source::Network => Some(core::refresh_organization(&ws, org_id).await?),
    };
    Ok(Fetched::of(found, source, OrganizationView::from))
}

/// All sites across your organizations, by name.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_sites(
    state: State<'_, AppState>,
    source: Source,
) -> CommandResult<Fetched<Vec<SiteItem>>> {
    let ws = state.connections.workspace().await?;
    let found = match source {
        Source::Cache => core::cached_sites(&ws)?,
        Source::Network => Some(core::refresh_sites(&ws).await?),
    };
    Ok(Fetched::of(found, source, |rows| {
        rows.into_iter().map(SiteItem::from).collect()
    }))
}

/// One site: its devices and DERs with the latest stored values.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_site(
    state: State<'_, AppState>,
    site_id: String,
    source: Source,
) -> CommandResult<Fetched<SiteView>> {
    let site_id = id("site", &site_id)?;
    let ws = state.connections.workspace().await?;
    let found = match source {
        Source::Cache => core::cached_site(&ws, site_id)?,
        Source::Network => Some(core::refresh_site(&ws, site_id).await?),
    };
    Ok(Fetched::of(found, source, SiteView::from))
}

/// One device: its details and DERs.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_device(
    state: State<'_, AppState>,
    device_id: String,
    source: Source,
) -> CommandResult<Fetched<DeviceView>> {
    let device_id = id("device", &device_id)?;
    let ws = state.connections.workspace().await?;
    let found = match source {
        Source::Cache => core::cached_device(&ws, device_id)?,
        Source::Network => Some(core::refresh_device(&ws, device_id).await?),
    };
    Ok(Fetched::of(found, source, DeviceView::from))
}
