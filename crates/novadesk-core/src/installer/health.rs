//! The health chain of one Zap, link by link from this computer to its readings in the cloud:
//! each link green, amber or red with what was measured, and for the first link that is not
//! green what to do about it.

use std::time::Instant;

use novacore::zap::{SignalQuality, SystemInfo};
use serde::Serialize;

use super::discovery::signal_label;
use super::gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwner};
use super::readings::readings_link;
use super::zap;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// A round trip above this on a LAN means a weak or busy link.
const SLOW_MS: u64 = 500;

/// The links, in the order they depend on each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum LinkKind {
    /// This computer → the Zap's local API.
    Reachable,
    /// The Zap's Wi-Fi.
    Wifi,
    /// The Zap → the internet.
    Internet,
    /// The Zap → Novacore (its MQTT connection).
    Cloud,
    /// The gateway claimed into one of your organizations.
    Claimed,
    /// Readings from its devices' DERs stored recently.
    Readings,
}

/// A link's colour; `unchecked` when an earlier link is broken or you are not signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum LinkStatus {
    Green,
    Amber,
    Red,
    Unchecked,
}

/// One link: its colour, what was measured, and what to do when it is not green.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "HealthLinkItem")
)]
pub struct HealthLink {
    pub link: LinkKind,
    pub status: LinkStatus,
    /// The measured value, for a person (`12 ms`, `Home (-48 dBm, excellent)`).
    pub value: String,
    /// What to do (links not green only).
    pub advice: Option<String>,
}

/// The whole chain for one Zap.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "HealthChainItem")
)]
pub struct HealthChain {
    pub address: String,
    pub serial: Option<String>,
    pub links: Vec<HealthLink>,
    /// The advice of the first red link, else of the first amber one; `None` when all is green.
    pub first_problem: Option<String>,
}

pub(crate) fn link(
    link: LinkKind,
    status: LinkStatus,
    value: impl Into<String>,
    advice: Option<&str>,
) -> HealthLink {
    HealthLink {
        link,
        status,
        value: value.into(),
        advice: advice.map(str::to_string),
    }
}

fn unchecked(kind: LinkKind, why: &str) -> HealthLink {
    link(kind, LinkStatus::Unchecked, why, None)
}

/// Checks the Zap at `address` link by link. With a workspace, the claim and the readings are
/// checked too (gateway lists refreshed, or as cached when the cloud cannot be reached). Only a
/// bad address is an error: everything else is a link's colour.
pub async fn check_health(ws: Option<&Workspace>, address: &str) -> Result<HealthChain> {
    let client = zap::client(address)?;
    let t0 = Instant::now();
    let sys = client.system().await.map_err(zap::failure(&client));
    let rtt = t0.elapsed().as_millis() as u64;
    let mut links = Vec::with_capacity(6);
    let sys = match sys.and_then(|s| {
        novacore::zap::discovery::require_zap(&client, &s)
            .map(|_| s)
            .map_err(Error::Novacore)
    }) {
        Ok(s) => s,
        Err(e) => {
            links.push(link(
                LinkKind::Reachable,
                LinkStatus::Red,
                failure_value(&e),
                Some(&e.user_message()),
            ));
            for k in [
                LinkKind::Wifi,
                LinkKind::Internet,
                LinkKind::Cloud,
                LinkKind::Claimed,
                LinkKind::Readings,
            ] {
                links.push(unchecked(k, "The Zap does not answer."));
            }
            return Ok(finish(client.address(), None, links));
        }
    };
    links.push(if rtt > SLOW_MS {
        link(
            LinkKind::Reachable,
            LinkStatus::Amber,
            format!("{rtt} ms"),
            Some("The Zap answers slowly: move closer to it or check the network between this computer and the Zap."),
        )
    } else {
        link(LinkKind::Reachable, LinkStatus::Green, format!("{rtt} ms"), None)
    });
    let zap_info = sys.zap.clone().unwrap_or_default();
    let serial = zap_info.device_id.clone();
    let net = zap_info.network.clone().unwrap_or_default();
    links.push(wifi_link(&sys));
    let internet = net.internet_connected;
    links.push(match internet {
        Some(true) => link(LinkKind::Internet, LinkStatus::Green, "connected", None),
        Some(false) => link(
            LinkKind::Internet,
            LinkStatus::Red,
            "not connected",
            Some("The Zap is on Wi-Fi but cannot reach the internet: check the router's internet connection, or join the Zap to another network."),
        ),
        None => link(LinkKind::Internet, LinkStatus::Amber, "not reported", Some("This Zap's firmware does not report its internet connection; check the readings below.")),
    });
    let owner = match ws {
        Some(ws) => Some(owner_of(ws, serial.as_deref()).await?),
        None => None,
    };
    let claimed = owner.as_ref().map(|o| o.is_some());
    links.push(cloud_link(internet, net.mqtt_connected, claimed));
    match (ws, owner) {
        (Some(ws), Some(Some(owner))) => {
            links.push(link(
                LinkKind::Claimed,
                LinkStatus::Green,
                format!("claimed into {}", owner.org_name),
                None,
            ));
            links.push(readings_link(ws, &owner, serial.as_deref().unwrap_or_default()).await?);
        }
        (Some(_), _) => {
            links.push(link(
                LinkKind::Claimed,
                LinkStatus::Amber,
                "not claimed into your organizations",
                Some("Claim the Zap into your organization; its readings reach Novacore only once it is claimed."),
            ));
            links.push(unchecked(
                LinkKind::Readings,
                "The Zap is not claimed into your organizations.",
            ));
        }
        (None, _) => {
            links.push(unchecked(
                LinkKind::Claimed,
                "Sign in to see whether it is claimed.",
            ));
            links.push(unchecked(
                LinkKind::Readings,
                "Sign in to see its readings.",
            ));
        }
    }
    Ok(finish(client.address(), serial, links))
}

