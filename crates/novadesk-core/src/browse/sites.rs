//! All sites across organizations, one site (its devices and DERs with their latest values),
//! one device.

use std::collections::BTreeMap;

use novadesk_store::SeriesKey;
use serde::Serialize;

use super::cache::{edit_set, read_one, read_set, write_set, Cached};
use super::rows::{DeviceRow, LatestValue, MemberRow, OrganizationRow, SiteRow};
use super::{kind, refusal};
use crate::error::Result;
use crate::manage::Permissions;
use crate::workspace::Workspace;

/// The fields shown as a DER's latest values, when the store has them: power for every kind,
/// state of charge for batteries and EVs.
const LATEST_FIELDS: [&str; 3] = ["W", "SoC_nom_fract", "vehicle_soc_fract"];

/// One site as its view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SiteDetail {
    pub site: SiteRow,
    pub permissions: Permissions,
    pub devices: Vec<DeviceRow>,
}

/// One device as its view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeviceDetail {
    pub device: DeviceRow,
    /// The device's site, when known.
    pub site: Option<SiteRow>,
    pub permissions: Permissions,
}

pub(crate) fn sort_sites(rows: &mut [SiteRow]) {
    rows.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
}

fn with_org_names(ws: &Workspace, rows: &mut [SiteRow]) -> Result<()> {
    let orgs = read_set::<OrganizationRow>(ws, kind::ORGANIZATION, "")?
        .map(|c| c.value)
        .unwrap_or_default();
    let names: BTreeMap<&str, &str> = orgs
        .iter()
        .map(|o| (o.id.as_str(), o.name.as_str()))
        .collect();
    for row in rows {
        row.org_name = row
            .org_id
            .as_deref()
            .and_then(|id| names.get(id))
            .map(|n| n.to_string());
    }
    Ok(())
}

/// All sites across your organizations as last fetched, by name, with their organization's name.
pub fn cached_sites(ws: &Workspace) -> Result<Option<Cached<Vec<SiteRow>>>> {
    let Some(mut c) = read_set::<SiteRow>(ws, kind::SITE, "")? else {
        return Ok(None);
    };
    sort_sites(&mut c.value);
    with_org_names(ws, &mut c.value)?;
    Ok(Some(c))
}

/// Fetches all sites and keeps them (also as each organization's site list).
pub async fn refresh_sites(ws: &Workspace) -> Result<Cached<Vec<SiteRow>>> {
    let sites = ws
        .novacore(async |c| c.sites().list(None).await)
        .await
        .map_err(refusal("list sites", "The site list"))?;
    let now = ws.now_ms();
    let mut rows: Vec<SiteRow> = sites.into_iter().map(SiteRow::from).collect();
    sort_sites(&mut rows);
    let mut per_org: BTreeMap<&str, Vec<&SiteRow>> = BTreeMap::new();
    for row in &rows {
        if let Some(org) = row.org_id.as_deref() {
            per_org.entry(org).or_default().push(row);
        }
    }
    for (org, sites) in per_org {
        write_set(ws, kind::SITE, org, &sites, |s| &s.id, now)?;
    }
    write_set(ws, kind::SITE, "", &rows, |s| &s.id, now)?;
    with_org_names(ws, &mut rows)?;
    Ok(Cached {
        value: rows,
        fetched_at_ms: now,
    })
}

/// Fills in each DER's latest stored values.
fn with_latest(ws: &Workspace, devices: &mut [DeviceRow]) -> Result<()> {
    let store = ws.store();
    for der in devices.iter_mut().flat_map(|d| d.ders.iter_mut()) {
        der.latest.clear();
        for field in LATEST_FIELDS {
            if let Some((at_ms, value)) = store.latest(&SeriesKey::new(&der.id, field))? {
                der.latest.push(LatestValue {
                    field: field.to_string(),
                    value,
                    at_ms,
                });
            }
        }
    }
    Ok(())
}

/// Your cached role in `org_id`.
fn cached_role(ws: &Workspace, org_id: Option<&str>) -> Result<Option<String>> {
    let Some(org_id) = org_id else {
        return Ok(None);
    };
    Ok(read_one::<OrganizationRow>(ws, kind::ORGANIZATION, org_id)?.and_then(|c| c.value.role))
}

