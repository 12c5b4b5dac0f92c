//! The links of the health chain the Zap reports itself (`/api/system`): reachable, Wi-Fi,
//! internet, cloud; each with what was measured and, when not green, what to do.

use novacore::zap::{NetworkInfo, SignalQuality};

use super::discovery::signal_label;
use super::health::{link, unchecked, HealthLink, LinkKind, LinkStatus};
use crate::error::Error;

/// A round trip above this on a LAN means a weak or busy link.
const SLOW_MS: u64 = 500;

const SLOW: &str = "The Zap answers slowly: move closer to it or check the network between \
                    this computer and the Zap.";
const NOT_ON_WIFI: &str = "The Zap is not on Wi-Fi: fine if it is on Ethernet, otherwise join \
                           it to the site's Wi-Fi.";
const FAIR_SIGNAL: &str = "The Wi-Fi signal is fair: expect occasional gaps; move the Zap or \
                           the access point closer if you can.";
const WEAK_SIGNAL: &str = "The Wi-Fi signal is weak: expect drop-outs. Move the Zap or the \
                           access point closer, or add a repeater.";
const NO_INTERNET: &str = "The Zap is on Wi-Fi but cannot reach the internet: check the \
                           router's internet connection, or join the Zap to another network.";
const INTERNET_UNREPORTED: &str = "This Zap's firmware does not report its internet \
                                   connection; check the readings below.";
const CLOUD_UNREPORTED: &str = "This Zap's firmware does not report its cloud connection; \
                                check the readings below.";
const CLOUD_AFTER_CLAIM: &str =
    "The Zap connects to Novacore once it is claimed: claim it into your organization.";
const CLOUD_CLAIM_UNKNOWN: &str = "The Zap connects to Novacore once it is claimed: sign in \
                                   to see whether it is, and claim it if not.";
const NO_CLOUD: &str = "The Zap reaches the internet but not Novacore: check that the network \
                        allows outgoing MQTT over TLS (port 8883), then restart the Zap.";

/// The measured value of a Zap that could not be read, in a few words.
pub(crate) fn failure_value(e: &Error) -> &'static str {
    use novacore::zap::ZapError;
    match e {
        Error::Novacore(novacore::Error::Zap(z)) => match z {
            ZapError::Unreachable { .. } => "no answer",
            ZapError::WebPage { .. } => "a web page, not a Zap",
            ZapError::NotAZap { .. } => "not a Zap",
            ZapError::Stalled { .. } => "stalled mid-answer",
            ZapError::Malformed { .. } => "garbled answer",
            ZapError::Unavailable { .. } => "busy (503)",
        },
        _ => "unusable answer",
    }
}

/// This computer → the Zap, by the round trip of `/api/system`.
pub(crate) fn reachable_link(rtt_ms: u64) -> HealthLink {
    let value = format!("{rtt_ms} ms");
    if rtt_ms > SLOW_MS {
        link(LinkKind::Reachable, LinkStatus::Amber, value, Some(SLOW))
    } else {
        link(LinkKind::Reachable, LinkStatus::Green, value, None)
    }
}

/// The Zap's Wi-Fi: SSID, RSSI and its label.
pub(crate) fn wifi_link(net: &NetworkInfo) -> HealthLink {
    let connected = net.wifi_connected.unwrap_or(net.ssid.is_some());
    if !connected {
        // The Zap answered, so it is on the LAN by cable (or its report is partial).
        let advice = Some(NOT_ON_WIFI);
        return link(LinkKind::Wifi, LinkStatus::Amber, "not on Wi-Fi", advice);
    }
    let ssid = net.ssid.clone().unwrap_or_else(|| "?".into());
    let Some(rssi) = net.rssi else {
        return link(LinkKind::Wifi, LinkStatus::Green, ssid, None);
    };
    let q = SignalQuality::from_rssi(rssi);
    let value = format!("{ssid} ({rssi} dBm, {})", signal_label(q));
    let (status, advice) = match q {
        SignalQuality::Excellent | SignalQuality::Good => (LinkStatus::Green, None),
        SignalQuality::Fair => (LinkStatus::Amber, Some(FAIR_SIGNAL)),
        SignalQuality::Weak => (LinkStatus::Red, Some(WEAK_SIGNAL)),
    };
    link(LinkKind::Wifi, status, value, advice)
}

