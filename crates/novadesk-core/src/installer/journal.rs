//! The installer's journal: the cloud steps of a commissioning (the claim with its Zap-signed
//! proof, provisioning and the publish switch after it) kept in the store's outbox while
//! Novacore cannot be reached, then replayed in order, each exactly once.
//!
//! Novacore has no idempotency keys, so "exactly once" is read-before-write: before sending an
//! entry, the platform is asked whether it already has its effect (the gateway claimed into that
//! organization; a device with that hardware id on that gateway with those DER names). A crash
//! between "sent" and "recorded" then costs one read, never a second device. Refusals a person
//! must settle (claimed meanwhile elsewhere, validation, a role change, a proof too old while
//! the Zap is out of reach) park the entry as a conflict until retry, edit or drop. This module
//! queues and lists; [`super::replay`] replays; [`super::journal_edit`] corrects a refused one.

use novacore::models::{ClaimRequest, ProvisionRequest};
use novadesk_store::{OutboxEntry, OutboxStatus};
use serde::{Deserialize, Serialize};

use super::claim::ClaimResult;
use super::gateways::{cached_gateway_owners, GatewayOwner};
use super::provision::{self, ProvisionInput, Provisioned};
use super::zap;
use crate::browse::cached_sites;
use crate::error::{Error, Result};
use crate::manage::Permissions;
use crate::workspace::Workspace;

pub(super) const CLAIM: &str = "claim";
pub(super) const PROVISION: &str = "provision";

/// A claim waiting for the cloud: the proof the Zap signed on site, sent unchanged.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ClaimStep {
    pub(super) zap_address: String,
    pub(super) request: ClaimRequest,
    pub(super) confirm_transfer: bool,
    /// The organization's name when queued, for the journal's title.
    #[serde(default)]
    pub(super) org_name: Option<String>,
}

/// A provisioning waiting for the cloud; its publish switch follows at the Zap.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct ProvisionStep {
    pub(super) zap_address: String,
    pub(super) request: ProvisionRequest,
    /// The site's name when queued, for the journal's title.
    #[serde(default)]
    pub(super) site_name: Option<String>,
}

/// Where a journal item stands, as the Installer shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum JournalStatus {
    /// Waiting for the cloud; replayed by itself.
    Queued,
    /// Applied on the platform.
    Done,
    /// Refused: waits for the installer's retry, edit or drop.
    Conflict,
}

/// One journal item for the Installer's "Waiting for the cloud" panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JournalItem {
    /// The outbox entry id (for retry / edit / drop).
    pub id: u32,
    /// `claim` or `provision`.
    pub step: String,
    /// What it does, e.g. "Claim zap-… into Acme".
    pub title: String,
    pub status: JournalStatus,
    /// What the platform did (done items).
    pub result: Option<String>,
    /// Why it waits or was refused.
    pub problem: Option<String>,
    /// Tries so far.
    pub attempts: u32,
    /// Queued at, epoch ms (f64: the window's number).
    pub queued_at_ms: f64,
    /// Applied at, epoch ms.
    pub done_at_ms: Option<f64>,
}

/// The cloud cannot be reached (no answer, or the platform says it is unavailable): queue.
pub(crate) fn cloud_unreachable(e: &novacore::Error) -> bool {
    e.is_unreachable()
}

/// The organization a queued (not yet sent) claim of `serial` goes into, as an owner, so the
/// provisioning form can queue that Zap's devices to its sites too (the journal sends them after
/// the claim, in order).
pub(crate) fn queued_owner(
    ws: &Workspace,
    serial: &str,
    owners: &super::gateways::GatewayOwners,
) -> Result<Option<GatewayOwner>> {
    let pending = ws.store().pending_in_order()?;
    let org_id = pending.iter().rev().find_map(|e| {
        let s: ClaimStep = serde_json::from_value(e.payload.clone()).ok()?;
        (e.kind == CLAIM && s.request.gateway_serial == serial).then_some(s.request.org_id)
    });
    Ok(org_id.and_then(|id| {
        owners.organization(&id).map(|org| GatewayOwner {
            org_id: org.id.clone(),
            org_name: org.name.clone(),
            role: org.role.clone(),
        })
    }))
}

