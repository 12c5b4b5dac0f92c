//! Device and DER type vocabularies (reference §3.4.1) and the DER validation rules.

use serde::Deserialize;

use crate::error::{Error, Result};

/// Documented device type → allowed DER types (P-DEVICES).
pub const TYPE_TABLE: &[(&str, &[&str])] = &[
    ("inverter", &["solar", "battery", "meter"]),
    ("battery", &["battery", "meter"]),
    ("ev_charger", &["ev_charger_port"]),
    ("v2x_charger", &["ev_charger_port"]),
    ("energy_meter", &["meter"]),
];
/// Accepted device types (union of the vocabularies).
pub const DEVICE_TYPES: &[&str] = &[
    "inverter",
    "battery",
    "ev_charger",
    "v2x_charger",
    "energy_meter",
    "meter",
    "charger",
];
/// Accepted DER types (union of the vocabularies).
pub const DER_TYPES: &[&str] = &[
    "solar",
    "battery",
    "meter",
    "ev_charger_port",
    "ev_port",
    "v2x_charger",
];
const DOCUMENTED_DER_TYPES: &[&str] = &["solar", "battery", "meter", "ev_charger_port"];

/// A DER in a request.
#[derive(Debug, Deserialize)]
pub struct DerSpec {
    /// Name (topic segment).
    pub name: String,
    /// DER type.
    #[serde(rename = "type")]
    pub der_type: String,
}

/// Checks a DER against the device type and name rules.
pub fn check_der(device_type: &str, idx: usize, d: &DerSpec) -> Result<()> {
    let f = |s: &str| format!("ders[{idx}].{s}");
    if d.name.is_empty()
        || d.name.len() > 64
        || !d
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::field(
            &f("name"),
            "must be 1-64 characters of A-Z, a-z, 0-9, - or _",
        ));
    }
    if !DER_TYPES.contains(&d.der_type.as_str()) {
        return Err(Error::field(
            &f("type"),
            format!("unknown DER type; one of {}", DER_TYPES.join(", ")),
        ));
    }
    if let Some((_, allowed)) = TYPE_TABLE.iter().find(|(t, _)| *t == device_type) {
        if DOCUMENTED_DER_TYPES.contains(&d.der_type.as_str())
            && !allowed.contains(&d.der_type.as_str())
        {
            return Err(Error::field(
                &f("type"),
                format!(
                    "a {device_type} may only have DERs of type {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok(())
}
