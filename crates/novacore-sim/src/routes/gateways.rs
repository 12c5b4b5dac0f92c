//! Gateways: claim with the exact 4-part proof, list, release (reference §3.3).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::keys::PublicKey;
use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::extract::{ApiJson, ApiQuery};
use crate::routes::access::{check_id, iso, list_in_caller_orgs, require};
use crate::routes::sites::OrgFilter;
use crate::state::AppState;
use crate::world::model::{new_id, Gateway, Identity, Role, World};

/// `POST /gateways/claim` body.
#[derive(Debug, Deserialize)]
pub struct ClaimBody {
    /// Target org.
    pub org_id: String,
    /// `zap-…`.
    pub gateway_serial: String,
    /// Gateway ES256 key (128/130 hex or base64).
    pub public_key: String,
    /// `claimer_id|nonce|timestamp|gateway_serial`.
    pub message: String,
    /// ES256 over SHA-256 of `message` (raw r‖s hex, or DER / base64).
    pub signature: String,
}

fn gateway_json(g: &Gateway) -> Value {
    json!({"serial": g.serial, "gateway_serial": g.serial, "org_id": g.org_id, "public_key": g.public_key,
           "identity_id": g.identity_id, "claimed_at": iso(&g.claimed_at),
           "last_seen": g.last_seen.as_ref().map(iso)})
}

/// Accepts ISO-8601 (Zap) or Unix seconds (FTW) proof timestamps.
fn proof_time_ok(ts: &str) -> bool {
    proof_time(ts).is_some()
}

fn proof_time(ts: &str) -> Option<DateTime<Utc>> {
    match ts.parse::<i64>() {
        Ok(secs) => DateTime::from_timestamp(secs, 0),
        Err(_) => DateTime::parse_from_rfc3339(ts)
            .ok()
            .map(|t| t.with_timezone(&Utc)),
    }
}

/// How old a claim proof may be (reference §3.3.1: "optionally reject proofs older than ~10
/// minutes"), so a proof signed on site and replayed much later must be signed again.
pub const PROOF_MAX_AGE_SECS: i64 = 600;

/// Too old: signed more than [`PROOF_MAX_AGE_SECS`] before now (wall-clock, like the Zap's).
fn proof_too_old(ts: &str) -> bool {
    proof_time(ts).is_some_and(|t| (Utc::now() - t).num_seconds() > PROOF_MAX_AGE_SECS)
}

/// Orphans a gateway's devices (transfer or release): they keep their site but lose the link.
fn orphan_devices(w: &mut World, serial: &str) {
    for d in w
        .devices
        .values_mut()
        .filter(|d| d.gateway_serial.as_deref() == Some(serial))
    {
        d.gateway_serial = None;
        d.state = "orphaned".into();
    }
}

