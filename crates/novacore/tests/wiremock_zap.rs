//! The Zap local API client against firmware variants.

use novacore::zap::{RegisterQuery, ZapClient};
use novacore::{Error, Secret};
use std::time::Duration;
use wiremock::matchers::{body_json, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn mount(server: &MockServer, m: &str, p: &str, status: u16, body: serde_json::Value) {
    Mock::given(method(m))
        .and(path(p))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(server)
        .await;
}

#[tokio::test]
async fn system_info_of_old_and_new_firmware() {
    let s = MockServer::start().await;
    mount(&s, "GET", "/api/system", 200, serde_json::json!({
        "time_utc_sec": 1697515200, "uptime_seconds": 123456, "temperature_celsius": 42,
        "memory_kb": {"total": 252.633, "free": 67.5781, "percent_used": 73.2505},
        "zap": {"deviceId": "zap-gateway-12345", "firmwareVersion": "1.8.50", "publicKey": "04a1",
                "network": {"wifiStatus": "connected", "localIP": "192.168.1.100", "ssid": "MyNetwork", "rssi": -45, "mqttConnected": true}}
    })).await;
    let z = ZapClient::new(&s.uri()).unwrap();
    let sys = z.system().await.unwrap();
    let zap = sys.zap.unwrap();
    assert_eq!(zap.firmware_version.as_deref(), Some("1.8.50"));
    let net = zap.network.unwrap();
    assert_eq!(net.local_ip.as_deref(), Some("192.168.1.100"));
    assert_eq!(net.mqtt_connected, Some(true));
    assert_eq!(net.internet_connected, None);
}

#[tokio::test]
async fn device_list_shapes_and_snapshot() {
    let s = MockServer::start().await;
    mount(&s, "GET", "/api/devices", 200, serde_json::json!({"count": 1, "devices": [{
        "type": "modbus_tcp", "ip": "192.168.1.60", "port": 502, "profile": "sungrow", "sn": "INV003SIM03",
        "connected": true, "last_harvest": 1709740800000u64, "device_type": "inverter",
        "ders": [{"type":"pv","enabled":false,"installed_power":9500,"rated_power":10000},
                 {"type":"battery","enabled":false,"rated_power":5000,"capacity":10000}]}]})).await;
    mount(&s, "GET", "/api/devices/INV003SIM03/data/json", 200, serde_json::json!({
        "pv": {"type":"pv","W":-1500,"timestamp":1709740800000u64}, "version": "v0", "format": "sungrow"})).await;
    Mock::given(method("GET"))
        .and(path("/api/devices/P1/data/json"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&s)
        .await;
    let z = ZapClient::new(&s.uri()).unwrap();
    let devs = z.devices().await.unwrap();
    assert_eq!(devs[0].sn, "INV003SIM03");
    assert_eq!(devs[0].connection_type.as_deref(), Some("modbus_tcp"));
    assert_eq!(devs[0].ders[1].capacity, Some(10000.0));
    assert_eq!(devs[0].extra["ip"], "192.168.1.60");
    assert_eq!(
        devs[0].last_harvest.unwrap().timestamp_millis(),
        1709740800000
    );
    let snap = z.device_data("INV003SIM03").await.unwrap().unwrap();
    assert_eq!(snap.format.as_deref(), Some("sungrow"));
    assert_eq!(snap.ders["pv"]["W"], -1500);
    assert!(z.device_data("P1").await.unwrap().is_none());

    let old = MockServer::start().await;
    mount(
        &old,
        "GET",
        "/api/devices",
        200,
        serde_json::json!([{"serial_number": "OLD1"}]),
    )
    .await;
    let devs = ZapClient::new(&old.uri()).unwrap().devices().await.unwrap();
    assert_eq!(devs[0].sn, "OLD1");
}

#[tokio::test]
async fn writes_send_documented_bodies() {
    let s = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/api/devices/INV1/types"))
        .and(body_json(serde_json::json!({"ders":[{"type":"pv","enabled":true},{"type":"battery","enabled":false}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"message":"Types updated","sn":"INV1"})))
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/wifi"))
        .and(body_json(
            serde_json::json!({"ssid":"Home","psk":"hunter2"}),
        ))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"status":"success","message":"ok"})),
        )
        .mount(&s)
        .await;
    Mock::given(method("GET"))
        .and(path("/api/devices/INV1/registers/33010"))
        .and(query_param("type", "i32"))
        .and(query_param("function_code", "3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"address":33010,"value":-5,"type":"i32","registers":[65535,65531]}),
        ))
        .mount(&s)
        .await;
    Mock::given(method("POST"))
        .and(path("/api/control/INV1/curtail/disable"))
        .respond_with(ResponseTemplate::new(202).set_body_json(
            serde_json::json!({"status":"queued","sn":"INV1","action":"curtail_disable"}),
        ))
        .mount(&s)
        .await;
    let z = ZapClient::new(&s.uri()).unwrap();
    let r = z
        .set_publishing("INV1", &[("pv", true), ("battery", false)])
        .await
        .unwrap();
    assert_eq!(r.message.as_deref(), Some("Types updated"));
    z.set_wifi("Home", &Secret::new("hunter2")).await.unwrap();
    let q = RegisterQuery {
        value_type: Some("i32".into()),
        function_code: Some(3),
        ..Default::default()
    };
    assert_eq!(
        z.read_register("INV1", 33010, &q).await.unwrap().value,
        Some(serde_json::json!(-5))
    );
    let c = z.control("INV1", "curtail/disable", None).await.unwrap();
    assert_eq!(c.status.as_deref(), Some("queued"));
}

