//! The cloud-side state: identities → organizations (members, roles) → sites → gateways →
//! devices → DERs (reference §11), plus the emulated Zaps' local state.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::zap::model::ZapState;

/// Roles, ordered by power: owner ⊇ admin ⊇ operator ⊇ viewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Read-only.
    Viewer,
    /// Control devices, view data.
    Operator,
    /// Manage members, sites, devices, gateways.
    Admin,
    /// Everything, including org delete and owner changes.
    Owner,
}

impl Role {
    /// Parses a role name.
    pub fn parse(s: &str) -> Option<Role> {
        serde_json::from_value(serde_json::Value::String(s.to_string())).ok()
    }
}

/// An identity bound to one auth method.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Identity {
    /// `idt-<uuid>`.
    pub id: String,
    /// `user`, `gateway`, `integration`.
    pub kind: String,
    /// Canonical public key.
    pub public_key: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// A membership.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Member {
    /// Member identity.
    pub identity_id: String,
    /// Role.
    pub role: Role,
    /// When added.
    pub joined_at: DateTime<Utc>,
}

/// An organization.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Org {
    /// `org-…`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Creator / current owner.
    pub owner_id: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Members by identity id.
    pub members: BTreeMap<String, Member>,
}

/// Geographic position of a site.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Location {
    /// Latitude, degrees.
    pub lat: f64,
    /// Longitude, degrees.
    pub lon: f64,
}

/// A site.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Site {
    /// `sit-…`.
    pub id: String,
    /// Owning org.
    pub org_id: String,
    /// Display name.
    pub name: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Position, if known.
    pub location: Option<Location>,
    /// IANA zone, if known.
    pub timezone: Option<String>,
    /// Bidding zone, if known.
    pub price_area: Option<String>,
    /// Extra household load switched on by `/_sim/sites/{id}/load` (tests: a peak on demand).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_load: Option<ExtraLoad>,
}

/// A constant extra household load from an instant on (a sauna, a heat pump's backup heater).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ExtraLoad {
    /// From this simulated instant on, epoch ms (earlier readings and history are unchanged).
    pub from_ms: i64,
    /// Added load, W (≥ 0).
    pub w: f64,
}

/// A claimed gateway.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Gateway {
    /// `zap-…`.
    pub serial: String,
    /// Owning org.
    pub org_id: String,
    /// Canonical public key (128 hex X‖Y).
    pub public_key: String,
    /// The gateway's own identity.
    pub identity_id: String,
    /// When claimed into the current org.
    pub claimed_at: DateTime<Utc>,
    /// Last telemetry seen.
    pub last_seen: Option<DateTime<Utc>>,
}

/// A provisioned device.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Device {
    /// `dev-…`.
    pub id: String,
    /// Site it belongs to.
    pub site_id: String,
    /// Relaying gateway (`None` once orphaned).
    pub gateway_serial: Option<String>,
    /// Hardware id (the Zap's `sn`).
    pub hardware_id: String,
    /// Device type as provisioned.
    pub device_type: String,
    /// Display name.
    pub name: Option<String>,
    /// Manufacturer.
    pub manufacturer: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// `pending`, `active` or `orphaned`.
    pub state: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// DER ids in creation order.
    pub ders: Vec<String>,
}

/// A DER.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Der {
    /// `der-<uuid7>`.
    pub id: String,
    /// Owning device.
    pub device_id: String,
    /// Site.
    pub site_id: String,
    /// Name (topic segment).
    pub name: String,
    /// Provisioning vocabulary: `solar`, `battery`, `meter`, `ev_charger_port`, …
    pub der_type: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

impl Der {
    /// The telemetry `type` of this DER (§4.1 wire vocabulary).
    pub fn telemetry_type(&self) -> &'static str {
        telemetry_type(&self.der_type)
    }
}

/// Maps a provisioning DER type to its telemetry type.
pub fn telemetry_type(der_type: &str) -> &'static str {
    match der_type {
        "solar" | "pv" => "pv",
        "battery" => "battery",
        "meter" => "meter",
        _ => "v2x_charger",
    }
}

/// All mutable state, behind one lock in [`crate::state::Sim`].
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct World {
    /// Identities by canonical public key.
    pub identities: HashMap<String, Identity>,
    /// Identity ids → canonical key.
    pub identity_keys: HashMap<String, String>,
    /// Organizations.
    pub orgs: BTreeMap<String, Org>,
    /// Sites.
    pub sites: BTreeMap<String, Site>,
    /// Claimed gateways by serial.
    pub gateways: BTreeMap<String, Gateway>,
    /// Devices.
    pub devices: BTreeMap<String, Device>,
    /// DERs.
    pub ders: BTreeMap<String, Der>,
    /// Zaps (emulated with HTTP, and the demo world's virtual ones) by serial.
    pub zaps: BTreeMap<String, ZapState>,
    /// Demo org shared by every signed-in identity (as viewer).
    pub shared_demo_org: Option<String>,
    /// Count of demo orgs created, to vary their seeds.
    pub demo_orgs_created: u64,
}

impl World {
    /// The caller's role in an org, if a member.
    pub fn role(&self, org_id: &str, identity_id: &str) -> Option<Role> {
        self.orgs
            .get(org_id)?
            .members
            .get(identity_id)
            .map(|m| m.role)
    }

    /// DERs of a site that currently publish: device provisioned with a gateway whose Zap is
    /// online, has a field device with `sn == hardware_id`, and has that DER type enabled.
    pub fn publishing_ders(&self, site_id: &str) -> Vec<(&Der, &Device)> {
        self.ders
            .values()
            .filter(|d| d.site_id == site_id)
            .filter_map(|der| {
                let dev = self.devices.get(&der.device_id)?;
                let serial = dev.gateway_serial.as_ref()?;
                let zap = self.zaps.get(serial)?;
                (zap.is_online() && zap.publishes(&dev.hardware_id, der.telemetry_type()))
                    .then_some((der, dev))
            })
            .collect()
    }

    /// Identity id → identity.
    pub fn identity_by_id(&self, id: &str) -> Option<&Identity> {
        self.identity_keys
            .get(id)
            .and_then(|k| self.identities.get(k))
    }
}

/// New prefixed id from a UUID (v7 for time-ordered kinds).
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}-{}", uuid::Uuid::now_v7())
}
