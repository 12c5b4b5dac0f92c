//! The Installer view's "Provision" panel: the form for a claimed Zap's field devices, the
//! provisioning (publishing switched on with it), and the wait for the first reading on the
//! site's live stream (shared with the site view's: one stream per site) with its progress and
//! Cancel.

use novadesk_core as core;
use serde::{Deserialize, Serialize};
use specta::Type;
use tauri::ipc::Channel;
use tauri::State;

use super::browse_types::DeviceItem;
use super::installer::{id, text};
use super::live::LiveSubscriptions;
use crate::error::CommandResult;
use crate::state::AppState;

/// First-reading waits in flight (each can be cancelled from its progress line).
pub type FirstReadingJobs = super::jobs::Jobs<FirstReadingWait>;

/// The kind of [`FirstReadingJobs`].
pub struct FirstReadingWait;

/// Most DERs one device may be sent with: far beyond any real device.
pub(super) const MAX_DERS: usize = 16;

/// A DER as the form sends it.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct DerInput {
    pub name: String,
    pub der_type: String,
}

/// The provisioning form, filled in.
#[derive(Debug, Clone, Deserialize, Type)]
pub struct ProvisionArgs {
    pub address: String,
    /// The field device's `sn` on the Zap (its hardware id).
    pub sn: String,
    pub site_id: String,
    pub device_type: String,
    pub name: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub ders: Vec<DerInput>,
}

/// What provisioning did: the new ids, and whether publishing is on.
#[derive(Debug, Clone, Serialize, Type)]
pub struct ProvisionedItem {
    pub device: DeviceItem,
    /// False when the hardware id was known and re-bound instead of created.
    pub created: bool,
    /// The Zap's DER types switched to publishing.
    pub publishing: Vec<String>,
    /// Why publishing could not be switched on (retry with `set_zap_publishing`).
    pub publish_problem: Option<String>,
}

/// What the provision button did: provisioned now, or (Novacore out of reach) queued in the
/// installer's journal, replayed when the cloud is back.
#[derive(Debug, Clone, Serialize, Type)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ProvisionAnswer {
    Provisioned(Box<ProvisionedItem>),
    Queued { entry_id: u32, hardware_id: String },
}

/// An optional text field: empty is absent; otherwise bounded like the others.
pub(super) fn optional(what: &str, value: Option<String>) -> CommandResult<Option<String>> {
    match value.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => Ok(Some(text(what, v)?.to_string())),
    }
}

impl ProvisionArgs {
    /// Bounded and trimmed; the rules of the fields themselves are core's (the SDK's checks).
    fn into_input(self) -> CommandResult<core::ProvisionInput> {
        if self.ders.len() > MAX_DERS {
            return Err(core::Error::InvalidInput(format!(
                "A device has at most {MAX_DERS} DERs here; remove some."
            ))
            .into());
        }
        let ders = self
            .ders
            .into_iter()
            .map(|d| {
                Ok((
                    text("DER name", &d.name)?.to_string(),
                    text("DER type", &d.der_type)?.to_string(),
                ))
            })
            .collect::<CommandResult<Vec<_>>>()?;
        Ok(core::ProvisionInput {
            zap_address: text("Zap's address", &self.address)?.to_string(),
            device_sn: text("field device", &self.sn)?.to_string(),
            site_id: text("site", &self.site_id)?.to_string(),
            device_type: text("device type", &self.device_type)?.to_string(),
            name: optional("device name", self.name)?,
            manufacturer: optional("manufacturer", self.manufacturer)?,
            model: optional("model", self.model)?,
            ders,
        })
    }
}

/// The provisioning form for the Zap at `address`: its field devices with suggested device type
/// and DERs, the sites of the organization it is claimed into, and whether you may provision.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state))]
pub async fn get_provision_form(
    state: State<'_, AppState>,
    address: String,
) -> CommandResult<core::ProvisionForm> {
    let address = text("Zap's address", &address)?;
    let ws = state.connections.workspace().await?;
    Ok(core::provision_form(&ws, address).await?)
}

