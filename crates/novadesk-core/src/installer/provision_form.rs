//! What the provisioning form offers for one Zap: its field devices (hardware id = the device's
//! `sn`), each with a device type and DERs suggested from what the Zap reports, the sites of the
//! organization the Zap is claimed into, and whether your role there lets you provision. The
//! provisioning itself is [`super::provision`]'s.

use std::collections::BTreeSet;

use novacore::zap::ZapDevice;
use serde::{Deserialize, Serialize};

use super::gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwner};
use super::provision::der_type_choices;
use super::readings::devices_behind;
use super::zap;
use crate::browse::{cached_sites, refresh_sites, SiteRow};
use crate::error::{Error, ErrorKind, Result};
use crate::manage::{Allowed, Permissions};
use crate::workspace::Workspace;

/// A site a device can be provisioned to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SiteChoice {
    pub id: String,
    pub name: String,
}

/// A DER as the form fills it in: a name and a platform DER type (`solar`, `battery` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DerChoice {
    pub name: String,
    pub der_type: String,
}

/// A device type and the DER types it allows (the only ones the form offers for it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviceTypeChoice {
    pub device_type: String,
    pub der_types: Vec<String>,
}

/// Where a field device is already provisioned (provisioning it again re-binds it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProvisionedAs {
    pub device_id: String,
    pub site_id: String,
    pub der_ids: Vec<String>,
}

/// One field device of the Zap, with the form's suggestions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldDeviceForm {
    /// The hardware id to provision (the device's `sn` on the Zap).
    pub sn: String,
    pub profile: Option<String>,
    pub connection_type: Option<String>,
    pub connected: Option<bool>,
    /// Suggested from the Zap's device type or, lacking it, from its DERs.
    pub device_type: String,
    pub name: String,
    /// Suggested from the Zap's DERs, of the types `device_type` allows.
    pub ders: Vec<DerChoice>,
    pub provisioned: Option<ProvisionedAs>,
}

/// The whole form for one Zap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ProvisionFormItem")
)]
pub struct ProvisionForm {
    pub address: String,
    pub serial: String,
    /// The organization (of yours) the Zap is claimed into; `None`: claim it first.
    pub owner: Option<GatewayOwner>,
    /// Whether you may provision there, with the reason when not.
    pub provision: Allowed,
    /// The owner organization's sites.
    pub sites: Vec<SiteChoice>,
    pub device_types: Vec<DeviceTypeChoice>,
    pub devices: Vec<FieldDeviceForm>,
}

/// The Zap's DER kinds (`pv`, `battery`, `meter`, `v2x_charger`) as the platform's DER types.
fn platform_der_type(zap_kind: &str) -> &str {
    match zap_kind {
        "pv" => "solar",
        "v2x_charger" | "ev_charger" => "ev_charger_port",
        other => other,
    }
}

/// The device type to suggest: the Zap's own when the platform documents it, else one whose
/// DER types cover the Zap's DERs.
fn suggested_device_type(d: &ZapDevice) -> String {
    if let Some(t) = d
        .device_type
        .as_deref()
        .filter(|t| der_type_choices(t).is_some())
    {
        return t.to_string();
    }
    let kinds: BTreeSet<&str> = d.ders.iter().map(|x| x.der_type.as_str()).collect();
    if kinds.contains("v2x_charger") {
        "v2x_charger"
    } else if kinds.contains("pv") || kinds.contains("battery") {
        "inverter"
    } else if kinds.contains("meter") {
        "energy_meter"
    } else {
        "inverter"
    }
    .to_string()
}

/// A DER name the platform accepts (`[A-Za-z0-9_-]`, ≤ 64), unique among `taken`.
fn der_name(base: &str, kind: &str, taken: &mut BTreeSet<String>) -> String {
    let clean: String = format!("{base}-{kind}")
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    let mut name = clean.clone();
    let mut n = 2;
    while !taken.insert(name.clone()) {
        name = format!("{clean}-{n}");
        n += 1;
    }
    name
}

fn device_form(d: &ZapDevice) -> FieldDeviceForm {
    let device_type = suggested_device_type(d);
    let allowed = der_type_choices(&device_type).unwrap_or_default();
    let base = d.profile.clone().unwrap_or_else(|| "device".into());
    let mut taken = BTreeSet::new();
    let ders = d
        .ders
        .iter()
        .map(|x| platform_der_type(&x.der_type))
        .filter(|t| allowed.iter().any(|a| a == t))
        .map(|t| DerChoice {
            name: der_name(&base, t, &mut taken),
            der_type: t.to_string(),
        })
        .collect();
    FieldDeviceForm {
        sn: d.sn.clone(),
        profile: d.profile.clone(),
        connection_type: d.connection_type.clone(),
        connected: d.connected,
        name: format!("{} {}", base, d.sn),
        device_type,
        ders,
        provisioned: None,
    }
}

