//! Finding Zaps on the LAN: an mDNS browse ([`mdns::MdnsBrowser`], found/lost events) and a
//! subnet sweep ([`sweep::Sweep`], progress and cancel) — the fallback where multicast is
//! blocked. Both end in [`inspect`], which reads what an installer's table shows.

pub mod mdns;
pub mod net;
pub mod sweep;

pub use mdns::{MdnsBrowser, MdnsEvent, MdnsOptions, MdnsZap};
pub use net::{local_networks, Ipv4Net};
pub use sweep::{Sweep, SweepCancel, SweepEvent, SweepOptions, SweepProgress, SweepReport};

use std::time::Instant;

use serde::{Deserialize, Serialize};

use super::{SignalQuality, SystemInfo, ZapClient, ZapError};
use crate::error::Result;

/// How a Zap was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    /// mDNS browse.
    Mdns,
    /// Subnet sweep.
    Sweep,
    /// Typed by the installer.
    Manual,
    /// Listed by the local sandbox (`novacore-sim`) that serves it.
    Sandbox,
}

/// One Zap as the installer's table shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FoundZap {
    /// Base URL, e.g. `http://192.168.1.100` (with `:port` when not 80).
    pub url: String,
    /// `host[:port]`.
    pub address: String,
    /// Serial (`zap-…`) from `/api/crypto`, else the `deviceId` of `/api/system`.
    pub serial: Option<String>,
    /// mDNS instance name, when found that way.
    pub name: Option<String>,
    /// Firmware version.
    pub firmware: Option<String>,
    /// P-256 public key as the Zap shows it.
    pub public_key: Option<String>,
    /// Connected SSID.
    pub ssid: Option<String>,
    /// Wi-Fi signal, dBm.
    pub rssi: Option<i64>,
    /// Label of `rssi`.
    pub signal: Option<SignalQuality>,
    /// Field devices attached (`None` when the list could not be read).
    pub devices: Option<usize>,
    /// Round trip of the `/api/system` probe, ms.
    pub round_trip_ms: u64,
    /// How it was found.
    pub found_by: FoundBy,
}

/// The `zap` section of `/api/system` is what makes a host a Zap.
pub fn require_zap(client: &ZapClient, sys: &SystemInfo) -> Result<()> {
    match &sys.zap {
        Some(_) => Ok(()),
        None => Err(ZapError::NotAZap {
            address: client.address().to_string(),
        }
        .into()),
    }
}

/// Reads one Zap's table row: `/api/system` (must carry a `zap` section), then `/api/crypto`
/// and `/api/devices` (their failures leave the fields empty).
pub async fn inspect(client: &ZapClient, found_by: FoundBy) -> Result<FoundZap> {
    let t0 = Instant::now();
    let sys = client.system().await?;
    let round_trip_ms = t0.elapsed().as_millis() as u64;
    require_zap(client, &sys)?;
    let (crypto, devices) = tokio::join!(client.crypto(), client.devices());
    let zap = sys.zap.unwrap_or_default();
    let net = zap.network.clone().unwrap_or_default();
    let crypto = crypto.ok();
    Ok(FoundZap {
        url: client.base_url().as_str().trim_end_matches('/').to_string(),
        address: client.address().to_string(),
        serial: crypto
            .as_ref()
            .map(|c| c.serial_number.clone())
            .or(zap.device_id.clone()),
        name: None,
        firmware: zap.firmware_version.clone(),
        public_key: crypto.map(|c| c.public_key).or(zap.public_key.clone()),
        ssid: net.ssid.clone(),
        rssi: net.rssi,
        signal: net.rssi.map(SignalQuality::from_rssi),
        devices: devices.ok().map(|d| d.len()),
        round_trip_ms,
        found_by,
    })
}
