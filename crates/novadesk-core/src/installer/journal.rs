//! The installer's journal: the cloud steps of a commissioning (the claim with its Zap-signed
//! proof, provisioning and the publish switch after it) kept in the store's outbox while
//! Novacore cannot be reached, then replayed in order, each exactly once.
//!
//! Novacore has no idempotency keys, so "exactly once" is read-before-write: before sending an
//! entry, the platform is asked whether it already has its effect (the gateway claimed into that
//! organization; a device with that hardware id on that gateway with those DER names). A crash
//! between "sent" and "recorded" then costs one read, never a second device. Refusals a person
//! must settle (claimed meanwhile elsewhere, validation, a role change, a proof too old while
//! the Zap is out of reach) park the entry as a conflict until retry or drop.

use std::time::Duration;

use novacore::models::{ClaimRequest, ProvisionRequest};
use novadesk_store::{OutboxEntry, OutboxStatus};
use serde::{Deserialize, Serialize};

use super::claim::ClaimResult;
use super::gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwner};
use super::provision::{self, ProvisionInput, Provisioned};
use super::zap;
use crate::browse::cached_sites;
use crate::error::{Error, Result};
use crate::manage::Permissions;
use crate::workspace::Workspace;

const CLAIM: &str = "claim";
const PROVISION: &str = "provision";

/// First retry delay of an entry that could not reach the cloud; doubles to [`MAX_RETRY`].
const FIRST_RETRY: Duration = Duration::from_secs(2);
const MAX_RETRY: Duration = Duration::from_secs(60);

/// A claim waiting for the cloud: the proof the Zap signed on site, sent unchanged.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ClaimStep {
    zap_address: String,
    request: ClaimRequest,
    confirm_transfer: bool,
    /// The organization's name when queued, for the journal's title.
    #[serde(default)]
    org_name: Option<String>,
}

/// A provisioning waiting for the cloud; its publish switch follows at the Zap.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct ProvisionStep {
    zap_address: String,
    request: ProvisionRequest,
    /// The site's name when queued, for the journal's title.
    #[serde(default)]
    site_name: Option<String>,
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
    /// Refused: waits for the installer's retry or drop.
    Conflict,
}

/// One journal item for the Installer's "Waiting for the cloud" panel.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JournalItem {
    /// The outbox entry id (for retry / drop).
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

/// What one replay did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReplayReport {
    /// Entries applied now (sent, or found already applied).
    pub applied: u32,
    /// Of those, found already applied by an earlier send (nothing was sent again).
    pub already_applied: u32,
    /// Entries parked for a decision.
    pub conflicts: u32,
    /// True when the cloud could not be reached: the rest waits for the next try.
    pub stopped_offline: bool,
}

