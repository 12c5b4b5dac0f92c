//! Zap local API: crypto/sign, devices, wifi, reboot, factory reset, offline.

use std::time::Duration;

use p256::ecdsa::signature::Verifier;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn sign_follows_the_firmware_exactly() {
    let sb = start(builder()).await;
    let zap = sb.zaps()[0].clone();
    let c = get(&format!("{}/api/crypto", zap.url), None).await;
    assert_eq!(c.body["serialNumber"], zap.serial.as_str());
    assert!(zap.serial.starts_with("zap-") && zap.serial.len() == 20);
    let pk = hex::decode(c.body["publicKey"].as_str().unwrap()).unwrap();
    assert_eq!(pk.len(), 65);
    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&pk).unwrap();
    let s = post(
        &format!("{}/api/crypto/sign", zap.url),
        None,
        json!({"message": "idt-abc", "timestamp": "2026-03-06T12:00:00Z"}),
    )
    .await;
    let msg = s.body["message"].as_str().unwrap();
    let parts: Vec<&str> = msg.split('|').collect();
    assert_eq!(parts.len(), 4);
    assert_eq!(
        (parts[0], parts[2], parts[3]),
        ("idt-abc", "2026-03-06T12:00:00Z", zap.serial.as_str())
    );
    let nonce: u32 = parts[1].parse().unwrap();
    assert!((100_000..=999_999).contains(&nonce));
    let sig_hex = s.body["sign"].as_str().unwrap();
    assert_eq!(sig_hex.len(), 128);
    assert_eq!(sig_hex, sig_hex.to_lowercase());
    let sig = p256::ecdsa::Signature::from_slice(&hex::decode(sig_hex).unwrap()).unwrap();
    assert!(vk.verify(msg.as_bytes(), &sig).is_ok());
    let empty = post(&format!("{}/api/crypto/sign", zap.url), None, json!({})).await;
    assert_eq!(
        empty.body["message"].as_str().unwrap().split('|').count(),
        3
    );
    let bad = post(
        &format!("{}/api/crypto/sign", zap.url),
        None,
        json!({"message": "a|b"}),
    )
    .await;
    assert_eq!(bad.status, 400);
    assert_eq!(
        bad.body,
        json!({"status": "error", "message": "Message cannot contain | characters"})
    );
    let bad = post(
        &format!("{}/api/crypto/sign", zap.url),
        None,
        json!({"timestamp": "x|y"}),
    )
    .await;
    assert_eq!(bad.body["message"], "Timestamp cannot contain | characters");
    sb.shutdown().await;
}

