//! Exact request shapes of claim and provision, and their retry rules.

mod support;

use novacore::models::{NewDer, ProvisionRequest};
use novacore::{Error, ZapClient};
use support::*;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const PUBKEY: &str = "04a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90";

async fn zap_server() -> MockServer {
    let zap = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/crypto"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "deviceName": "software_zap", "serialNumber": "zap-0000f0878290a994", "publicKey": PUBKEY})))
        .mount(&zap)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/crypto/sign"))
        .and(body_json(serde_json::json!({"message": "idt-42"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "sign": "ab".repeat(64), "message": "idt-42|482913|2026-03-06T12:00:00Z|zap-0000f0878290a994"})))
        .mount(&zap)
        .await;
    zap
}

#[tokio::test]
async fn claim_passes_the_zap_proof_through_unchanged_and_retries_on_5xx() {
    let server = MockServer::start().await;
    mount_login(&server, &fresh_token("t"), "idt-42").await;
    let expected = serde_json::json!({
        "org_id": "org-abc123",
        "gateway_serial": "zap-0000f0878290a994",
        "public_key": PUBKEY,
        "message": "idt-42|482913|2026-03-06T12:00:00Z|zap-0000f0878290a994",
        "signature": "ab".repeat(64),
    });
    Mock::given(method("POST"))
        .and(path("/gateways/claim"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(serde_json::json!({"error":"unavailable","message":"x"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/gateways/claim"))
        .and(body_json(&expected))
        .respond_with(
            ResponseTemplate::new(201).set_body_json(serde_json::json!({"success": true})),
        )
        .mount(&server)
        .await;
    let zap_srv = zap_server().await;
    let zap = ZapClient::new(&zap_srv.uri()).unwrap();
    let c = client(&server);
    let out = c.claim_gateway(&zap, "org-abc123").await.unwrap();
    assert_eq!(out.response.success, Some(true));
    assert_eq!(serde_json::to_value(&out.request).unwrap(), expected);
    assert_eq!(hits(&server, "/gateways/claim").await, 2);
    let claim = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .rfind(|r| r.url.path() == "/gateways/claim")
        .unwrap();
    assert!(claim
        .headers
        .get("authorization")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("Bearer "));
}

fn provision_req() -> ProvisionRequest {
    ProvisionRequest {
        gateway_serial: Some("zap-04772a97".into()),
        hardware_id: "SN12345".into(),
        device_type: "inverter".into(),
        site_id: "sit-abc123".into(),
        name: Some("Sungrow Inverter".into()),
        manufacturer: Some("Sungrow".into()),
        model: Some("SH10RT".into()),
        ders: vec![
            NewDer {
                name: "pv-array".into(),
                der_type: "solar".into(),
            },
            NewDer {
                name: "battery_1".into(),
                der_type: "battery".into(),
            },
        ],
    }
}

#[tokio::test]
async fn provision_sends_the_reference_body_and_a_retry_rebinds() {
    let server = MockServer::start().await;
    mount_login(&server, &fresh_token("t"), "idt-42").await;
    let body = serde_json::json!({
        "gateway_serial": "zap-04772a97", "hardware_id": "SN12345", "device_type": "inverter",
        "site_id": "sit-abc123", "name": "Sungrow Inverter", "manufacturer": "Sungrow", "model": "SH10RT",
        "ders": [{"name": "pv-array", "type": "solar"}, {"name": "battery_1", "type": "battery"}]});
    // The first attempt is created server-side but the answer is lost (502); the retry re-binds.
    Mock::given(method("POST"))
        .and(path("/devices/provision"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad Gateway</html>"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/devices/provision"))
        .and(body_json(&body))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "device_id": "dev-abc", "hardware_id": "SN12345", "device_type": "inverter", "site_id": "sit-abc123",
            "state": "pending", "created": false,
            "ders": [{"id": "der-111", "name": "pv-array", "type": "solar"}, {"id": "der-222", "name": "battery_1", "type": "battery"}]})))
        .mount(&server)
        .await;
    let c = client(&server);
    let r = c.devices().provision(&provision_req()).await.unwrap();
    assert_eq!(r.device_id, "dev-abc");
    assert!(!r.created);
    assert_eq!(hits(&server, "/devices/provision").await, 2);
}

#[tokio::test]
async fn invalid_provision_is_refused_before_sending() {
    let server = MockServer::start().await;
    mount_login(&server, &fresh_token("t"), "idt-42").await;
    let mut req = provision_req();
    req.device_type = "energy_meter".into();
    req.ders[0].name = "pv array!".into();
    let c = client(&server);
    let e = c.devices().provision(&req).await.unwrap_err();
    let fields: Vec<&str> = e.field_errors().iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["ders[0].name", "ders[0].type", "ders[1].type"]);
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn plain_posts_are_not_retried() {
    let server = MockServer::start().await;
    mount_login(&server, &fresh_token("t"), "idt-42").await;
    Mock::given(method("POST"))
        .and(path("/organizations"))
        .respond_with(
            ResponseTemplate::new(500)
                .set_body_json(serde_json::json!({"error":"internal_error","message":"boom"})),
        )
        .mount(&server)
        .await;
    let e = client(&server)
        .organizations()
        .create("Lab")
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Server { status: 500, ref code, .. } if code == "internal_error"),
        "{e:?}"
    );
    assert_eq!(hits(&server, "/organizations").await, 1);
}
