//! Login rules, token lifetime, request-shape errors.

use std::time::Duration;

use ed25519_dalek::Signer;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn login_accepts_hex_and_base64_and_rejects_bad_signatures_and_replays() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let k = key(1);
    // hex key + hex signature
    let pk = hex::encode(k.verifying_key().to_bytes());
    let ch = post(
        &format!("{base}/auth/challenge"),
        None,
        json!({"public_key": pk}),
    )
    .await;
    assert_eq!(ch.status, 200);
    assert!(ch.body["expires_at"].as_str().unwrap().ends_with('Z'));
    let c = ch.body["challenge"].as_str().unwrap().to_string();
    let bad = hex::encode(key(2).sign(c.as_bytes()).to_bytes());
    let r = post(
        &format!("{base}/auth/verify"),
        None,
        json!({"public_key": pk, "signature": bad, "challenge": c}),
    )
    .await;
    assert_error(&r, 401, "unauthorized");
    // The failed attempt consumed the challenge: single use.
    let good = hex::encode(k.sign(c.as_bytes()).to_bytes());
    let r = post(
        &format!("{base}/auth/verify"),
        None,
        json!({"public_key": pk, "signature": good, "challenge": c}),
    )
    .await;
    assert_error(&r, 401, "unauthorized");
    // Fresh challenge, good signature, then replay.
    let c = post(
        &format!("{base}/auth/challenge"),
        None,
        json!({"public_key": pk}),
    )
    .await
    .body["challenge"]
        .as_str()
        .unwrap()
        .to_string();
    let good = hex::encode(k.sign(c.as_bytes()).to_bytes());
    let body = json!({"public_key": pk, "signature": good, "challenge": c});
    let r = post(&format!("{base}/auth/verify"), None, body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["identity_id"].as_str().unwrap().starts_with("idt-"));
    let again = post(&format!("{base}/auth/verify"), None, body).await;
    assert_error(&again, 401, "unauthorized");
    // Same key in base64 maps to the same identity.
    let u = login(base, &k).await;
    assert_eq!(u.id, r.body["identity_id"]);
    // A challenge issued for another key cannot be used.
    let c = post(
        &format!("{base}/auth/challenge"),
        None,
        json!({"public_key": hex::encode(key(3).verifying_key().to_bytes())}),
    )
    .await;
    let c = c.body["challenge"].as_str().unwrap().to_string();
    let r = post(&format!("{base}/auth/verify"), None, json!({"public_key": pk, "signature": hex::encode(k.sign(c.as_bytes()).to_bytes()), "challenge": c})).await;
    assert_error(&r, 401, "unauthorized");
    sb.shutdown().await;
}

#[tokio::test]
async fn es256_machine_login_raw_and_der() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let sk = p256::ecdsa::SigningKey::from_slice(&[5u8; 32]).unwrap();
    let pk = hex::encode(&sk.verifying_key().to_encoded_point(false).as_bytes()[1..]);
    for der in [false, true] {
        let c = post(
            &format!("{base}/auth/challenge"),
            None,
            json!({"public_key": pk}),
        )
        .await
        .body["challenge"]
            .as_str()
            .unwrap()
            .to_string();
        let sig: p256::ecdsa::Signature = sk.sign(c.as_bytes());
        let s = if der {
            hex::encode(sig.to_der().as_bytes())
        } else {
            hex::encode(sig.to_bytes())
        };
        let r = post(
            &format!("{base}/auth/verify"),
            None,
            json!({"public_key": pk, "signature": s, "challenge": c}),
        )
        .await;
        assert_eq!(r.status, 200, "{}", r.body);
        // Machines cannot claim gateways.
        let t = r.body["token"].as_str().unwrap();
        let claim = post(&format!("{base}/gateways/claim"), Some(t), json!({"org_id": "org-x", "gateway_serial": "zap-1", "public_key": pk, "message": "a|b|c|zap-1", "signature": "00"})).await;
        assert_error(&claim, 403, "forbidden");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn tokens_expire_and_garbage_tokens_are_refused() {
    let sb = start(builder().token_ttl(Duration::from_secs(1))).await;
    let base = sb.base_url();
    let u = login(base, &key(1)).await;
    assert_eq!(
        get(&format!("{base}/organizations"), Some(&u.token))
            .await
            .status,
        200
    );
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_error(
        &get(&format!("{base}/organizations"), Some(&u.token)).await,
        401,
        "unauthorized",
    );
    assert_error(
        &get(&format!("{base}/organizations"), Some("abc.def.ghi")).await,
        401,
        "unauthorized",
    );
    assert_error(
        &get(&format!("{base}/organizations"), None).await,
        401,
        "unauthorized",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn bad_input_is_answered_in_the_envelope() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let url = format!("{base}/auth/challenge");
    let raw = |body: &'static str| {
        let url = url.clone();
        async move {
            let r = http()
                .post(&url)
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let s = r.status().as_u16();
            (s, r.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (s, b) = raw("{not json").await;
    assert_eq!((s, b["error"].as_str()), (400, Some("bad_request")));
    let (s, b) = raw("{}").await;
    assert_eq!((s, b["error"].as_str()), (422, Some("validation_error")));
    assert_eq!(b["details"][0]["field"], "public_key");
    let (s, b) = raw(r#"{"public_key": 5}"#).await;
    assert_eq!((s, b["error"].as_str()), (422, Some("validation_error")));
    let (s, b) = raw(r#"{"public_key": "zz-not-a-key"}"#).await;
    assert_eq!((s, b["error"].as_str()), (422, Some("validation_error")));
    let big = format!(r#"{{"public_key": "{}"}}"#, "a".repeat(200_000));
    let r = http()
        .post(&url)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 413);
    assert_eq!(
        r.json::<serde_json::Value>().await.unwrap()["error"],
        "payload_too_large"
    );
    assert_error(
        &get(&format!("{base}/no/such/route"), None).await,
        404,
        "not_found",
    );
    assert_error(
        &call(
            Method::DELETE,
            &format!("{base}/auth/challenge"),
            None,
            None,
        )
        .await,
        405,
        "method_not_allowed",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn register_then_login_gives_the_same_identity() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let k = key(9);
    let pk = bs58::encode(k.verifying_key().to_bytes()).into_string();
    let r = post(
        &format!("{base}/identity/register"),
        None,
        json!({"public_key": pk}),
    )
    .await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["identity_type"], "user");
    let again = post(
        &format!("{base}/identity/register"),
        None,
        json!({"public_key": pk}),
    )
    .await;
    assert_eq!(again.status, 200);
    let u = login(base, &k).await;
    assert_eq!(u.id, r.body["identity_id"]);
    sb.shutdown().await;
}