#[tokio::test]
async fn zap_errors_and_timeouts_are_typed() {
    let s = MockServer::start().await;
    mount(
        &s,
        "DELETE",
        "/api/devices/NOPE",
        404,
        serde_json::json!({"status":"error","message":"Device not found"}),
    )
    .await;
    mount(
        &s,
        "POST",
        "/api/devices",
        409,
        serde_json::json!({"status":"error","message":"duplicate"}),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/api/system"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_delay(Duration::from_secs(3))
                .set_body_json(serde_json::json!({})),
        )
        .mount(&s)
        .await;
    let z = ZapClient::with_timeout(&s.uri(), Duration::from_millis(200)).unwrap();
    assert!(
        matches!(z.remove_device("NOPE").await, Err(Error::NotFound { message }) if message == "Device not found")
    );
    assert!(matches!(
        z.add_device(&serde_json::json!({"type":"p1_uart"})).await,
        Err(Error::Conflict { .. })
    ));
    assert!(matches!(z.system().await, Err(Error::Timeout)));
    assert!(matches!(
        z.sign(Some("a|b"), None).await,
        Err(Error::InvalidInput(_))
    ));
}

#[tokio::test]
async fn installer_readable_errors_and_lenient_addresses() {
    use novacore::zap::ZapError;
    // A router's login page where a Zap was expected.
    let router = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/html")
                .set_body_string("<!DOCTYPE html><html><body>Router login</body></html>"),
        )
        .mount(&router)
        .await;
    // Typed as host:port, without a scheme.
    let z = ZapClient::new(&router.address().to_string()).unwrap();
    let e = z.system().await.unwrap_err();
    assert!(
        matches!(&e, Error::Zap(ZapError::WebPage { address }) if *address == router.address().to_string()),
        "{e:?}"
    );
    assert!(e
        .to_string()
        .contains("answers with a web page, not a Zap's API"));
    assert!(!e.to_string().contains("decode"), "{e}");

    // Malformed JSON.
    let bad = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/system"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "application/json")
                .set_body_string(r#"{"zap": {"deviceId": "zap-"#),
        )
        .mount(&bad)
        .await;
    let e = ZapClient::new(&bad.uri())
        .unwrap()
        .system()
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Zap(ZapError::Malformed { .. })), "{e:?}");
    assert!(e.to_string().contains("not valid JSON") && e.is_transient());

    // Nothing listening.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let e = ZapClient::new(&format!("127.0.0.1:{port}"))
        .unwrap()
        .system()
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Zap(ZapError::Unreachable { .. })),
        "{e:?}"
    );
    assert!(e
        .to_string()
        .starts_with(&format!("Nothing answers at 127.0.0.1:{port}")));
    assert!(
        !e.is_offline(),
        "a Zap off the LAN is not the cloud being offline"
    );

    // A bare address is not "a relative URL without a base".
    let e = ZapClient::new("not an address").unwrap_err();
    assert!(e.to_string().contains("is not a Zap address"), "{e}");
}

