//! What the browsing and managing commands send to the window. Organizations, members, latest
//! values and permissions go as core's own types (with `specta::Type`). Sites, gateways, devices
//! and DERs have a thin window shape here because core's rows are also the store's format: they
//! keep fields the window is not sent (`created_at_ms`, `location`, a gateway's `org_id`) and
//! skip the view-only ones the window gets (`org_name`, `latest`).

use novadesk_core as core;
use serde::{Deserialize, Serialize};
use specta::Type;

/// Where a read comes from: the offline store (answers at once, maybe nothing) or the server
/// (written through to the store).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Cache,
    Network,
}

/// A read's answer: the data (`null` when the store has never had it), when it was fetched, and
/// whether it came from the store (the view shows "cached N min ago").
#[derive(Debug, Clone, Serialize, Type)]
pub struct Fetched<T> {
    pub data: Option<T>,
    pub fetched_at_ms: Option<f64>,
    pub from_cache: bool,
}

impl<T> Fetched<T> {
    pub fn of<C>(cached: Option<core::Cached<C>>, source: Source, f: impl FnOnce(C) -> T) -> Self {
        let fetched_at_ms = cached.as_ref().map(|c| c.fetched_at_ms as f64);
        Self {
            data: cached.map(|c| f(c.value)),
            fetched_at_ms,
            from_cache: source == Source::Cache,
        }
    }
}

fn ms(v: Option<i64>) -> Option<f64> {
    v.map(|v| v as f64)
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct SiteItem {
    pub id: String,
    pub org_id: Option<String>,
    /// The organization's name (all-sites list only).
    pub org_name: Option<String>,
    pub name: String,
    pub timezone: Option<String>,
    pub price_area: Option<String>,
}

impl From<core::SiteRow> for SiteItem {
    fn from(s: core::SiteRow) -> Self {
        Self {
            id: s.id,
            org_id: s.org_id,
            org_name: s.org_name,
            name: s.name,
            timezone: s.timezone,
            price_area: s.price_area,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct GatewayItem {
    pub serial: String,
    pub claimed_at_ms: Option<f64>,
    pub last_seen_ms: Option<f64>,
}

impl From<core::GatewayRow> for GatewayItem {
    fn from(g: core::GatewayRow) -> Self {
        Self {
            serial: g.serial,
            claimed_at_ms: ms(g.claimed_at_ms),
            last_seen_ms: ms(g.last_seen_ms),
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DerItem {
    pub id: String,
    pub name: String,
    pub der_type: String,
    pub latest: Vec<core::LatestValue>,
}

impl From<core::DerRow> for DerItem {
    fn from(d: core::DerRow) -> Self {
        Self {
            id: d.id,
            name: d.name,
            der_type: d.der_type,
            latest: d.latest,
        }
    }
}

#[derive(Debug, Clone, Serialize, Type)]
pub struct DeviceItem {
    pub id: String,
    pub name: Option<String>,
    pub device_type: Option<String>,
    pub state: Option<String>,
    pub hardware_id: Option<String>,
    pub site_id: Option<String>,
    pub gateway_serial: Option<String>,
    pub manufacturer: Option<String>,
    pub model: Option<String>,
    pub ders: Vec<DerItem>,
}

impl From<core::DeviceRow> for DeviceItem {
    fn from(d: core::DeviceRow) -> Self {
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
            ders: d.ders.into_iter().map(DerItem::from).collect(),
        }
    }
}

/// One organization's view.
#[derive(Debug, Clone, Serialize, Type)]
pub struct OrganizationView {
    pub organization: core::OrganizationRow,
    pub permissions: core::Permissions,
    pub sites: Vec<SiteItem>,
    pub members: Vec<core::MemberRow>,
    pub gateways: Vec<GatewayItem>,
    /// Claim and release gateways (the role rule of [`core::Permissions::manage_gateways`]).
    pub manage_gateways: core::Allowed,
}

impl From<core::OrganizationDetail> for OrganizationView {
    fn from(d: core::OrganizationDetail) -> Self {
        Self {
            manage_gateways: d.permissions.manage_gateways(),
            organization: d.organization,
            permissions: d.permissions,
            sites: d.sites.into_iter().map(SiteItem::from).collect(),
            members: d.members,
            gateways: d.gateways.into_iter().map(GatewayItem::from).collect(),
        }
    }
}

/// One site's view.
#[derive(Debug, Clone, Serialize, Type)]
pub struct SiteView {
    pub site: SiteItem,
    pub permissions: core::Permissions,
    pub devices: Vec<DeviceItem>,
}

impl From<core::SiteDetail> for SiteView {
    fn from(d: core::SiteDetail) -> Self {
        Self {
            site: d.site.into(),
            permissions: d.permissions,
            devices: d.devices.into_iter().map(DeviceItem::from).collect(),
        }
    }
}

/// One device's view.
#[derive(Debug, Clone, Serialize, Type)]
pub struct DeviceView {
    pub device: DeviceItem,
    pub site: Option<SiteItem>,
    pub permissions: core::Permissions,
}

impl From<core::DeviceDetail> for DeviceView {
    fn from(d: core::DeviceDetail) -> Self {
        Self {
            device: d.device.into(),
            site: d.site.map(SiteItem::from),
            permissions: d.permissions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_envelope_says_where_the_data_came_from() {
        let never: Fetched<Vec<String>> =
            Fetched::of(None::<core::Cached<Vec<String>>>, Source::Cache, |v| v);
        assert_eq!(
            serde_json::to_value(&never).unwrap(),
            serde_json::json!({"data": null, "fetched_at_ms": null, "from_cache": true})
        );
        let cached = core::Cached {
            value: vec!["a".to_string()],
            fetched_at_ms: 1_764_000_000_000,
        };
        let fresh = Fetched::of(Some(cached), Source::Network, |v| v.len());
        assert_eq!(
            serde_json::to_value(&fresh).unwrap(),
            serde_json::json!({"data": 1, "fetched_at_ms": 1_764_000_000_000.0, "from_cache": false})
        );
        assert_eq!(
            serde_json::from_str::<Source>("\"network\"").unwrap(),
            Source::Network
        );
    }

    #[test]
    fn permissions_carry_the_reason_to_the_window() {
        let p = core::Permissions::for_role(Some("viewer"));
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(json["role"], "viewer");
        assert_eq!(json["delete_organization"]["allowed"], false);
        assert_eq!(
            json["delete_organization"]["reason"],
            "Only owners can delete an organization."
        );
    }
}
