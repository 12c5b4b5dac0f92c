//! Joining a Zap to a Wi-Fi network: scan (strongest first, one row per network name), check
//! the passphrase, send it, watch the Zap drop off the LAN and come back, and say on which
//! network it came back, or why it did not join. The passphrase is a [`Secret`] from the
//! window to the Zap: never stored, logged, or quoted in a message.

use std::time::Duration;

use novacore::zap::{passphrase_problem, SignalQuality, Ssid, ZapClient};
use novacore::Secret;
use serde::Serialize;

use super::discovery::signal_label;
use super::zap;
use crate::error::{Error, Result};

/// How long a Zap may stay off the LAN after a Wi-Fi change before we say so.
pub const WIFI_BACK_WITHIN: Duration = Duration::from_secs(30);

/// A network the Zap sees.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "WifiNetworkItem")
)]
pub struct WifiNetwork {
    pub ssid: String,
    /// dBm.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub rssi: Option<i64>,
    /// `excellent`, `good`, `fair` or `weak`.
    pub signal: Option<String>,
    /// As the Zap reports it (`WPA2`, `OPEN`, …).
    pub auth: Option<String>,
    /// Needs no passphrase.
    pub open: bool,
    /// The Zap is on it now.
    pub connected: bool,
}

/// What a scan found.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "WifiScanItem")
)]
pub struct WifiScan {
    /// The network the Zap is on (`None`: none, or on a cable).
    pub connected: Option<String>,
    /// Strongest first, one per name (a mesh's access points are one network to an installer).
    pub networks: Vec<WifiNetwork>,
}

/// Where a Wi-Fi change is.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "stage", rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "WifiProgressItem")
)]
pub enum WifiProgress {
    /// Sending the network and passphrase to the Zap.
    Sending,
    /// The Zap is off the LAN while it joins; waited so far.
    Reconnecting {
        #[cfg_attr(feature = "specta", specta(type = f64))]
        waited_ms: u64,
    },
}

/// The Zap is back on the network it was asked to join.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "WifiJoinedItem")
)]
pub struct WifiJoined {
    pub ssid: String,
    /// dBm.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub rssi: Option<i64>,
    pub signal: Option<String>,
    /// How long the Zap was away.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub back_after_ms: u64,
}

fn network(s: &Ssid, connected: Option<&str>) -> WifiNetwork {
    WifiNetwork {
        ssid: s.ssid.clone(),
        rssi: s.rssi,
        signal: s.rssi.map(SignalQuality::from_rssi).map(signal_label),
        auth: s.auth.clone(),
        open: s.is_open(),
        connected: connected == Some(s.ssid.as_str()),
    }
}

/// Asks the Zap to scan, waits `settle` for its results, and lists the networks it sees.
pub async fn scan_wifi(address: &str, settle: Duration) -> Result<WifiScan> {
    let client = zap::client(address)?;
    client.scan_wifi().await.map_err(zap::failure(&client))?;
    tokio::time::sleep(settle).await;
    let status = client.wifi().await.map_err(zap::failure(&client))?;
    let mut networks: Vec<WifiNetwork> = Vec::new();
    // `by_signal` puts each name's strongest access point first: keep that one.
    for s in status.by_signal() {
        if !s.ssid.trim().is_empty() && !networks.iter().any(|n| n.ssid == s.ssid) {
            networks.push(network(&s, status.connected.as_deref()));
        }
    }
    Ok(WifiScan {
        connected: status.connected,
        networks,
    })
}

