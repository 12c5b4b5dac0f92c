//! Test-only control routes under `/_sim` (only when the sandbox runs with control enabled).

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::faults::FaultSpec;
use crate::state::{lock, AppState};
use crate::world::live;
use crate::zap::faults::ZapFaultUpdate;

/// `/_sim/*` routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/clock", get(clock_get).post(clock_set))
        .route("/readings", post(push_reading))
        .route("/tick", post(tick))
        .route("/sites/{site_id}/load", post(site_load))
        .route("/sites/{site_id}/location", post(site_location))
        .route("/zaps/{serial}/offline", post(zap_offline))
        .route(
            "/zaps/{serial}/faults",
            get(zap_faults_get).post(zap_faults_set),
        )
        .route("/cloud", post(cloud))
        .route("/faults", get(faults_get).put(faults_set).post(faults_set))
        .route("/identities", post(new_identity))
}

/// `POST /_sim/clock` body.
#[derive(Debug, Deserialize)]
pub struct ClockBody {
    /// Jump by this many ms.
    pub advance_ms: Option<i64>,
    /// New speed factor.
    pub speed: Option<f64>,
}

fn clock_json(sim: &AppState) -> Value {
    json!({"now_ms": sim.clock.now_ms(), "now": sim.clock.now().to_rfc3339(), "speed": sim.clock.speed()})
}

async fn clock_get(State(sim): State<AppState>) -> Json<Value> {
    Json(clock_json(&sim))
}

async fn clock_set(
    State(sim): State<AppState>,
    ApiJson(b): ApiJson<ClockBody>,
) -> Result<Json<Value>> {
    if let Some(ms) = b.advance_ms {
        if ms.unsigned_abs() > 20 * 365 * 86_400_000 {
            return Err(Error::field("advance_ms", "at most 20 years"));
        }
        sim.clock.advance(ms);
    }
    if let Some(s) = b.speed {
        if !(0.0..=100_000.0).contains(&s) {
            return Err(Error::field("speed", "must be within 0..100000"));
        }
        sim.clock.set_speed(s);
    }
    Ok(Json(clock_json(&sim)))
}

/// `POST /_sim/readings` body.
#[derive(Debug, Deserialize)]
pub struct PushBody {
    /// Target site stream.
    pub site_id: String,
    /// Reading fields (§4); `site_id` and `timestamp` are filled in when absent.
    pub reading: serde_json::Map<String, Value>,
}

async fn push_reading(
    State(sim): State<AppState>,
    ApiJson(b): ApiJson<PushBody>,
) -> Result<Json<Value>> {
    if !sim.world().sites.contains_key(&b.site_id) {
        return Err(Error::NotFound(format!("site {} not found", b.site_id)));
    }
    let now = sim.clock.now_ms();
    let mut r = b.reading;
    r.entry("site_id").or_insert_with(|| json!(b.site_id));
    // Both wire variants (§4.3): epoch-ms integer or an RFC 3339 string.
    let ts = match r.get("timestamp") {
        Some(Value::Number(n)) => n.as_i64().unwrap_or(now),
        Some(Value::String(t)) => chrono::DateTime::parse_from_rfc3339(t)
            .map(|t| t.timestamp_millis())
            .map_err(|_| Error::field("reading.timestamp", "epoch ms or RFC 3339"))?,
        _ => now,
    };
    r.insert("timestamp".into(), json!(ts));
    let id = sim
        .hub
        .publish(&b.site_id, ts, Value::Object(r).to_string());
    Ok(Json(json!({"id": id})))
}

/// `POST /_sim/sites/{id}/load` body: an extra household load (`w` = 0 removes it).
#[derive(Debug, Deserialize)]
pub struct LoadBody {
    /// Extra load, W (0..=1 000 000).
    pub w: f64,
    /// From this simulated instant on (epoch ms); default now. History before it is unchanged.
    pub from_ms: Option<i64>,
}

/// Raises a site's load (a power peak on demand for tests): the meter imports `w` more from
/// `from_ms` on, in the live readings and in history alike.
async fn site_load(
    State(sim): State<AppState>,
    Path(site_id): Path<String>,
    ApiJson(b): ApiJson<LoadBody>,
) -> Result<Json<Value>> {
    let from_ms = b.from_ms.unwrap_or_else(|| sim.clock.now_ms());
    set_site_load(&sim, &site_id, b.w, from_ms)?;
    Ok(Json(
        json!({"site_id": site_id, "w": b.w, "from_ms": from_ms}),
    ))
}

/// `POST /_sim/sites/{id}/location` body: the site's new position; `null` removes it (the public
/// `PUT /sites/{id}` cannot: an absent location there means "unchanged").
#[derive(Debug, Deserialize)]
pub struct LocationBody {
    pub location: Option<crate::world::model::Location>,
}

/// Moves a site or takes its location away (tests: a site with no location).
async fn site_location(
    State(sim): State<AppState>,
    Path(site_id): Path<String>,
    ApiJson(b): ApiJson<LocationBody>,
) -> Result<Json<Value>> {
    if let Some(l) = &b.location {
        if !(-90.0..=90.0).contains(&l.lat) || !(-180.0..=180.0).contains(&l.lon) {
            return Err(Error::field(
                "location",
                "lat within -90..90, lon within -180..180",
            ));
        }
    }
    let mut world = sim.world();
    let site = world
        .sites
        .get_mut(&site_id)
        .ok_or_else(|| Error::NotFound(format!("site {site_id} not found")))?;
    site.location = b.location;
    Ok(Json(json!({"site_id": site_id, "location": site.location})))
}

