//! The installer's edit of a journal item Novacore refused: a claim goes into another
//! organization (or moves the Zap after all), a provisioning gets corrected device fields or
//! another site. The corrected step replaces the queued one and the item waits again; the next
//! replay reads the platform before it sends, as for any entry. Field rules are the provisioning
//! form's ([`super::provision::checked_request`]); who may do what is [`Permissions`]'.

use serde::{Deserialize, Serialize};

use super::gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwners};
use super::journal::{cloud_unreachable, small, ClaimStep, ProvisionStep, CLAIM, PROVISION};
use super::provision::{checked_request, ProvisionInput};
use super::provision_form::{device_types, DerChoice, DeviceTypeChoice, SiteChoice};
use crate::browse::{cached_sites, refresh_sites, SiteRow};
use crate::error::{Error, Result};
use crate::manage::Permissions;
use crate::workspace::Workspace;
use novadesk_store::{OutboxEntry, OutboxStatus};

/// A refused item's step as the installer can change it (also what it is now, to fill the form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum JournalEdit {
    /// The claim, into `org_id`; `confirm_transfer` moves the Zap from the organization that
    /// holds it now (its devices there are orphaned).
    Claim {
        org_id: String,
        confirm_transfer: bool,
    },
    /// The provisioning of the same field device (its hardware id and gateway stay).
    Provision {
        site_id: String,
        device_type: String,
        name: Option<String>,
        manufacturer: Option<String>,
        model: Option<String>,
        ders: Vec<DerChoice>,
    },
}

/// The edit form of a refused item: what it is now and what it may become.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct JournalEditForm {
    pub id: u32,
    /// The Zap's serial (claim) or the field device's hardware id (provision).
    pub subject: String,
    pub current: JournalEdit,
    /// Provision: the sites of organizations where your role lets you provision.
    pub sites: Vec<SiteChoice>,
    /// Provision: every device type with its DER types.
    pub device_types: Vec<DeviceTypeChoice>,
}

/// The item `id`, if it waits for the installer's decision (only then is nothing in flight).
fn editable(ws: &Workspace, id: u32) -> Result<OutboxEntry> {
    let entry = ws
        .store()
        .outbox_entry(id.into())?
        .ok_or_else(|| Error::NotFound(format!("Journal item {id} is gone (dropped).")))?;
    match entry.status {
        OutboxStatus::Conflict | OutboxStatus::Failed => Ok(entry),
        OutboxStatus::Done => Err(Error::InvalidInput(format!(
            "Journal item {id} is already done: Novacore applied it, so there is nothing to edit."
        ))),
        OutboxStatus::Pending => Err(Error::InvalidInput(format!(
            "Journal item {id} is queued, not refused: it is sent as it is when Novacore can be reached."
        ))),
    }
}

fn unreadable() -> Error {
    Error::InvalidInput(
        "This journal item is not one this version of Novadesk can read: drop it and do the step again."
            .into(),
    )
}

fn offline(e: &Error) -> bool {
    matches!(e, Error::Novacore(n) if cloud_unreachable(n))
}

/// Fresh from the platform when it answers, else as last fetched (the edit may be made offline).
async fn owners(ws: &Workspace) -> Result<GatewayOwners> {
    match refresh_gateway_owners(ws).await {
        Ok(o) => Ok(o),
        Err(e) if offline(&e) => cached_gateway_owners(ws),
        Err(e) => Err(e),
    }
}

/// Sites of organizations where your role lets you provision.
async fn provisionable_sites(ws: &Workspace, owners: &GatewayOwners) -> Result<Vec<SiteRow>> {
    let sites = match refresh_sites(ws).await {
        Ok(c) => c.value,
        Err(e) if offline(&e) => cached_sites(ws)?.map(|c| c.value).unwrap_or_default(),
        Err(e) => return Err(e),
    };
    Ok(sites
        .into_iter()
        .filter(|s| {
            s.org_id
                .as_deref()
                .and_then(|o| owners.organization(o))
                .is_some_and(|o| {
                    Permissions::for_role(o.role.as_deref())
                        .provision_devices()
                        .allowed
                })
        })
        .collect())
}

