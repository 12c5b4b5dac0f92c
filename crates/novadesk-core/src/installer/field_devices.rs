//! A Zap's field devices: adding one from the form's values (the form: [`super::device_form`];
//! checked by the SDK's rule before anything is sent; the Zap's 400/409/503 each in a sentence),
//! the list (old and new firmware alike), a device's latest readings, removing one, and its
//! DERs' publishing switches.

use novacore::zap::{ZapClient, ZapDer, ZapDevice};
use serde::Serialize;
use serde_json::{Map, Value};

use super::zap;
use crate::error::{Error, Result};

/// A DER of a field device and whether it publishes to Novacore.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "ZapDerItem"))]
pub struct DerSwitch {
    /// `pv`, `battery`, `meter`, `v2x_charger`.
    pub der_type: String,
    pub publishing: bool,
}

/// A field device on the Zap.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "FieldDeviceItem")
)]
pub struct FieldDevice {
    pub sn: String,
    /// `None`: the firmware does not say.
    pub connected: Option<bool>,
    pub device_type: Option<String>,
    pub profile: Option<String>,
    pub conn_type: Option<String>,
    /// Where the Zap reaches it (`192.168.1.60:502 unit 1`, `broker:1883`), when it says.
    pub endpoint: Option<String>,
    /// Last successful read, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub last_read_ms: Option<i64>,
    pub ders: Vec<DerSwitch>,
}

/// One value of a device's latest readings.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ReadingValueItem")
)]
pub struct ReadingValue {
    /// The platform's field name, unit included (`W`, `total_generation_Wh`, `SoC_nom_fract`).
    pub field: String,
    pub value: String,
}

/// A device's latest readings, per DER.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "DeviceReadingsItem")
)]
pub struct DeviceReadings {
    pub sn: String,
    /// The profile the Zap read it with.
    pub format: Option<String>,
    /// (DER type, its values); empty when the Zap has no reading yet.
    pub ders: Vec<(String, Vec<ReadingValue>)>,
}

/// What adding a device came to: added, or refused with what to change per field (by this
/// form's check before sending, or by the Zap's 400).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "AddDeviceItem")
)]
pub enum AddDevice {
    Added {
        sn: String,
        ders: Vec<DerSwitch>,
    },
    Invalid {
        /// Whether the Zap saw it (`false`: refused here, nothing sent).
        sent: bool,
        message: String,
        /// (parameter, what to change).
        fields: Vec<(String, String)>,
    },
}

pub(super) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Adds a field device of `conn_type` from the form's text `values` (parameter, text). The
/// values are typed and checked by the Zap's own parameter list before anything is sent. The
/// values may hold a device's password: they are never logged or quoted.
pub async fn add_field_device(
    address: &str,
    conn_type: &str,
    values: &[(String, String)],
) -> Result<AddDevice> {
    let client = zap::client(address)?;
    let types = client.device_types().await.map_err(zap::failure(&client))?;
    let Some(ty) = types.iter().find(|t| t.conn_type == conn_type) else {
        let known: Vec<_> = types.iter().map(|t| t.conn_type.as_str()).collect();
        return Err(Error::InvalidInput(format!(
            "This Zap has no connection type “{conn_type}” (it has: {}).",
            known.join(", ")
        )));
    };
    let config = ty.config_from_text(values.iter().map(|(k, v)| (k, v)));
    let problems = ty.check(&config);
    if !problems.is_empty() {
        let fields: Vec<(String, String)> =
            problems.into_iter().map(|f| (f.field, f.message)).collect();
        let message = format!(
            "Check {}: nothing was sent to the Zap.",
            fields
                .iter()
                .map(|f| f.0.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
        return Ok(AddDevice::Invalid {
            sent: false,
            message,
            fields,
        });
    }
    match client.add_device(&Value::Object(config.clone())).await {
        Ok(added) => Ok(AddDevice::Added {
            sn: added.sn,
            ders: added.ders.iter().map(switch).collect(),
        }),
        Err(novacore::Error::Validation { message, .. }) => {
            let field = ty
                .parameters
                .iter()
                .map(|p| p.name.as_str())
                .chain(["type"])
                .find(|name| mentions(&message, name));
            Ok(AddDevice::Invalid {
                sent: true,
                message: format!(
                    "The Zap refused these settings: “{message}”. Correct them and add again."
                ),
                fields: field
                    .map(|f| vec![(f.to_string(), format!("the Zap says: {message}"))])
                    .unwrap_or_default(),
            })
        }
        Err(novacore::Error::Conflict { .. }) => Err(Error::InvalidInput(format!(
            "The Zap already has a device at {}: remove that one first, or check the address, \
             port and unit id.",
            endpoint(&config).unwrap_or_else(|| "that connection".into())
        ))),
        Err(novacore::Error::Zap(novacore::zap::ZapError::Unavailable { message, .. })) => {
            Err(Error::InvalidInput(format!(
                "The Zap could not connect to the device at {} ({message}), so it did not add it. \
                 Check that the device is powered and on the network and that its address, port \
                 and unit id are right; if they are, restart the Zap (it may be short of memory) \
                 and try again.",
                endpoint(&config).unwrap_or_else(|| "that connection".into())
            )))
        }
        Err(e) => Err(zap::failure(&client)(e)),
    }
}

/// Whether the Zap's message names `param` as a word (`Invalid port`, `Missing profile`).
fn mentions(message: &str, param: &str) -> bool {
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|w| w.eq_ignore_ascii_case(param))
}

fn switch(d: &ZapDer) -> DerSwitch {
    DerSwitch {
        der_type: d.der_type.clone(),
        publishing: d.enabled,
    }
}

/// Where a device config points (never its credentials).
fn endpoint(c: &Map<String, Value>) -> Option<String> {
    let s = |k: &str| c.get(k).filter(|v| !v.is_null()).map(text);
    if let Some(ip) = s("ip") {
        let port = s("port").map(|p| format!(":{p}")).unwrap_or_default();
        let unit = s("unit_id")
            .map(|u| format!(" unit {u}"))
            .unwrap_or_default();
        return Some(format!("{ip}{port}{unit}"));
    }
    if let Some(host) = s("broker_host") {
        let port = s("broker_port")
            .map(|p| format!(":{p}"))
            .unwrap_or_default();
        return Some(format!("{host}{port}"));
    }
    s("unit_id").map(|u| format!("unit {u}"))
}

fn row(d: &ZapDevice) -> FieldDevice {
    FieldDevice {
        sn: d.sn.clone(),
        connected: d.connected,
        device_type: d.device_type.clone(),
        profile: d.profile.clone(),
        conn_type: d.connection_type.clone(),
        endpoint: endpoint(&d.extra),
        last_read_ms: d.last_harvest.map(|t| t.timestamp_millis()),
        ders: d.ders.iter().map(switch).collect(),
    }
}

/// The Zap's field devices (old firmware's `serial_number`/`connection_status` read alike).
pub async fn field_devices(address: &str) -> Result<Vec<FieldDevice>> {
    let client = zap::client(address)?;
    let list = client.devices().await.map_err(zap::failure(&client))?;
    Ok(list.iter().map(row).collect())
}

fn gone(client: &ZapClient, sn: &str) -> Error {
    Error::NotFound(format!(
        "The Zap at {} has no device {sn} (any more): it may have been removed elsewhere. \
         Refresh the list.",
        client.address()
    ))
}

fn not_found_is_gone<'a>(
    client: &'a ZapClient,
    sn: &'a str,
) -> impl Fn(novacore::Error) -> Error + 'a {
    move |e| match e {
        novacore::Error::NotFound { .. } => gone(client, sn),
        other => zap::failure(client)(other),
    }
}