/// Your role in `org_id`: cached, or else from its member list (fetched and kept).
async fn role_in(ws: &Workspace, org_id: Option<&str>) -> Result<Option<String>> {
    if let Some(role) = cached_role(ws, org_id)? {
        return Ok(Some(role));
    }
    let Some(org_id) = org_id else {
        return Ok(None);
    };
    let members: Vec<MemberRow> = ws
        .novacore(async |c| c.members(org_id).list().await)
        .await
        .map_err(refusal("see the members", "The organization"))?
        .into_iter()
        .map(MemberRow::from)
        .collect();
    write_set(
        ws,
        kind::MEMBER,
        org_id,
        &members,
        |m| &m.identity_id,
        ws.now_ms(),
    )?;
    Ok(members
        .into_iter()
        .find(|m| m.identity_id == ws.identity_id)
        .map(|m| m.role))
}

/// One site from the store (`None` if it was never fetched); devices never fetched are empty.
pub fn cached_site(ws: &Workspace, site_id: &str) -> Result<Option<Cached<SiteDetail>>> {
    let Some(site) = read_one::<SiteRow>(ws, kind::SITE, site_id)? else {
        return Ok(None);
    };
    let (mut devices, at) = match read_set::<DeviceRow>(ws, kind::DEVICE, site_id)? {
        Some(c) => (c.value, c.fetched_at_ms.min(site.fetched_at_ms)),
        None => (Vec::new(), site.fetched_at_ms),
    };
    with_latest(ws, &mut devices)?;
    let role = cached_role(ws, site.value.org_id.as_deref())?;
    Ok(Some(Cached {
        value: SiteDetail {
            site: site.value,
            permissions: Permissions::for_role(role.as_deref()),
            devices,
        },
        fetched_at_ms: at,
    }))
}

/// The parent of the set holding a site opened directly, before any list held it.
pub(crate) fn own_set(site_id: &str) -> String {
    format!("site:{site_id}")
}

/// Puts a fetched site row into the cached lists that hold it.
pub(crate) fn keep_site(ws: &Workspace, row: &SiteRow) -> Result<()> {
    let mut parents = vec![String::new(), own_set(&row.id)];
    parents.extend(row.org_id.clone());
    for parent in &parents {
        edit_set(
            ws,
            kind::SITE,
            parent,
            |s: &SiteRow| &s.id,
            |rows| {
                rows.retain(|s| s.id != row.id);
                rows.push(row.clone());
                sort_sites(rows);
            },
        )?;
    }
    Ok(())
}

/// Fetches one site and its devices, and keeps them.
pub async fn refresh_site(ws: &Workspace, site_id: &str) -> Result<Cached<SiteDetail>> {
    let Cached {
        value: (site, mut devices),
        fetched_at_ms,
    } = refresh_site_rows(ws, site_id).await?;
    with_latest(ws, &mut devices)?;
    let role = role_in(ws, site.org_id.as_deref()).await?;
    Ok(Cached {
        value: SiteDetail {
            site,
            permissions: Permissions::for_role(role.as_deref()),
            devices,
        },
        fetched_at_ms,
    })
}

/// A site and its devices as browse keeps them (no latest values).
pub(crate) type SiteRows = (SiteRow, Vec<DeviceRow>);

/// The site and its devices from the store, or `None` until both were fetched: what other
/// use-cases (the chart) read of a site.
pub(crate) fn cached_site_rows(ws: &Workspace, site_id: &str) -> Result<Option<Cached<SiteRows>>> {
    let Some(site) = read_one::<SiteRow>(ws, kind::SITE, site_id)? else {
        return Ok(None);
    };
    Ok(
        read_set::<DeviceRow>(ws, kind::DEVICE, site_id)?.map(|devices| Cached {
            fetched_at_ms: devices.fetched_at_ms.min(site.fetched_at_ms),
            value: (site.value, devices.value),
        }),
    )
}

