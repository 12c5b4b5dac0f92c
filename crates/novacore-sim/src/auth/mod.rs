//! Authentication: key decoding, session JWTs and the bearer-token extractor.

pub mod jwt;
pub mod keys;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};

use crate::error::Error;
use crate::state::{lock, AppState};

/// The authenticated caller of a request (rate-limited on extraction).
#[derive(Debug, Clone)]
pub struct Caller {
    /// Identity id.
    pub id: String,
    /// Identity type (`user`, `gateway`, …).
    pub kind: String,
}

impl Caller {
    /// Whether this is a person (claim and provision need one).
    pub fn is_human(&self) -> bool {
        matches!(self.kind.as_str(), "user" | "admin" | "root" | "developer")
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or_else(|| Error::Unauthorized("missing bearer token".into()))?;
        let now = chrono::Utc::now().timestamp();
        let claims = jwt::verify(&state.jwt_secret, token, now).map_err(|e| match e {
            jwt::TokenError::Expired => Error::Unauthorized("token expired".into()),
            jwt::TokenError::Invalid => Error::Unauthorized("invalid token".into()),
        })?;
        if state.world().identity_by_id(&claims.identity_id).is_none() {
            return Err(Error::Unauthorized("unknown identity".into()));
        }
        lock(&state.limiter)
            .take(&claims.identity_id)
            .map_err(|retry_after_secs| Error::RateLimited { retry_after_secs })?;
        Ok(Caller {
            id: claims.identity_id,
            kind: claims.identity_type,
        })
    }
}