/// Has the Zap at `address` sign a claim proof for this identity now, and queues the claim.
pub(crate) async fn queue_claim(
    ws: &Workspace,
    address: &str,
    org_id: &str,
    confirm_transfer: bool,
) -> Result<ClaimResult> {
    let owners = cached_gateway_owners(ws)?;
    let org_name = owners.organization(org_id).map(|o| o.name.clone());
    if let Some(org) = owners.organization(org_id) {
        let allowed = Permissions::for_role(org.role.as_deref()).manage_gateways();
        if !allowed.allowed {
            return Err(Error::Forbidden(allowed.reason.unwrap_or_default()));
        }
    }
    let request = sign_claim(ws, address, org_id).await?;
    let serial = request.gateway_serial.clone();
    let step = ClaimStep {
        zap_address: address.to_string(),
        request,
        confirm_transfer,
        org_name,
    };
    let key = format!("claim:{serial}:{org_id}:{}", ws.now_ms());
    let entry_id = enqueue(ws, CLAIM, &step, &key)?;
    Ok(ClaimResult::Queued {
        serial,
        org_id: org_id.to_string(),
        entry_id: small(entry_id),
    })
}

/// A fresh proof from the Zap: `identity|nonce|timestamp|serial`, signed by its key.
pub(super) async fn sign_claim(
    ws: &Workspace,
    address: &str,
    org_id: &str,
) -> Result<ClaimRequest> {
    let client = zap::client(address)?;
    let crypto = client.crypto().await.map_err(zap::failure(&client))?;
    let signed = client
        .sign(Some(&ws.identity_id), None)
        .await
        .map_err(zap::failure(&client))?;
    Ok(ClaimRequest {
        org_id: org_id.to_string(),
        gateway_serial: crypto.serial_number,
        public_key: crypto.public_key,
        message: signed.message,
        signature: signed.sign,
    })
}

/// What [`provision_device_or_queue`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ProvisionOutcome {
    /// Provisioned now.
    Provisioned(Box<Provisioned>),
    /// The cloud cannot be reached: queued in the journal (the Zap checks passed).
    Queued { entry_id: u32, hardware_id: String },
}

/// [`provision::provision_device`], but when Novacore cannot be reached the checked request
/// waits in the journal instead of failing.
pub async fn provision_device_or_queue(
    ws: &Workspace,
    input: &ProvisionInput,
) -> Result<ProvisionOutcome> {
    let req = provision::prepare(input).await?;
    match ws
        .novacore(async |c| c.devices().provision(&req).await)
        .await
    {
        Ok(resp) => Ok(ProvisionOutcome::Provisioned(Box::new(
            provision::record(ws, &input.zap_address, &req, resp).await?,
        ))),
        Err(e) if cloud_unreachable(&e) => queue_checked(ws, &input.zap_address, req),
        Err(e) => Err(provision::refused(&req)(e)),
    }
}

/// Queues the provisioning without trying the cloud (the Zap checks still run): behind a queued
/// claim of its Zap it must not overtake it, or the platform refuses a gateway not yet claimed.
pub(super) async fn queue_provision(
    ws: &Workspace,
    input: &ProvisionInput,
) -> Result<ProvisionOutcome> {
    let req = provision::prepare(input).await?;
    queue_checked(ws, &input.zap_address, req)
}

fn queue_checked(
    ws: &Workspace,
    zap_address: &str,
    req: ProvisionRequest,
) -> Result<ProvisionOutcome> {
    let hardware_id = req.hardware_id.clone();
    let key = format!("provision:{hardware_id}:{}:{}", req.site_id, ws.now_ms());
    let site_name = cached_sites(ws)?.and_then(|c| {
        c.value
            .into_iter()
            .find(|s| s.id == req.site_id)
            .map(|s| s.name)
    });
    let step = ProvisionStep {
        zap_address: zap_address.to_string(),
        request: req,
        site_name,
    };
    let entry_id = enqueue(ws, PROVISION, &step, &key)?;
    Ok(ProvisionOutcome::Queued {
        entry_id: small(entry_id),
        hardware_id,
    })
}

