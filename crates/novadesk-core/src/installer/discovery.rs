//! Finding Zaps for the Installer view: a sweep of a typed network or this computer's own, and a
//! typed address; both give [`ZapRow`]s, with the claim when signed in.

use std::time::Duration;

use novacore::zap::discovery::{
    inspect, local_networks, FoundBy, FoundZap, Ipv4Net, Sweep, SweepEvent, SweepOptions,
};
use novacore::zap::SignalQuality;
use serde::Serialize;

use super::gateways::{GatewayOwner, GatewayOwners};
use super::zap;
use crate::error::{Error, Result};

/// What to sweep.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SweepRequest {
    /// A network as typed (`192.168.1.0/24`); `None`: this computer's own /24 networks.
    pub network: Option<String>,
    /// The Zap API's port; `None`: 80, as in the field.
    pub port: Option<u16>,
    /// Per-host timeout; `None`: the SDK's default.
    pub timeout: Option<Duration>,
}

/// Starts a sweep; read its events (progress after every host, each Zap as found) from the
/// returned [`Sweep`] and stop it with [`Sweep::canceller`] (or by dropping it). Turn each
/// found Zap into a row with [`zap_row`].
pub fn start_sweep(req: &SweepRequest) -> Result<Sweep> {
    let networks = match req.network.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => vec![Ipv4Net::parse(text).map_err(input)?],
        _ => local_networks().map_err(input)?,
    };
    if networks.is_empty() {
        return Err(Error::InvalidInput(
            "This computer is on no local IPv4 network to search. Connect to the Zap's network, \
             or type the network to search (like 192.168.1.0/24)."
                .into(),
        ));
    }
    let mut opts = SweepOptions::default();
    if let Some(port) = req.port {
        if port == 0 {
            return Err(Error::InvalidInput(
                "Port 0 is not a port: leave it empty for 80, or type the Zap's port.".into(),
            ));
        }
        opts.port = port;
    }
    if let Some(t) = req.timeout {
        opts.timeout = t;
    }
    let hosts = networks.iter().flat_map(Ipv4Net::hosts).collect();
    Sweep::start(hosts, opts).map_err(input)
}

/// Reads the Zap at a typed address (bare IP, `host:port` or URL). A router's page, a host that
/// is not a Zap, or nothing at all give the sentence that says what to check.
pub async fn inspect_zap(address: &str) -> Result<FoundZap> {
    let client = zap::client(address)?;
    inspect(&client, FoundBy::Manual)
        .await
        .map_err(zap::failure(&client))
}

/// The Sandbox's own Zaps (their URLs from [`crate::Connections::sandbox_zap_urls`]), read as
/// the table shows them, in the given order. One that does not answer is left out (and logged):
/// a scan or its address finds it, with the sentence why, if it is really there.
pub async fn inspect_sandbox_zaps(urls: &[String]) -> Vec<FoundZap> {
    let reads = urls.iter().map(|url| async move {
        let client = zap::client(url).ok()?;
        match inspect(&client, FoundBy::Sandbox).await {
            Ok(found) => Some(found),
            Err(err) => {
                tracing::warn!(%url, %err, "a sandbox Zap did not answer");
                None
            }
        }
    });
    futures::future::join_all(reads)
        .await
        .into_iter()
        .flatten()
        .collect()
}

fn input(e: novacore::Error) -> Error {
    match e {
        novacore::Error::InvalidInput(m) => Error::InvalidInput(m),
        other => Error::Novacore(other),
    }
}

/// One Zap in the Installer view's table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "ZapItem"))]
pub struct ZapRow {
    /// `zap-…`, when the Zap said.
    pub serial: Option<String>,
    /// Its mDNS name, when found that way.
    pub name: Option<String>,
    pub firmware: Option<String>,
    /// `host[:port]`: what the other installer steps take.
    pub address: String,
    pub ssid: Option<String>,
    /// dBm.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub rssi: Option<i64>,
    /// `excellent`, `good`, `fair` or `weak`.
    pub signal: Option<String>,
    /// Field devices attached (`None`: the Zap's list could not be read).
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub devices: Option<usize>,
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub round_trip_ms: u64,
    /// How it was found: `mdns`, `sweep`, `manual` or `sandbox`.
    #[cfg_attr(feature = "specta", specta(type = String))]
    pub found_by: FoundBy,
    /// Whether the claim column means anything: signed in (and the gateway lists known).
    pub claim_known: bool,
    /// The organization of yours it is claimed into (`None` with `claim_known`: not in any of
    /// yours — unclaimed, or in an organization you cannot see).
    pub claimed_into: Option<GatewayOwner>,
}

/// The row for a found Zap; `owners` from the workspace when signed in, `None` otherwise.
pub fn zap_row(found: FoundZap, owners: Option<&GatewayOwners>) -> ZapRow {
    let claimed_into = owners
        .zip(found.serial.as_deref())
        .and_then(|(o, serial)| o.owner(serial).cloned());
    ZapRow {
        serial: found.serial,
        name: found.name,
        firmware: found.firmware,
        address: found.address,
        ssid: found.ssid,
        rssi: found.rssi,
        signal: found.signal.map(signal_label),
        devices: found.devices,
        round_trip_ms: found.round_trip_ms,
        found_by: found.found_by,
        claim_known: owners.is_some(),
        claimed_into,
    }
}

/// A sweep's event as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "SweepUpdateItem")
)]
pub enum SweepUpdate {
    /// After every host probed, and once more at the end (`done`).
    Progress {
        #[cfg_attr(feature = "specta", specta(type = f64))]
        probed: usize,
        #[cfg_attr(feature = "specta", specta(type = f64))]
        total: usize,
        #[cfg_attr(feature = "specta", specta(type = f64))]
        found: usize,
        done: bool,
        cancelled: bool,
    },
    /// A Zap, as its table row.
    Found { zap: Box<ZapRow> },
}

/// A sweep event for the window; `owners` as for [`zap_row`].
pub fn sweep_update(event: SweepEvent, owners: Option<&GatewayOwners>) -> SweepUpdate {
    match event {
        SweepEvent::Progress(p) => SweepUpdate::Progress {
            probed: p.probed,
            total: p.total,
            found: p.found,
            done: p.done,
            cancelled: p.cancelled,
        },
        SweepEvent::Found(z) => SweepUpdate::Found {
            zap: Box::new(zap_row(z, owners)),
        },
    }
}

/// The label the window shows beside the dBm.
pub(crate) fn signal_label(q: SignalQuality) -> String {
    match q {
        SignalQuality::Excellent => "excellent",
        SignalQuality::Good => "good",
        SignalQuality::Fair => "fair",
        SignalQuality::Weak => "weak",
    }
    .into()
}