/// The edit form of journal item `id` (not done).
pub async fn journal_edit_form(ws: &Workspace, id: u32) -> Result<JournalEditForm> {
    let entry = editable(ws, id)?;
    let (subject, current) = match entry.kind.as_str() {
        CLAIM => {
            let s: ClaimStep = serde_json::from_value(entry.payload).map_err(|_| unreadable())?;
            (
                s.request.gateway_serial,
                JournalEdit::Claim {
                    org_id: s.request.org_id,
                    confirm_transfer: s.confirm_transfer,
                },
            )
        }
        PROVISION => {
            let s: ProvisionStep =
                serde_json::from_value(entry.payload).map_err(|_| unreadable())?;
            let r = s.request;
            (
                r.hardware_id,
                JournalEdit::Provision {
                    site_id: r.site_id,
                    device_type: r.device_type,
                    name: r.name,
                    manufacturer: r.manufacturer,
                    model: r.model,
                    ders: r
                        .ders
                        .into_iter()
                        .map(|d| DerChoice {
                            name: d.name,
                            der_type: d.der_type,
                        })
                        .collect(),
                },
            )
        }
        _ => return Err(unreadable()),
    };
    let (sites, device_types) = match &current {
        JournalEdit::Claim { .. } => (Vec::new(), Vec::new()),
        JournalEdit::Provision { .. } => {
            let owners = owners(ws).await?;
            let sites = provisionable_sites(ws, &owners)
                .await?
                .into_iter()
                .map(|s| SiteChoice {
                    id: s.id,
                    name: s.name,
                })
                .collect();
            (sites, device_types())
        }
    };
    Ok(JournalEditForm {
        id: small(entry.id),
        subject,
        current,
        sites,
        device_types,
    })
}

/// Replaces the step of journal item `id` (not done) with the installer's corrected one, checked
/// as the claim and provisioning forms check theirs, and puts it back in the queue.
pub async fn edit_item(ws: &Workspace, id: u32, edit: &JournalEdit) -> Result<()> {
    // Not while a replay runs: the step it sends is the one it records.
    let _one_at_a_time = ws.journal_lock.lock().await;
    let entry = editable(ws, id)?;
    let payload = match (entry.kind.as_str(), edit) {
        (
            CLAIM,
            JournalEdit::Claim {
                org_id,
                confirm_transfer,
            },
        ) => {
            let mut s: ClaimStep =
                serde_json::from_value(entry.payload).map_err(|_| unreadable())?;
            let org_id = org_id.trim();
            let owners = owners(ws).await?;
            let Some(org) = owners.organization(org_id) else {
                return Err(Error::InvalidInput(
                    "Choose one of your organizations to claim the Zap into.".into(),
                ));
            };
            let allowed = Permissions::for_role(org.role.as_deref()).manage_gateways();
            if !allowed.allowed {
                return Err(Error::Forbidden(allowed.reason.unwrap_or_default()));
            }
            // The Zap's proof names the person, not the organization: it stays valid.
            s.request.org_id = org_id.to_string();
            s.org_name = Some(org.name.clone());
            s.confirm_transfer = *confirm_transfer;
            serde_json::to_value(&s)
        }
        (
            PROVISION,
            JournalEdit::Provision {
                site_id,
                device_type,
                name,
                manufacturer,
                model,
                ders,
            },
        ) => {
            let mut s: ProvisionStep =
                serde_json::from_value(entry.payload).map_err(|_| unreadable())?;
            let checked = checked_request(&ProvisionInput {
                zap_address: s.zap_address.clone(),
                device_sn: s.request.hardware_id.clone(),
                site_id: site_id.clone(),
                device_type: device_type.clone(),
                name: name.clone(),
                manufacturer: manufacturer.clone(),
                model: model.clone(),
                ders: ders
                    .iter()
                    .map(|d| (d.name.clone(), d.der_type.clone()))
                    .collect(),
            })?;
            let owners = owners(ws).await?;
            let sites = provisionable_sites(ws, &owners).await?;
            let Some(site) = sites.iter().find(|x| x.id == checked.site_id) else {
                return Err(Error::InvalidInput(
                    "Choose a site of an organization where you may provision devices.".into(),
                ));
            };
            s.site_name = Some(site.name.clone());
            s.request = novacore::models::ProvisionRequest {
                gateway_serial: s.request.gateway_serial.clone(),
                ..checked
            };
            serde_json::to_value(&s)
        }
        _ => {
            return Err(Error::InvalidInput(format!(
                "Journal item {id} is a {} step: edit it with that step's fields.",
                entry.kind
            )))
        }
    }
    .map_err(|e| Error::InvalidInput(format!("The edited step could not be kept: {e}")))?;
    Ok(ws
        .store()
        .retry_entry(entry.id, ws.now_ms(), Some(&payload))?)
}
