//! Sites.

use novacore::models::{NewSite, SiteUpdate};

use crate::browse::{
    edit_set, keep_site, kind, own_set, read_one, refusal, sort_sites, write_set, DeviceRow,
    SiteRow,
};
use crate::error::Result;
use crate::workspace::Workspace;

use super::{checked_id, checked_name};

/// What the "New site" form sends.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewSiteInput {
    pub org_id: String,
    pub name: String,
    /// IANA time zone, e.g. `Europe/Stockholm`.
    pub timezone: Option<String>,
    /// Spot price area, e.g. `SE3`.
    pub price_area: Option<String>,
}

fn blank_to_none(v: Option<String>) -> Option<String> {
    v.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Creates a site in an organization (admin) and adds it to the cached lists.
pub async fn create_site(ws: &Workspace, input: NewSiteInput) -> Result<SiteRow> {
    checked_id("organization", &input.org_id)?;
    let name = checked_name("site", &input.name)?;
    let req = NewSite {
        org_id: input.org_id.clone(),
        name,
        location: None,
        timezone: blank_to_none(input.timezone),
        price_area: blank_to_none(input.price_area),
    };
    let site = ws
        .novacore(async |c| c.sites().create(&req).await)
        .await
        .map_err(refusal(
            "create sites in this organization",
            "This organization",
        ))?;
    let mut row = SiteRow::from(site);
    row.org_id.get_or_insert(input.org_id);
    keep_site(ws, &row)?;
    // A new site has no devices: known, not missing.
    write_set::<DeviceRow>(ws, kind::DEVICE, &row.id, &[], |d| &d.id, ws.now_ms())?;
    Ok(row)
}

/// Renames a site (admin).
pub async fn rename_site(ws: &Workspace, site_id: &str, name: &str) -> Result<SiteRow> {
    checked_id("site", site_id)?;
    let name = checked_name("site", name)?;
    let update = SiteUpdate {
        name: Some(name.clone()),
        ..Default::default()
    };
    let updated = ws
        .novacore(async |c| c.sites().update(site_id, &update).await)
        .await
        .map_err(refusal("rename this site", "This site"))?;
    let row = match (updated, read_one::<SiteRow>(ws, kind::SITE, site_id)?) {
        (Some(site), _) => SiteRow::from(site),
        (None, Some(cached)) => SiteRow {
            name,
            ..cached.value
        },
        (None, None) => SiteRow {
            id: site_id.to_string(),
            org_id: None,
            name,
            timezone: None,
            price_area: None,
            created_at_ms: None,
            location: None,
            org_name: None,
        },
    };
    keep_site(ws, &row)?;
    Ok(row)
}

/// Deletes a site (admin) and forgets it and its devices.
pub async fn delete_site(ws: &Workspace, site_id: &str) -> Result<()> {
    checked_id("site", site_id)?;
    let org = read_one::<SiteRow>(ws, kind::SITE, site_id)?.and_then(|c| c.value.org_id);
    ws.novacore(async |c| c.sites().delete(site_id).await)
        .await
        .map_err(refusal("delete this site", "This site"))?;
    forget_site(ws, site_id, org.as_deref())
}

/// Removes a site from every cached list and empties its device list.
pub(crate) fn forget_site(ws: &Workspace, site_id: &str, org_id: Option<&str>) -> Result<()> {
    let mut parents = vec![String::new(), own_set(site_id)];
    parents.extend(org_id.map(str::to_string));
    for parent in &parents {
        edit_set(
            ws,
            kind::SITE,
            parent,
            |s: &SiteRow| &s.id,
            |rows| {
                rows.retain(|s| s.id != site_id);
                sort_sites(rows);
            },
        )?;
    }
    write_set::<DeviceRow>(ws, kind::DEVICE, site_id, &[], |d| &d.id, ws.now_ms())
}
