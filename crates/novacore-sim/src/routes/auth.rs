//! `POST /auth/challenge`, `POST /auth/verify`, `POST /identity/register` (reference §2.3).

use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::auth::jwt::{self, Claims};
use crate::auth::keys::PublicKey;
use crate::error::{Error, Result};
use crate::extract::ApiJson;
use crate::state::{lock, AppState, Challenge};
use crate::world::demo;
use crate::world::model::{Identity, World};

/// `{"public_key"}` body.
#[derive(Debug, Deserialize)]
pub struct KeyBody {
    /// Any accepted encoding.
    pub public_key: String,
}

/// `/auth/verify` body.
#[derive(Debug, Deserialize)]
pub struct VerifyBody {
    /// The key the challenge was issued for.
    pub public_key: String,
    /// Signature of the challenge string.
    pub signature: String,
    /// The challenge string.
    pub challenge: String,
}

fn parse_key(s: &str) -> Result<PublicKey> {
    PublicKey::parse(s).ok_or_else(|| {
        Error::field(
            "public_key",
            "not an Ed25519 or P-256 public key in hex, base64 or base58",
        )
    })
}

/// Issues a single-use challenge.
pub async fn challenge(
    State(sim): State<AppState>,
    ApiJson(b): ApiJson<KeyBody>,
) -> Result<Json<Value>> {
    let key = parse_key(&b.public_key)?;
    let mut raw = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut raw);
    let challenge = format!("novacore-sim:{}", hex::encode(raw));
    let ttl = sim.cfg.challenge_ttl;
    let mut all = lock(&sim.challenges);
    let now = Instant::now();
    all.retain(|_, c| c.expires > now);
    if all.len() > 100_000 {
        return Err(Error::RateLimited {
            retry_after_secs: 5,
        });
    }
    all.insert(
        challenge.clone(),
        Challenge {
            public_key: key.canonical(),
            expires: now + ttl,
        },
    );
    let expires_at = Utc::now() + chrono::Duration::from_std(ttl).unwrap_or_default();
    Ok(Json(
        json!({"challenge": challenge, "expires_at": expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}),
    ))
}

/// Verifies the signed challenge and issues a session token.
pub async fn verify(
    State(sim): State<AppState>,
    ApiJson(b): ApiJson<VerifyBody>,
) -> Result<Json<Value>> {
    let key = parse_key(&b.public_key)?;
    let canonical = key.canonical();
    let pending = lock(&sim.challenges).remove(&b.challenge);
    let pending =
        pending.ok_or_else(|| Error::Unauthorized("unknown or already used challenge".into()))?;
    if pending.expires <= Instant::now() {
        return Err(Error::Unauthorized("challenge expired".into()));
    }
    if pending.public_key != canonical {
        return Err(Error::Unauthorized(
            "challenge was issued for another key".into(),
        ));
    }
    if !key.verify(b.challenge.as_bytes(), &b.signature) {
        return Err(Error::Unauthorized("signature does not verify".into()));
    }
    let (id, kind) = {
        let mut w = sim.world();
        let (ident, fresh) = ensure_identity(&mut w, &key);
        if fresh && sim.cfg.demo && key.is_human() {
            let now = sim.clock.now();
            demo::grant_demo(&mut w, sim.cfg.seed, sim.cfg.sites, &ident.id, now);
        }
        (ident.id, ident.kind)
    };
    let ident = Identity {
        id: id.clone(),
        kind,
        public_key: canonical,
        created_at: Utc::now(),
    };
    let token = issue_token(&sim, &ident);
    let exp = jwt::verify(&sim.jwt_secret, &token, 0)
        .map(|c| c.exp)
        .unwrap_or_default();
    Ok(Json(
        json!({"token": token, "identity_id": id, "expires_at": exp * 1000}),
    ))
}

/// Mints a session token for an identity with the current token lifetime.
pub fn issue_token(sim: &crate::state::Sim, ident: &Identity) -> String {
    let ttl = sim.token_ttl();
    let iat = Utc::now().timestamp();
    let claims = Claims {
        sub: ident.id.clone(),
        identity_id: ident.id.clone(),
        identity_type: ident.kind.clone(),
        public_key: ident.public_key.clone(),
        iat,
        exp: iat + ttl.max(Duration::from_secs(1)).as_secs() as i64,
    };
    let token = jwt::sign(&sim.jwt_secret, &claims);
    crate::record::secret("token", &token);
    token
}

/// Returns the identity for a key, creating it (user for Ed25519, gateway if a claimed gateway
/// key, integration otherwise); the bool says whether it is new.
pub fn ensure_identity(w: &mut World, key: &PublicKey) -> (Identity, bool) {
    let canonical = key.canonical();
    if let Some(i) = w.identities.get(&canonical) {
        return (i.clone(), false);
    }
    let kind = if key.is_human() {
        "user"
    } else {
        "integration"
    };
    let ident = Identity {
        id: identity_id_for(&canonical),
        kind: kind.into(),
        public_key: canonical.clone(),
        created_at: Utc::now(),
    };
    w.identity_keys.insert(ident.id.clone(), canonical.clone());
    w.identities.insert(canonical, ident.clone());
    (ident, true)
}

/// The identity id of a key: derived from the key, as a platform that keeps its registrations
/// would answer the same id every time — so the app's in-process Sandbox, whose world is new at
/// each start, still gives a kept identity the same id (and the same offline store).
fn identity_id_for(canonical_key: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(canonical_key.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // RFC 9562 version 8 (custom) with the RFC variant bits.
    format!(
        "idt-{}",
        uuid::Builder::from_custom_bytes(bytes).into_uuid()
    )
}

/// Registers a key explicitly (optional: verify auto-registers).
pub async fn register(
    State(sim): State<AppState>,
    ApiJson(b): ApiJson<KeyBody>,
) -> Result<(StatusCode, Json<Value>)> {
    let key = parse_key(&b.public_key)?;
    let mut w = sim.world();
    let (ident, fresh) = ensure_identity(&mut w, &key);
    if fresh && sim.cfg.demo && key.is_human() {
        let now = sim.clock.now();
        demo::grant_demo(&mut w, sim.cfg.seed, sim.cfg.sites, &ident.id, now);
    }
    let status = if fresh {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(
            json!({"identity_id": ident.id, "identity_type": ident.kind, "public_key": ident.public_key}),
        ),
    ))
}

#[cfg(test)]
mod identity_id_tests {
    use super::identity_id_for;

    #[test]
    fn the_same_key_always_gets_the_same_id_and_different_keys_differ() {
        let a = identity_id_for("key-a");
        assert_eq!(a, identity_id_for("key-a"));
        assert_ne!(a, identity_id_for("key-b"));
        assert!(a.starts_with("idt-") && a.len() == 40, "{a}");
        let parsed = uuid::Uuid::parse_str(&a[4..]).unwrap();
        assert_eq!(parsed.get_version_num(), 8);
    }
}
