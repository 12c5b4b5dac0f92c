//! Claiming a Zap into an organization (the Zap signs the proof, the app sends it) and
//! releasing a gateway; both written through to the cached gateway lists.

use serde::Serialize;

use super::gateways::{refresh_gateway_owners, GatewayOwner, GatewayOwners};
use super::{journal, zap};
use crate::browse::{edit_set, kind, refusal, GatewayRow};
use crate::error::{Error, Result};
use crate::manage::Permissions;
use crate::workspace::Workspace;

/// What a claim did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ClaimResultItem")
)]
pub enum ClaimResult {
    /// Claimed into the organization.
    Claimed { serial: String, org_id: String },
    /// It was already there: nothing was sent.
    AlreadyClaimed { serial: String, org_id: String },
    /// It is claimed into another of your organizations: nothing was sent. Ask, then call again
    /// with `confirm_transfer`.
    NeedsTransfer {
        serial: String,
        from: GatewayOwner,
        /// What a transfer does, to show with the confirmation.
        message: String,
    },
    /// Moved from another organization (`from`: `None` when it was one you cannot see).
    Transferred {
        serial: String,
        org_id: String,
        from: Option<GatewayOwner>,
    },
    /// Novacore cannot be reached: the Zap signed its proof now and the claim waits in the
    /// installer's journal (entry `entry_id`), replayed when the cloud is back.
    Queued {
        serial: String,
        org_id: String,
        entry_id: u32,
    },
}

/// Claims the Zap at `address` into `org_id` where your role allows it. Already there: a quiet
/// no-op. In another of your organizations: [`ClaimResult::NeedsTransfer`] unless
/// `confirm_transfer`. (The platform transfers without asking from organizations you are not in;
/// the result then says `Transferred` with no `from`.)
pub async fn claim_zap(
    ws: &Workspace,
    address: &str,
    org_id: &str,
    confirm_transfer: bool,
) -> Result<ClaimResult> {
    claim_zap_with(ws, None, address, org_id, confirm_transfer).await
}

/// [`claim_zap`], deciding from `owners` when given (a batch reads who holds what once for all
/// its Zaps) instead of asking the platform first.
pub(super) async fn claim_zap_with(
    ws: &Workspace,
    owners: Option<&GatewayOwners>,
    address: &str,
    org_id: &str,
    confirm_transfer: bool,
) -> Result<ClaimResult> {
    if org_id.trim().is_empty() {
        return Err(Error::InvalidInput(
            "Choose the organization to claim the Zap into.".into(),
        ));
    }
    let client = zap::client(address)?;
    let crypto = client.crypto().await.map_err(zap::failure(&client))?;
    let serial = crypto.serial_number;
    let fresh;
    let owners = match owners {
        Some(o) => o,
        None => {
            fresh = match refresh_gateway_owners(ws).await {
                Ok(owners) => owners,
                Err(Error::Novacore(e)) if journal::cloud_unreachable(&e) => {
                    return journal::queue_claim(ws, address, org_id, confirm_transfer).await
                }
                Err(e) => return Err(e),
            };
            &fresh
        }
    };
    let Some(org) = owners.organization(org_id) else {
        return Err(Error::NotFound(
            "This organization no longer exists, or you are no longer a member of it. Refresh the list and choose another."
                .into(),
        ));
    };
    let allowed = Permissions::for_role(org.role.as_deref()).manage_gateways();
    if !allowed.allowed {
        return Err(Error::Forbidden(allowed.reason.unwrap_or_default()));
    }
    let from = owners.owner(&serial).cloned();
    match &from {
        Some(o) if o.org_id == org_id => {
            return Ok(ClaimResult::AlreadyClaimed {
                serial,
                org_id: org_id.to_string(),
            })
        }
        Some(o) if !confirm_transfer => {
            let message = format!(
                "This Zap is claimed into {}. Claiming it into {} moves it there: its devices stay in {} but no longer receive its readings (they are orphaned) until they are provisioned again.",
                o.org_name, org.name, o.org_name
            );
            return Ok(ClaimResult::NeedsTransfer {
                serial,
                from: o.clone(),
                message,
            });
        }
        _ => {}
    }
    let outcome = match ws
        .novacore(async |c| c.claim_gateway(&client, org_id).await)
        .await
    {
        Err(e) if journal::cloud_unreachable(&e) => {
            return journal::queue_claim(ws, address, org_id, confirm_transfer).await
        }
        other => other,
    }
    .map_err(|e| match e {
        novacore::Error::Timeout | novacore::Error::Zap(_) => zap::failure(&client)(e),
        other => refusal("claim gateways into this organization", "This organization")(other),
    })?;
    let transferred = outcome
        .response
        .extra
        .get("transferred")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(false);
    let row = GatewayRow {
        serial: serial.clone(),
        org_id: Some(org_id.to_string()),
        claimed_at_ms: Some(ws.now_ms()),
        last_seen_ms: None,
    };
    if let Some(old) = &from {
        forget_gateway(ws, &old.org_id, &serial)?;
    }
    edit_set(
        ws,
        kind::GATEWAY,
        org_id,
        |g: &GatewayRow| &g.serial,
        |rows| {
            rows.retain(|g| g.serial != serial);
            rows.push(row);
        },
    )?;
    let org_id = org_id.to_string();
    Ok(if transferred || from.is_some() {
        ClaimResult::Transferred {
            serial,
            org_id,
            from,
        }
    } else {
        ClaimResult::Claimed { serial, org_id }
    })
}

/// Releases gateway `serial` from `org_id` (admin; ask first: its devices there are orphaned).
pub async fn release_gateway(ws: &Workspace, org_id: &str, serial: &str) -> Result<()> {
    if serial.trim().is_empty() || org_id.trim().is_empty() {
        return Err(Error::InvalidInput("No gateway was given.".into()));
    }
    let role =
        crate::browse::cached_organization(ws, org_id)?.and_then(|c| c.value.organization.role);
    let allowed = Permissions::for_role(role.as_deref()).manage_gateways();
    if role.is_some() && !allowed.allowed {
        return Err(Error::Forbidden(allowed.reason.unwrap_or_default()));
    }
    ws.novacore(async |c| c.gateways().release(serial).await)
        .await
        .map_err(refusal("release this gateway", "This gateway"))?;
    forget_gateway(ws, org_id, serial)
}

fn forget_gateway(ws: &Workspace, org_id: &str, serial: &str) -> Result<()> {
    edit_set(
        ws,
        kind::GATEWAY,
        org_id,
        |g: &GatewayRow| &g.serial,
        |rows| rows.retain(|g| g.serial != serial),
    )
}
