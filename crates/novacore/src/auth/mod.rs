//! Challenge/verify login (reference §2.3) and identity keys.

pub mod identity;
pub mod jwt;

pub use identity::Identity;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::time::ts_opt;
use crate::request::Req;
use crate::session::Session;

#[derive(Serialize)]
struct ChallengeRequest<'a> {
    public_key: &'a str,
}

/// Response of `POST /auth/challenge`.
#[derive(Debug, Deserialize)]
struct ChallengeResponse {
    challenge: String,
    #[serde(default, with = "ts_opt")]
    #[allow(dead_code)] // Kept for diagnosis; the challenge is used immediately.
    expires_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Serialize)]
struct VerifyRequest<'a> {
    public_key: &'a str,
    signature: String,
    challenge: &'a str,
}

#[derive(Deserialize)]
struct VerifyResponse {
    #[serde(alias = "access_token")]
    token: String,
    #[serde(default)]
    identity_id: Option<String>,
}

impl std::fmt::Debug for VerifyResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifyResponse")
            .field("token", &"<redacted>")
            .field("identity_id", &self.identity_id)
            .finish()
    }
}

/// Decodes a verify response without quoting it: the body carries the token, so an unexpected
/// shape must not put it into the error (the generic decoder keeps a body snippet, and serde's
/// message can quote a string value).
fn decode_verify(body: &[u8]) -> Result<VerifyResponse> {
    serde_json::from_slice(body).map_err(|e| Error::Decode {
        reason: format!(
            "unexpected verify response ({:?} error at line {} column {})",
            e.classify(),
            e.line(),
            e.column()
        ),
        body_snippet: "<redacted>".into(),
    })
}

/// Logs in with the client's identity: challenge → sign → verify.
pub(crate) async fn login(client: &Client) -> Result<Session> {
    let identity = client.identity().ok_or(Error::NoIdentity)?;
    let public_key = identity.public_key_base64();
    // Issuing a challenge has no lasting effect, so it is safe to retry.
    let ch: ChallengeResponse = client
        .send_public(
            Req::post(
                &["auth", "challenge"],
                ChallengeRequest {
                    public_key: &public_key,
                },
            )
            .public()
            .idempotent(),
        )
        .await?;
    let signature = STANDARD.encode(identity.sign(ch.challenge.as_bytes()));
    // Not retried: a challenge is single-use.
    let raw = client
        .execute_public(
            &Req::post(
                &["auth", "verify"],
                VerifyRequest {
                    public_key: &public_key,
                    signature,
                    challenge: &ch.challenge,
                },
            )
            .public(),
        )
        .await?;
    let v = decode_verify(&raw.body)?;
    let identity_id = v
        .identity_id
        .or_else(|| jwt_claim(&v.token, "identity_id"))
        .or_else(|| jwt_claim(&v.token, "sub"))
        .unwrap_or_default();
    Ok(Session::from_token(v.token, identity_id))
}

fn jwt_claim(token: &str, claim: &str) -> Option<String> {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let payload = URL_SAFE_NO_PAD.decode(token.split('.').nth(1)?).ok()?;
    let v: serde_json::Value = serde_json::from_slice(&payload).ok()?;
    v.get(claim)?.as_str().map(str::to_string)
}

/// Answer of `POST /identity/register` (shape undocumented; all optional but the id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredIdentity {
    /// The identity id (opaque, e.g. `idt-…`).
    pub identity_id: String,
    /// `user`, `gateway`, …
    #[serde(default)]
    pub identity_type: Option<String>,
    /// The registered key as the server echoes it.
    #[serde(default)]
    pub public_key: Option<String>,
}

impl Client {
    /// `POST /identity/register` with the client's public key. Optional on servers that register
    /// unknown keys on first login; harmless to repeat.
    pub async fn register_identity(&self) -> Result<RegisteredIdentity> {
        let identity = self.identity().ok_or(Error::NoIdentity)?;
        let public_key = identity.public_key_base64();
        self.send_public(
            Req::post(
                &["identity", "register"],
                ChallengeRequest {
                    public_key: &public_key,
                },
            )
            .public(),
        )
        .await
    }

    /// Logs in now (challenge/verify) and stores the session; returns it for persisting.
    pub async fn login(&self) -> Result<Session> {
        self.token(true).await?;
        self.session().ok_or(Error::NoIdentity)
    }

    /// The current session, logging in first when there is none or it is about to expire.
    pub async fn ensure_session(&self) -> Result<Session> {
        self.token(false).await?;
        self.session().ok_or(Error::NoIdentity)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJpZHQtMSJ9.c2VjcmV0LXNpZw";

    #[test]
    fn verify_decoding_never_quotes_the_token() {
        // Regression: an unexpected verify body was decoded by the generic decoder, whose error
        // keeps a 200-character body snippet (and serde quotes a bare string value).
        for body in [
            format!(r#""{TOKEN}""#),
            format!(r#"{{"data":{{"token":"{TOKEN}"}}}}"#),
            format!(r#"{{"token":"{TOKEN}","identity_id":7}}"#),
        ] {
            let e = decode_verify(body.as_bytes()).expect_err(&body);
            assert!(matches!(e, Error::Decode { .. }));
            assert!(!format!("{e} {e:?}").contains("c2VjcmV0"), "{e:?}");
        }
        let ok =
            decode_verify(format!(r#"{{"access_token":"{TOKEN}"}}"#).as_bytes()).expect("decodes");
        assert_eq!(ok.token, TOKEN);
        assert!(!format!("{ok:?}").contains("c2VjcmV0"));
    }
}