/// The Zap → the internet, as it reports it.
pub(crate) fn internet_link(internet: Option<bool>) -> HealthLink {
    let (status, value, advice) = match internet {
        Some(true) => (LinkStatus::Green, "connected", None),
        Some(false) => (LinkStatus::Red, "not connected", Some(NO_INTERNET)),
        None => (LinkStatus::Amber, "not reported", Some(INTERNET_UNREPORTED)),
    };
    link(LinkKind::Internet, status, value, advice)
}

/// The Zap → Novacore (its MQTT connection); `claimed` when known (signed in).
pub(crate) fn cloud_link(
    internet: Option<bool>,
    mqtt: Option<bool>,
    claimed: Option<bool>,
) -> HealthLink {
    let (status, value, advice) = match (internet, mqtt, claimed) {
        (Some(false), _, _) => return unchecked(LinkKind::Cloud, "The Zap has no internet."),
        (_, Some(true), _) => (LinkStatus::Green, "connected", None),
        (_, None, _) => (LinkStatus::Amber, "not reported", Some(CLOUD_UNREPORTED)),
        // Novacore accepts a gateway's connection only once it is claimed.
        (_, Some(false), Some(false)) => (
            LinkStatus::Amber,
            "not connected (not claimed)",
            Some(CLOUD_AFTER_CLAIM),
        ),
        (_, Some(false), None) => (
            LinkStatus::Amber,
            "not connected",
            Some(CLOUD_CLAIM_UNKNOWN),
        ),
        (_, Some(false), Some(true)) => (LinkStatus::Red, "not connected", Some(NO_CLOUD)),
    };
    link(LinkKind::Cloud, status, value, advice)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(rssi: i64) -> NetworkInfo {
        NetworkInfo {
            wifi_connected: Some(true),
            ssid: Some("Site".into()),
            rssi: Some(rssi),
            ..Default::default()
        }
    }

    #[test]
    fn signal_and_round_trip_set_the_colour() {
        assert_eq!(wifi_link(&net(-60)).status, LinkStatus::Green);
        let fair = wifi_link(&net(-70));
        assert_eq!(
            (fair.status, fair.value.as_str()),
            (LinkStatus::Amber, "Site (-70 dBm, fair)")
        );
        let weak = wifi_link(&net(-85));
        assert_eq!(weak.status, LinkStatus::Red);
        assert!(weak.advice.unwrap().contains("weak"));
        let cable = wifi_link(&NetworkInfo::default());
        assert_eq!(
            (cable.status, cable.value.as_str()),
            (LinkStatus::Amber, "not on Wi-Fi")
        );
        assert_eq!(reachable_link(12).status, LinkStatus::Green);
        assert_eq!(reachable_link(900).status, LinkStatus::Amber);
    }

    #[test]
    fn firmware_that_does_not_report_is_amber_not_red() {
        assert_eq!(internet_link(None).status, LinkStatus::Amber);
        assert_eq!(
            cloud_link(Some(true), None, Some(true)).status,
            LinkStatus::Amber
        );
        // Not connected: a fault only when it is claimed.
        assert_eq!(
            cloud_link(Some(true), Some(false), Some(true)).status,
            LinkStatus::Red
        );
        assert_eq!(
            cloud_link(Some(true), Some(false), Some(false)).status,
            LinkStatus::Amber
        );
        assert_eq!(
            cloud_link(Some(true), Some(false), None).status,
            LinkStatus::Amber
        );
        assert_eq!(
            cloud_link(Some(false), Some(false), None).status,
            LinkStatus::Unchecked
        );
    }
}
