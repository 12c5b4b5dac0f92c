//! Managing: organizations, members and roles, sites, devices and DERs. Each command changes the
//! server, then the offline store; refusals come back as `forbidden` with a sentence saying who
//! may do it.

use novadesk_core as core;
use tauri::State;

use super::browse_types::{DerItem, SiteItem};
use super::installer::id;
use crate::error::CommandResult;
use crate::state::AppState;

/// Create an organization; you become its owner.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn create_organization(
    state: State<'_, AppState>,
    name: String,
) -> CommandResult<core::OrganizationRow> {
    let ws = state.connections.workspace().await?;
    Ok(core::create_organization(&ws, &name).await?)
}

/// Rename an organization (owners and admins).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn rename_organization(
    state: State<'_, AppState>,
    org_id: String,
    name: String,
) -> CommandResult<core::OrganizationRow> {
    id("organization", &org_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::rename_organization(&ws, &org_id, &name).await?)
}

/// Delete an organization with its sites (owners).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn delete_organization(state: State<'_, AppState>, org_id: String) -> CommandResult<()> {
    id("organization", &org_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::delete_organization(&ws, &org_id).await?)
}

/// Create a site in an organization (owners and admins).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn create_site(
    state: State<'_, AppState>,
    org_id: String,
    name: String,
    timezone: Option<String>,
    price_area: Option<String>,
) -> CommandResult<SiteItem> {
    id("organization", &org_id)?;
    let ws = state.connections.workspace().await?;
    let input = core::NewSiteInput {
        org_id,
        name,
        timezone,
        price_area,
    };
    Ok(core::create_site(&ws, input).await?.into())
}

/// Rename a site (owners and admins).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn rename_site(
    state: State<'_, AppState>,
    site_id: String,
    name: String,
) -> CommandResult<SiteItem> {
    id("site", &site_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::rename_site(&ws, &site_id, &name).await?.into())
}

/// Delete a site with its devices (owners and admins).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn delete_site(state: State<'_, AppState>, site_id: String) -> CommandResult<()> {
    id("site", &site_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::delete_site(&ws, &site_id).await?)
}

/// Add an identity to an organization with a role (owners and admins; owners to add owners).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn add_member(
    state: State<'_, AppState>,
    org_id: String,
    identity_id: String,
    role: String,
) -> CommandResult<core::MemberRow> {
    id("organization", &org_id)?;
    id("identity", &identity_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::add_member(&ws, &org_id, &identity_id, &role).await?)
}

/// Change a member's role.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn set_member_role(
    state: State<'_, AppState>,
    org_id: String,
    identity_id: String,
    role: String,
) -> CommandResult<core::MemberRow> {
    id("organization", &org_id)?;
    id("identity", &identity_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::set_member_role(&ws, &org_id, &identity_id, &role).await?)
}

/// Remove a member (or leave, with your own identity id).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn remove_member(
    state: State<'_, AppState>,
    org_id: String,
    identity_id: String,
) -> CommandResult<()> {
    id("organization", &org_id)?;
    id("identity", &identity_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::remove_member(&ws, &org_id, &identity_id).await?)
}

/// Rename a device (owners and admins).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn rename_device(
    state: State<'_, AppState>,
    device_id: String,
    name: String,
) -> CommandResult<()> {
    id("device", &device_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::rename_device(&ws, &device_id, &name).await?)
}

/// Delete a device (owners and admins).
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn delete_device(state: State<'_, AppState>, device_id: String) -> CommandResult<()> {
    id("device", &device_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::delete_device(&ws, &device_id).await?)
}

/// Add a DER to a device (owners and admins); the type must suit the device.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn add_der(
    state: State<'_, AppState>,
    device_id: String,
    name: String,
    der_type: String,
) -> CommandResult<DerItem> {
    id("device", &device_id)?;
    let ws = state.connections.workspace().await?;
    Ok(core::add_der(&ws, &device_id, &name, &der_type)
        .await?
        .into())
}
