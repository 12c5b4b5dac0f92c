//! Zaps on their own loopback addresses (like a LAN), a non-Zap web page host, per-Zap faults.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::Duration;

use novacore_sim::ZapFaultUpdate;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn zaps_listen_on_consecutive_loopback_addresses_next_to_a_web_page() {
    let first = Ipv4Addr::new(127, 0, 1, 2);
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let page = SocketAddr::from(([127, 0, 1, 50], port));
    let sb = start(
        builder()
            .zaps(3)
            .zaps_on_loopback(first, port)
            .web_page_host(page),
    )
    .await;
    for (i, z) in sb.zaps().iter().enumerate() {
        let host = format!("127.0.1.{}", 2 + i);
        let expected = if port == 80 {
            format!("http://{host}")
        } else {
            format!("http://{host}:{port}")
        };
        assert_eq!(z.url, expected);
        let s = get(&format!("{}/api/system", z.url), None).await;
        assert_eq!(s.status, 200);
        assert_eq!(s.body["zap"]["deviceId"], z.serial.as_str());
        assert_eq!(s.headers["connection"], "close");
    }
    let p = get(&format!("{}/api/system", sb.web_pages()[0]), None).await;
    assert_eq!(p.status, 200);
    assert!(p.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(p.body.as_str().unwrap().contains("<form"));
    sb.shutdown().await;
}

#[tokio::test]
async fn zaps_outside_loopback_are_refused() {
    let e = builder()
        .zaps(2)
        .zaps_on_loopback(Ipv4Addr::new(127, 255, 255, 254), 0)
        .start()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("loopback"), "{e}");
    let e = builder()
        .web_page_host(SocketAddr::from(([10, 0, 0, 1], 0)))
        .start()
        .await
        .unwrap_err();
    assert!(e.to_string().contains("loopback"), "{e}");
}

#[tokio::test]
async fn health_chain_faults() {
    let sb = start(builder().zaps(1)).await;
    let base = sb.base_url().to_string();
    let zap = sb.zaps()[0].clone();
    let sys = format!("{}/api/system", zap.url);
    let net = get(&sys, None).await.body["zap"]["network"].clone();
    assert_eq!(net["internetConnected"], true);

    // No internet, then cloud unreachable, as /api/system reports them.
    let set = |u: serde_json::Value| {
        let url = format!("{base}/_sim/zaps/{}/faults", zap.serial);
        async move { post(&url, None, u).await }
    };
    assert_eq!(set(json!({"no_internet": true})).await.status, 200);
    let net = get(&sys, None).await.body["zap"]["network"].clone();
    assert_eq!(
        (
            net["internetConnected"].clone(),
            net["mqttConnected"].clone()
        ),
        (json!(false), json!(false))
    );
    set(json!({"no_internet": false, "cloud_unreachable": true})).await;
    let net = get(&sys, None).await.body["zap"]["network"].clone();
    assert_eq!(net["internetConnected"], true);
    assert_eq!(net["mqttConnected"], false);
    assert_eq!(set(json!({"bogus": 1})).await.status, 422);

    // Malformed JSON.
    set(json!({"cloud_unreachable": false, "malformed": true})).await;
    let r = http().get(&sys).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let text = r.text().await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&text).is_err(),
        "{text}"
    );
    set(json!({"malformed": false})).await;

    // A stall mid-response: headers arrive, the body never completes.
    sb.set_zap_faults(
        &zap.serial,
        &ZapFaultUpdate {
            stall: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let r = client.get(&sys).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.bytes().await.unwrap_err().is_timeout());
    sb.set_zap_faults(
        &zap.serial,
        &ZapFaultUpdate {
            stall: Some(false),
            unreachable_secs: Some(1.0),
            ..Default::default()
        },
    )
    .unwrap();

    // Unreachable for a while: connections close unanswered, then it is back.
    assert!(client.get(&sys).send().await.is_err());
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(get(&sys, None).await.status, 200);

    // A Wi-Fi change takes the Zap off the LAN for the configured time.
    set(json!({"wifi_reconnect_ms": 600})).await;
    let w = post(
        &format!("{}/api/wifi", zap.url),
        None,
        json!({"ssid": "Guest", "psk": "x"}),
    )
    .await;
    assert_eq!(w.status, 200);
    assert!(client.get(&sys).send().await.is_err());
    tokio::time::sleep(Duration::from_millis(700)).await;
    let back = get(&sys, None).await;
    assert_eq!(back.body["zap"]["network"]["ssid"], "Guest");
    let view = get(&format!("{base}/_sim/zaps/{}/faults", zap.serial), None).await;
    assert_eq!(view.body["wifi_reconnect_ms"], 600);

    // Old firmware: a bare device list with `serial_number` and `connection_status`.
    let added = post(
        &format!("{}/api/devices", zap.url),
        None,
        json!({"type": "modbus_tcp", "ip": "10.0.0.7", "profile": "sma"}),
    )
    .await;
    assert_eq!(added.status, 201, "{}", added.body);
    set(json!({"old_firmware": true})).await;
    let devs = get(&format!("{}/api/devices", zap.url), None).await.body;
    let list = devs.as_array().expect("a bare list");
    assert!(!list.is_empty(), "{devs}");
    assert!(
        list.iter().all(|d| d["serial_number"].is_string()
            && d["connection_status"] == "connected"
            && d.get("sn").is_none()),
        "{devs}"
    );
    assert_eq!(
        get(&sys, None).await.body["zap"]["firmwareVersion"],
        "1.8.50"
    );
    sb.shutdown().await;
}
