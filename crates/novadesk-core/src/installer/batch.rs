//! Many Zaps at once: claim each into one organization and, optionally, provision its field
//! devices to one site from a [`ProvisionTemplate`], a few Zaps at a time, with a result row per
//! Zap as it ends. The claim and the provisioning are [`super::claim`]'s and
//! [`super::provision`]'s: a batch only runs them side by side. It never moves a Zap silently:
//! one claimed into another of your organizations ends as `needs_transfer` unless the request
//! confirms transfers (the window asks per Zap, then runs a batch of that one). With Novacore
//! out of reach the cloud steps wait in the installer's journal ([`super::journal`]): each
//! Zap's claim, then its devices behind it, replayed in that order, each exactly once.

use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Instant;

use futures::stream::{FuturesUnordered, StreamExt};
use serde::Serialize;

use super::batch_template::ProvisionTemplate;
use super::claim::{claim_zap_with, ClaimResult};
use super::gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwners};
use super::journal::{self, ProvisionOutcome};
use super::zap;
use crate::browse::{cached_sites, refresh_sites};
use crate::chart::CancelToken;
use crate::error::{Error, Result};
use crate::manage::Permissions;
use crate::workspace::Workspace;

/// Zaps worked on at once when the request does not say: enough to hide each Zap's signing and
/// the platform's round trips, few enough not to flood a site's LAN or the platform.
pub const BATCH_CONCURRENCY: usize = 8;
/// Most Zaps one batch takes (a rack is dozens).
pub const MAX_BATCH: usize = 256;
const MAX_CONCURRENCY: usize = 32;

/// A batch: which Zaps, into which organization, and what to provision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchRequest {
    /// The Zaps' addresses as found or typed; repeats count once.
    pub addresses: Vec<String>,
    pub org_id: String,
    /// Move Zaps claimed into another of your organizations (only after the person confirmed).
    pub confirm_transfer: bool,
    /// Provision each claimed Zap's field devices; `None`: claim only.
    pub provision: Option<ProvisionTemplate>,
    /// Zaps at once (`0`: [`BATCH_CONCURRENCY`]).
    pub concurrency: usize,
}

/// How one Zap of the batch ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum BatchOutcome {
    /// The claim answered (`needs_transfer` included: then nothing was sent or moved).
    Done { claim: ClaimResult },
    /// It failed, with the sentence why; retrying it runs it again.
    Failed { message: String },
    /// Cancel came before it started: nothing was sent for it.
    Cancelled,
}

/// What the batch did with one field device of a claimed Zap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BatchDevice {
    pub sn: String,
    pub profile: Option<String>,
    /// Provisioned: the platform's device id.
    pub device_id: Option<String>,
    /// Why it was left alone (no rule for its profile, or cancelled).
    pub skipped: Option<String>,
    /// Why provisioning it failed, or why its publishing could not be switched on.
    pub problem: Option<String>,
    /// Novacore could not be reached: its provisioning waits in the installer's journal (this
    /// entry), sent when the cloud is back.
    pub queued_entry: Option<u32>,
}

/// One Zap's result row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BatchRow {
    pub address: String,
    /// When the Zap said.
    pub serial: Option<String>,
    pub outcome: BatchOutcome,
    /// Its field devices, when the batch provisions.
    pub devices: Vec<BatchDevice>,
}

impl BatchRow {
    /// Whether running it again could do more: it failed, or one of its devices did.
    pub fn retryable(&self) -> bool {
        matches!(
            self.outcome,
            BatchOutcome::Failed { .. } | BatchOutcome::Cancelled
        ) || self.devices.iter().any(|d| d.problem.is_some())
    }
}

/// Progress of a batch, as it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "BatchUpdateItem")
)]
pub enum BatchUpdate {
    /// Work on this Zap began.
    Working { address: String },
    /// This Zap ended; `done` of `total` have.
    Ended {
        row: BatchRow,
        #[cfg_attr(feature = "specta", specta(type = f64))]
        done: usize,
        #[cfg_attr(feature = "specta", specta(type = f64))]
        total: usize,
    },
}

/// The whole batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct BatchReport {
    /// In the order the Zaps ended.
    pub rows: Vec<BatchRow>,
    pub cancelled: bool,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub elapsed_ms: u64,
}

