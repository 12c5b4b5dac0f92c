//! A Zap's local state: identity key, field devices with per-DER publish flags, Wi-Fi, power.

use std::collections::BTreeMap;
use std::time::Instant;

use p256::ecdsa::SigningKey;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{json, Value};

use crate::zap::faults::ZapFaults;

/// One DER of a field device as the Zap reports it (`/api/devices/{sn}/ders`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldDer {
    /// `pv`, `battery`, `meter`, `v2x_charger`.
    #[serde(rename = "type")]
    pub der_type: String,
    /// Publish to Novacore (starts `false`).
    pub enabled: bool,
    /// Static metadata (rated_power, installed_power, capacity).
    #[serde(flatten)]
    pub meta: serde_json::Map<String, Value>,
}

/// A device attached to a Zap.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FieldDevice {
    /// The Zap-assigned serial (`sn`), used as cloud `hardware_id`.
    pub sn: String,
    /// Connection config as posted.
    pub config: serde_json::Map<String, Value>,
    /// `inverter`, `energy_meter`, `v2x_charger`.
    pub device_type: String,
    /// Profile (`sungrow`, `p1`, …).
    pub profile: String,
    /// DERs.
    pub ders: Vec<FieldDer>,
}

impl FieldDevice {
    /// `GET /api/devices` entry.
    pub fn to_json(&self, last_harvest: Option<i64>) -> Value {
        let mut o = self.config.clone();
        o.insert("sn".into(), json!(self.sn));
        o.insert("connected".into(), json!(true));
        o.insert("device_type".into(), json!(self.device_type));
        o.insert("profile".into(), json!(self.profile));
        o.insert(
            "path".into(),
            json!(format!("spiffs/devices/{}.json", self.sn)),
        );
        o.insert("ders".into(), json!(self.ders));
        if let Some(t) = last_harvest {
            o.insert("last_harvest".into(), json!(t));
        }
        Value::Object(o)
    }
}

impl FieldDevice {
    /// The entry of old firmware's bare `GET /api/devices` list: `serial_number` and
    /// `connection_status` text instead of `sn` and `connected`, no device type or profile.
    pub fn to_old_json(&self) -> Value {
        let mut o = self.config.clone();
        o.insert("serial_number".into(), json!(self.sn));
        o.insert("connection_status".into(), json!("connected"));
        o.insert("ders".into(), json!(self.ders));
        Value::Object(o)
    }
}

/// A signing key whose `Debug` is redacted.
#[derive(Clone)]
pub struct ZapKey(pub SigningKey);

// The key is persisted in the `--state` file (a sandbox's own simulated device key).
impl Serialize for ZapKey {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode(self.0.to_bytes()))
    }
}

impl<'de> Deserialize<'de> for ZapKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let h = String::deserialize(d)?;
        let bytes = hex::decode(h).map_err(serde::de::Error::custom)?;
        SigningKey::from_slice(&bytes)
            .map(ZapKey)
            .map_err(serde::de::Error::custom)
    }
}

impl std::fmt::Debug for ZapKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// An emulated Zap (HTTP-served or a virtual one of the demo world).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ZapState {
    /// `zap-` + 16 hex.
    pub serial: String,
    /// P-256 identity key.
    pub key: ZapKey,
    /// Field devices by sn.
    pub devices: BTreeMap<String, FieldDevice>,
    /// Connected SSID.
    pub wifi: Option<String>,
    /// Taken offline through `/_sim/zaps/{serial}/offline`.
    pub offline: bool,
    /// Unreachable during this window (reboot, factory reset).
    #[serde(skip)]
    pub down: Option<(Instant, Instant)>,
    /// Boot time (for uptime).
    #[serde(skip, default = "Instant::now")]
    pub booted: Instant,
    /// HTTP base URL when served.
    #[serde(skip)]
    pub url: Option<String>,
    /// Counter for device serials.
    pub next_device: u32,
    /// Injected faults (health-chain tests).
    #[serde(skip)]
    pub faults: ZapFaults,
}

impl ZapState {
    /// A fresh Zap with no devices.
    pub fn new(serial: String, key: SigningKey) -> Self {
        Self {
            serial,
            key: ZapKey(key),
            devices: BTreeMap::new(),
            wifi: Some("HomeNet".into()),
            offline: false,
            down: None,
            booted: Instant::now(),
            url: None,
            next_device: 1,
            faults: ZapFaults::default(),
        }
    }

    /// Uncompressed public key as the Zap shows it: `04` + 128 hex.
    pub fn public_key_hex(&self) -> String {
        hex::encode(
            self.key
                .0
                .verifying_key()
                .to_encoded_point(false)
                .as_bytes(),
        )
    }

    /// Reachable and connected.
    pub fn is_online(&self) -> bool {
        let now = Instant::now();
        !self.offline && self.down.is_none_or(|(a, b)| now < a || now >= b)
    }

    /// Whether the field device `sn` publishes telemetry of type `tel_type`: enabled on the
    /// Zap, and the Zap has a way to the cloud (Wi-Fi, internet and its MQTT session: the
    /// faults of the health chain silence it as they would in the field).
    pub fn publishes(&self, sn: &str, tel_type: &str) -> bool {
        let to_cloud =
            self.wifi.is_some() && !self.faults.no_internet && !self.faults.cloud_unreachable;
        to_cloud
            && self
                .devices
                .get(sn)
                .is_some_and(|d| d.ders.iter().any(|x| x.der_type == tel_type && x.enabled))
    }
}
