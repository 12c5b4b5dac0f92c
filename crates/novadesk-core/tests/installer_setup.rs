//! Setting a Zap up on site, against an in-process Sandbox whose Zaps serve on their own
//! loopback addresses (127.0.6.x, a block no other test uses): Wi-Fi (scan, a passphrase refused
//! here, one the Zap rejects, a network it cannot see, the join with the Zap off the LAN for a
//! while, a Zap that does not come back) and field devices (the form, add: refused before
//! sending, by the Zap, duplicate, device not answering; list, readings, publishing, remove,
//! old firmware's list).

use std::net::Ipv4Addr;
use std::time::Duration;

use novacore_sim::{Sandbox, SandboxHandle, ZapFaultUpdate};
use novadesk_core::*;

async fn sandbox(first: Ipv4Addr) -> (SandboxHandle, String) {
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = Sandbox::builder()
        .seed(43)
        .zaps(1)
        .demo(false)
        .zaps_on_loopback(first, port)
        .start()
        .await
        .unwrap();
    let addr = if port == 80 {
        first.to_string()
    } else {
        format!("{first}:{port}")
    };
    (sb, addr)
}

fn values(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wifi_scan_refusals_and_a_join_watched_until_the_zap_is_back() {
    let first = Ipv4Addr::new(127, 0, 6, 2);
    let (sb, a) = sandbox(first).await;
    let serial = sb.zaps()[0].serial.clone();

    let scan = scan_wifi(&a, Duration::ZERO).await.unwrap();
    assert_eq!(scan.connected.as_deref(), Some("HomeNet"));
    let names: Vec<_> = scan.networks.iter().map(|n| n.ssid.as_str()).collect();
    assert_eq!(
        names,
        ["HomeNet", "Neighbour-5G", "Guest"],
        "strongest first"
    );
    let labels: Vec<_> = scan
        .networks
        .iter()
        .map(|n| (n.signal.as_deref(), n.open, n.connected))
        .collect();
    assert_eq!(
        labels,
        [
            (Some("excellent"), false, true),
            (Some("fair"), false, false),
            (Some("weak"), true, false)
        ]
    );

    let never = |_: WifiProgress| panic!("nothing may be sent");
    let within = Duration::from_secs(5);
    // Too short for WPA2: refused here, the Zap not asked.
    let e = join_wifi(&a, "Neighbour-5G", &Secret::new("short"), within, never)
        .await
        .unwrap_err();
    assert!(e.user_message().contains("8 to 63"), "{}", e.user_message());
    let e = join_wifi(&a, "  ", &Secret::new("whatever-long"), within, never)
        .await
        .unwrap_err();
    assert!(e.user_message().contains("Choose a network"));

    // A passphrase the Zap rejects: its own sentence, never the passphrase; the Zap stays.
    let wrong = "not-the-passphrase";
    let mut stages = Vec::new();
    let e = join_wifi(&a, "Neighbour-5G", &Secret::new(wrong), within, |p| {
        stages.push(p)
    })
    .await
    .unwrap_err();
    let msg = e.user_message();
    assert!(
        msg.contains("could not join “Neighbour-5G” with that passphrase"),
        "{msg}"
    );
    assert!(!msg.contains(wrong) && !format!("{e:?}").contains(wrong));
    assert_eq!(stages, [WifiProgress::Sending]);
    assert_eq!(
        scan_wifi(&a, Duration::ZERO)
            .await
            .unwrap()
            .connected
            .as_deref(),
        Some("HomeNet")
    );
    // A network the Zap cannot see.
    let e = join_wifi(&a, "Nowhere", &Secret::new("long-enough"), within, |_| {})
        .await
        .unwrap_err();
    assert!(
        e.user_message().contains("cannot find “Nowhere”"),
        "{}",
        e.user_message()
    );

    // The right passphrase: the Zap drops off the LAN for 800 ms, then is back on the new network.
    sb.set_zap_faults(
        &serial,
        &ZapFaultUpdate {
            wifi_reconnect_ms: Some(800),
            ..Default::default()
        },
    )
    .unwrap();
    let mut stages = Vec::new();
    let joined = join_wifi(
        &a,
        "Neighbour-5G",
        &Secret::new("sandbox-neighbour"),
        within,
        |p| stages.push(p),
    )
    .await
    .unwrap();
    assert_eq!(
        (joined.ssid.as_str(), joined.rssi, joined.signal.as_deref()),
        ("Neighbour-5G", Some(-71), Some("fair"))
    );
    assert!(joined.back_after_ms >= 700, "{joined:?}");
    assert_eq!(stages[0], WifiProgress::Sending);
    assert!(
        stages
            .iter()
            .any(|s| matches!(s, WifiProgress::Reconnecting { .. })),
        "progress while the Zap is away: {stages:?}"
    );

    // An open network takes no passphrase; a Zap that stays away past the limit gets its sentence.
    sb.set_zap_faults(
        &serial,
        &ZapFaultUpdate {
            wifi_reconnect_ms: Some(5_000),
            ..Default::default()
        },
    )
    .unwrap();
    let e = join_wifi(
        &a,
        "Guest",
        &Secret::new(""),
        Duration::from_secs(1),
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(
        e.user_message().contains("has not answered for 1 s")
            && e.user_message().contains("“Guest”"),
        "{}",
        e.user_message()
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn field_devices_form_add_refusals_readings_publishing_remove_and_old_firmware() {
    let first = Ipv4Addr::new(127, 0, 6, 34);
    let (sb, a) = sandbox(first).await;
    let serial = sb.zaps()[0].serial.clone();

    // The form, as the Zap describes it.
    let form = device_form(&a).await.unwrap();
    let tcp = form.iter().find(|c| c.conn_type == "modbus_tcp").unwrap();
    let port = tcp.params.iter().find(|p| p.name == "port").unwrap();
    assert_eq!(
        (port.kind.as_str(), port.required, port.default.as_deref()),
        ("int", false, Some("502"))
    );
    let profile = tcp.params.iter().find(|p| p.name == "profile").unwrap();
    assert!(profile.required);
    let choices: Vec<_> = profile.choices.iter().map(|c| c.profile.as_str()).collect();
    assert!(
        choices.contains(&"sungrow") && !choices.contains(&"p1"),
        "{choices:?}"
    );
    let mqtt = form.iter().find(|c| c.conn_type == "mqtt").unwrap();
    assert!(mqtt.params.iter().any(|p| p.name == "password" && p.secret));

    // Out of range and a missing profile: refused here, nothing sent.
    let bad = values(&[("ip", "127.0.6.60"), ("port", "70000"), ("unit_id", "1")]);
    match add_field_device(&a, "modbus_tcp", &bad).await.unwrap() {
        AddDevice::Invalid {
            sent,
            fields,
            message,
        } => {
            assert!(!sent);
            let names: Vec<_> = fields.iter().map(|f| f.0.as_str()).collect();
            assert_eq!(names, ["port", "profile"], "{fields:?}");
            assert!(message.contains("nothing was sent"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    assert!(field_devices(&a).await.unwrap().is_empty());
    let e = add_field_device(&a, "lora", &bad).await.unwrap_err();
    assert!(e.user_message().contains("no connection type “lora”"));

    // Added: listed with where it is, its DERs not yet publishing.
    let good = values(&[
        ("ip", "127.0.6.60"),
        ("port", "502"),
        ("unit_id", "1"),
        ("profile", "sungrow"),
    ]);
    let sn = match add_field_device(&a, "modbus_tcp", &good).await.unwrap() {
        AddDevice::Added { sn, ders } => {
            assert!(
                ders.iter().all(|d| !d.publishing) && ders.len() == 3,
                "{ders:?}"
            );
            sn
        }
        other => panic!("{other:?}"),
    };
    let list = field_devices(&a).await.unwrap();
    assert_eq!(list.len(), 1);
    let d = &list[0];
    assert_eq!(
        (
            d.sn.as_str(),
            d.connected,
            d.profile.as_deref(),
            d.endpoint.as_deref()
        ),
        (
            sn.as_str(),
            Some(true),
            Some("sungrow"),
            Some("127.0.6.60:502 unit 1")
        )
    );

    // The Zap's own answers: duplicate (409), device not answering (503), refused config (400).
    let e = add_field_device(&a, "modbus_tcp", &good).await.unwrap_err();
    assert!(
        e.user_message()
            .contains("already has a device at 127.0.6.60:502 unit 1"),
        "{}",
        e.user_message()
    );
    let silent = values(&[("ip", "203.0.113.9"), ("profile", "sma")]);
    let e = add_field_device(&a, "modbus_tcp", &silent)
        .await
        .unwrap_err();
    assert!(
        e.user_message()
            .contains("could not connect to the device at 203.0.113.9"),
        "{}",
        e.user_message()
    );
    // The SDK's rule lets unit id 0 through (broadcast); this Zap refuses it on RTU.
    let rtu = values(&[("unit_id", "0"), ("profile", "sungrow")]);
    match add_field_device(&a, "modbus_rtu", &rtu).await.unwrap() {
        AddDevice::Invalid { sent, fields, .. } => {
            assert!(sent);
            assert_eq!(fields.first().map(|f| f.0.as_str()), Some("unit_id"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        field_devices(&a).await.unwrap().len(),
        1,
        "nothing half-added"
    );

    // Its latest readings, per DER, with the platform's field names.
    let r = device_readings(&a, &sn).await.unwrap();
    assert_eq!(r.format.as_deref(), Some("sungrow"));
    let ders: Vec<_> = r.ders.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(ders, ["battery", "meter", "pv"]);
    assert!(r.ders.iter().all(|(_, v)| v.iter().any(|f| f.field == "W")));

    // Publishing per DER.
    let ders = set_der_publishing(&a, &sn, "pv", true).await.unwrap();
    let on: Vec<_> = ders
        .iter()
        .filter(|d| d.publishing)
        .map(|d| d.der_type.as_str())
        .collect();
    assert_eq!(on, ["pv"]);
    let e = set_der_publishing(&a, &sn, "v2x_charger", true)
        .await
        .unwrap_err();
    assert!(e.user_message().contains("no v2x_charger DER"), "{e}");
    let ders = set_der_publishing(&a, &sn, "pv", false).await.unwrap();
    assert!(ders.iter().all(|d| !d.publishing));

    // Old firmware: the bare list with serial_number/connection_status reads alike.
    sb.set_zap_faults(
        &serial,
        &ZapFaultUpdate {
            old_firmware: Some(true),
            ..Default::default()
        },
    )
    .unwrap();
    let old = field_devices(&a).await.unwrap();
    assert_eq!(
        old.iter()
            .map(|d| (d.sn.as_str(), d.connected))
            .collect::<Vec<_>>(),
        [(sn.as_str(), Some(true))]
    );

    // Removed; removing again says it is gone.
    remove_field_device(&a, &sn).await.unwrap();
    assert!(field_devices(&a).await.unwrap().is_empty());
    let e = remove_field_device(&a, &sn).await.unwrap_err();
    assert!(e.user_message().contains("has no device"), "{e}");
    let e = device_readings(&a, &sn).await.unwrap_err();
    assert!(e.user_message().contains("has no device"), "{e}");
    sb.shutdown().await;
}
