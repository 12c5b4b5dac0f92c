//! Devices, DERs and the provisioning request/response.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::time::ts_opt;

/// A DER as embedded in device objects or returned by `GET /ders/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "DerWire")]
pub struct Der {
    /// Opaque id, e.g. `der-001` (`id` or `der_id` on the wire).
    pub id: String,
    /// Name, unique per device (used in telemetry topics).
    #[serde(default)]
    pub name: String,
    /// Provisioning DER type (`solar`, `battery`, `meter`, `ev_charger_port`, …).
    #[serde(rename = "type")]
    pub der_type: String,
    /// Parent device, when returned.
    #[serde(default)]
    pub device_id: Option<String>,
    /// Site, when returned.
    #[serde(default)]
    pub site_id: Option<String>,
    /// Creation time.
    #[serde(default, with = "ts_opt")]
    pub created_at: Option<DateTime<Utc>>,
}

/// A device (physical communication endpoint).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "DeviceWire")]
pub struct Device {
    /// Opaque id, e.g. `dev-abc123` (`id` or `device_id` on the wire).
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Device type (`inverter`, `energy_meter`, …); the docs call it `type` or `device_type`.
    pub device_type: Option<String>,
    /// `pending`, `active`, …
    #[serde(default)]
    pub state: Option<String>,
    /// Hardware id (for a Zap device: its `sn`).
    #[serde(default)]
    pub hardware_id: Option<String>,
    /// Site.
    #[serde(default)]
    pub site_id: Option<String>,
    /// Gateway serial it reports through.
    #[serde(default)]
    pub gateway_serial: Option<String>,
    /// Manufacturer.
    #[serde(default)]
    pub manufacturer: Option<String>,
    /// Model.
    #[serde(default)]
    pub model: Option<String>,
    /// Creation time.
    #[serde(default, with = "ts_opt")]
    pub created_at: Option<DateTime<Utc>>,
    /// DERs behind the device.
    #[serde(default)]
    pub ders: Vec<Der>,
}

/// A DER in a provisioning request or `POST /devices/{id}/ders`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewDer {
    /// Name: alphanumeric, `-`, `_`, at most 64 chars, unique per device.
    pub name: String,
    /// DER type allowed for the device type.
    #[serde(rename = "type")]
    pub der_type: String,
}

/// Body of `POST /devices/provision`. Check it with [`crate::validate::provision`] (done by `provision`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionRequest {
    /// Gateway the device reports through (e.g. the Zap serial).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gateway_serial: Option<String>,
    /// Idempotency key of provisioning: the same value re-binds instead of creating.
    pub hardware_id: String,
    /// Device type.
    pub device_type: String,
    /// Site.
    pub site_id: String,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Manufacturer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// Model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// DERs to create.
    #[serde(default)]
    pub ders: Vec<NewDer>,
}

/// Response of `POST /devices/provision`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "ProvisionWire")]
pub struct ProvisionResponse {
    /// The device id (`device_id` or `id` on the wire).
    pub device_id: String,
    /// Echoed hardware id.
    #[serde(default)]
    pub hardware_id: Option<String>,
    /// Echoed device type.
    #[serde(default)]
    pub device_type: Option<String>,
    /// Echoed site.
    #[serde(default)]
    pub site_id: Option<String>,
    /// `pending` on creation.
    #[serde(default)]
    pub state: Option<String>,
    /// False when an existing `hardware_id` was re-bound (200), true on creation (201).
    pub created: bool,
    /// The DERs with their ids.
    #[serde(default)]
    pub ders: Vec<Der>,
}

// Wire forms: the same value may come under several names at once (`id` and `device_id`,
// `type` and `device_type`), which serde aliases reject as duplicates.

#[derive(Deserialize)]
struct DerWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    der_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    der_type: Option<String>,
    #[serde(default)]
    device_id: Option<String>,
    #[serde(default)]
    site_id: Option<String>,
    #[serde(default, with = "ts_opt")]
    created_at: Option<DateTime<Utc>>,
}

impl From<DerWire> for Der {
    fn from(w: DerWire) -> Self {
        Der {
            id: w.id.or(w.der_id).unwrap_or_default(),
            name: w.name.unwrap_or_default(),
            der_type: w.kind.or(w.der_type).unwrap_or_default(),
            device_id: w.device_id,
            site_id: w.site_id,
            created_at: w.created_at,
        }
    }
}

