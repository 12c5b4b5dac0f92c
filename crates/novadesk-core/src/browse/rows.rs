//! The rows the browsing views show, as kept in the store (the app's own shape, not the wire's:
//! the SDK models stay free to change).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// An organization as the organizations view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "OrganizationItem")
)]
pub struct OrganizationRow {
    pub id: String,
    pub name: String,
    /// The signed-in identity's role, when the member list says.
    pub role: Option<String>,
}

/// A member of an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "MemberItem"))]
pub struct MemberRow {
    pub identity_id: String,
    pub role: String,
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub joined_at_ms: Option<i64>,
}

/// A site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteRow {
    pub id: String,
    pub org_id: Option<String>,
    pub name: String,
    pub timezone: Option<String>,
    pub price_area: Option<String>,
    pub created_at_ms: Option<i64>,
    /// Latitude, longitude (the chart's grid tariff lookup). Rows kept before it existed read
    /// as `None` until the next refresh.
    #[serde(default)]
    pub location: Option<(f64, f64)>,
    /// Filled in when read for the all-sites list (from the cached organizations); not stored.
    #[serde(default, skip_serializing)]
    pub org_name: Option<String>,
}

/// A gateway claimed into an organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GatewayRow {
    pub serial: String,
    pub org_id: Option<String>,
    pub claimed_at_ms: Option<i64>,
    pub last_seen_ms: Option<i64>,
}

/// The newest stored sample of one of a DER's fields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "LatestItem"))]
pub struct LatestValue {
    /// The field as the platform names it, unit included (`W`, `SoC_nom_fract`).
    pub field: String,
    pub value: f64,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub at_ms: i64,
}

/// A DER (solar, battery, meter, EV charger …).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerRow {
    pub id: String,
    pub name: String,
    pub der_type: String,
    /// Filled in on read from the telemetry the store holds; not stored with the row.
    #[serde(default, skip_serializing)]
    pub latest: Vec<LatestValue>,
}

/// A device with its DERs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceRow {
    pub id: String,
    pub name: Option<String>,
    pub device_type: Option<String>,
    pub state: Option<String>,
    pub hardware_id: Option<String>,
    pub site_id: Option<String>,
    pub gateway_serial: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub created_at_ms: Option<i64>,
    pub ders: Vec<DerRow>,
}

fn ms(t: Option<DateTime<Utc>>) -> Option<i64> {
    t.map(|t| t.timestamp_millis())
}

impl From<novacore::models::Member> for MemberRow {
    fn from(m: novacore::models::Member) -> Self {
        Self {
            identity_id: m.identity_id,
            role: m.role.as_str().to_string(),
            joined_at_ms: ms(m.joined_at),
        }
    }
}

impl From<novacore::models::Site> for SiteRow {
    fn from(s: novacore::models::Site) -> Self {
        Self {
            id: s.id,
            org_id: s.org_id,
            name: s.name,
            timezone: s.timezone,
            price_area: s.price_area,
            created_at_ms: ms(s.created_at),
            location: s.location.map(|l| (l.lat, l.lon)),
            org_name: None,
        }
    }
}

impl From<novacore::models::Gateway> for GatewayRow {
    fn from(g: novacore::models::Gateway) -> Self {
        Self {
            serial: g.serial,
            org_id: g.org_id,
            claimed_at_ms: ms(g.claimed_at),
            last_seen_ms: ms(g.last_seen),
        }
    }
}

impl From<novacore::models::Der> for DerRow {
    fn from(d: novacore::models::Der) -> Self {
        Self {
            id: d.id,
            name: d.name,
            der_type: d.der_type,
            latest: Vec::new(),
        }
    }
}

impl From<novacore::models::Device> for DeviceRow {
    fn from(d: novacore::models::Device) -> Self {
        Self {
            id: d.id,
            name: d.name,
            device_type: d.device_type,
            state: d.state,
            hardware_id: d.hardware_id,
            site_id: d.site_id,
            gateway_serial: d.gateway_serial,
            manufacturer: d.manufacturer,
            model: d.model,
            created_at_ms: ms(d.created_at),
            ders: d.ders.into_iter().map(DerRow::from).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_fields_are_not_stored() {
        let der = DerRow {
            id: "der-1".into(),
            name: "pv".into(),
            der_type: "solar".into(),
            latest: vec![LatestValue {
                field: "W".into(),
                value: 1.0,
                at_ms: 1,
            }],
        };
        let stored = serde_json::to_value(&der).unwrap();
        assert!(stored.get("latest").is_none(), "{stored}");
        let back: DerRow = serde_json::from_value(stored).unwrap();
        assert!(back.latest.is_empty());
    }
}
