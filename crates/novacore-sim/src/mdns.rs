//! Announces the sandbox's Zaps by mDNS the way Zaps do: `_http._tcp.local.` instances whose
//! names start with `zap` (the instance is the serial).

use std::net::{IpAddr, SocketAddr};

use mdns_sd::{IfKind, ServiceDaemon, ServiceInfo};

use crate::config::MdnsAnnounce;
use crate::error::{Error, Result};

/// The service type Zaps announce.
pub const SERVICE_TYPE: &str = "_http._tcp.local.";

/// A running announcer; [`Announcer::stop`] sends goodbyes (browsers see the Zaps go).
pub struct Announcer {
    daemon: ServiceDaemon,
    fullnames: Vec<String>,
}

impl std::fmt::Debug for Announcer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Announcer")
            .field("fullnames", &self.fullnames)
            .finish_non_exhaustive()
    }
}

fn err(e: impl std::fmt::Display) -> Error {
    Error::Config(format!("mDNS: {e}"))
}

impl Announcer {
    /// Registers one instance per `(serial, address)`.
    pub fn start(mode: MdnsAnnounce, zaps: &[(String, SocketAddr)]) -> Result<Self> {
        let daemon = ServiceDaemon::new_with_port(mode.port).map_err(err)?;
        if mode.loopback_only {
            daemon.disable_interface(IfKind::All).map_err(err)?;
            daemon.enable_interface(IfKind::LoopbackV4).map_err(err)?;
        }
        let mut fullnames = Vec::new();
        for (serial, addr) in zaps {
            let ip: IpAddr = addr.ip();
            let info = ServiceInfo::new(
                SERVICE_TYPE,
                serial,
                &format!("{serial}.local."),
                ip,
                addr.port(),
                &[("serial", serial.as_str()), ("path", "/api/system")][..],
            )
            .map_err(err)?;
            fullnames.push(info.get_fullname().to_string());
            daemon.register(info).map_err(err)?;
        }
        Ok(Self { daemon, fullnames })
    }

    /// Unregisters every instance (goodbye packets) and stops the daemon.
    pub async fn stop(self) {
        for name in &self.fullnames {
            if let Ok(rx) = self.daemon.unregister(name) {
                let _ =
                    tokio::time::timeout(std::time::Duration::from_secs(2), rx.recv_async()).await;
            }
        }
        if let Ok(rx) = self.daemon.shutdown() {
            let _ = tokio::time::timeout(std::time::Duration::from_secs(2), rx.recv_async()).await;
        }
    }
}