/// `POST /gateways/claim`: 201 new, 200 idempotent re-claim or transfer.
pub async fn claim(
    State(sim): State<AppState>,
    caller: Caller,
    ApiJson(b): ApiJson<ClaimBody>,
) -> Result<(StatusCode, Json<Value>)> {
    if !caller.is_human() {
        return Err(Error::Forbidden("claiming needs a human identity".into()));
    }
    check_id("gateway_serial", &b.gateway_serial)?;
    let key = PublicKey::parse(&b.public_key)
        .filter(|k| !k.is_human())
        .ok_or_else(|| Error::field("public_key", "not a P-256 public key"))?;
    let parts: Vec<&str> = b.message.split('|').collect();
    if parts.len() != 4 {
        return Err(Error::BadRequest(
            "invalid message format: expected claimer_id|nonce|timestamp|gateway_serial".into(),
        ));
    }
    if parts[0] != caller.id {
        return Err(Error::Forbidden(
            "claimer_id in the message is not the calling identity".into(),
        ));
    }
    if parts[1].is_empty() || !proof_time_ok(parts[2]) {
        return Err(Error::BadRequest(
            "invalid message format: bad nonce or timestamp".into(),
        ));
    }
    if parts[3] != b.gateway_serial {
        return Err(Error::BadRequest(
            "invalid message format: gateway serial does not match gateway_serial".into(),
        ));
    }
    if !key.verify(b.message.as_bytes(), &b.signature) {
        return Err(Error::Forbidden(
            "signature does not verify against public_key".into(),
        ));
    }
    // Checked after the signature: only a genuine proof is "too old" rather than forged.
    if proof_too_old(parts[2]) {
        return Err(Error::field(
            "message",
            "proof too old: signed more than 10 minutes ago; have the gateway sign a new one",
        ));
    }
    let canonical = key.canonical();
    let mut w = sim.world();
    require(&w, &b.org_id, &caller, Role::Admin)?;
    if let Some(zap) = w.zaps.get(&b.gateway_serial) {
        if zap.public_key_hex()[2..] != canonical {
            return Err(Error::Forbidden(
                "public_key is not this gateway's key".into(),
            ));
        }
    }
    let now = Utc::now();
    if let Some(g) = w.gateways.get(&b.gateway_serial).cloned() {
        if g.public_key != canonical {
            return Err(Error::Conflict(
                "gateway already registered with another key".into(),
            ));
        }
        if g.org_id == b.org_id {
            let mut body = gateway_json(&g);
            body["created"] = json!(false);
            return Ok((StatusCode::OK, Json(body)));
        }
        orphan_devices(&mut w, &b.gateway_serial);
        let gw = w
            .gateways
            .get_mut(&b.gateway_serial)
            .ok_or_else(|| Error::Internal("gateway vanished".into()))?;
        gw.org_id = b.org_id.clone();
        gw.claimed_at = now;
        let mut body = gateway_json(gw);
        body["created"] = json!(false);
        body["transferred"] = json!(true);
        return Ok((StatusCode::OK, Json(body)));
    }
    // The gateway's key becomes the auth method of a `gateway` identity.
    let identity_id = match w.identities.get_mut(&canonical) {
        Some(i) => {
            i.kind = "gateway".into();
            i.id.clone()
        }
        None => {
            let id = new_id("idt");
            w.identity_keys.insert(id.clone(), canonical.clone());
            w.identities.insert(
                canonical.clone(),
                Identity {
                    id: id.clone(),
                    kind: "gateway".into(),
                    public_key: canonical.clone(),
                    created_at: now,
                },
            );
            id
        }
    };
    let g = Gateway {
        serial: b.gateway_serial.clone(),
        org_id: b.org_id,
        public_key: canonical,
        identity_id,
        claimed_at: now,
        last_seen: None,
    };
    let mut body = gateway_json(&g);
    body["created"] = json!(true);
    body["success"] = json!(true);
    w.gateways.insert(g.serial.clone(), g);
    Ok((StatusCode::CREATED, Json(body)))
}

/// `GET /gateways[?org_id=]`.
pub async fn list(
    State(sim): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<OrgFilter>,
) -> Result<Json<Value>> {
    let w = sim.world();
    let list = list_in_caller_orgs(
        &w,
        &caller,
        q.org_id.as_ref(),
        w.gateways.values(),
        |g| &g.org_id,
        gateway_json,
    )?;
    Ok(Json(list))
}

/// `DELETE /gateways/{serial}` — admin of the owning org; orphans its devices.
pub async fn release(
    State(sim): State<AppState>,
    caller: Caller,
    Path(serial): Path<String>,
) -> Result<StatusCode> {
    let mut w = sim.world();
    let org = w
        .gateways
        .get(&serial)
        .map(|g| g.org_id.clone())
        .ok_or_else(|| Error::NotFound(format!("gateway {serial} not found")))?;
    if w.role(&org, &caller.id).is_none() {
        return Err(Error::NotFound(format!("gateway {serial} not found")));
    }
    require(&w, &org, &caller, Role::Admin)?;
    orphan_devices(&mut w, &serial);
    w.gateways.remove(&serial);
    Ok(StatusCode::NO_CONTENT)
}