/// The cloud cannot be reached (no answer, or the platform says it is unavailable): queue.
pub(crate) fn cloud_unreachable(e: &novacore::Error) -> bool {
    e.is_offline()
        || matches!(e, novacore::Error::Server { status, .. } if matches!(status, 502..=504))
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
async fn sign_claim(ws: &Workspace, address: &str, org_id: &str) -> Result<ClaimRequest> {
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
        Err(e) if cloud_unreachable(&e) => {
            let hardware_id = req.hardware_id.clone();
            let key = format!("provision:{hardware_id}:{}:{}", req.site_id, ws.now_ms());
            let site_name = cached_sites(ws)?.and_then(|c| {
                c.value
                    .into_iter()
                    .find(|s| s.id == req.site_id)
                    .map(|s| s.name)
            });
            let step = ProvisionStep {
                zap_address: input.zap_address.clone(),
                request: req,
                site_name,
            };
            let entry_id = enqueue(ws, PROVISION, &step, &key)?;
            Ok(ProvisionOutcome::Queued {
                entry_id: small(entry_id),
                hardware_id,
            })
        }
        Err(e) => Err(provision::refused(&req)(e)),
    }
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
fn small(n: i64) -> u32 {
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

/// How one entry ended this time.
enum Applied {
    Sent(String),
    AlreadyThere(String),
}

/// What stops an entry: the cloud out of reach (try later), or a refusal for a person.
enum Stop {
    Offline(String),
    Conflict(String),
}

/// Why an entry still waits, for the journal: the cloud, not the installer, has to change.
fn offline_sentence(e: &novacore::Error) -> String {
    let how = match e {
        novacore::Error::Server { status, .. } => format!("it answers HTTP {status}, unavailable"),
        _ => "no answer".into(),
    };
    format!("Novacore cannot be reached ({how}); sent by itself when it can.")
}

impl From<Error> for Stop {
    fn from(e: Error) -> Self {
        match &e {
            Error::Novacore(n) if cloud_unreachable(n) => Stop::Offline(offline_sentence(n)),
            _ => Stop::Conflict(e.user_message()),
        }
    }
}

fn from_novacore(e: novacore::Error) -> Stop {
    if cloud_unreachable(&e) {
        Stop::Offline(offline_sentence(&e))
    } else {
        Stop::Conflict(conflict_sentence(e))
    }
}

fn conflict_sentence(e: novacore::Error) -> String {
    match e {
        novacore::Error::Forbidden { message } => format!(
            "Novacore refused: {} (has your role changed?). Retry once it is sorted out, or drop it.",
            message.trim_end_matches('.')
        ),
        novacore::Error::Validation { message, .. } | novacore::Error::Conflict { message } => {
            format!(
                "Novacore refused: {}. Retry once it is sorted out, or drop it.",
                message.trim_end_matches('.')
            )
        }
        other => Error::Novacore(other).user_message(),
    }
}

/// Replays the pending entries in order (one replay at a time per workspace). Stops at the
/// first one the cloud cannot take (it and the rest wait for the next try, with backoff).
pub async fn replay(ws: &Workspace) -> Result<ReplayReport> {
    let _one_at_a_time = ws.journal_lock.lock().await;
    let mut report = ReplayReport::default();
    let pending = ws.store().pending_in_order()?;
    for entry in pending {
        let attempts = entry.attempts + 1;
        let outcome = match entry.kind.as_str() {
            CLAIM => replay_claim(ws, &entry).await,
            PROVISION => replay_provision(ws, &entry).await,
            _ => continue,
        };
        let now = ws.now_ms();
        match outcome {
            Ok(applied) => {
                let (text, again) = match applied {
                    Applied::Sent(t) => (t, false),
                    Applied::AlreadyThere(t) => (t, true),
                };
                ws.store().mark_done(entry.id, now, Some(&text))?;
                report.applied += 1;
                report.already_applied += u32::from(again);
            }
            Err(Stop::Conflict(why)) => {
                ws.store().mark_conflict(entry.id, attempts, &why)?;
                report.conflicts += 1;
            }
            Err(Stop::Offline(why)) => {
                let delay = retry_delay(attempts);
                ws.store()
                    .mark_failed(entry.id, attempts, Some(now + delay), &why)?;
                report.stopped_offline = true;
                break;
            }
        }
    }
    Ok(report)
}

fn retry_delay(attempts: i64) -> i64 {
    let shift = attempts.clamp(1, 16) - 1;
    let ms = (FIRST_RETRY.as_millis() as i64).saturating_mul(1 << shift);
    ms.min(MAX_RETRY.as_millis() as i64)
}

/// True when the journal's first pending entry is due (what the background loop looks at; no
/// network). The first one governs: a replay goes in order and stops where the cloud did.
pub fn replay_due(ws: &Workspace) -> Result<bool> {
    let now = ws.now_ms();
    Ok(ws
        .store()
        .pending_in_order()?
        .first()
        .is_some_and(|e| e.next_try_at <= now))
}

fn step<T: for<'de> Deserialize<'de>>(entry: &OutboxEntry) -> std::result::Result<T, Stop> {
    serde_json::from_value(entry.payload.clone()).map_err(|_| {
        Stop::Conflict("This journal entry is not one this version of Novadesk can read: drop it and do the step again.".into())
    })
}

async fn replay_claim(ws: &Workspace, entry: &OutboxEntry) -> std::result::Result<Applied, Stop> {
    let mut s: ClaimStep = step(entry)?;
    let org_id = s.request.org_id.clone();
    let serial = s.request.gateway_serial.clone();
    // Read first: the platform may already have it (a send whose answer was lost).
    let owners = refresh_gateway_owners(ws).await?;
    let Some(org) = owners.organization(&org_id) else {
        return Err(Stop::Conflict(format!(
            "The organization {org_id} no longer exists, or you are no longer a member of it: drop this claim and claim the Zap again."
        )));
    };
    let org_name = org.name.clone();
    let allowed = Permissions::for_role(org.role.as_deref()).manage_gateways();
    if !allowed.allowed {
        return Err(Stop::Conflict(format!(
            "Your role in {org_name} changed: {}",
            allowed.reason.unwrap_or_default()
        )));
    }
    match owners.owner(&serial) {
        Some(o) if o.org_id == org_id => {
            return Ok(Applied::AlreadyThere(format!(
                "{serial} is claimed into {org_name} (already applied)."
            )))
        }
        Some(o) if !s.confirm_transfer => {
            return Err(Stop::Conflict(format!(
                "{serial} was claimed meanwhile into {}: retry to move it to {org_name} (its devices there are orphaned), or drop this claim.",
                o.org_name
            )))
        }
        _ => {}
    }
    let mut resigned = false;
    loop {
        ws.store()
            .mark_sending(entry.id, ws.now_ms())
            .map_err(|e| Stop::Conflict(Error::from(e).user_message()))?;
        match ws
            .novacore(async |c| c.gateways().claim(&s.request).await)
            .await
        {
            Ok(_) => break,
            Err(e) if proof_too_old(&e) && !resigned => {
                // Signed too long ago: a new proof needs the Zap next to us.
                match sign_claim(ws, &s.zap_address, &org_id).await {
                    Ok(fresh) if fresh.gateway_serial == serial => {
                        s.request = fresh;
                        resigned = true;
                        let payload = serde_json::to_value(&s).map_err(|e| {
                            Stop::Conflict(format!("The new proof could not be kept: {e}"))
                        })?;
                        // Kept before it is sent: the proof in the journal is the one in flight.
                        ws.store()
                            .retry_entry(entry.id, ws.now_ms(), Some(&payload))
                            .map_err(|e| Stop::Conflict(Error::from(e).user_message()))?;
                    }
                    _ => {
                        return Err(Stop::Conflict(format!(
                            "Novacore refused the Zap's claim proof as too old, and the Zap at {} cannot be reached to sign a new one. Reconnect to the Zap, then retry.",
                            s.zap_address
                        )))
                    }
                }
            }
            Err(e) => return Err(from_novacore(e)),
        }
    }
    // Written through to the cached lists (and confirms what the platform now holds).
    refresh_gateway_owners(ws).await.ok();
    let note = if resigned {
        " (its proof was too old: the Zap signed a new one)"
    } else {
        ""
    };
    Ok(Applied::Sent(format!(
        "{serial} claimed into {org_name}{note}."
    )))
}

fn proof_too_old(e: &novacore::Error) -> bool {
    matches!(e, novacore::Error::Validation { message, fields, .. }
        if message.contains("too old") || fields.iter().any(|f| f.message.contains("too old")))
}

async fn replay_provision(
    ws: &Workspace,
    entry: &OutboxEntry,
) -> std::result::Result<Applied, Stop> {
    let s: ProvisionStep = step(entry)?;
    let req = &s.request;
    // Read first: the device with this hardware id on this gateway with these DER names means
    // an earlier send landed.
    let devices = ws
        .novacore(async |c| c.sites().devices(&req.site_id).await)
        .await
        .map_err(from_novacore)?;
    let landed = devices.iter().find(|d| {
        d.hardware_id.as_deref() == Some(req.hardware_id.as_str())
            && d.gateway_serial == req.gateway_serial
            && req
                .ders
                .iter()
                .all(|want| d.ders.iter().any(|have| have.name == want.name))
    });
    if let Some(d) = landed {
        let publish = publish_note(&s.zap_address, &req.hardware_id).await;
        return Ok(Applied::AlreadyThere(format!(
            "{} is provisioned as {} with {} DER(s) (already applied){publish}",
            req.hardware_id,
            d.id,
            d.ders.len()
        )));
    }
    ws.store()
        .mark_sending(entry.id, ws.now_ms())
        .map_err(|e| Stop::Conflict(Error::from(e).user_message()))?;
    let resp = ws
        .novacore(async |c| c.devices().provision(req).await)
        .await
        .map_err(from_novacore)?;
    let created = resp.created;
    let p = provision::record(ws, &s.zap_address, req, resp).await?;
    let publish = match &p.publish_problem {
        None => ". Publishing is on.".to_string(),
        Some(problem) => format!(". {problem}"),
    };
    Ok(Applied::Sent(format!(
        "{} {} as {} with {} DER(s){publish}",
        req.hardware_id,
        if created { "provisioned" } else { "re-bound" },
        p.device.id,
        p.device.ders.len()
    )))
}

/// Publish-after-provision for an entry found applied (the crash may have come before it).
async fn publish_note(zap_address: &str, sn: &str) -> String {
    match provision::set_publishing(zap_address, sn, true).await {
        Ok(_) => ". Publishing is on.".into(),
        Err(e) => format!(
            ". Its publishing could not be switched on: {} Try again at the Zap.",
            e.user_message()
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_delays_double_to_the_cap() {
        assert_eq!(retry_delay(1), 2_000);
        assert_eq!(retry_delay(2), 4_000);
        assert_eq!(retry_delay(5), 32_000);
        assert_eq!(retry_delay(6), 60_000);
        assert_eq!(retry_delay(1_000), 60_000);
    }

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
