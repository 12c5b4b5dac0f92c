//! The add-device form as the Zap describes it: its connection types (`/api/devices/types`),
//! their parameters, and for `profile` the profiles that speak each type
//! (`/api/devices/supported`). The window generates its inputs from this.

use serde::Serialize;
use serde_json::Value;

use super::field_devices::text;
use super::zap;
use crate::error::Result;

/// One input of the add-device form, from the Zap's `/api/devices/types`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "DeviceParamItem")
)]
pub struct DeviceParam {
    pub name: String,
    /// `string`, `int`, `number`, `bool` as the Zap says (`string` when it does not).
    pub kind: String,
    pub required: bool,
    /// The Zap's default, as text (the form's placeholder).
    pub default: Option<String>,
    pub description: Option<String>,
    /// Profiles to choose from (the `profile` parameter: those that speak this connection type).
    pub choices: Vec<DeviceProfile>,
    /// A secret of the device (an MQTT password): typed hidden, never shown back.
    pub secret: bool,
}

/// A device profile the Zap supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "DeviceProfileItem")
)]
pub struct DeviceProfile {
    /// `sungrow`, …
    pub profile: String,
    /// `Sungrow`, …
    pub name: String,
    /// `inverters`, `meters`, `ev_chargers`.
    pub category: String,
}

/// One connection type of the form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "DeviceConnectionItem")
)]
pub struct DeviceConnection {
    /// `modbus_tcp`, `modbus_rtu`, `p1_uart`, `mqtt`.
    pub conn_type: String,
    pub description: Option<String>,
    pub params: Vec<DeviceParam>,
}

/// The add-device form of the Zap at `address`: its connection types with their parameters and,
/// for `profile`, the profiles that speak each type.
pub async fn device_form(address: &str) -> Result<Vec<DeviceConnection>> {
    let client = zap::client(address)?;
    let (types, supported) = tokio::join!(client.device_types(), client.supported_devices());
    let types = types.map_err(zap::failure(&client))?;
    // Old firmware may not list profiles: the profile field is then typed, not chosen.
    let profiles = supported.map(|v| profiles(&v)).unwrap_or_default();
    Ok(types
        .iter()
        .map(|t| DeviceConnection {
            conn_type: t.conn_type.clone(),
            description: t.description.clone(),
            params: t
                .parameters
                .iter()
                .map(|p| DeviceParam {
                    name: p.name.clone(),
                    kind: p.param_type.clone().unwrap_or_else(|| "string".into()),
                    required: p.required,
                    default: p.default.as_ref().filter(|d| !d.is_null()).map(text),
                    description: p.description.clone(),
                    choices: if p.name == "profile" {
                        profiles
                            .iter()
                            .filter(|(_, types)| types.contains(&t.conn_type))
                            .map(|(p, _)| p.clone())
                            .collect()
                    } else {
                        Vec::new()
                    },
                    secret: p.name.contains("password"),
                })
                .collect(),
        })
        .collect())
}

/// `/api/devices/supported`: `{category: [{display_name, profile, connection_types}]}`.
fn profiles(v: &Value) -> Vec<(DeviceProfile, Vec<String>)> {
    let Some(cats) = v.as_object() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (category, list) in cats {
        for p in list.as_array().into_iter().flatten() {
            let Some(profile) = p.get("profile").and_then(Value::as_str) else {
                continue;
            };
            let types = p
                .get("connection_types")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                })
                .unwrap_or_default();
            let name = p.get("display_name").and_then(Value::as_str);
            out.push((
                DeviceProfile {
                    profile: profile.to_string(),
                    name: name.unwrap_or(profile).to_string(),
                    category: category.clone(),
                },
                types,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn profiles_by_connection_type() {
        let v = json!({"count": 2, "inverters": [
            {"display_name": "Sungrow", "profile": "sungrow", "connection_types": ["modbus_tcp"]}],
            "meters": [{"profile": "p1", "connection_types": ["p1_uart"]}]});
        let p = profiles(&v);
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].0.name, "Sungrow");
        assert_eq!(
            (p[1].0.name.as_str(), p[1].1[0].as_str()),
            ("p1", "p1_uart")
        );
    }
}
