//! Organizations (with your role) and one organization: its sites, members and gateways.

use serde::Serialize;

use super::cache::{edit_set, read_one, read_set, write_set, Cached};
use super::rows::{GatewayRow, MemberRow, OrganizationRow, SiteRow};
use super::{kind, refusal};
use crate::error::Result;
use crate::manage::Permissions;
use crate::workspace::Workspace;

/// One organization as its view shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganizationDetail {
    pub organization: OrganizationRow,
    /// What your role lets you do here (the UI hides or disables the rest, with the reason).
    pub permissions: Permissions,
    pub sites: Vec<SiteRow>,
    pub members: Vec<MemberRow>,
    pub gateways: Vec<GatewayRow>,
}

fn by_name(rows: &mut [OrganizationRow]) {
    rows.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
}

fn sites_by_name(rows: &mut [SiteRow]) {
    rows.sort_by(|a, b| {
        a.name
            .to_lowercase()
            .cmp(&b.name.to_lowercase())
            .then(a.id.cmp(&b.id))
    });
}

/// The organizations as last fetched, by name.
pub fn cached_organizations(ws: &Workspace) -> Result<Option<Cached<Vec<OrganizationRow>>>> {
    Ok(
        read_set::<OrganizationRow>(ws, kind::ORGANIZATION, "")?.map(|mut c| {
            by_name(&mut c.value);
            c
        }),
    )
}

/// Fetches the organizations and, for your role in each, their member lists (kept too).
pub async fn refresh_organizations(ws: &Workspace) -> Result<Cached<Vec<OrganizationRow>>> {
    let orgs = ws
        .novacore(async |c| c.organizations().list().await)
        .await
        .map_err(refusal("list organizations", "The organization list"))?;
    let fetches = orgs
        .iter()
        .map(|org| ws.novacore(async |c| c.members(&org.id).list().await));
    let member_lists = futures::future::join_all(fetches).await;
    let fetched_at_ms = ws.now_ms();
    let mut rows = Vec::with_capacity(orgs.len());
    for (org, members) in orgs.into_iter().zip(member_lists) {
        let members: Vec<MemberRow> = members
            .map_err(refusal(
                "see the members",
                &format!("Organization {}", org.name),
            ))?
            .into_iter()
            .map(MemberRow::from)
            .collect();
        write_set(
            ws,
            kind::MEMBER,
            &org.id,
            &members,
            |m| &m.identity_id,
            fetched_at_ms,
        )?;
        let role = members
            .iter()
            .find(|m| m.identity_id == ws.identity_id)
            .map(|m| m.role.clone());
        rows.push(OrganizationRow {
            id: org.id,
            name: org.name,
            role,
        });
    }
    by_name(&mut rows);
    write_set(ws, kind::ORGANIZATION, "", &rows, |r| &r.id, fetched_at_ms)?;
    Ok(Cached {
        value: rows,
        fetched_at_ms,
    })
}

/// One organization from the store: `None` unless the organization itself was fetched; lists
/// never fetched yet are empty. The time is the oldest of the parts.
pub fn cached_organization(
    ws: &Workspace,
    org_id: &str,
) -> Result<Option<Cached<OrganizationDetail>>> {
    let Some(org) = read_one::<OrganizationRow>(ws, kind::ORGANIZATION, org_id)? else {
        return Ok(None);
    };
    let mut oldest = org.fetched_at_ms;
    let mut sites = part(read_set::<SiteRow>(ws, kind::SITE, org_id)?, &mut oldest);
    let members = part(
        read_set::<MemberRow>(ws, kind::MEMBER, org_id)?,
        &mut oldest,
    );
    let gateways = part(
        read_set::<GatewayRow>(ws, kind::GATEWAY, org_id)?,
        &mut oldest,
    );
    sites_by_name(&mut sites);
    let permissions = Permissions::for_role(org.value.role.as_deref());
    Ok(Some(Cached {
        value: OrganizationDetail {
            organization: org.value,
            permissions,
            sites,
            members,
            gateways,
        },
        fetched_at_ms: oldest,
    }))
}

/// A cached list (empty if never fetched), lowering `oldest` to its fetch time.
fn part<T>(cached: Option<Cached<Vec<T>>>, oldest: &mut i64) -> Vec<T> {
    match cached {
        Some(c) => {
            *oldest = (*oldest).min(c.fetched_at_ms);
            c.value
        }
        None => Vec::new(),
    }
}

/// Fetches one organization with its sites, members and gateways, and keeps them.
pub async fn refresh_organization(
    ws: &Workspace,
    org_id: &str,
) -> Result<Cached<OrganizationDetail>> {
    let (org, members, sites, gateways) = futures::join!(
        ws.novacore(async |c| c.organizations().get(org_id).await),
        ws.novacore(async |c| c.members(org_id).list().await),
        ws.novacore(async |c| c.sites().list(Some(org_id)).await),
        ws.novacore(async |c| c.gateways().list(org_id).await),
    );
    let what = "This organization";
    let org = org.map_err(refusal("see this organization", what))?;
    let members: Vec<MemberRow> = members
        .map_err(refusal("see the members", what))?
        .into_iter()
        .map(MemberRow::from)
        .collect();
    let mut sites: Vec<SiteRow> = sites
        .map_err(refusal("see the sites", what))?
        .into_iter()
        .map(SiteRow::from)
        .collect();
    let gateways: Vec<GatewayRow> = gateways
        .map_err(refusal("see the gateways", what))?
        .into_iter()
        .map(GatewayRow::from)
        .collect();
    sites_by_name(&mut sites);
    let role = members
        .iter()
        .find(|m| m.identity_id == ws.identity_id)
        .map(|m| m.role.clone());
    let row = OrganizationRow {
        id: org.id,
        name: org.name,
        role,
    };
    let now = ws.now_ms();
    write_set(ws, kind::MEMBER, org_id, &members, |m| &m.identity_id, now)?;
    write_set(ws, kind::SITE, org_id, &sites, |s| &s.id, now)?;
    write_set(ws, kind::GATEWAY, org_id, &gateways, |g| &g.serial, now)?;
    upsert_organization(ws, &row)?;
    Ok(Cached {
        value: OrganizationDetail {
            permissions: Permissions::for_role(row.role.as_deref()),
            organization: row,
            sites,
            members,
            gateways,
        },
        fetched_at_ms: now,
    })
}

/// Puts `row` into the cached organization list, replacing its old copy. A list never fetched
/// stays unfetched: a list of one would claim to be the whole list.
pub(crate) fn upsert_organization(ws: &Workspace, row: &OrganizationRow) -> Result<()> {
    edit_set(
        ws,
        kind::ORGANIZATION,
        "",
        |r: &OrganizationRow| &r.id,
        |rows| {
            rows.retain(|r| r.id != row.id);
            rows.push(row.clone());
            by_name(rows);
        },
    )
}
