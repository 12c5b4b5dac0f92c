//! Organizations and their members.

use crate::browse::{
    edit_set, kind, read_set, refusal, write_set, MemberRow, OrganizationRow, SiteRow,
};
use crate::error::Result;
use crate::workspace::Workspace;

use super::{checked_id, checked_identity, checked_name, checked_role};

/// Creates an organization (you become its owner) and keeps it with you as its only member.
pub async fn create_organization(ws: &Workspace, name: &str) -> Result<OrganizationRow> {
    let name = checked_name("organization", name)?;
    let org = ws
        .novacore(async |c| c.organizations().create(&name).await)
        .await
        .map_err(refusal("create an organization", "The organization"))?;
    let row = OrganizationRow {
        id: org.id,
        name: org.name,
        role: Some("owner".into()),
    };
    let now = ws.now_ms();
    let me = MemberRow {
        identity_id: ws.identity_id.clone(),
        role: "owner".into(),
        joined_at_ms: Some(now),
    };
    write_set(ws, kind::MEMBER, &row.id, &[me], |m| &m.identity_id, now)?;
    // A new organization has no sites or gateways: that is known, not missing.
    write_set::<SiteRow>(ws, kind::SITE, &row.id, &[], |s| &s.id, now)?;
    write_set::<crate::browse::GatewayRow>(ws, kind::GATEWAY, &row.id, &[], |g| &g.serial, now)?;
    crate::browse::upsert_organization(ws, &row)?;
    Ok(row)
}

/// Renames an organization (admin).
pub async fn rename_organization(
    ws: &Workspace,
    org_id: &str,
    name: &str,
) -> Result<OrganizationRow> {
    checked_id("organization", org_id)?;
    let name = checked_name("organization", name)?;
    let renamed = ws
        .novacore(async |c| c.organizations().rename(org_id, &name).await)
        .await
        .map_err(refusal("rename this organization", "This organization"))?;
    let role = crate::browse::read_one::<OrganizationRow>(ws, kind::ORGANIZATION, org_id)?
        .and_then(|c| c.value.role);
    let row = OrganizationRow {
        id: org_id.to_string(),
        name: renamed.map(|o| o.name).unwrap_or(name),
        role,
    };
    crate::browse::upsert_organization(ws, &row)?;
    Ok(row)
}

/// Deletes an organization (owner) and forgets it and everything cached under it.
pub async fn delete_organization(ws: &Workspace, org_id: &str) -> Result<()> {
    checked_id("organization", org_id)?;
    ws.novacore(async |c| c.organizations().delete(org_id).await)
        .await
        .map_err(refusal("delete this organization", "This organization"))?;
    forget_organization(ws, org_id)
}

/// Removes an organization, its sites (and their devices), members and gateways from the store.
pub(crate) fn forget_organization(ws: &Workspace, org_id: &str) -> Result<()> {
    let sites = read_set::<SiteRow>(ws, kind::SITE, org_id)?
        .map(|c| c.value)
        .unwrap_or_default();
    for site in &sites {
        super::sites::forget_site(ws, &site.id, Some(org_id))?;
    }
    edit_set(
        ws,
        kind::SITE,
        "",
        |s: &SiteRow| &s.id,
        |rows| rows.retain(|s| s.org_id.as_deref() != Some(org_id)),
    )?;
    let now = ws.now_ms();
    write_set::<MemberRow>(ws, kind::MEMBER, org_id, &[], |m| &m.identity_id, now)?;
    write_set::<crate::browse::GatewayRow>(ws, kind::GATEWAY, org_id, &[], |g| &g.serial, now)?;
    edit_set(
        ws,
        kind::ORGANIZATION,
        "",
        |o: &OrganizationRow| &o.id,
        |rows| rows.retain(|o| o.id != org_id),
    )
}

/// Adds `identity_id` to the organization with `role` (admin; owner to add an owner).
pub async fn add_member(
    ws: &Workspace,
    org_id: &str,
    identity_id: &str,
    role: &str,
) -> Result<MemberRow> {
    checked_id("organization", org_id)?;
    let identity_id = checked_identity(identity_id)?;
    let role = checked_role(role)?;
    ws.novacore(async |c| c.members(org_id).add(&identity_id, role.clone()).await)
        .await
        .map_err(refusal(
            "add members to this organization",
            "This organization",
        ))?;
    let row = MemberRow {
        identity_id,
        role: role.as_str().to_string(),
        joined_at_ms: Some(ws.now_ms()),
    };
    edit_set(
        ws,
        kind::MEMBER,
        org_id,
        |m: &MemberRow| &m.identity_id,
        |rows| {
            rows.retain(|m| m.identity_id != row.identity_id);
            rows.push(row.clone());
            rows.sort_by(|a, b| a.identity_id.cmp(&b.identity_id));
        },
    )?;
    Ok(row)
}

/// Changes a member's role (admin; owner when an owner is involved).
pub async fn set_member_role(
    ws: &Workspace,
    org_id: &str,
    identity_id: &str,
    role: &str,
) -> Result<MemberRow> {
    checked_id("organization", org_id)?;
    let identity_id = checked_identity(identity_id)?;
    let role = checked_role(role)?;
    ws.novacore(async |c| c.members(org_id).set_role(&identity_id, role.clone()).await)
        .await
        .map_err(refusal("change this member's role", "This member"))?;
    let mut changed = None;
    edit_set(
        ws,
        kind::MEMBER,
        org_id,
        |m: &MemberRow| &m.identity_id,
        |rows| {
            for m in rows.iter_mut().filter(|m| m.identity_id == identity_id) {
                m.role = role.as_str().to_string();
                changed = Some(m.clone());
            }
        },
    )?;
    if identity_id == ws.identity_id {
        edit_set(
            ws,
            kind::ORGANIZATION,
            "",
            |o: &OrganizationRow| &o.id,
            |rows| {
                for o in rows.iter_mut().filter(|o| o.id == org_id) {
                    o.role = Some(role.as_str().to_string());
                }
            },
        )?;
    }
    Ok(changed.unwrap_or(MemberRow {
        identity_id,
        role: role.as_str().to_string(),
        joined_at_ms: None,
    }))
}

/// Removes a member (admin, or yourself to leave; owner to remove an owner). Leaving forgets the
/// organization.
pub async fn remove_member(ws: &Workspace, org_id: &str, identity_id: &str) -> Result<()> {
    checked_id("organization", org_id)?;
    let identity_id = checked_identity(identity_id)?;
    ws.novacore(async |c| c.members(org_id).remove(&identity_id).await)
        .await
        .map_err(refusal("remove this member", "This member"))?;
    if identity_id == ws.identity_id {
        return forget_organization(ws, org_id);
    }
    edit_set(
        ws,
        kind::MEMBER,
        org_id,
        |m: &MemberRow| &m.identity_id,
        |rows| rows.retain(|m| m.identity_id != identity_id),
    )
}
