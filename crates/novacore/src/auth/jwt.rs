//! Reading claims from the session JWT without verifying it (HS256: only the server can).

use base64::engine::general_purpose::{URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Utc};

/// The `exp` claim of a JWT, if the token is well-formed and carries one.
pub fn expiry(token: &str) -> Option<DateTime<Utc>> {
    let payload = token.split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .or_else(|_| URL_SAFE.decode(payload))
        .ok()?;
    let v: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
    let exp = v.get("exp")?;
    let secs = exp.as_i64().or_else(|| exp.as_f64().map(|f| f as i64))?;
    DateTime::from_timestamp(secs, 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"HS256"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_exp() {
        let t = token(r#"{"sub":"idt-1","exp":1772800000}"#);
        assert_eq!(expiry(&t).unwrap().timestamp(), 1772800000);
    }

    #[test]
    fn missing_or_malformed_is_none() {
        assert!(expiry(&token(r#"{"sub":"x"}"#)).is_none());
        assert!(expiry("opaque-token").is_none());
        assert!(expiry("a.!!!.c").is_none());
    }
}
