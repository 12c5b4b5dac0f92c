//! Shared helpers of the wiremock tests.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use novacore::{Client, Identity, RetryPolicy};
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// An unsigned JWT-shaped token with the given `exp` (Unix seconds).
pub fn token_with_exp(exp: i64, tag: &str) -> String {
    let payload = serde_json::json!({"sub": "idt-test", "exp": exp, "tag": tag});
    format!(
        "{}.{}.sig",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

pub fn fresh_token(tag: &str) -> String {
    token_with_exp(chrono::Utc::now().timestamp() + 24 * 3600, tag)
}

/// Mounts challenge + verify answering `token` for `identity_id`.
pub async fn mount_login(server: &MockServer, token: &str, identity_id: &str) {
    Mock::given(method("POST"))
        .and(path("/auth/challenge"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"challenge": "nonce-123", "expires_at": "2026-03-06T13:00:00Z"}),
        ))
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .and(path("/auth/verify"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"token": token, "identity_id": identity_id})),
        )
        .mount(server)
        .await;
}

/// Fast retries for tests.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        max_total: Duration::from_secs(5),
    }
}

pub fn client(server: &MockServer) -> Client {
    Client::builder(&server.uri())
        .identity(Identity::from_seed([7u8; 32]))
        .retry(fast_retry())
        .build()
        .unwrap()
}

/// Count of received requests to `p`.
pub async fn hits(server: &MockServer, p: &str) -> usize {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .filter(|r| r.url.path() == p)
        .count()
}

pub mod sse_server;
