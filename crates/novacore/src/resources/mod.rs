//! Per-resource handles: `client.organizations()`, `.sites()`, … (reference §3).

mod devices;
mod gateways;
mod organizations;
mod sites;

pub use devices::{Ders, Devices};
pub use gateways::Gateways;
pub use organizations::{Members, Organizations};
pub use sites::Sites;

use crate::client::Client;

impl Client {
    /// Organizations (§3.1).
    pub fn organizations(&self) -> Organizations<'_> {
        Organizations { client: self }
    }
    /// Members of one organization (§3.1).
    pub fn members<'a>(&'a self, org_id: &'a str) -> Members<'a> {
        Members {
            client: self,
            org_id,
        }
    }
    /// Sites (§3.2).
    pub fn sites(&self) -> Sites<'_> {
        Sites { client: self }
    }
    /// Gateways (§3.3).
    pub fn gateways(&self) -> Gateways<'_> {
        Gateways { client: self }
    }
    /// Devices (§3.4).
    pub fn devices(&self) -> Devices<'_> {
        Devices { client: self }
    }
    /// DERs (§3.4.2).
    pub fn ders(&self) -> Ders<'_> {
        Ders { client: self }
    }
}