#[tokio::test]
async fn old_firmware_device_state_types_and_publish_toggles() {
    let s = MockServer::start().await;
    mount(
        &s,
        "GET",
        "/api/devices",
        200,
        serde_json::json!([
        {"serial_number": "OLD1", "connection_status": "connected"},
        {"serial_number": "OLD2", "connection_status": "disconnected"}]),
    )
    .await;
    mount(&s, "GET", "/api/devices/types", 200, serde_json::json!({"connection_types": [
        {"type": "p1_uart", "description": "P1", "parameters": [{"name": "baud_rate", "type": "int", "required": false, "default": 115200}]}]})).await;
    mount(
        &s,
        "GET",
        "/api/devices/INV1/ders",
        200,
        serde_json::json!({"sn": "INV1", "ders": [
        {"type": "pv", "enabled": false}, {"type": "battery", "enabled": false}]}),
    )
    .await;
    Mock::given(method("POST"))
        .and(path("/api/devices/INV1/types"))
        .and(body_json(serde_json::json!({"ders":[{"type":"pv","enabled":true},{"type":"battery","enabled":true}]})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"message":"Types updated","sn":"INV1"})))
        .expect(1)
        .mount(&s)
        .await;
    let z = ZapClient::new(&s.uri()).unwrap();
    let devs = z.devices().await.unwrap();
    assert_eq!(
        devs.iter().map(|d| d.connected).collect::<Vec<_>>(),
        [Some(true), Some(false)]
    );
    let types = z.device_types().await.unwrap();
    assert_eq!(types[0].conn_type, "p1_uart");
    assert_eq!(
        types[0].parameters[0].default,
        Some(serde_json::json!(115200))
    );
    assert_eq!(
        z.publish("INV1", true, None).await.unwrap(),
        ["pv", "battery"]
    );
    let e = z.publish("INV1", true, Some(&["meter"])).await.unwrap_err();
    assert!(e.to_string().contains("has no meter DER"), "{e}");
}

#[tokio::test]
async fn a_zaps_503_is_its_own_not_now_and_a_wrong_passphrase_stays_a_500() {
    let s = MockServer::start().await;
    mount(
        &s,
        "POST",
        "/api/devices",
        503,
        serde_json::json!({"status": "error", "message": "Failed to connect to device"}),
    )
    .await;
    mount(
        &s,
        "POST",
        "/api/wifi",
        500,
        serde_json::json!({"status": "error", "message": "Failed to connect to WiFi"}),
    )
    .await;
    let z = ZapClient::new(&s.uri()).unwrap();
    let e = z
        .add_device(&serde_json::json!({"type": "modbus_tcp", "ip": "10.0.0.9", "profile": "sma"}))
        .await
        .unwrap_err();
    match &e {
        Error::Zap(novacore::zap::ZapError::Unavailable { address, message }) => {
            assert_eq!(message, "Failed to connect to device");
            assert_eq!(address, z.address());
        }
        other => panic!("{other:?}"),
    }
    assert!(e.is_transient() && !e.is_offline());
    assert!(e.to_string().contains("cannot do that right now"), "{e}");
    let psk = "hunter2-hunter2";
    let e = z.set_wifi("Home", &Secret::new(psk)).await.unwrap_err();
    assert!(matches!(&e, Error::Server { status: 500, .. }), "{e:?}");
    assert!(!e.to_string().contains(psk) && !format!("{e:?}").contains(psk));
}
