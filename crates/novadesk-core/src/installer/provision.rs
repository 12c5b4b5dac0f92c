//! Provisioning a Zap's field device to a site (the hardware id is the device's `sn` on the
//! Zap, the gateway the Zap's serial), then switching its publishing on so readings flow.

use novacore::models::{NewDer, ProvisionRequest, ProvisionResponse};
use serde::Serialize;

use super::zap;
use crate::browse::{edit_set, kind, refusal, DeviceRow};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// The provisioning form, filled in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvisionInput {
    /// The Zap the device is attached to (as typed or found).
    pub zap_address: String,
    /// The field device's `sn` on that Zap.
    pub device_sn: String,
    pub site_id: String,
    /// `inverter`, `battery`, `ev_charger`, `v2x_charger` or `energy_meter`.
    pub device_type: String,
    pub name: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    /// (name, DER type) pairs; the types from [`der_type_choices`].
    pub ders: Vec<(String, String)>,
}

/// What provisioning did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provisioned {
    /// The device as the site's view lists it (new ids included).
    pub device: DeviceRow,
    /// False when the hardware id was known and re-bound instead of created.
    pub created: bool,
    /// The Zap's DER types switched to publishing.
    pub publishing: Vec<String>,
    /// Why publishing could not be switched on (the device stays provisioned: retry with
    /// [`set_publishing`]).
    pub publish_problem: Option<String>,
}

/// The DER types a device type allows (the only ones the form offers); `None` for a device type
/// the platform does not document.
pub fn der_type_choices(device_type: &str) -> Option<Vec<String>> {
    novacore::validate::allowed_der_types(device_type)
        .map(|types| types.iter().map(|t| t.to_string()).collect())
}

fn clean(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Provisions the Zap's field device `device_sn` to a site (admin of the site's organization),
/// written through to the site's cached devices, then switches its publishing on. The form is
/// checked before anything is sent (field errors, nothing half-done); the Zap must have the
/// device.
pub async fn provision_device(ws: &Workspace, input: &ProvisionInput) -> Result<Provisioned> {
    let req = prepare(input).await?;
    let resp = ws
        .novacore(async |c| c.devices().provision(&req).await)
        .await
        .map_err(refused(&req))?;
    record(ws, &input.zap_address, &req, resp).await
}

/// The checked request for `input`, its gateway the Zap's serial (the Zap is asked: it must be
/// reachable and have the device).
pub(super) async fn prepare(input: &ProvisionInput) -> Result<ProvisionRequest> {
    let req = checked_request(input)?;
    let sn = req.hardware_id.as_str();
    let client = zap::client(&input.zap_address)?;
    let (crypto, devices) = tokio::join!(client.crypto(), client.devices());
    let serial = crypto.map_err(zap::failure(&client))?.serial_number;
    if !devices
        .map_err(zap::failure(&client))?
        .iter()
        .any(|d| d.sn == sn)
    {
        return Err(Error::InvalidInput(format!(
            "The Zap at {} has no field device {sn}: add the device on the Zap first, then provision it.",
            client.address()
        )));
    }
    Ok(ProvisionRequest {
        gateway_serial: Some(serial),
        ..req
    })
}

/// The form's fields as a request (no gateway yet), trimmed and checked against the platform's
/// rules (field errors) without asking anyone: the one check the form and a journal edit share.
pub(super) fn checked_request(input: &ProvisionInput) -> Result<ProvisionRequest> {
    let sn = input.device_sn.trim();
    if sn.is_empty() {
        return Err(Error::InvalidInput(
            "Choose the Zap's field device to provision.".into(),
        ));
    }
    let req = ProvisionRequest {
        gateway_serial: None,
        hardware_id: sn.to_string(),
        device_type: input.device_type.trim().to_string(),
        site_id: input.site_id.trim().to_string(),
        name: clean(&input.name),
        manufacturer: clean(&input.manufacturer),
        model: clean(&input.model),
        ders: input
            .ders
            .iter()
            .map(|(name, der_type)| NewDer {
                name: name.trim().to_string(),
                der_type: der_type.trim().to_string(),
            })
            .collect(),
    };
    novacore::validate::provision(&req)?;
    Ok(req)
}

/// The platform's refusal of `req` as the installer reads it.
pub(super) fn refused(req: &ProvisionRequest) -> impl FnOnce(novacore::Error) -> Error + '_ {
    move |e| {
        match e {
        // A hardware id is the platform's once: taken elsewhere, only its holder can move it.
        novacore::Error::Conflict { message } => Error::InvalidInput(format!(
            "Novacore refused: {} (hardware id {}). Nothing was changed: release the device from the organization that holds it, or choose another device.",
            message.trim_end_matches('.'),
            req.hardware_id
        )),
        // The platform down mid-journey: nothing was provisioned; the Zap keeps its claim.
        novacore::Error::Server { status, .. } if status >= 500 => Error::InvalidInput(format!(
            "Novacore is not available right now (HTTP {status}): the device was not provisioned. The Zap and its claim stay as they are; try again in a moment."
        )),
        other => refusal("provision devices to this site", "This site")(other),
    }
    }
}

/// What the platform answered for `req`, written through to the site's cached devices, then
/// publishing switched on at the Zap (a problem there is reported, the device stays provisioned).
pub(super) async fn record(
    ws: &Workspace,
    zap_address: &str,
    req: &ProvisionRequest,
    resp: ProvisionResponse,
) -> Result<Provisioned> {
    let device = DeviceRow {
        id: resp.device_id.clone(),
        name: req.name.clone(),
        device_type: Some(req.device_type.clone()),
        state: resp.state.clone(),
        hardware_id: Some(req.hardware_id.clone()),
        site_id: Some(req.site_id.clone()),
        gateway_serial: req.gateway_serial.clone(),
        manufacturer: req.manufacturer.clone(),
        model: req.model.clone(),
        created_at_ms: Some(ws.now_ms()),
        ders: resp.ders.into_iter().map(Into::into).collect(),
    };
    edit_set(
        ws,
        kind::DEVICE,
        &req.site_id,
        |d: &DeviceRow| &d.id,
        |rows| {
            rows.retain(|d| d.id != device.id);
            rows.push(device.clone());
        },
    )?;
    let (publishing, publish_problem) =
        match set_publishing(zap_address, &req.hardware_id, true).await {
            Ok(types) => (types, None),
            Err(e) => (
                Vec::new(),
                Some(format!(
                    "The device is provisioned, but its publishing could not be switched on: {} Try again.",
                    e.user_message()
                )),
            ),
        };
    Ok(Provisioned {
        device,
        created: resp.created,
        publishing,
        publish_problem,
    })
}

/// Switches publishing to Novacore on or off for all DERs of the Zap's field device `sn`;
/// returns the Zap's DER types switched.
pub async fn set_publishing(zap_address: &str, sn: &str, on: bool) -> Result<Vec<String>> {
    let client = zap::client(zap_address)?;
    client
        .publish(sn.trim(), on, None)
        .await
        .map_err(zap::failure(&client))
}
