//! Device profiles a Zap supports (reference §5.2) and the field devices they produce.

use serde_json::{json, Map, Value};

use crate::zap::model::{FieldDer, FieldDevice};

/// A supported device profile: (profile, display name, category, device_type, connection
/// types, DER types).
#[derive(Debug, Clone, Copy)]
pub struct Profile(
    pub &'static str,
    pub &'static str,
    pub &'static str,
    pub &'static str,
    pub &'static [&'static str],
    pub &'static [&'static str],
);

/// Known profiles.
pub const PROFILES: &[Profile] = &[
    Profile(
        "sungrow",
        "Sungrow",
        "inverters",
        "inverter",
        &["modbus_tcp", "modbus_rtu"],
        &["pv", "battery", "meter"],
    ),
    Profile(
        "solis",
        "Solis",
        "inverters",
        "inverter",
        &["modbus_tcp", "modbus_rtu"],
        &["pv", "battery"],
    ),
    Profile(
        "solaredge",
        "SolarEdge",
        "inverters",
        "inverter",
        &["modbus_tcp"],
        &["pv", "battery", "meter"],
    ),
    Profile(
        "sma",
        "SMA",
        "inverters",
        "inverter",
        &["modbus_tcp"],
        &["pv"],
    ),
    Profile(
        "huawei",
        "Huawei",
        "inverters",
        "inverter",
        &["modbus_tcp", "modbus_rtu"],
        &["pv", "battery", "meter"],
    ),
    Profile(
        "fronius",
        "Fronius",
        "inverters",
        "inverter",
        &["modbus_tcp"],
        &["pv", "meter"],
    ),
    Profile(
        "deye",
        "Deye",
        "inverters",
        "inverter",
        &["modbus_tcp", "modbus_rtu"],
        &["pv", "battery"],
    ),
    Profile(
        "pixii",
        "Pixii",
        "inverters",
        "inverter",
        &["modbus_tcp"],
        &["battery"],
    ),
    Profile(
        "ferroamp",
        "Ferroamp",
        "inverters",
        "inverter",
        &["mqtt"],
        &["pv", "battery", "meter"],
    ),
    Profile(
        "sdm630",
        "Eastron SDM630",
        "meters",
        "energy_meter",
        &["modbus_tcp", "modbus_rtu"],
        &["meter"],
    ),
    Profile(
        "p1",
        "P1 (auto)",
        "meters",
        "energy_meter",
        &["p1_uart"],
        &["meter"],
    ),
    Profile(
        "ambibox",
        "Ambibox",
        "ev_chargers",
        "v2x_charger",
        &["mqtt"],
        &["v2x_charger"],
    ),
];

/// Looks a profile up.
pub fn profile(name: &str) -> Option<&'static Profile> {
    PROFILES.iter().find(|p| p.0 == name)
}

/// `GET /api/devices/supported`.
pub fn supported() -> Value {
    let mut cats: Map<String, Value> = Map::new();
    for cat in ["inverters", "meters", "ev_chargers"] {
        let list: Vec<Value> = PROFILES
            .iter()
            .filter(|p| p.2 == cat)
            .map(|p| json!({"display_name": p.1, "profile": p.0, "connection_types": p.4}))
            .collect();
        cats.insert(cat.into(), Value::Array(list));
    }
    cats.insert("count".into(), json!(PROFILES.len()));
    Value::Object(cats)
}

/// A field device of `profile` with DER metadata; DERs start disabled unless `enabled`.
pub fn field_device(
    profile_name: &str,
    sn: String,
    config: Map<String, Value>,
    enabled: bool,
) -> Option<FieldDevice> {
    let p = profile(profile_name)?;
    let ders =
        p.5.iter()
            .map(|t| {
                let meta = match *t {
                    "pv" => json!({"rated_power": 10000, "installed_power": 9500}),
                    "battery" => json!({"rated_power": 5000, "capacity": 10000}),
                    "v2x_charger" => json!({"capacity": 75000}),
                    _ => json!({}),
                };
                FieldDer {
                    der_type: (*t).to_string(),
                    enabled,
                    meta: meta.as_object().cloned().unwrap_or_default(),
                }
            })
            .collect();
    Some(FieldDevice {
        sn,
        config,
        device_type: p.3.to_string(),
        profile: p.0.to_string(),
        ders,
    })
}