fn enqueue<T: Serialize>(ws: &Workspace, kind: &str, step: &T, key: &str) -> Result<i64> {
    let payload = serde_json::to_value(step)
        .map_err(|e| Error::InvalidInput(format!("The step could not be kept: {e}")))?;
    Ok(ws.store().enqueue(kind, &payload, key, ws.now_ms())?)
}

/// Every journal item, oldest first.
pub fn journal(ws: &Workspace) -> Result<Vec<JournalItem>> {
    let mut entries = ws.store().outbox()?;
    entries.retain(|e| e.kind == CLAIM || e.kind == PROVISION);
    entries.reverse();
    Ok(entries.iter().map(item).collect())
}

/// How many journal items wait, by kind of wait (the status bar's count).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JournalCounts {
    /// Waiting for the cloud; replayed by themselves.
    pub queued: u32,
    /// Waiting for the installer's retry or drop.
    pub conflict: u32,
}

/// How many items wait for the cloud, and how many for a decision (the status bar's count).
pub fn journal_counts(ws: &Workspace) -> Result<JournalCounts> {
    let c = ws.store().outbox_counts()?;
    Ok(JournalCounts {
        queued: small(c.queued),
        conflict: small(c.conflict),
    })
}

/// Puts a refused item back in the queue; the next replay sends it (after reading first).
pub fn retry_item(ws: &Workspace, id: u32) -> Result<()> {
    Ok(ws.store().retry_entry(id.into(), ws.now_ms(), None)?)
}

/// Gives up an item that is not done: nothing more is sent for it.
pub fn drop_item(ws: &Workspace, id: u32) -> Result<()> {
    Ok(ws.store().drop_entry(id.into())?)
}

/// Outbox ids and counts as the window's numbers (a rowid beyond u32 does not happen on a laptop).
pub(super) fn small(n: i64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn item(e: &OutboxEntry) -> JournalItem {
    let title = match e.kind.as_str() {
        CLAIM => serde_json::from_value::<ClaimStep>(e.payload.clone())
            .map(|s| {
                format!(
                    "Claim {} into {}",
                    s.request.gateway_serial,
                    s.org_name.as_deref().unwrap_or(&s.request.org_id)
                )
            })
            .unwrap_or_else(|_| "Claim a Zap".into()),
        _ => serde_json::from_value::<ProvisionStep>(e.payload.clone())
            .map(|s| {
                format!(
                    "Provision {} ({}) to {}",
                    s.request.hardware_id,
                    s.request.device_type,
                    s.site_name.as_deref().unwrap_or(&s.request.site_id)
                )
            })
            .unwrap_or_else(|_| "Provision a device".into()),
    };
    JournalItem {
        id: small(e.id),
        step: e.kind.clone(),
        title,
        status: match e.status {
            OutboxStatus::Done => JournalStatus::Done,
            OutboxStatus::Pending => JournalStatus::Queued,
            OutboxStatus::Conflict | OutboxStatus::Failed => JournalStatus::Conflict,
        },
        result: e.result.clone(),
        problem: e.last_error.clone(),
        attempts: small(e.attempts),
        queued_at_ms: e.created_at as f64,
        done_at_ms: e.done_at.map(|t| t as f64),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_no_answer_or_unavailable_queues() {
        let unavailable = novacore::Error::Server {
            status: 503,
            code: "unavailable".into(),
            message: "down".into(),
        };
        assert!(cloud_unreachable(&unavailable));
        assert!(cloud_unreachable(&novacore::Error::Timeout));
        let refused = novacore::Error::Forbidden {
            message: "no".into(),
        };
        assert!(!cloud_unreachable(&refused));
        let internal = novacore::Error::Server {
            status: 500,
            code: "internal_error".into(),
            message: "bug".into(),
        };
        assert!(!cloud_unreachable(&internal));
    }
}