#[tokio::test]
async fn add_device_outcomes_and_publish_toggles() {
    let sb = start(builder()).await;
    let z = sb.zaps()[0].url.clone();
    let add = |b: serde_json::Value| {
        let z = z.clone();
        async move { post(&format!("{z}/api/devices"), None, b).await }
    };
    let ok = add(json!({"type": "modbus_tcp", "ip": "192.168.1.60", "port": 502, "unit_id": 1, "profile": "sungrow"})).await;
    assert_eq!(ok.status, 201, "{}", ok.body);
    let sn = ok.body["sn"].as_str().unwrap().to_string();
    assert!(ok.body["ders"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["enabled"] == false));
    assert_eq!(add(json!({"type": "modbus_tcp", "ip": "192.168.1.60", "port": 502, "unit_id": 1, "profile": "sungrow"})).await.status, 409);
    assert_eq!(
        add(json!({"type": "modbus_tcp", "ip": "203.0.113.7", "profile": "sungrow"}))
            .await
            .status,
        503
    );
    assert_eq!(
        add(json!({"type": "modbus_tcp", "profile": "sungrow"}))
            .await
            .status,
        400
    );
    assert_eq!(
        add(json!({"type": "modbus_tcp", "ip": "10.0.0.2", "profile": "nope"}))
            .await
            .status,
        400
    );
    assert_eq!(
        add(json!({"type": "modbus_rtu", "profile": "sdm630", "parity": 5}))
            .await
            .status,
        400
    );
    assert_eq!(add(json!({"type": "carrier_pigeon"})).await.status, 400);
    assert_eq!(
        add(json!({"type": "mqtt", "broker_host": "10.0.0.9", "profile": "ferroamp"}))
            .await
            .status,
        201
    );
    assert_eq!(add(json!({"type": "p1_uart"})).await.status, 201);
    let list = get(&format!("{z}/api/devices"), None).await;
    assert_eq!(list.body["count"], 3);
    let data = get(&format!("{z}/api/devices/{sn}/data/json"), None).await;
    assert!(data.body["pv"]["W"].as_f64().unwrap() <= 0.0);
    assert_eq!(data.body["format"], "sungrow");
    let t = post(
        &format!("{z}/api/devices/{sn}/types"),
        None,
        json!({"ders": [{"type": "pv", "enabled": true}]}),
    )
    .await;
    assert_eq!(t.status, 200);
    let d = get(&format!("{z}/api/devices/{sn}/ders"), None).await;
    assert_eq!(d.body["ders"][0]["enabled"], true);
    assert_eq!(
        post(
            &format!("{z}/api/devices/{sn}/types"),
            None,
            json!({"ders": [{"type": "v2x_charger", "enabled": true}]})
        )
        .await
        .status,
        400
    );
    let reg = get(
        &format!("{z}/api/devices/{sn}/registers/33010?type=u16"),
        None,
    )
    .await;
    assert!(reg.body["value"].is_number());
    assert_eq!(
        call(
            reqwest::Method::DELETE,
            &format!("{z}/api/devices/{sn}"),
            None,
            None
        )
        .await
        .status,
        200
    );
    assert_eq!(
        call(
            reqwest::Method::DELETE,
            &format!("{z}/api/devices/{sn}"),
            None,
            None
        )
        .await
        .status,
        404
    );
    let nf = get(&format!("{z}/api/nope"), None).await;
    assert_eq!(
        nf.body,
        json!({"status": "error", "message": "Endpoint not found"})
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn wifi_reboot_factory_reset_and_offline() {
    let sb = start(builder().demo(true)).await;
    let base = sb.base_url();
    let zap = sb.zaps()[0].clone();
    let z = zap.url.clone();
    let w = get(&format!("{z}/api/wifi"), None).await;
    assert!(w.body["ssids"].as_array().unwrap().len() >= 2);
    assert_eq!(
        post(&format!("{z}/api/wifi"), None, json!({"ssid": "HomeNet"}))
            .await
            .status,
        400
    );
    assert_eq!(
        post(
            &format!("{z}/api/wifi"),
            None,
            json!({"ssid": "Nowhere", "psk": "x"})
        )
        .await
        .status,
        500
    );
    assert_eq!(
        post(
            &format!("{z}/api/wifi"),
            None,
            json!({"ssid": "Guest", "psk": "x"})
        )
        .await
        .status,
        200
    );
    assert_eq!(
        get(&format!("{z}/api/wifi"), None).await.body["connected"],
        "Guest"
    );
    // A secured network takes only its passphrase; a wrong one leaves the Zap where it was.
    let join = |psk: &'static str| {
        let url = format!("{z}/api/wifi");
        async move {
            post(&url, None, json!({"ssid": "Neighbour-5G", "psk": psk}))
                .await
                .status
        }
    };
    assert_eq!(join("wrong-passphrase").await, 500);
    let net = get(&format!("{z}/api/system"), None).await.body["zap"]["network"].clone();
    assert_eq!(
        (net["ssid"].clone(), net["rssi"].clone()),
        (json!("Guest"), json!(-80))
    );
    assert_eq!(join("sandbox-neighbour").await, 200);
    let net = get(&format!("{z}/api/system"), None).await.body["zap"]["network"].clone();
    assert_eq!(
        (net["ssid"].clone(), net["rssi"].clone()),
        (json!("Neighbour-5G"), json!(-71))
    );
    assert_eq!(
        get(&format!("{z}/api/wifi/scan"), None).await.body["status"],
        "sucess"
    );
    assert_eq!(
        get(&format!("{z}/api/system"), None).await.body["zap"]["deviceId"],
        zap.serial.as_str()
    );
    post(&format!("{z}/api/system/reboot"), None, json!({})).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(get(&format!("{z}/api/system"), None).await.status, 503);
    tokio::time::sleep(Duration::from_millis(3000)).await;
    assert_eq!(get(&format!("{z}/api/system"), None).await.status, 200);
    assert_eq!(
        get(&format!("{z}/api/devices"), None).await.body["count"],
        2
    );
    post(&format!("{z}/api/system/factory-reset"), None, json!({})).await;
    tokio::time::sleep(Duration::from_millis(2700)).await;
    assert_eq!(
        get(&format!("{z}/api/devices"), None).await.body["count"],
        0
    );
    assert!(get(&format!("{z}/api/wifi"), None).await.body["connected"].is_null());
    post(
        &format!("{base}/_sim/zaps/{}/offline", zap.serial),
        None,
        json!({"offline": true}),
    )
    .await;
    assert_eq!(get(&format!("{z}/api/system"), None).await.status, 503);
    post(
        &format!("{base}/_sim/zaps/{}/offline", zap.serial),
        None,
        json!({"offline": false}),
    )
    .await;
    assert_eq!(get(&format!("{z}/api/system"), None).await.status, 200);
    sb.shutdown().await;
}
