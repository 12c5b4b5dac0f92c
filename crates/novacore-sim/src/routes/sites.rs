//! Sites (reference §3.2 + contracts.md extra fields).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::extract::{ApiJson, ApiQuery};
use crate::routes::access::{
    check_name, iso, list_in_caller_orgs, member_role, need_admin, require,
};
use crate::routes::devices::device_json;
use crate::routes::orgs::remove_site_contents;
use crate::state::AppState;
use crate::world::model::{new_id, Location, Role, Site, World};
use crate::world::prices::AREAS;

/// `?org_id=`.
#[derive(Debug, Deserialize)]
pub struct OrgFilter {
    /// Restrict to one org.
    pub org_id: Option<String>,
}

/// `POST /sites` body.
#[derive(Debug, Deserialize)]
pub struct CreateSite {
    /// Owning org.
    pub org_id: String,
    /// Name.
    pub name: String,
    /// Optional position.
    pub location: Option<Location>,
    /// Optional IANA zone.
    pub timezone: Option<String>,
    /// Optional bidding zone.
    pub price_area: Option<String>,
}

/// `PUT /sites/{id}` body (absent fields unchanged).
#[derive(Debug, Deserialize)]
pub struct UpdateSite {
    /// New name.
    pub name: Option<String>,
    /// New position.
    pub location: Option<Location>,
    /// New zone.
    pub timezone: Option<String>,
    /// New area.
    pub price_area: Option<String>,
}

/// Site object of contracts.md.
pub fn site_json(s: &Site) -> Value {
    json!({"id": s.id, "org_id": s.org_id, "name": s.name, "created_at": iso(&s.created_at),
           "location": s.location, "timezone": s.timezone, "price_area": s.price_area})
}

fn check_extras(loc: &Option<Location>, tz: &Option<String>, area: &Option<String>) -> Result<()> {
    if let Some(l) = loc {
        if !(-90.0..=90.0).contains(&l.lat) {
            return Err(Error::field("location.lat", "must be within -90..90"));
        }
        if !(-180.0..=180.0).contains(&l.lon) {
            return Err(Error::field("location.lon", "must be within -180..180"));
        }
    }
    if let Some(t) = tz {
        if t.parse::<chrono_tz::Tz>().is_err() {
            return Err(Error::field(
                "timezone",
                "must be an IANA time zone such as Europe/Stockholm",
            ));
        }
    }
    if let Some(a) = area {
        if !AREAS.iter().any(|x| x.0 == a) {
            return Err(Error::field("price_area", "unknown bidding zone"));
        }
    }
    Ok(())
}

/// Site by id, visible to the caller (404 otherwise), with the caller's role.
pub fn visible_site<'a>(w: &'a World, site_id: &str, caller: &Caller) -> Result<(&'a Site, Role)> {
    let site = w
        .sites
        .get(site_id)
        .ok_or_else(|| Error::NotFound(format!("site {site_id} not found")))?;
    let role = member_role(w, &site.org_id, caller)
        .map_err(|_| Error::NotFound(format!("site {site_id} not found")))?;
    Ok((site, role))
}

/// `GET /sites[?org_id=]`.
pub async fn list(
    State(sim): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrgFilter>,
) -> Result<Json<Value>> {
    let w = sim.world();
    let sites = list_in_caller_orgs(
        &w,
        &caller,
        q.org_id.as_ref(),
        w.sites.values(),
        |s| &s.org_id,
        site_json,
    )?;
    Ok(Json(sites))
}

/// `POST /sites` — admin of the org.
pub async fn create(
    State(sim): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<CreateSite>,
) -> Result<(StatusCode, Json<Value>)> {
    let name = check_name("name", &b.name)?;
    check_extras(&b.location, &b.timezone, &b.price_area)?;
    let mut w = sim.world();
    require(&w, &b.org_id, &caller, Role::Admin)?;
    let site = Site {
        id: new_id("sit"),
        org_id: b.org_id,
        name,
        created_at: Utc::now(),
        location: b.location,
        timezone: b.timezone,
        price_area: b.price_area,
        extra_load: None,
    };
    let body = site_json(&site);
    w.sites.insert(site.id.clone(), site);
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /sites/{site_id}` — with its devices.
pub async fn get(
    State(sim): State<AppState>,
    caller: Caller,
    Path(site_id): Path<String>,
) -> Result<Json<Value>> {
    let w = sim.world();
    let (site, _) = visible_site(&w, &site_id, &caller)?;
    let mut body = site_json(site);
    body["devices"] = site_devices(&w, &site_id);
    Ok(Json(body))
}

fn site_devices(w: &World, site_id: &str) -> Value {
    Value::Array(
        w.devices
            .values()
            .filter(|d| d.site_id == site_id)
            .map(|d| device_json(w, d))
            .collect(),
    )
}

/// `PUT /sites/{site_id}` — admin.
pub async fn update(
    State(sim): State<AppState>,
    caller: Caller,
    Path(site_id): Path<String>,
    ApiJson(b): ApiJson<UpdateSite>,
) -> Result<Json<Value>> {
    check_extras(&b.location, &b.timezone, &b.price_area)?;
    let name = b
        .name
        .as_deref()
        .map(|n| check_name("name", n))
        .transpose()?;
    let mut w = sim.world();
    let (_, role) = visible_site(&w, &site_id, &caller)?;
    need_admin(role)?;
    let s = w
        .sites
        .get_mut(&site_id)
        .ok_or_else(|| Error::NotFound("site not found".into()))?;
    if let Some(n) = name {
        s.name = n;
    }
    if b.location.is_some() {
        s.location = b.location;
    }
    if b.timezone.is_some() {
        s.timezone = b.timezone;
    }
    if b.price_area.is_some() {
        s.price_area = b.price_area;
    }
    Ok(Json(site_json(s)))
}

/// `DELETE /sites/{site_id}` — admin; removes its devices and DERs.
pub async fn delete(
    State(sim): State<AppState>,
    caller: Caller,
    Path(site_id): Path<String>,
) -> Result<StatusCode> {
    let mut w = sim.world();
    let (_, role) = visible_site(&w, &site_id, &caller)?;
    need_admin(role)?;
    remove_site_contents(&mut w, &site_id);
    w.sites.remove(&site_id);
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /sites/{site_id}/devices`.
pub async fn devices(
    State(sim): State<AppState>,
    caller: Caller,
    Path(site_id): Path<String>,
) -> Result<Json<Value>> {
    let w = sim.world();
    visible_site(&w, &site_id, &caller)?;
    Ok(Json(site_devices(&w, &site_id)))
}