/// Every documented device type with its DER types.
pub(super) fn device_types() -> Vec<DeviceTypeChoice> {
    novacore::validate::DEVICE_DER_TYPES
        .iter()
        .map(|(t, ders)| DeviceTypeChoice {
            device_type: t.to_string(),
            der_types: ders.iter().map(|d| d.to_string()).collect(),
        })
        .collect()
}

/// The provisioning form for the Zap at `address`: its field devices with suggestions, and,
/// when it is claimed into one of your organizations, that organization's sites and whether you
/// may provision there. Offline, the organizations and sites are as last fetched.
pub async fn provision_form(ws: &Workspace, address: &str) -> Result<ProvisionForm> {
    let client = zap::client(address)?;
    let (crypto, devices) = tokio::join!(client.crypto(), client.devices());
    let serial = crypto.map_err(zap::failure(&client))?.serial_number;
    let devices = devices.map_err(zap::failure(&client))?;
    // Offline or the platform down: the form opens from what the store has.
    let offline = |e: &Error| {
        e.kind() == ErrorKind::Offline || matches!(e, Error::Novacore(n) if n.is_transient())
    };
    let owners = match refresh_gateway_owners(ws).await {
        Ok(o) => o,
        Err(e) if offline(&e) => cached_gateway_owners(ws)?,
        Err(e) => return Err(e),
    };
    // A claim waiting in the journal counts: its devices queue behind it.
    let owner = match owners.owner(&serial) {
        Some(o) => Some(o.clone()),
        None => super::journal::queued_owner(ws, &serial, &owners)?,
    };
    let mut forms: Vec<FieldDeviceForm> = devices.iter().map(device_form).collect();
    let (provision, sites) = match &owner {
        None => (
            Allowed {
                allowed: false,
                reason: Some(
                    "Claim the Zap into one of your organizations first: devices are provisioned to that organization's sites."
                        .into(),
                ),
            },
            Vec::new(),
        ),
        Some(o) => {
            let sites = match refresh_sites(ws).await {
                Ok(c) => c.value,
                Err(e) if offline(&e) => cached_sites(ws)?.map(|c| c.value).unwrap_or_default(),
                Err(e) => return Err(e),
            };
            let known = match devices_behind(ws, o, &serial).await {
                Ok(k) => k,
                Err(e) if offline(&e) => Vec::new(),
                Err(e) => return Err(e),
            };
            for f in &mut forms {
                f.provisioned = known
                    .iter()
                    .find(|(_, d)| d.hardware_id.as_deref() == Some(f.sn.as_str()))
                    .map(|(site_id, d)| ProvisionedAs {
                        device_id: d.id.clone(),
                        site_id: site_id.clone(),
                        der_ids: d.ders.iter().map(|x| x.id.clone()).collect(),
                    });
            }
            let sites = sites
                .into_iter()
                .filter(|s: &SiteRow| s.org_id.as_deref() == Some(o.org_id.as_str()))
                .map(|s| SiteChoice {
                    id: s.id,
                    name: s.name,
                })
                .collect();
            (
                Permissions::for_role(o.role.as_deref()).provision_devices(),
                sites,
            )
        }
    };
    Ok(ProvisionForm {
        address: client.address().to_string(),
        serial,
        owner,
        provision,
        sites,
        device_types: device_types(),
        devices: forms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn zap_device(json: &str) -> ZapDevice {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn suggestions_follow_the_zap_and_only_allowed_der_types() {
        let d = zap_device(
            r#"{"sn":"SUN1","device_type":"inverter","profile":"sungrow","type":"modbus_tcp",
                "ders":[{"type":"pv"},{"type":"battery"},{"type":"meter"},{"type":"v2x_charger"}]}"#,
        );
        let f = device_form(&d);
        assert_eq!(f.device_type, "inverter");
        assert_eq!(
            f.ders,
            ["solar", "battery", "meter"].map(|t| DerChoice {
                name: format!("sungrow-{t}"),
                der_type: t.into()
            })
        );
        for der in &f.ders {
            novacore::validate::der_name("n", &der.name).unwrap();
        }
        // Old firmware: no device type, the DERs say what it is.
        let meter = device_form(&zap_device(
            r#"{"serial_number":"P1 X","ders":[{"type":"meter"},{"type":"meter"}]}"#,
        ));
        assert_eq!(meter.device_type, "energy_meter");
        assert_eq!(
            meter
                .ders
                .iter()
                .map(|d| d.name.as_str())
                .collect::<Vec<_>>(),
            ["device-meter", "device-meter-2"]
        );
        let charger = device_form(&zap_device(r#"{"sn":"C","ders":[{"type":"v2x_charger"}]}"#));
        assert_eq!(
            (
                charger.device_type.as_str(),
                charger.ders[0].der_type.as_str()
            ),
            ("v2x_charger", "ev_charger_port")
        );
    }
}
