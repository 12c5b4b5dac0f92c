//! The sites a chart can be drawn for (the chart view's site picker), cached for offline use.

use serde::{Deserialize, Serialize};

use super::site::{load_json, save_json};
use crate::error::Result;
use crate::workspace::Workspace;

const KEY: &str = "chart.sites";

/// A site to pick.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartSite {
    /// Site id.
    pub id: String,
    /// Site name.
    pub name: String,
    /// Its organization's name.
    pub organization: String,
}

/// Every site the identity can see, by organization then name; the cached list when offline.
pub async fn chart_sites(ws: &Workspace) -> Result<Vec<ChartSite>> {
    match fetch(ws).await {
        Ok(rows) => {
            save_json(ws, KEY, &rows)?;
            Ok(rows)
        }
        Err(e) if e.is_offline() => Ok(load_json(ws, KEY)?.unwrap_or_default()),
        Err(e) => Err(e.into()),
    }
}

async fn fetch(ws: &Workspace) -> novacore::Result<Vec<ChartSite>> {
    let mut rows = Vec::new();
    let mut orgs = ws.observe(ws.client.organizations().list().await)?;
    orgs.sort_by_key(|o| o.name.to_lowercase());
    for org in orgs {
        let mut sites = ws.observe(ws.client.sites().list(Some(&org.id)).await)?;
        sites.sort_by_key(|s| s.name.to_lowercase());
        rows.extend(sites.into_iter().map(|s| ChartSite {
            id: s.id,
            name: s.name,
            organization: org.name.clone(),
        }));
    }
    Ok(rows)
}