/// The measured value of a Zap that could not be read, in a few words.
fn failure_value(e: &Error) -> &'static str {
    use novacore::zap::ZapError;
    match e {
        Error::Novacore(novacore::Error::Zap(z)) => match z {
            ZapError::Unreachable { .. } => "no answer",
            ZapError::WebPage { .. } => "a web page, not a Zap",
            ZapError::NotAZap { .. } => "not a Zap",
            ZapError::Stalled { .. } => "stalled mid-answer",
            ZapError::Malformed { .. } => "garbled answer",
        },
        _ => "unusable answer",
    }
}

fn finish(address: &str, serial: Option<String>, links: Vec<HealthLink>) -> HealthChain {
    let first = |s: LinkStatus| {
        links
            .iter()
            .find(|l| l.status == s)
            .and_then(|l| l.advice.clone())
    };
    let first_problem = first(LinkStatus::Red).or_else(|| first(LinkStatus::Amber));
    HealthChain {
        address: address.to_string(),
        serial,
        links,
        first_problem,
    }
}

fn wifi_link(sys: &SystemInfo) -> HealthLink {
    let net = sys
        .zap
        .as_ref()
        .and_then(|z| z.network.clone())
        .unwrap_or_default();
    let connected = net.wifi_connected.unwrap_or(net.ssid.is_some());
    let ssid = net.ssid.clone().unwrap_or_else(|| "?".into());
    if !connected {
        // The Zap answered, so it is on the LAN by cable (or its report is partial).
        return link(
            LinkKind::Wifi,
            LinkStatus::Amber,
            "not on Wi-Fi",
            Some("The Zap is not on Wi-Fi: fine if it is on Ethernet, otherwise join it to the site's Wi-Fi."),
        );
    }
    let Some(rssi) = net.rssi else {
        return link(LinkKind::Wifi, LinkStatus::Green, ssid, None);
    };
    let q = SignalQuality::from_rssi(rssi);
    let value = format!("{ssid} ({rssi} dBm, {})", signal_label(q));
    match q {
        SignalQuality::Excellent | SignalQuality::Good => link(LinkKind::Wifi, LinkStatus::Green, value, None),
        SignalQuality::Fair => link(LinkKind::Wifi, LinkStatus::Amber, value, Some("The Wi-Fi signal is fair: expect occasional gaps; move the Zap or the access point closer if you can.")),
        SignalQuality::Weak => link(LinkKind::Wifi, LinkStatus::Red, value, Some("The Wi-Fi signal is weak: expect drop-outs. Move the Zap or the access point closer, or add a repeater.")),
    }
}

fn cloud_link(internet: Option<bool>, mqtt: Option<bool>, claimed: Option<bool>) -> HealthLink {
    match (internet, mqtt, claimed) {
        (Some(false), _, _) => unchecked(LinkKind::Cloud, "The Zap has no internet."),
        (_, Some(true), _) => link(LinkKind::Cloud, LinkStatus::Green, "connected", None),
        (_, None, _) => link(LinkKind::Cloud, LinkStatus::Amber, "not reported", Some("This Zap's firmware does not report its cloud connection; check the readings below.")),
        // Novacore accepts a gateway's connection only once it is claimed.
        (_, Some(false), Some(false)) => link(LinkKind::Cloud, LinkStatus::Amber, "not connected (not claimed)", Some("The Zap connects to Novacore once it is claimed: claim it into your organization.")),
        (_, Some(false), _) => link(LinkKind::Cloud, LinkStatus::Red, "not connected", Some("The Zap reaches the internet but not Novacore: check that the network allows outgoing MQTT over TLS (port 8883), then restart the Zap.")),
    }
}

/// The owner from freshly fetched gateway lists, or as cached when the cloud cannot be reached.
async fn owner_of(ws: &Workspace, serial: Option<&str>) -> Result<Option<GatewayOwner>> {
    let owners = match refresh_gateway_owners(ws).await {
        Ok(o) => o,
        Err(e) if e.kind() == crate::error::ErrorKind::Offline => cached_gateway_owners(ws)?,
        Err(e) => return Err(e),
    };
    Ok(serial.and_then(|s| owners.owner(s).cloned()))
}
