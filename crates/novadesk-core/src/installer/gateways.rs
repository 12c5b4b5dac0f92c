//! Which of the identity's organizations holds a gateway: the gateway lists browse keeps per
//! organization (store kind `gateway`), read from the store or refreshed.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::browse::{
    cached_organizations, kind, read_set, refresh_organizations, refusal, write_set, GatewayRow,
    OrganizationRow,
};
use crate::error::Result;
use crate::workspace::Workspace;

/// The organization a gateway is claimed into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "GatewayOwnerItem")
)]
pub struct GatewayOwner {
    pub org_id: String,
    pub org_name: String,
    /// Your role there (what you may do with the gateway follows from it).
    pub role: Option<String>,
}

/// Gateway serial → the organization (of yours) it is claimed into. Gateways claimed into
/// organizations you are not a member of are invisible to you: the platform does not say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatewayOwners {
    by_serial: BTreeMap<String, GatewayOwner>,
    /// Your organizations, by id.
    orgs: BTreeMap<String, OrganizationRow>,
}

impl GatewayOwners {
    /// The organization `serial` is claimed into, if it is one of yours.
    pub fn owner(&self, serial: &str) -> Option<&GatewayOwner> {
        self.by_serial.get(serial)
    }

    /// One of your organizations by id.
    pub fn organization(&self, org_id: &str) -> Option<&OrganizationRow> {
        self.orgs.get(org_id)
    }

    fn add(&mut self, org: &OrganizationRow, gateways: &[GatewayRow]) {
        self.orgs.insert(org.id.clone(), org.clone());
        for g in gateways {
            self.by_serial.insert(
                g.serial.clone(),
                GatewayOwner {
                    org_id: org.id.clone(),
                    org_name: org.name.clone(),
                    role: org.role.clone(),
                },
            );
        }
    }
}

/// From the store: the organizations and gateway lists as last fetched (empty if never).
pub fn cached_gateway_owners(ws: &Workspace) -> Result<GatewayOwners> {
    let mut owners = GatewayOwners::default();
    let orgs = cached_organizations(ws)?
        .map(|c| c.value)
        .unwrap_or_default();
    for org in &orgs {
        let gateways = read_set::<GatewayRow>(ws, kind::GATEWAY, &org.id)?
            .map(|c| c.value)
            .unwrap_or_default();
        owners.add(org, &gateways);
    }
    Ok(owners)
}

/// Fetches your organizations and each one's gateways, keeps them, and answers from them.
pub async fn refresh_gateway_owners(ws: &Workspace) -> Result<GatewayOwners> {
    let orgs = refresh_organizations(ws).await?.value;
    let lists = futures::future::join_all(
        orgs.iter()
            .map(|org| ws.novacore(async |c| c.gateways().list(&org.id).await)),
    )
    .await;
    let now = ws.now_ms();
    let mut owners = GatewayOwners::default();
    for (org, list) in orgs.iter().zip(lists) {
        let rows: Vec<GatewayRow> = list
            .map_err(refusal(
                "see the gateways",
                &format!("Organization {}", org.name),
            ))?
            .into_iter()
            .map(GatewayRow::from)
            .collect();
        write_set(ws, kind::GATEWAY, &org.id, &rows, |g| &g.serial, now)?;
        owners.add(org, &rows);
    }
    Ok(owners)
}
