//! mDNS browse for Zaps: `_http._tcp.local.` instances whose name starts with `zap`
//! (case-insensitive, as Sourceful's Home Assistant integration matches), as found/lost events.
//!
//! mdns-sd 0.21 joins the multicast group on every interface when its daemon starts, before an
//! interface selection applies; [`MdnsOptions::loopback_only`] then limits queries to the
//! loopback interface. Tests therefore browse only inside a network namespace of their own.

use std::collections::HashSet;
use std::net::IpAddr;

use mdns_sd::{IfKind, ServiceDaemon, ServiceEvent};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The service type Zaps announce.
pub const SERVICE_TYPE: &str = "_http._tcp.local.";

/// Browse settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MdnsOptions {
    /// Query only on the loopback interface (tests, the sandbox).
    pub loopback_only: bool,
    /// UDP port (5353 in the field).
    pub port: u16,
}

impl Default for MdnsOptions {
    fn default() -> Self {
        Self {
            loopback_only: false,
            port: 5353,
        }
    }
}

/// A Zap announced by mDNS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MdnsZap {
    /// Instance name, e.g. `zap-0000f0878290a994`.
    pub instance: String,
    /// Host name, e.g. `zap.local.`.
    pub host: String,
    /// Its addresses (IPv4 first).
    pub addresses: Vec<IpAddr>,
    /// HTTP port.
    pub port: u16,
}

impl MdnsZap {
    /// Base URL of its API on the first address (`None` without an address).
    pub fn url(&self) -> Option<String> {
        let ip = self.addresses.first()?;
        let host = match ip {
            IpAddr::V4(v4) => v4.to_string(),
            IpAddr::V6(v6) => format!("[{v6}]"),
        };
        Some(if self.port == 80 {
            format!("http://{host}")
        } else {
            format!("http://{host}:{}", self.port)
        })
    }
}

/// A Zap appearing or going.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum MdnsEvent {
    /// Announced (again, when its details changed).
    Found(MdnsZap),
    /// Said goodbye or expired.
    Lost {
        /// Instance name.
        instance: String,
    },
}

/// Whether an mDNS instance name is a Zap's.
pub fn is_zap_instance(instance: &str) -> bool {
    instance
        .get(..3)
        .is_some_and(|p| p.eq_ignore_ascii_case("zap"))
}

fn instance_of(fullname: &str) -> &str {
    fullname
        .strip_suffix(SERVICE_TYPE)
        .map(|s| s.trim_end_matches('.'))
        .unwrap_or(fullname)
}

fn mdns_err(e: impl std::fmt::Display) -> Error {
    Error::Transport(format!("mDNS: {e}"))
}

/// A running browse; stops (and its daemon with it) when dropped or [`MdnsBrowser::stop`]ped.
pub struct MdnsBrowser {
    daemon: ServiceDaemon,
    events: mdns_sd::Receiver<ServiceEvent>,
    seen: HashSet<String>,
}

impl std::fmt::Debug for MdnsBrowser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MdnsBrowser")
            .field("seen", &self.seen)
            .finish_non_exhaustive()
    }
}

impl MdnsBrowser {
    /// Starts browsing `_http._tcp.local.`.
    pub fn start(opts: MdnsOptions) -> Result<Self> {
        let daemon = ServiceDaemon::new_with_port(opts.port).map_err(mdns_err)?;
        if opts.loopback_only {
            daemon.disable_interface(IfKind::All).map_err(mdns_err)?;
            daemon
                .enable_interface(IfKind::LoopbackV4)
                .map_err(mdns_err)?;
        }
        let events = daemon.browse(SERVICE_TYPE).map_err(mdns_err)?;
        Ok(Self {
            daemon,
            events,
            seen: HashSet::new(),
        })
    }

    /// The next Zap event; `None` once the browse has ended.
    pub async fn next_event(&mut self) -> Option<MdnsEvent> {
        loop {
            let ev = self.events.recv_async().await.ok()?;
            match ev {
                ServiceEvent::ServiceResolved(s) => {
                    let instance = instance_of(&s.fullname).to_string();
                    if !is_zap_instance(&instance) {
                        continue;
                    }
                    let mut addresses: Vec<IpAddr> =
                        s.addresses.iter().map(|a| a.to_ip_addr()).collect();
                    addresses.sort_by_key(|a| (a.is_ipv6(), *a));
                    self.seen.insert(instance.clone());
                    return Some(MdnsEvent::Found(MdnsZap {
                        instance,
                        host: s.host.clone(),
                        addresses,
                        port: s.port,
                    }));
                }
                ServiceEvent::ServiceRemoved(_, fullname) => {
                    let instance = instance_of(&fullname).to_string();
                    if self.seen.remove(&instance) {
                        return Some(MdnsEvent::Lost { instance });
                    }
                }
                ServiceEvent::SearchStopped(_) => return None,
                _ => {}
            }
        }
    }

    /// Events as a stream.
    pub fn into_stream(self) -> impl futures::Stream<Item = MdnsEvent> + Send {
        futures::stream::unfold(self, |mut b| async move {
            let ev = b.next_event().await?;
            Some((ev, b))
        })
    }

    /// Stops browsing and the daemon.
    pub fn stop(self) {
        drop(self);
    }
}

impl Drop for MdnsBrowser {
    fn drop(&mut self) {
        let _ = self.daemon.stop_browse(SERVICE_TYPE);
        let _ = self.daemon.shutdown();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_zap_instances_count() {
        assert!(is_zap_instance("zap-0000f0878290a994"));
        assert!(is_zap_instance("ZAP Gateway"));
        assert!(!is_zap_instance("printer"));
        assert!(!is_zap_instance("za"));
        assert_eq!(instance_of("zap-1._http._tcp.local."), "zap-1");
        let z = MdnsZap {
            instance: "zap-1".into(),
            host: "zap.local.".into(),
            addresses: vec!["127.0.0.2".parse().unwrap()],
            port: 80,
        };
        assert_eq!(z.url().as_deref(), Some("http://127.0.0.2"));
    }
}
