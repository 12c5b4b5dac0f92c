//! The health chain of one Zap, link by link from this computer to its readings in the cloud:
//! each link green, amber or red with what was measured, and for the first link that is not
//! green what to do about it.

use std::time::Instant;

use novacore::zap::discovery::require_zap;
use serde::Serialize;

use super::gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwner};
use super::links::{cloud_link, failure_value, internet_link, reachable_link, wifi_link};
use super::readings::readings_link;
use super::zap;
use crate::error::{Error, ErrorKind, Result};
use crate::workspace::Workspace;

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

pub(crate) fn unchecked(kind: LinkKind, why: &str) -> HealthLink {
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
    let sys = sys.and_then(|s| require_zap(&client, &s).map(|_| s).map_err(Error::Novacore));
    let sys = match sys {
        Ok(s) => s,
        Err(e) => {
            let mut links = vec![link(
                LinkKind::Reachable,
                LinkStatus::Red,
                failure_value(&e),
                Some(&e.user_message()),
            )];
            links.extend(
                [
                    LinkKind::Wifi,
                    LinkKind::Internet,
                    LinkKind::Cloud,
                    LinkKind::Claimed,
                    LinkKind::Readings,
                ]
                .map(|k| unchecked(k, "The Zap does not answer.")),
            );
            return Ok(finish(client.address(), None, links));
        }
    };
    let zap_info = sys.zap.unwrap_or_default();
    let net = zap_info.network.unwrap_or_default();
    // The claim is by the serial /api/crypto gives; older firmware may only have the deviceId.
    let serial = match client.crypto().await {
        Ok(c) => Some(c.serial_number),
        Err(_) => zap_info.device_id,
    };
    let mut links = vec![
        reachable_link(rtt),
        wifi_link(&net),
        internet_link(net.internet_connected),
    ];
    let Some(ws) = ws else {
        links.push(cloud_link(net.internet_connected, net.mqtt_connected, None));
        links.push(unchecked(
            LinkKind::Claimed,
            "Sign in to see whether it is claimed.",
        ));
        links.push(unchecked(
            LinkKind::Readings,
            "Sign in to see its readings.",
        ));
        return Ok(finish(client.address(), serial, links));
    };
    let owner = owner_of(ws, serial.as_deref()).await?;
    let claimed = Some(owner.is_some());
    links.push(cloud_link(
        net.internet_connected,
        net.mqtt_connected,
        claimed,
    ));
    match (owner, serial.as_deref()) {
        (Some(owner), Some(serial)) => {
            let value = format!("claimed into {}", owner.org_name);
            links.push(link(LinkKind::Claimed, LinkStatus::Green, value, None));
            links.push(readings_link(ws, &owner, serial).await?);
        }
        _ => {
            links.push(link(
                LinkKind::Claimed,
                LinkStatus::Amber,
                "not claimed into your organizations",
                Some(CLAIM_IT),
            ));
            links.push(unchecked(
                LinkKind::Readings,
                "The Zap is not claimed into your organizations.",
            ));
        }
    }
    Ok(finish(client.address(), serial, links))
}

const CLAIM_IT: &str =
    "Claim the Zap into your organization; its readings reach Novacore only once it is claimed.";

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

/// The owner from freshly fetched gateway lists, or as cached when the cloud cannot be reached.
async fn owner_of(ws: &Workspace, serial: Option<&str>) -> Result<Option<GatewayOwner>> {
    let owners = match refresh_gateway_owners(ws).await {
        Ok(o) => o,
        Err(e) if e.kind() == ErrorKind::Offline => cached_gateway_owners(ws)?,
        Err(e) => return Err(e),
    };
    Ok(serial.and_then(|s| owners.owner(s).cloned()))
}