/// Provision a field device of a Zap to a site, then switch its publishing on; with Novacore out
/// of reach, queue it in the installer's journal.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, form), fields(sn = %form.sn))]
pub async fn provision_zap_device(
    state: State<'_, AppState>,
    form: ProvisionArgs,
) -> CommandResult<ProvisionAnswer> {
    let input = form.into_input()?;
    let ws = state.connections.workspace().await?;
    Ok(match core::provision_device_or_queue(&ws, &input).await? {
        core::ProvisionOutcome::Provisioned(done) => {
            ProvisionAnswer::Provisioned(Box::new(ProvisionedItem {
                device: done.device.into(),
                created: done.created,
                publishing: done.publishing,
                publish_problem: done.publish_problem,
            }))
        }
        core::ProvisionOutcome::Queued {
            entry_id,
            hardware_id,
        } => ProvisionAnswer::Queued {
            entry_id,
            hardware_id,
        },
    })
}

/// Switch publishing on or off for the DERs of the Zap's field device `sn` (the retry when
/// provisioning could not); the DER types switched.
#[tauri::command]
#[specta::specta]
#[tracing::instrument]
pub async fn set_zap_publishing(
    address: String,
    sn: String,
    on: bool,
) -> CommandResult<Vec<String>> {
    let address = text("Zap's address", &address)?;
    let sn = text("field device", &sn)?;
    Ok(core::set_publishing(address, sn, on).await?)
}

/// Wait for the first reading of a provisioned device on its site's stream. Progress every
/// second and the outcome (arrived, none in time with the health chain's link to look at, or
/// cancelled) arrive on `on_update`; `cancel_first_reading(request_id)` stops it.
#[tauri::command]
#[specta::specta]
#[tracing::instrument(skip(state, live, jobs, on_update))]
#[allow(clippy::too_many_arguments)]
pub async fn wait_first_reading(
    state: State<'_, AppState>,
    live: State<'_, LiveSubscriptions>,
    jobs: State<'_, FirstReadingJobs>,
    address: String,
    site_id: String,
    device_id: String,
    request_id: String,
    on_update: Channel<core::FirstReadingUpdate>,
) -> CommandResult<()> {
    let wait = core::FirstReadingWait {
        zap_address: text("Zap's address", &address)?.to_string(),
        site_id: text("site", &site_id)?.to_string(),
        device_id: text("device", &device_id)?.to_string(),
        timeout: core::FIRST_READING_TIMEOUT,
    };
    let request_id = id("request", &request_id)?.to_string();
    let ws = state.connections.workspace().await?;
    let token = jobs.start(&request_id)?;
    // A window that went away stops the wait (its channel refuses the update).
    let outcome = core::wait_first_reading(&ws, live.hub(), &wait, &token, |u| {
        on_update.send(u.clone()).is_ok()
    })
    .await;
    jobs.finish(&request_id, &token);
    let _ = on_update.send(outcome?);
    Ok(())
}

/// Stop the first-reading wait with this id. `false` if none runs.
#[tauri::command]
#[specta::specta]
pub fn cancel_first_reading(
    jobs: State<'_, FirstReadingJobs>,
    request_id: String,
) -> CommandResult<bool> {
    jobs.cancel(&request_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args() -> ProvisionArgs {
        ProvisionArgs {
            address: " 127.0.0.2 ".into(),
            sn: "SUNGROW1".into(),
            site_id: "sit-1".into(),
            device_type: "inverter".into(),
            name: Some("  ".into()),
            manufacturer: Some(" Sungrow ".into()),
            model: None,
            ders: vec![DerInput {
                name: "pv-1".into(),
                der_type: "solar".into(),
            }],
        }
    }

    #[test]
    fn the_form_is_trimmed_and_bounded() {
        let input = args().into_input().unwrap();
        assert_eq!(input.zap_address, "127.0.0.2");
        assert_eq!(
            (input.name, input.manufacturer.as_deref()),
            (None, Some("Sungrow"))
        );
        assert_eq!(input.ders, [("pv-1".to_string(), "solar".to_string())]);
        let mut many = args();
        many.ders = (0..=MAX_DERS)
            .map(|i| DerInput {
                name: format!("d{i}"),
                der_type: "meter".into(),
            })
            .collect();
        assert!(many.into_input().unwrap_err().message.contains("at most"));
        let mut bad = args();
        bad.ders[0].name = "a\nb".into();
        assert!(bad.into_input().is_err());
        let mut empty = args();
        empty.site_id = " ".into();
        assert!(empty
            .into_input()
            .unwrap_err()
            .message
            .contains("Enter the site"));
    }
}
