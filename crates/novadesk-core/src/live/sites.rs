//! The sites the signed-in identity can watch live, across its organizations.

use crate::error::Result;
use crate::workspace::Workspace;

/// A site to pick for the live view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LiveSite {
    /// Site id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Owning organization's id, when the server says.
    pub org_id: Option<String>,
}

/// Every site the identity can see, sorted by name (then id, for a stable order).
pub async fn watchable_sites(ws: &Workspace) -> Result<Vec<LiveSite>> {
    let sites = ws.observe(ws.client.sites().list(None).await)?;
    let mut rows: Vec<LiveSite> = sites
        .into_iter()
        .map(|s| LiveSite {
            id: s.id,
            name: s.name,
            org_id: s.org_id,
        })
        .collect();
    rows.sort_by(|a, b| a.name.cmp(&b.name).then_with(|| a.id.cmp(&b.id)));
    Ok(rows)
}