/// Fetches one site and its devices and keeps them (a site gone from the server is forgotten).
pub(crate) async fn refresh_site_rows(ws: &Workspace, site_id: &str) -> Result<Cached<SiteRows>> {
    let (site, devices) = futures::join!(
        ws.novacore(async |c| c.sites().get(site_id).await),
        ws.novacore(async |c| c.sites().devices(site_id).await)
    );
    let what = "This site";
    let site = match site.map_err(refusal("see this site", what)) {
        Ok(site) => SiteRow::from(site),
        Err(e @ crate::Error::NotFound(_)) => {
            // Deleted elsewhere (or access lost): stop showing it from the store too.
            let org = read_one::<SiteRow>(ws, kind::SITE, site_id)?.and_then(|c| c.value.org_id);
            crate::manage::forget_site(ws, site_id, org.as_deref())?;
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let devices: Vec<DeviceRow> = devices
        .map_err(refusal("see this site's devices", what))?
        .into_iter()
        .map(DeviceRow::from)
        .collect();
    let now = ws.now_ms();
    keep_site(ws, &site)?;
    write_set(ws, kind::DEVICE, site_id, &devices, |d| &d.id, now)?;
    if read_one::<SiteRow>(ws, kind::SITE, site_id)?.is_none() {
        // Opened directly (no list holds it yet). Writing it as its organization's site list
        // would claim that list is complete, so it goes into a set of its own, found by id.
        write_set(
            ws,
            kind::SITE,
            &own_set(site_id),
            std::slice::from_ref(&site),
            |s| &s.id,
            now,
        )?;
    }
    Ok(Cached {
        value: (site, devices),
        fetched_at_ms: now,
    })
}

fn device_detail(
    ws: &Workspace,
    mut device: DeviceRow,
    role: Option<String>,
) -> Result<DeviceDetail> {
    with_latest(ws, std::slice::from_mut(&mut device))?;
    let site = match device.site_id.as_deref() {
        Some(id) => read_one::<SiteRow>(ws, kind::SITE, id)?.map(|c| c.value),
        None => None,
    };
    Ok(DeviceDetail {
        device,
        site,
        permissions: Permissions::for_role(role.as_deref()),
    })
}

/// One device from the store (`None` if its site's devices were never fetched).
pub fn cached_device(ws: &Workspace, device_id: &str) -> Result<Option<Cached<DeviceDetail>>> {
    let Some(c) = read_one::<DeviceRow>(ws, kind::DEVICE, device_id)? else {
        return Ok(None);
    };
    let org = match c.value.site_id.as_deref() {
        Some(id) => read_one::<SiteRow>(ws, kind::SITE, id)?.and_then(|s| s.value.org_id),
        None => None,
    };
    let role = cached_role(ws, org.as_deref())?;
    let at = c.fetched_at_ms;
    Ok(Some(Cached {
        value: device_detail(ws, c.value, role)?,
        fetched_at_ms: at,
    }))
}

/// Fetches one device and keeps it in its site's device list.
pub async fn refresh_device(ws: &Workspace, device_id: &str) -> Result<Cached<DeviceDetail>> {
    let device = DeviceRow::from(
        ws.novacore(async |c| c.devices().get(device_id).await)
            .await
            .map_err(refusal("see this device", "This device"))?,
    );
    let now = ws.now_ms();
    let site_id = device.site_id.clone().unwrap_or_default();
    let site = match read_one::<SiteRow>(ws, kind::SITE, &site_id)? {
        Some(s) => Some(s.value),
        None if !site_id.is_empty() => {
            let fetched = ws
                .novacore(async |c| c.sites().get(&site_id).await)
                .await
                .map_err(refusal("see this site", "This device's site"))?;
            Some(SiteRow::from(fetched))
        }
        None => None,
    };
    edit_set(
        ws,
        kind::DEVICE,
        &site_id,
        |d: &DeviceRow| &d.id,
        |rows| {
            rows.retain(|d| d.id != device.id);
            rows.push(device.clone());
        },
    )?;
    let role = role_in(ws, site.as_ref().and_then(|s| s.org_id.as_deref())).await?;
    let mut detail = device_detail(ws, device, role)?;
    if detail.site.is_none() {
        detail.site = site;
    }
    Ok(Cached {
        value: detail,
        fetched_at_ms: now,
    })
}
