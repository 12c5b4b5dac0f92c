//! HS256 session tokens (reference §2.4): claims `sub`, `identity_id`, `identity_type`,
//! `public_key`, `iat`, `exp`.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// A secret whose `Debug`/`Display` never reveal it.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps key material.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl std::fmt::Display for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Token claims.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// = identity_id.
    pub sub: String,
    /// The identity.
    pub identity_id: String,
    /// `user`, `gateway`, `integration`, …
    pub identity_type: String,
    /// The auth-method key used at login (canonical form).
    pub public_key: String,
    /// Issued at, Unix seconds.
    pub iat: i64,
    /// Expiry, Unix seconds.
    pub exp: i64,
}

/// Signs claims into a compact JWT.
pub fn sign(secret: &Secret, claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).unwrap_or_default());
    let input = format!("{header}.{payload}");
    let sig = URL_SAFE_NO_PAD.encode(mac(secret, input.as_bytes()).finalize().into_bytes());
    format!("{input}.{sig}")
}

fn mac(secret: &Secret, data: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length, so this cannot fail.
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(&secret.0).expect("hmac key");
    m.update(data);
    m
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// Not a JWT, or a bad signature.
    Invalid,
    /// `exp` has passed.
    Expired,
}

/// Checks signature and expiry (`now` in Unix seconds).
pub fn verify(secret: &Secret, token: &str, now: i64) -> Result<Claims, TokenError> {
    let mut parts = token.rsplitn(2, '.');
    let sig = parts.next().ok_or(TokenError::Invalid)?;
    let input = parts.next().ok_or(TokenError::Invalid)?;
    let sig = URL_SAFE_NO_PAD
        .decode(sig)
        .map_err(|_| TokenError::Invalid)?;
    mac(secret, input.as_bytes())
        .verify_slice(&sig)
        .map_err(|_| TokenError::Invalid)?;
    let payload = input.split('.').nth(1).ok_or(TokenError::Invalid)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .map_err(|_| TokenError::Invalid)?;
    let claims: Claims = serde_json::from_slice(&bytes).map_err(|_| TokenError::Invalid)?;
    if claims.exp <= now {
        return Err(TokenError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims(exp: i64) -> Claims {
        Claims {
            sub: "idt-1".into(),
            identity_id: "idt-1".into(),
            identity_type: "user".into(),
            public_key: "ab".into(),
            iat: 0,
            exp,
        }
    }

    #[test]
    fn roundtrip_tamper_and_expiry() {
        let s = Secret::new(vec![1; 32]);
        let t = sign(&s, &claims(100));
        assert_eq!(verify(&s, &t, 50).unwrap(), claims(100));
        assert_eq!(verify(&s, &t, 100), Err(TokenError::Expired));
        assert_eq!(
            verify(&Secret::new(vec![2; 32]), &t, 50),
            Err(TokenError::Invalid)
        );
        assert_eq!(verify(&s, "abc", 50), Err(TokenError::Invalid));
        assert_eq!(format!("{s:?} {s}"), "<redacted> <redacted>");
    }
}