/// The request's addresses, trimmed, each once, checked before anything is sent.
fn addresses(req: &BatchRequest) -> Result<Vec<String>> {
    let mut seen = BTreeSet::new();
    let list: Vec<String> = req
        .addresses
        .iter()
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty() && seen.insert(a.clone()))
        .collect();
    if list.is_empty() {
        return Err(Error::InvalidInput("Select at least one Zap.".into()));
    }
    if list.len() > MAX_BATCH {
        return Err(Error::InvalidInput(format!(
            "{} Zaps selected: a batch takes at most {MAX_BATCH}. Select fewer and run the rest next.",
            list.len()
        )));
    }
    for a in &list {
        zap::client(a)?;
    }
    Ok(list)
}

/// Claims (and provisions) the request's Zaps, `concurrency` at a time; `progress` hears each
/// start and end. Refused as a whole before any Zap is touched when the input cannot work (no
/// Zap, too many, a bad address or template, an organization that is not yours or where your
/// role cannot claim, a site outside it). Cancel lets the Zaps in flight finish (a claim is not
/// half-sent) and starts no more.
pub async fn claim_batch(
    ws: &Workspace,
    req: &BatchRequest,
    cancel: &CancelToken,
    progress: impl FnMut(BatchUpdate) + Send,
) -> Result<BatchReport> {
    let start = Instant::now();
    let list = addresses(req)?;
    let org_id = req.org_id.trim();
    if org_id.is_empty() {
        return Err(Error::InvalidInput(
            "Choose the organization to claim the Zaps into.".into(),
        ));
    }
    if let Some(t) = &req.provision {
        t.check()?;
    }
    // The cloud out of reach: decide from what the store has; the claims then queue.
    let offline = |e: &Error| matches!(e, Error::Novacore(n) if journal::cloud_unreachable(n));
    let owners = match refresh_gateway_owners(ws).await {
        Ok(o) => o,
        Err(e) if offline(&e) => cached_gateway_owners(ws)?,
        Err(e) => return Err(e),
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
    if let Some(t) = &req.provision {
        let site_id = t.site_id.trim();
        let sites = match refresh_sites(ws).await {
            Ok(c) => c.value,
            Err(e) if offline(&e) => cached_sites(ws)?.map(|c| c.value).unwrap_or_default(),
            Err(e) => return Err(e),
        };
        if !sites
            .iter()
            .any(|s| s.id == site_id && s.org_id.as_deref() == Some(org_id))
        {
            return Err(Error::InvalidInput(format!(
                "The site to provision to is not one of {}'s: choose one of its sites.",
                org.name
            )));
        }
    }
    let concurrency = match req.concurrency {
        0 => BATCH_CONCURRENCY,
        n => n.min(MAX_CONCURRENCY),
    };
    let total = list.len();
    // One task polls every Zap's future (no spawn): the store's read-modify-write of a cached
    // list never interleaves between two Zaps. A mutex, not a cell, around `progress`: the
    // batch's future stays `Send` (the shell runs it on its runtime).
    let progress = Mutex::new(progress);
    let mut rows = Vec::with_capacity(total);
    let mut waiting = list.iter();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < concurrency {
            let Some(address) = waiting.next() else { break };
            running.push(turn(ws, &owners, req, org_id, address, cancel, &progress));
        }
        let Some(row) = running.next().await else {
            break;
        };
        rows.push(row.clone());
        tell(
            &progress,
            BatchUpdate::Ended {
                row,
                done: rows.len(),
                total,
            },
        );
    }
    drop(running);
    // Claims ran side by side, each writing through to the cached gateway lists: read them once
    // more so the store ends as the platform has it.
    if let Err(e) = refresh_gateway_owners(ws).await {
        tracing::warn!(error = %e, "gateway lists not refreshed after a batch");
    }
    Ok(BatchReport {
        cancelled: cancel.is_cancelled(),
        rows,
        elapsed_ms: u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

fn tell(progress: &Mutex<impl FnMut(BatchUpdate)>, update: BatchUpdate) {
    (progress.lock().unwrap_or_else(|p| p.into_inner()))(update)
}

/// One Zap's turn: cancelled before it started, or worked on.
async fn turn(
    ws: &Workspace,
    owners: &GatewayOwners,
    req: &BatchRequest,
    org_id: &str,
    address: &str,
    cancel: &CancelToken,
    progress: &Mutex<impl FnMut(BatchUpdate)>,
) -> BatchRow {
    if cancel.is_cancelled() {
        return BatchRow {
            address: address.to_string(),
            serial: None,
            outcome: BatchOutcome::Cancelled,
            devices: Vec::new(),
        };
    }
    tell(
        progress,
        BatchUpdate::Working {
            address: address.to_string(),
        },
    );
    one_zap(ws, owners, req, org_id, address, cancel).await
}

/// One Zap: the claim, then (when asked and it is now in the organization) its devices.
async fn one_zap(
    ws: &Workspace,
    owners: &GatewayOwners,
    req: &BatchRequest,
    org_id: &str,
    address: &str,
    cancel: &CancelToken,
) -> BatchRow {
    let mut row = BatchRow {
        address: address.to_string(),
        serial: None,
        outcome: BatchOutcome::Cancelled,
        devices: Vec::new(),
    };
    let claim = match claim_zap_with(ws, Some(owners), address, org_id, req.confirm_transfer).await
    {
        Ok(c) => c,
        Err(e) => {
            row.outcome = BatchOutcome::Failed {
                message: e.user_message(),
            };
            return row;
        }
    };
    // `behind_queued_claim`: the claim waits in the journal, so its devices queue behind it.
    let (serial, in_org, behind_queued_claim) = match &claim {
        ClaimResult::Claimed { serial, .. }
        | ClaimResult::AlreadyClaimed { serial, .. }
        | ClaimResult::Transferred { serial, .. } => (serial.clone(), true, false),
        ClaimResult::NeedsTransfer { serial, .. } => (serial.clone(), false, false),
        ClaimResult::Queued { serial, .. } => (serial.clone(), true, true),
    };
    row.serial = Some(serial.clone());
    row.outcome = BatchOutcome::Done { claim };
    if let (Some(t), true) = (&req.provision, in_org) {
        match provision_all(ws, t, address, &serial, behind_queued_claim, cancel).await {
            Ok(devices) => row.devices = devices,
            Err(e) => {
                row.outcome = BatchOutcome::Failed {
                    message: format!(
                        "Claimed, but its field devices could not be read: {}",
                        e.user_message()
                    ),
                }
            }
        }
    }
    row
}

/// Provisions each field device of the Zap that has a rule, one after the other (queued in the
/// journal when the cloud cannot be reached, or behind the Zap's queued claim).
async fn provision_all(
    ws: &Workspace,
    t: &ProvisionTemplate,
    address: &str,
    serial: &str,
    behind_queued_claim: bool,
    cancel: &CancelToken,
) -> Result<Vec<BatchDevice>> {
    let client = zap::client(address)?;
    let devices = client.devices().await.map_err(zap::failure(&client))?;
    let mut out = Vec::with_capacity(devices.len());
    for d in devices {
        let mut row = BatchDevice {
            sn: d.sn.clone(),
            profile: d.profile.clone(),
            device_id: None,
            skipped: None,
            problem: None,
            queued_entry: None,
        };
        match t.rule_for(d.profile.as_deref()) {
            None => {
                row.skipped = Some(format!(
                    "No rule for the profile {}: left as it is.",
                    d.profile.as_deref().unwrap_or("(none)")
                ))
            }
            Some(_) if cancel.is_cancelled() => {
                row.skipped = Some("Cancelled before it was provisioned.".into())
            }
            Some(rule) => {
                let input = rule.input(t.site_id.trim(), address, serial, &d.sn);
                let outcome = if behind_queued_claim {
                    journal::queue_provision(ws, &input).await
                } else {
                    journal::provision_device_or_queue(ws, &input).await
                };
                match outcome {
                    Ok(ProvisionOutcome::Provisioned(p)) => {
                        row.device_id = Some(p.device.id);
                        row.problem = p.publish_problem;
                    }
                    Ok(ProvisionOutcome::Queued { entry_id, .. }) => {
                        row.queued_entry = Some(entry_id)
                    }
                    Err(e) => row.problem = Some(e.user_message()),
                }
            }
        }
        out.push(row);
    }
    Ok(out)
}