/// The latest readings the Zap holds for device `sn` (none yet: an empty list).
pub async fn device_readings(address: &str, sn: &str) -> Result<DeviceReadings> {
    let client = zap::client(address)?;
    let snap = client
        .device_data(sn)
        .await
        .map_err(not_found_is_gone(&client, sn))?
        .unwrap_or_default();
    let ders = snap
        .ders
        .iter()
        .filter_map(|(der, v)| {
            let values = v
                .as_object()?
                .iter()
                .filter(|(_, v)| !v.is_object() && !v.is_array() && !v.is_null())
                .map(|(k, v)| ReadingValue {
                    field: k.clone(),
                    value: text(v),
                })
                .collect();
            Some((der.clone(), values))
        })
        .collect();
    Ok(DeviceReadings {
        sn: sn.to_string(),
        format: snap.format,
        ders,
    })
}

/// Removes device `sn` from the Zap.
pub async fn remove_field_device(address: &str, sn: &str) -> Result<()> {
    let client = zap::client(address)?;
    client
        .remove_device(sn)
        .await
        .map_err(not_found_is_gone(&client, sn))?;
    Ok(())
}

/// Switches publishing to Novacore on or off for one DER of device `sn`; returns the device's
/// DERs as the Zap now reports them.
pub async fn set_der_publishing(
    address: &str,
    sn: &str,
    der_type: &str,
    on: bool,
) -> Result<Vec<DerSwitch>> {
    let client = zap::client(address)?;
    client
        .publish(sn, on, Some(&[der_type]))
        .await
        .map_err(not_found_is_gone(&client, sn))?;
    let ders = client
        .ders(sn)
        .await
        .map_err(not_found_is_gone(&client, sn))?;
    Ok(ders.iter().map(switch).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoints_and_mentions() {
        let c = json!({"type": "modbus_tcp", "ip": "10.0.0.5", "port": 502, "unit_id": 1});
        assert_eq!(
            endpoint(c.as_object().unwrap()).as_deref(),
            Some("10.0.0.5:502 unit 1")
        );
        let m = json!({"broker_host": "b.local", "broker_port": 1883, "password": "p"});
        assert_eq!(
            endpoint(m.as_object().unwrap()).as_deref(),
            Some("b.local:1883")
        );
        assert!(mentions("Missing or invalid ip", "ip"));
        assert!(mentions("Invalid unit_id", "unit_id"));
        assert!(!mentions("Invalid unit_id", "unit"));
    }
}
