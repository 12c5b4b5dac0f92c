//! Browsing mDNS while the Installer view is open: each Zap that announces itself is read (as the
//! sweep reads what it finds) and becomes a [`ZapRow`]; one that says goodbye or expires is
//! reported gone, by the address its row has.
//!
//! mdns-sd joins the multicast group on every interface when its daemon starts, so where it may
//! browse is a setting ([`MDNS_ENV`]): `on` in the field, `loopback` inside a test's own network
//! namespace, `off` for tests and E2E anywhere else (they must never send multicast on a real
//! interface).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use futures::stream::{FuturesUnordered, StreamExt};
use novacore::zap::discovery::{inspect, FoundBy, FoundZap, MdnsBrowser, MdnsEvent, MdnsOptions};
use serde::Serialize;

use super::discovery::{zap_row, ZapRow};
use super::gateways::GatewayOwners;
use super::zap;
use crate::error::{Error, Result};

/// `NOVADESK_MDNS=off|loopback|on` (default `on`).
pub const MDNS_ENV: &str = "NOVADESK_MDNS";

/// Where the Installer view may browse mDNS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MdnsMode {
    /// Not at all: the sweep and typed addresses still find Zaps.
    Off,
    /// Only on the loopback interface (a test inside its own network namespace).
    Loopback,
    /// On every interface, as in the field.
    #[default]
    On,
}

impl MdnsMode {
    /// The mode [`MDNS_ENV`] asks for; unset: [`MdnsMode::On`].
    pub fn from_env() -> Result<Self> {
        match std::env::var(MDNS_ENV) {
            Ok(text) => Self::parse(&text),
            Err(_) => Ok(Self::On),
        }
    }

    /// `off`, `loopback` or `on` (any case, surrounding blanks ignored).
    pub fn parse(text: &str) -> Result<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "off" => Ok(Self::Off),
            "loopback" => Ok(Self::Loopback),
            "on" => Ok(Self::On),
            _ => Err(Error::InvalidEnvironment {
                input: format!("{MDNS_ENV}={text}"),
                reason: format!("{MDNS_ENV} must be off, loopback or on"),
            }),
        }
    }

    fn options(self) -> Option<MdnsOptions> {
        match self {
            Self::Off => None,
            Self::Loopback => Some(MdnsOptions {
                loopback_only: true,
                ..MdnsOptions::default()
            }),
            Self::On => Some(MdnsOptions::default()),
        }
    }
}

/// A change to the "found by mDNS" rows, as the window shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "MdnsUpdateItem")
)]
pub enum MdnsUpdate {
    /// Browsing (sent once at the start), or why not (`off`: the setting; else the reason).
    Status { browsing: bool, message: String },
    /// A Zap announced itself and answered: its row (`found_by` `mdns`, `name` its instance).
    Found { zap: Box<ZapRow> },
    /// A Zap that was found said goodbye or its announcement expired.
    Gone { instance: String, address: String },
    /// Something announced itself as a Zap but its address did not answer as one.
    Unanswered { instance: String, message: String },
}

type Reading = Pin<Box<dyn Future<Output = (String, Result<FoundZap>)> + Send>>;

/// A running browse; stops when dropped.
pub struct MdnsWatch {
    browser: MdnsBrowser,
    /// Instance → the address of its row, for the goodbye.
    found: HashMap<String, String>,
    reading: FuturesUnordered<Reading>,
}

impl std::fmt::Debug for MdnsWatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MdnsWatch")
            .field("found", &self.found)
            .finish_non_exhaustive()
    }
}

impl MdnsWatch {
    /// Starts browsing as `mode` allows: `Ok(None)` when it is [`MdnsMode::Off`].
    pub fn start(mode: MdnsMode) -> Result<Option<Self>> {
        let Some(opts) = mode.options() else {
            return Ok(None);
        };
        let browser = MdnsBrowser::start(opts).map_err(Error::Novacore)?;
        Ok(Some(Self {
            browser,
            found: HashMap::new(),
            reading: FuturesUnordered::new(),
        }))
    }

    /// The next change; `None` once the browse has ended. `owners` (signed in) fill the claim
    /// column, as for [`zap_row`].
    pub async fn next_update(&mut self, owners: Option<&GatewayOwners>) -> Option<MdnsUpdate> {
        loop {
            tokio::select! {
                event = self.browser.next_event() => match event? {
                    MdnsEvent::Found(z) => {
                        let url = z.url();
                        self.read(z.instance, url);
                    }
                    MdnsEvent::Lost { instance } => {
                        if let Some(address) = self.found.remove(&instance) {
                            return Some(MdnsUpdate::Gone { instance, address });
                        }
                    }
                },
                Some((instance, read)) = self.reading.next(), if !self.reading.is_empty() => {
                    return Some(match read {
                        Ok(mut found) => {
                            found.name = Some(instance.clone());
                            self.found.insert(instance, found.address.clone());
                            MdnsUpdate::Found { zap: Box::new(zap_row(found, owners)) }
                        }
                        Err(err) => MdnsUpdate::Unanswered { instance, message: err.to_string() },
                    });
                }
            }
        }
    }

    fn read(&mut self, instance: String, url: Option<String>) {
        self.reading.push(Box::pin(async move {
            let read = async {
                let url = url.ok_or_else(|| {
                    Error::InvalidInput("It announced itself without an address.".into())
                })?;
                let client = zap::client(&url)?;
                inspect(&client, FoundBy::Mdns)
                    .await
                    .map_err(zap::failure(&client))
            };
            (instance, read.await)
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setting_takes_off_loopback_or_on_and_refuses_anything_else_with_a_reason() {
        assert_eq!(MdnsMode::parse(" off ").unwrap(), MdnsMode::Off);
        assert_eq!(MdnsMode::parse("Loopback").unwrap(), MdnsMode::Loopback);
        assert_eq!(MdnsMode::parse("on").unwrap(), MdnsMode::On);
        assert_eq!(MdnsMode::Off.options(), None);
        assert!(MdnsMode::Loopback.options().unwrap().loopback_only);
        assert!(!MdnsMode::On.options().unwrap().loopback_only);
        match MdnsMode::parse("yes") {
            Err(Error::InvalidEnvironment { input, reason }) => {
                assert_eq!(input, "NOVADESK_MDNS=yes");
                assert!(reason.contains("off, loopback or on"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn off_starts_nothing() {
        assert!(MdnsWatch::start(MdnsMode::Off).unwrap().is_none());
    }
}
