//! Organizations and members (reference §3.1).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::routes::access::{check_id, check_name, iso, member_role, require, role_name};
use crate::state::AppState;
use crate::world::model::{new_id, Member, Org, Role, World};

/// `{"name"}`.
#[derive(Debug, Deserialize)]
pub struct NameBody {
    /// Org name.
    pub name: String,
}

/// `{"identity_id","role"}`.
#[derive(Debug, Deserialize)]
pub struct MemberBody {
    /// Identity to add.
    pub identity_id: String,
    /// Role name.
    pub role: String,
}

/// `{"role"}`.
#[derive(Debug, Deserialize)]
pub struct RoleBody {
    /// New role.
    pub role: String,
}

fn org_json(o: &Org, my_role: Role) -> Value {
    json!({"id": o.id, "name": o.name, "owner_id": o.owner_id, "created_at": iso(&o.created_at), "role": role_name(my_role)})
}

fn member_json(m: &Member) -> Value {
    json!({"identity_id": m.identity_id, "role": role_name(m.role), "joined_at": iso(&m.joined_at)})
}

fn parse_role(s: &str) -> Result<Role> {
    Role::parse(s)
        .ok_or_else(|| Error::field("role", "must be one of owner, admin, operator, viewer"))
}

/// `GET /organizations`.
pub async fn list(State(sim): State<AppState>, caller: Caller) -> Json<Value> {
    let w = sim.world();
    let orgs: Vec<Value> = w
        .orgs
        .values()
        .filter_map(|o| o.members.get(&caller.id).map(|m| org_json(o, m.role)))
        .collect();
    Json(Value::Array(orgs))
}

