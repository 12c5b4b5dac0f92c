//! Provisioning checks done before anything is sent (reference §3.4.1).

use std::collections::HashSet;

use crate::error::{Error, FieldError, Result};
use crate::models::ProvisionRequest;

/// The documented device type → allowed DER types table.
pub const DEVICE_DER_TYPES: &[(&str, &[&str])] = &[
    ("inverter", &["solar", "battery", "meter"]),
    ("battery", &["battery", "meter"]),
    ("ev_charger", &["ev_charger_port"]),
    ("v2x_charger", &["ev_charger_port"]),
    ("energy_meter", &["meter"]),
];

/// Device types seen in Sourceful code but absent from the table; their DERs are checked only
/// against the union of known DER types.
const EXTRA_DEVICE_TYPES: &[&str] = &["meter", "charger"];
const KNOWN_DER_TYPES: &[&str] = &[
    "solar",
    "battery",
    "meter",
    "ev_charger_port",
    "ev_port",
    "v2x_charger",
];

/// Allowed DER types of a documented device type.
pub fn allowed_der_types(device_type: &str) -> Option<&'static [&'static str]> {
    DEVICE_DER_TYPES
        .iter()
        .find(|(d, _)| *d == device_type)
        .map(|(_, ders)| *ders)
}

/// Checks a DER name: 1–64 chars of `[A-Za-z0-9_-]`.
pub fn der_name(field: &str, name: &str) -> Result<()> {
    match der_name_problem(name) {
        Some(msg) => Err(Error::local_validation(vec![FieldError::new(field, msg)])),
        None => Ok(()),
    }
}

fn der_name_problem(name: &str) -> Option<String> {
    if name.is_empty() {
        Some("must not be empty".into())
    } else if name.chars().count() > 64 {
        Some("must be at most 64 characters".into())
    } else if !name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some("only letters, digits, '-' and '_' are allowed".into())
    } else {
        None
    }
}

/// Validates a provisioning request, collecting every field error.
pub fn provision(req: &ProvisionRequest) -> Result<()> {
    let mut errs = Vec::new();
    for (field, value) in [
        ("hardware_id", &req.hardware_id),
        ("device_type", &req.device_type),
        ("site_id", &req.site_id),
    ] {
        if value.trim().is_empty() {
            errs.push(FieldError::new(field, "is required"));
        }
    }
    if matches!(&req.gateway_serial, Some(s) if s.trim().is_empty()) {
        errs.push(FieldError::new(
            "gateway_serial",
            "must not be empty when given",
        ));
    }
    let allowed = allowed_der_types(&req.device_type);
    if allowed.is_none()
        && !req.device_type.is_empty()
        && !EXTRA_DEVICE_TYPES.contains(&req.device_type.as_str())
    {
        let known: Vec<&str> = DEVICE_DER_TYPES.iter().map(|(d, _)| *d).collect();
        errs.push(FieldError::new(
            "device_type",
            format!("unknown device type; expected one of {}", known.join(", ")),
        ));
    }
    let mut seen = HashSet::new();
    for (i, der) in req.ders.iter().enumerate() {
        if let Some(msg) = der_name_problem(&der.name) {
            errs.push(FieldError::new(format!("ders[{i}].name"), msg));
        } else if !seen.insert(der.name.as_str()) {
            errs.push(FieldError::new(
                format!("ders[{i}].name"),
                "duplicate DER name on this device",
            ));
        }
        let ok = match allowed {
            Some(list) => list.contains(&der.der_type.as_str()),
            None => KNOWN_DER_TYPES.contains(&der.der_type.as_str()),
        };
        if !ok {
            let expected = allowed.unwrap_or(KNOWN_DER_TYPES).join(", ");
            errs.push(FieldError::new(
                format!("ders[{i}].type"),
                format!(
                    "{:?} not allowed for device type {:?}; expected one of {expected}",
                    der.der_type, req.device_type
                ),
            ));
        }
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(Error::local_validation(errs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::NewDer;

    fn req(device_type: &str, ders: &[(&str, &str)]) -> ProvisionRequest {
        ProvisionRequest {
            gateway_serial: Some("zap-0000f0878290a994".into()),
            hardware_id: "SN1".into(),
            device_type: device_type.into(),
            site_id: "sit-1".into(),
            ders: ders
                .iter()
                .map(|(n, t)| NewDer {
                    name: n.to_string(),
                    der_type: t.to_string(),
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn accepts_table_combinations() {
        provision(&req(
            "inverter",
            &[
                ("pv-array", "solar"),
                ("battery_1", "battery"),
                ("m", "meter"),
            ],
        ))
        .unwrap();
        provision(&req("v2x_charger", &[("port1", "ev_charger_port")])).unwrap();
        provision(&req("charger", &[("p", "ev_port")])).unwrap();
    }

    #[test]
    fn reports_every_field_error() {
        let mut r = req(
            "energy_meter",
            &[("pv array", "solar"), ("m", "meter"), ("m", "meter")],
        );
        r.site_id = String::new();
        let e = provision(&r).unwrap_err();
        let fields: Vec<&str> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(
            fields,
            ["site_id", "ders[0].name", "ders[0].type", "ders[2].name"]
        );
        let e = provision(&req("toaster", &[])).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "device_type");
        assert!(der_name("name", &"x".repeat(65)).is_err());
        assert!(der_name("name", &"x".repeat(64)).is_ok());
    }
}
