//! Replaying the installer's journal ([`super::journal`]) in order, each entry exactly once:
//! read the platform first (the gateway already in that organization; the device with that
//! hardware id on that gateway with those DER names), send only what is missing, record what
//! happened. The cloud out of reach stops the replay (the rest waits, with backoff); a refusal
//! parks the entry for the installer's decision.

use std::time::Duration;

use novadesk_store::OutboxEntry;
use serde::{Deserialize, Serialize};

use super::gateways::refresh_gateway_owners;
use super::journal::{cloud_unreachable, sign_claim, ClaimStep, ProvisionStep, CLAIM, PROVISION};
use super::provision;
use crate::error::{Error, Result};
use crate::manage::Permissions;
use crate::workspace::Workspace;

/// First retry delay of an entry that could not reach the cloud; doubles to [`MAX_RETRY`].
const FIRST_RETRY: Duration = Duration::from_secs(2);
const MAX_RETRY: Duration = Duration::from_secs(60);

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
            "Novacore refused: {} (has your role changed?). Retry once it is sorted out, edit it, or drop it.",
            message.trim_end_matches('.')
        ),
        novacore::Error::Validation { message, .. } | novacore::Error::Conflict { message } => {
            format!(
                "Novacore refused: {}. Edit it, retry once it is sorted out, or drop it.",
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
                "{serial} was claimed meanwhile into {}: edit this claim to move it to {org_name} anyway (its devices in {} are orphaned) or to claim it into another organization, or drop it.",
                o.org_name, o.org_name
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
}
