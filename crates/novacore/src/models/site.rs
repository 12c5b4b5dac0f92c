//! Sites.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::device::Device;
use super::time::ts_opt;

/// Geographic position of a site.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Location {
    /// Latitude, degrees.
    #[serde(alias = "latitude")]
    pub lat: f64,
    /// Longitude, degrees.
    #[serde(alias = "lng", alias = "longitude")]
    pub lon: f64,
}

/// A site: one physical location behind a meter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Site {
    /// Opaque id, e.g. `sit-abc123`.
    pub id: String,
    /// Owning organization.
    #[serde(default)]
    pub org_id: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Creation time.
    #[serde(default, with = "ts_opt")]
    pub created_at: Option<DateTime<Utc>>,
    /// Position (lead's contract; absent on the documented shape).
    #[serde(default)]
    pub location: Option<Location>,
    /// IANA time zone, e.g. `Europe/Stockholm`.
    #[serde(default)]
    pub timezone: Option<String>,
    /// Bidding zone, e.g. `SE3`.
    #[serde(default)]
    pub price_area: Option<String>,
    /// Devices, when the server embeds them (`GET /sites/{id}` "including connected devices").
    #[serde(default)]
    pub devices: Option<Vec<Device>>,
}

/// Body of `POST /sites`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NewSite {
    /// Owning organization.
    pub org_id: String,
    /// Display name.
    pub name: String,
    /// Optional position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Optional IANA time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// Optional bidding zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_area: Option<String>,
}

/// Body of `PUT /sites/{id}`: only the fields set are sent.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SiteUpdate {
    /// New name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// New position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// New time zone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timezone: Option<String>,
    /// New price area.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_area: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_documented_and_contract_shapes() {
        let s: Vec<Site> = serde_json::from_str(
            r#"[{"id": "sit-abc123", "org_id": "org-xyz789", "name": "Home", "created_at": "2026-03-06T10:00:00Z"},
                {"id":"sit-2","org_id":"org-1","name":"Cabin","created_at":1772791200000,
                 "location":{"lat":59.33,"lon":18.07},"timezone":"Europe/Stockholm","price_area":"SE3","grid":{"fuse_a":25}}]"#,
        )
        .unwrap();
        assert_eq!(s[0].location, None);
        assert_eq!(
            s[1].location,
            Some(Location {
                lat: 59.33,
                lon: 18.07
            })
        );
        assert_eq!(s[1].price_area.as_deref(), Some("SE3"));
        assert_eq!(s[0].created_at, s[1].created_at);
        let body = serde_json::to_value(SiteUpdate {
            name: Some("x".into()),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(body, serde_json::json!({"name":"x"}));
    }
}