/// `POST /organizations` — the caller becomes owner.
pub async fn create(
    State(sim): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<NameBody>,
) -> Result<(StatusCode, Json<Value>)> {
    let name = check_name("name", &b.name)?;
    let now = Utc::now();
    let id = new_id("org");
    let mut members = BTreeMap::new();
    members.insert(
        caller.id.clone(),
        Member {
            identity_id: caller.id.clone(),
            role: Role::Owner,
            joined_at: now,
        },
    );
    let org = Org {
        id: id.clone(),
        name,
        owner_id: caller.id.clone(),
        created_at: now,
        members,
    };
    let body = org_json(&org, Role::Owner);
    sim.world().orgs.insert(id, org);
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /organizations/{org_id}`.
pub async fn get(
    State(sim): State<AppState>,
    caller: Caller,
    Path(org_id): Path<String>,
) -> Result<Json<Value>> {
    let w = sim.world();
    let role = member_role(&w, &org_id, &caller)?;
    // Indexing is safe: member_role found the org under this same world lock.
    Ok(Json(org_json(&w.orgs[&org_id], role)))
}

/// `PUT /organizations/{org_id}` — admin.
pub async fn update(
    State(sim): State<AppState>,
    caller: Caller,
    Path(org_id): Path<String>,
    ApiJson(b): ApiJson<NameBody>,
) -> Result<Json<Value>> {
    let mut w = sim.world();
    let role = require(&w, &org_id, &caller, Role::Admin)?;
    let name = check_name("name", &b.name)?;
    let org = w
        .orgs
        .get_mut(&org_id)
        .ok_or_else(|| Error::NotFound("organization not found".into()))?;
    org.name = name;
    Ok(Json(org_json(org, role)))
}

/// `DELETE /organizations/{org_id}` — owner only; removes its sites, devices, DERs, gateways.
pub async fn delete(
    State(sim): State<AppState>,
    caller: Caller,
    Path(org_id): Path<String>,
) -> Result<StatusCode> {
    let mut w = sim.world();
    require(&w, &org_id, &caller, Role::Owner)?;
    w.orgs.remove(&org_id);
    let sites: Vec<String> = w
        .sites
        .values()
        .filter(|s| s.org_id == org_id)
        .map(|s| s.id.clone())
        .collect();
    for s in &sites {
        remove_site_contents(&mut w, s);
        w.sites.remove(s);
    }
    w.gateways.retain(|_, g| g.org_id != org_id);
    Ok(StatusCode::NO_CONTENT)
}

/// Removes devices and DERs of a site.
pub fn remove_site_contents(w: &mut World, site_id: &str) {
    w.devices.retain(|_, d| d.site_id != site_id);
    w.ders.retain(|_, d| d.site_id != site_id);
}

/// `GET /organizations/{org_id}/members`.
pub async fn members(
    State(sim): State<AppState>,
    caller: Caller,
    Path(org_id): Path<String>,
) -> Result<Json<Value>> {
    let w = sim.world();
    member_role(&w, &org_id, &caller)?;
    // Indexing is safe: member_role found the org under this same world lock.
    Ok(Json(Value::Array(
        w.orgs[&org_id].members.values().map(member_json).collect(),
    )))
}

/// `POST /organizations/{org_id}/members` — admin; granting owner needs owner.
pub async fn add_member(
    State(sim): State<AppState>,
    caller: Caller,
    Path(org_id): Path<String>,
    ApiJson(b): ApiJson<MemberBody>,
) -> Result<(StatusCode, Json<Value>)> {
    check_id("identity_id", &b.identity_id)?;
    let role = parse_role(&b.role)?;
    let mut w = sim.world();
    let mine = require(&w, &org_id, &caller, Role::Admin)?;
    if role == Role::Owner && mine < Role::Owner {
        return Err(Error::Forbidden("only an owner can add an owner".into()));
    }
    let org = w
        .orgs
        .get_mut(&org_id)
        .ok_or_else(|| Error::NotFound("organization not found".into()))?;
    if org.members.contains_key(&b.identity_id) {
        return Err(Error::Conflict(format!(
            "{} is already a member",
            b.identity_id
        )));
    }
    let m = Member {
        identity_id: b.identity_id.clone(),
        role,
        joined_at: Utc::now(),
    };
    let body = member_json(&m);
    org.members.insert(b.identity_id, m);
    Ok((StatusCode::CREATED, Json(body)))
}

/// `PUT /organizations/{org_id}/members/{identity_id}` — admin; to/from owner needs owner.
pub async fn update_member(
    State(sim): State<AppState>,
    caller: Caller,
    Path((org_id, member)): Path<(String, String)>,
    ApiJson(b): ApiJson<RoleBody>,
) -> Result<Json<Value>> {
    let role = parse_role(&b.role)?;
    let mut w = sim.world();
    let mine = require(&w, &org_id, &caller, Role::Admin)?;
    let (org, current) = org_and_member_role(&mut w, &org_id, &member)?;
    if (role == Role::Owner || current == Role::Owner) && mine < Role::Owner {
        return Err(Error::Forbidden(
            "only an owner can change owner roles".into(),
        ));
    }
    if current == Role::Owner && role != Role::Owner && owners(org) == 1 {
        return Err(Error::Conflict(
            "an organization needs at least one owner".into(),
        ));
    }
    let m = org
        .members
        .get_mut(&member)
        .ok_or_else(|| Error::NotFound("member not found".into()))?;
    m.role = role;
    Ok(Json(member_json(m)))
}

/// The org (404 if gone) and the current role of `member` in it (404 if not a member).
fn org_and_member_role<'a>(
    w: &'a mut World,
    org_id: &str,
    member: &str,
) -> Result<(&'a mut Org, Role)> {
    let org = w
        .orgs
        .get_mut(org_id)
        .ok_or_else(|| Error::NotFound("organization not found".into()))?;
    let current = org
        .members
        .get(member)
        .map(|m| m.role)
        .ok_or_else(|| Error::NotFound(format!("member {member} not found")))?;
    Ok((org, current))
}

fn owners(o: &Org) -> usize {
    o.members.values().filter(|m| m.role == Role::Owner).count()
}

/// `DELETE /organizations/{org_id}/members/{identity_id}` — admin (or leaving yourself).
pub async fn remove_member(
    State(sim): State<AppState>,
    caller: Caller,
    Path((org_id, member)): Path<(String, String)>,
) -> Result<StatusCode> {
    let mut w = sim.world();
    let mine = member_role(&w, &org_id, &caller)?;
    let (org, current) = org_and_member_role(&mut w, &org_id, &member)?;
    if member != caller.id && mine < Role::Admin {
        return Err(Error::Forbidden("this needs the admin role".into()));
    }
    if current == Role::Owner && mine < Role::Owner {
        return Err(Error::Forbidden("only an owner can remove an owner".into()));
    }
    if current == Role::Owner && owners(org) == 1 {
        return Err(Error::Conflict(
            "an organization needs at least one owner".into(),
        ));
    }
    org.members.remove(&member);
    Ok(StatusCode::NO_CONTENT)
}