#[derive(Deserialize)]
struct DeviceWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    device_id: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    device_type: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    hardware_id: Option<String>,
    #[serde(default)]
    site_id: Option<String>,
    #[serde(default)]
    gateway_serial: Option<String>,
    #[serde(default)]
    manufacturer: Option<String>,
    #[serde(default)]
    model: Option<String>,
    #[serde(default, with = "ts_opt")]
    created_at: Option<DateTime<Utc>>,
    #[serde(default)]
    ders: Vec<Der>,
}

impl From<DeviceWire> for Device {
    fn from(w: DeviceWire) -> Self {
        Device {
            id: w.id.or(w.device_id).unwrap_or_default(),
            name: w.name,
            device_type: w.device_type.or(w.kind),
            state: w.state,
            hardware_id: w.hardware_id,
            site_id: w.site_id,
            gateway_serial: w.gateway_serial,
            manufacturer: w.manufacturer,
            model: w.model,
            created_at: w.created_at,
            ders: w.ders,
        }
    }
}

#[derive(Deserialize)]
struct ProvisionWire {
    #[serde(default)]
    device_id: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    hardware_id: Option<String>,
    #[serde(default)]
    device_type: Option<String>,
    #[serde(default)]
    site_id: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    created: Option<bool>,
    #[serde(default)]
    ders: Vec<Der>,
}

impl From<ProvisionWire> for ProvisionResponse {
    fn from(w: ProvisionWire) -> Self {
        ProvisionResponse {
            device_id: w.device_id.or(w.id).unwrap_or_default(),
            hardware_id: w.hardware_id,
            device_type: w.device_type,
            site_id: w.site_id,
            state: w.state,
            created: w.created.unwrap_or(true),
            ders: w.ders,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_site_device_list_example() {
        let d: Vec<Device> = serde_json::from_str(
            r#"[{"id": "dev-abc123", "name": "Sungrow Inverter", "type": "inverter", "state": "active",
                 "hardware_id": "SN12345",
                 "ders": [{"id": "der-001", "name": "pv-array", "type": "solar"},
                          {"id": "der-002", "name": "battery_1", "type": "battery"}]}]"#,
        )
        .unwrap();
        assert_eq!(d[0].device_type.as_deref(), Some("inverter"));
        assert_eq!(d[0].ders[1].der_type, "battery");
        let both: Device = serde_json::from_str(
            r#"{"id":"dev-1","device_id":"dev-1","device_type":"inverter","type":"inverter","ders":[{"id":"der-1","der_id":"der-1","type":"solar","der_type":"solar"}]}"#,
        )
        .unwrap();
        assert_eq!(
            (both.id.as_str(), both.device_type.as_deref()),
            ("dev-1", Some("inverter"))
        );
        assert_eq!(both.ders[0].der_type, "solar");
    }

    #[test]
    fn decodes_provision_response_variants() {
        let r: ProvisionResponse = serde_json::from_str(
            r#"{"device_id": "dev-abc", "hardware_id": "ferroamp:ES9234", "device_type": "inverter",
                "site_id": "sit-xyz", "state": "pending", "created": false, "extra": {"a":1},
                "ders": [{"id": "der-111", "name": "ferroamp-battery", "type": "battery"},
                         {"id": "der-222", "name": "ferroamp-meter", "type": "meter"}]}"#,
        )
        .unwrap();
        assert!(!r.created);
        assert_eq!(r.ders.len(), 2);
        let r: ProvisionResponse =
            serde_json::from_str(r#"{"id":"dev-1","device_id":"dev-1"}"#).unwrap();
        assert!(r.created);
    }

    #[test]
    fn provision_request_serializes_reference_example() {
        let req = ProvisionRequest {
            gateway_serial: Some("zap-04772a97".into()),
            hardware_id: "SN12345".into(),
            device_type: "inverter".into(),
            site_id: "sit-abc123".into(),
            name: Some("Sungrow Inverter".into()),
            manufacturer: None,
            model: None,
            ders: vec![NewDer {
                name: "pv-array".into(),
                der_type: "solar".into(),
            }],
        };
        assert_eq!(
            serde_json::to_value(&req).unwrap(),
            serde_json::json!({"gateway_serial":"zap-04772a97","hardware_id":"SN12345","device_type":"inverter",
                "site_id":"sit-abc123","name":"Sungrow Inverter","ders":[{"name":"pv-array","type":"solar"}]})
        );
    }
}
