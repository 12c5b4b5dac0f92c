//! Exact request shapes of login, token expiry handling and re-authentication.

mod support;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use novacore::{Client, Error, Identity, Session};
use support::*;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn login_sends_documented_bodies_and_a_valid_signature() {
    let server = MockServer::start().await;
    let token = token_with_exp(1_900_000_000, "a");
    mount_login(&server, &token, "idt-42").await;
    let c = client(&server);
    let session = c.login().await.unwrap();
    assert_eq!(session.identity_id, "idt-42");
    assert_eq!(session.expires_at.timestamp(), 1_900_000_000);
    assert_eq!(session.token.expose(), token);

    let reqs = server.received_requests().await.unwrap();
    assert_eq!(reqs.len(), 2);
    let id = Identity::from_seed([7u8; 32]);
    let ch: serde_json::Value = serde_json::from_slice(&reqs[0].body).unwrap();
    assert_eq!(
        ch,
        serde_json::json!({"public_key": id.public_key_base64()})
    );
    assert_eq!(
        reqs[0].headers.get("content-type").unwrap(),
        "application/json"
    );
    assert!(reqs[0].headers.get("authorization").is_none());
    let v: serde_json::Value = serde_json::from_slice(&reqs[1].body).unwrap();
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["challenge", "public_key", "signature"]);
    assert_eq!(v["challenge"], "nonce-123");
    assert_eq!(v["public_key"], id.public_key_base64());
    let sig = STANDARD.decode(v["signature"].as_str().unwrap()).unwrap();
    let vk = VerifyingKey::from_bytes(&id.public_key_bytes()).unwrap();
    vk.verify(b"nonce-123", &Signature::from_slice(&sig).unwrap())
        .unwrap();
}

#[tokio::test]
async fn bearer_is_sent_and_token_near_expiry_triggers_relogin() {
    let server = MockServer::start().await;
    let fresh = fresh_token("new");
    mount_login(&server, &fresh, "idt-1").await;
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .and(header("authorization", format!("Bearer {fresh}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let c = client(&server);
    // A restored session that expires in 1 minute (inside the 5-minute margin).
    let old = token_with_exp(chrono::Utc::now().timestamp() + 60, "old");
    c.set_session(Some(Session::from_token(old, "idt-1")));
    assert!(c.organizations().list().await.unwrap().is_empty());
    assert_eq!(hits(&server, "/auth/verify").await, 1);
    assert_eq!(c.session().unwrap().token.expose(), fresh);
    // A second call reuses the token.
    c.organizations().list().await.unwrap();
    assert_eq!(hits(&server, "/auth/verify").await, 1);
}

#[tokio::test]
async fn a_401_reauthenticates_once_then_gives_the_typed_error() {
    let server = MockServer::start().await;
    let fresh = fresh_token("new");
    mount_login(&server, &fresh, "idt-1").await;
    Mock::given(method("GET"))
        .and(path("/sites"))
        .respond_with(
            ResponseTemplate::new(401).set_body_json(
                serde_json::json!({"error":"unauthorized","message":"token expired"}),
            ),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    c.set_session(Some(Session::from_token(fresh_token("revoked"), "idt-1")));
    let e = c.sites().list(None).await.unwrap_err();
    assert!(
        matches!(e, Error::Unauthorized { ref message } if message == "token expired"),
        "{e:?}"
    );
    assert!(e.is_auth());
    assert_eq!(hits(&server, "/auth/verify").await, 1);
    assert_eq!(hits(&server, "/sites").await, 2);
}

#[tokio::test]
async fn without_identity_a_restored_session_is_used_and_no_session_is_no_identity() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let c = Client::new(&server.uri()).unwrap();
    assert!(matches!(
        c.organizations().list().await,
        Err(Error::NoIdentity)
    ));
    c.set_session(Some(Session::from_token("opaque-token", "idt-9")));
    c.organizations().list().await.unwrap();
    let reqs = server.received_requests().await.unwrap();
    assert_eq!(
        reqs[0].headers.get("authorization").unwrap(),
        "Bearer opaque-token"
    );
}

#[tokio::test]
async fn concurrent_requests_log_in_once() {
    let server = MockServer::start().await;
    mount_login(&server, &fresh_token("t"), "idt-1").await;
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([])))
        .mount(&server)
        .await;
    let c = client(&server);
    let calls: Vec<_> = (0..10)
        .map(|_| {
            let c = c.clone();
            tokio::spawn(async move { c.organizations().list().await })
        })
        .collect();
    for call in calls {
        call.await.unwrap().unwrap();
    }
    assert_eq!(hits(&server, "/auth/verify").await, 1);
    assert_eq!(hits(&server, "/organizations").await, 10);
}