/// A site's extra load from `from_ms` on (`w` = 0 removes it); the route's and
/// [`SandboxHandle::set_site_load`](crate::SandboxHandle::set_site_load)'s one rule.
pub(crate) fn set_site_load(
    sim: &crate::state::Sim,
    site_id: &str,
    w: f64,
    from_ms: i64,
) -> Result<()> {
    if !(0.0..=1_000_000.0).contains(&w) {
        return Err(Error::field("w", "must be within 0..=1000000 W"));
    }
    let mut world = sim.world();
    let site = world
        .sites
        .get_mut(site_id)
        .ok_or_else(|| Error::NotFound(format!("site {site_id} not found")))?;
    site.extra_load = (w > 0.0).then_some(crate::world::model::ExtraLoad { from_ms, w });
    Ok(())
}

async fn tick(State(sim): State<AppState>) -> Json<Value> {
    live::tick(&sim);
    Json(clock_json(&sim))
}

/// `{"offline": bool}`.
#[derive(Debug, Deserialize)]
pub struct OfflineBody {
    /// Take the Zap offline (true) or back (false).
    pub offline: bool,
}

async fn zap_offline(
    State(sim): State<AppState>,
    Path(serial): Path<String>,
    ApiJson(b): ApiJson<OfflineBody>,
) -> Result<Json<Value>> {
    let mut w = sim.world();
    let z = w
        .zaps
        .get_mut(&serial)
        .ok_or_else(|| Error::NotFound(format!("zap {serial} not found")))?;
    z.offline = b.offline;
    Ok(Json(json!({"serial": serial, "offline": b.offline})))
}

async fn zap_faults_get(
    State(sim): State<AppState>,
    Path(serial): Path<String>,
) -> Result<Json<Value>> {
    let w = sim.world();
    let z = w
        .zaps
        .get(&serial)
        .ok_or_else(|| Error::NotFound(format!("zap {serial} not found")))?;
    Ok(Json(json!(z.faults.view())))
}

/// `POST /_sim/zaps/{serial}/faults` with a [`ZapFaultUpdate`].
async fn zap_faults_set(
    State(sim): State<AppState>,
    Path(serial): Path<String>,
    ApiJson(b): ApiJson<ZapFaultUpdate>,
) -> Result<Json<Value>> {
    let mut w = sim.world();
    let z = w
        .zaps
        .get_mut(&serial)
        .ok_or_else(|| Error::NotFound(format!("zap {serial} not found")))?;
    z.faults.apply(&b);
    Ok(Json(json!(z.faults.view())))
}

/// `{"down": bool}`.
#[derive(Debug, Deserialize)]
pub struct CloudBody {
    /// Cut the cloud off.
    pub down: bool,
}

async fn cloud(State(sim): State<AppState>, ApiJson(b): ApiJson<CloudBody>) -> Json<Value> {
    let mut f = lock(&sim.faults);
    let mut spec = f.spec().clone();
    spec.cloud_down = b.down;
    f.set(spec);
    Json(json!({"down": b.down}))
}

/// `{"spec": "…"}` (grammar in [`crate::faults`]).
#[derive(Debug, Deserialize)]
pub struct FaultsBody {
    /// Fault SPEC string; empty clears all faults.
    pub spec: String,
}

/// The active spec, plus `injected`: what the fault layer has done so far
/// ([`crate::faults::FaultCounts`]).
async fn faults_get(State(sim): State<AppState>) -> Json<Value> {
    let f = lock(&sim.faults);
    let mut body = json!(f.spec());
    body["injected"] = json!(f.counts());
    Json(body)
}

async fn faults_set(
    State(sim): State<AppState>,
    ApiJson(b): ApiJson<FaultsBody>,
) -> Result<Json<Value>> {
    let spec = FaultSpec::parse(&b.spec).map_err(|e| Error::field("spec", e.to_string()))?;
    lock(&sim.faults).set(spec.clone());
    Ok(Json(json!(spec)))
}

/// `POST /_sim/identities`: a fresh person (demo world included when enabled) and a session
/// token, without the challenge dance — for E2E and fuzzing setups.
async fn new_identity(State(sim): State<AppState>) -> Json<Value> {
    use rand::RngCore;
    let mut seed = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut seed);
    let key = crate::auth::keys::PublicKey::Ed25519(
        ed25519_dalek::SigningKey::from_bytes(&seed).verifying_key(),
    );
    let (ident, fresh) = {
        let mut w = sim.world();
        let (ident, fresh) = crate::routes::auth::ensure_identity(&mut w, &key);
        if fresh && sim.cfg.demo {
            let now = sim.clock.now();
            crate::world::demo::grant_demo(&mut w, sim.cfg.seed, sim.cfg.sites, &ident.id, now);
        }
        (ident, fresh)
    };
    let token = crate::routes::auth::issue_token(&sim, &ident);
    Json(json!({"identity_id": ident.id, "token": token, "created": fresh}))
}
