//! IPv4 networks to sweep: a CIDR the installer types, or this computer's own /24 networks.

use std::net::Ipv4Addr;

use crate::error::{Error, Result};

/// The largest sweep accepted (a /22: 1022 hosts); bigger networks take too long to be useful.
pub const MIN_PREFIX: u8 = 22;

/// An IPv4 network, e.g. `192.168.1.0/24`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Ipv4Net {
    /// Network address (host bits zero).
    pub addr: Ipv4Addr,
    /// Prefix length.
    pub prefix: u8,
}

impl Ipv4Net {
    /// `a.b.c.d/n` (host bits are cleared), or a bare address as its /32.
    pub fn parse(text: &str) -> Result<Self> {
        let text = text.trim();
        let bad = |why: &str| {
            Error::InvalidInput(format!(
                "`{text}` is not a network to search ({why}): type it like 192.168.1.0/24"
            ))
        };
        let (a, p) = text.split_once('/').unwrap_or((text, "32"));
        let addr: Ipv4Addr = a.parse().map_err(|_| bad("not an IPv4 address"))?;
        let prefix: u8 = p
            .parse()
            .ok()
            .filter(|p| *p <= 32)
            .ok_or_else(|| bad("the prefix must be 0..32"))?;
        if prefix < MIN_PREFIX {
            return Err(bad("larger than a /22; search one /24 at a time"));
        }
        Ok(Self::new(addr, prefix))
    }

    /// The network containing `addr` with this prefix.
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Self {
        let prefix = prefix.min(32);
        let mask = if prefix == 0 {
            0
        } else {
            u32::MAX << (32 - prefix)
        };
        Self {
            addr: Ipv4Addr::from(u32::from(addr) & mask),
            prefix,
        }
    }

    /// The host addresses (without network and broadcast addresses for prefixes up to /30).
    pub fn hosts(&self) -> Vec<Ipv4Addr> {
        let base = u32::from(self.addr);
        let size = 1u64 << (32 - u32::from(self.prefix));
        let (first, last) = if size <= 2 {
            (0, size - 1)
        } else {
            (1, size - 2)
        };
        (first..=last)
            .map(|i| Ipv4Addr::from(base.wrapping_add(i as u32)))
            .collect()
    }
}

impl std::fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

/// This computer's IPv4 networks as /24s (private and link-local, not loopback): what a sweep
/// searches when no network is given.
pub fn local_networks() -> Result<Vec<Ipv4Net>> {
    let ifaces = if_addrs::get_if_addrs()
        .map_err(|e| Error::Transport(format!("cannot list network interfaces: {e}")))?;
    let mut nets: Vec<Ipv4Net> = ifaces
        .iter()
        .filter_map(|i| match i.ip() {
            std::net::IpAddr::V4(v4)
                if !v4.is_loopback() && (v4.is_private() || v4.is_link_local()) =>
            {
                Some(Ipv4Net::new(v4, 24))
            }
            _ => None,
        })
        .collect();
    nets.sort_by_key(|n| u32::from(n.addr));
    nets.dedup();
    Ok(nets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_parse_and_enumerate() {
        let n = Ipv4Net::parse("127.0.0.77/24").unwrap();
        assert_eq!(n.to_string(), "127.0.0.0/24");
        let h = n.hosts();
        assert_eq!(h.len(), 254);
        assert_eq!(h[0], Ipv4Addr::new(127, 0, 0, 1));
        assert_eq!(h[253], Ipv4Addr::new(127, 0, 0, 254));
        assert_eq!(Ipv4Net::parse("127.0.0.9").unwrap().hosts().len(), 1);
        assert_eq!(Ipv4Net::parse("127.0.0.8/31").unwrap().hosts().len(), 2);
        for bad in ["10.0.0.0/8", "300.1.1.1/24", "1.2.3.4/33", "x"] {
            let e = Ipv4Net::parse(bad).unwrap_err();
            assert!(e.to_string().contains("192.168.1.0/24"), "{e}");
        }
    }
}