/// Joins the Zap at `address` to `ssid` with `passphrase`, reporting progress, and waits up to
/// `back_within` for it to answer again. The passphrase is checked first (nothing is sent when
/// it cannot be right); a passphrase the Zap rejects, a network it cannot see, and a Zap that
/// does not come back each get their own sentence.
pub async fn join_wifi(
    address: &str,
    ssid: &str,
    passphrase: &Secret,
    back_within: Duration,
    mut progress: impl FnMut(WifiProgress),
) -> Result<WifiJoined> {
    let ssid = ssid.trim();
    if ssid.is_empty() || ssid.len() > 32 {
        return Err(Error::InvalidInput(
            "Choose a network: its name has 1 to 32 characters.".into(),
        ));
    }
    let client = zap::client(address)?;
    // What the Zap sees now: whether the network is open, and where the Zap is before the change.
    let status = client.wifi().await.map_err(zap::failure(&client))?;
    let seen = status.ssids.iter().find(|s| s.ssid == ssid);
    let open = seen.is_some_and(Ssid::is_open);
    // A hidden network (not in the scan) may be open: only a non-empty passphrase is checked.
    if seen.is_some() || !passphrase.expose().is_empty() {
        if let Some(problem) = passphrase_problem(passphrase, open) {
            return Err(Error::InvalidInput(problem.into()));
        }
    }
    progress(WifiProgress::Sending);
    match client.set_wifi(ssid, passphrase).await {
        Ok(_) => {}
        // The Zap may drop off before its answer reaches us: it got the request; watch it return.
        Err(e) if dropped_off(&e) => {}
        Err(e) => return Err(refused(&client, ssid, seen, e)),
    }
    let (system, waited) = client
        .wait_back(back_within, |w| {
            progress(WifiProgress::Reconnecting {
                waited_ms: w.as_millis() as u64,
            })
        })
        .await
        .map_err(|_| not_back(&client, ssid, back_within))?;
    let net = system.zap.and_then(|z| z.network).unwrap_or_default();
    match net.ssid {
        Some(now) if now == ssid => Ok(WifiJoined {
            ssid: now,
            rssi: net.rssi,
            signal: net.rssi.map(SignalQuality::from_rssi).map(signal_label),
            back_after_ms: waited.as_millis() as u64,
        }),
        other => Err(Error::InvalidInput(format!(
            "The Zap could not join “{ssid}” and is back on {}: the passphrase was probably not \
             accepted. Check it (it is case-sensitive) and try again.",
            other.map_or("no network".to_string(), |o| format!("“{o}”"))
        ))),
    }
}

fn dropped_off(e: &novacore::Error) -> bool {
    matches!(
        e,
        novacore::Error::Timeout
            | novacore::Error::Zap(novacore::zap::ZapError::Unreachable { .. })
    )
}

/// The Zap answered the change with a refusal: a sentence per cause it can have.
fn refused(client: &ZapClient, ssid: &str, seen: Option<&Ssid>, e: novacore::Error) -> Error {
    match (&e, seen) {
        // The firmware answers 500 when it cannot connect (§5.1).
        (novacore::Error::Server { status: 500, .. }, Some(s)) if !s.is_open() => {
            Error::InvalidInput(format!(
                "The Zap could not join “{ssid}” with that passphrase. Check it (it is \
                 case-sensitive) and try again; the Zap stays on its current network."
            ))
        }
        (novacore::Error::Server { status: 500, .. }, Some(_)) => Error::InvalidInput(format!(
            "The Zap could not join “{ssid}”: the network did not let it in. Move the Zap closer to \
             the access point, or choose another network."
        )),
        (novacore::Error::Server { status: 500, .. }, None) => Error::InvalidInput(format!(
            "The Zap cannot find “{ssid}”: check the name (it is case-sensitive) and that the \
             network is in range of the Zap, then scan again."
        )),
        (novacore::Error::Validation { message, .. }, _) => Error::InvalidInput(format!(
            "The Zap refused the Wi-Fi settings ({message}). Choose the network again and enter \
             its passphrase."
        )),
        _ => zap::failure(client)(e),
    }
}

fn not_back(client: &ZapClient, ssid: &str, within: Duration) -> Error {
    Error::InvalidInput(format!(
        "The Zap at {} has not answered for {} s since it was asked to join “{ssid}”. If it \
         joined, it now has an address on that network: connect this computer to “{ssid}” and \
         find the Zap again. If not, it returns to its previous network; wait a minute and scan.",
        client.address(),
        within.as_secs()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks_carry_their_label_and_openness() {
        let n = network(
            &Ssid {
                ssid: "Guest".into(),
                rssi: Some(-80),
                auth: Some("OPEN".into()),
            },
            Some("Guest"),
        );
        assert_eq!(
            (n.signal.as_deref(), n.open, n.connected),
            (Some("weak"), true, true)
        );
    }
}
