//! Onboarding from the command line alone against sandbox Zaps on their own loopback addresses:
//! discover (sweep) → add a field device → claim → provision → publish → first reading.

mod common;

use std::net::Ipv4Addr;

use common::{run, run_with, Run};
use novacore_sim::Sandbox;

fn cli(url: &str, key: &str, args: &[&str]) -> Run {
    let mut all = vec!["--env", url, "--identity", key];
    all.extend_from_slice(args);
    run_with("none", &all)
}

#[test]
fn discover_add_claim_provision_publish_first_reading() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let first = Ipv4Addr::new(127, 0, 2, 2);
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = rt
        .block_on(
            Sandbox::builder()
                .seed(21)
                .zaps(2)
                .demo(false)
                .zaps_on_loopback(first, port)
                .web_page_host(std::net::SocketAddr::from(([127, 0, 2, 50], port)))
                .sample_interval(std::time::Duration::from_millis(100))
                .start(),
        )
        .unwrap();
    let url = sb.base_url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());
    let port_s = port.to_string();

    // Discover: a sweep of 127.0.2.0/24 finds both Zaps and not the router page.
    let found = run(&[
        "--json",
        "zap",
        "discover",
        "--subnet",
        "127.0.2.0/24",
        "--port",
        &port_s,
        "--no-mdns",
        "--probe-timeout-ms",
        "800",
    ])
    .ok()
    .json();
    let found = found.as_array().unwrap();
    assert_eq!(found.len(), 2, "{found:?}");
    let zap = sb.zaps()[0].clone();
    let row = found
        .iter()
        .find(|r| r["serial"] == zap.serial.as_str())
        .expect("first Zap discovered");
    assert_eq!(row["url"], zap.url.as_str());
    assert_eq!(row["devices"], 0);
    // The installer types the address as shown: host[:port], no scheme.
    let addr = row["address"].as_str().unwrap().to_string();

    let page = run(&["zap", "info", "--zap", &sb.web_pages()[0]]);
    assert_eq!(page.code, 1);
    assert!(
        page.stderr
            .contains("answers with a web page, not a Zap's API"),
        "{}",
        page.stderr
    );

    // Add a field device: checked against the Zap's parameter list first.
    let bad = run(&[
        "zap",
        "devices",
        "add",
        "--zap",
        &addr,
        "--type",
        "modbus_tcp",
        "ip=127.0.0.99",
        "profile=sungrow",
        "unit_id=300",
    ]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("unit_id"), "{}", bad.stderr);
    let added = run(&[
        "--json",
        "zap",
        "devices",
        "add",
        "--zap",
        &addr,
        "--type",
        "modbus_tcp",
        "ip=127.0.0.99",
        "port=502",
        "profile=sungrow",
    ])
    .ok()
    .json();
    let sn = added["sn"].as_str().unwrap().to_string();
    let listed = run(&["--json", "zap", "devices", "--zap", &addr])
        .ok()
        .json();
    assert_eq!(listed[0]["sn"], sn.as_str());
    assert_eq!(listed[0]["connected"], true);
    let types = run(&["--json", "zap", "devices", "types", "--zap", &addr])
        .ok()
        .json();
    assert!(types
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["type"] == "modbus_tcp"));

    // Claim and provision.
    let org = cli(&url, &key, &["--json", "orgs", "create", "Installs"])
        .ok()
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let site = cli(
        &url,
        &key,
        &["--json", "sites", "create", "--org", &org, "Roof"],
    )
    .ok()
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    cli(
        &url,
        &key,
        &["gateways", "claim", "--zap", &addr, "--org", &org],
    )
    .ok();
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        serde_json::json!({"gateway_serial": zap.serial, "hardware_id": sn, "device_type": "inverter",
            "site_id": site, "name": "Inverter", "manufacturer": "Sungrow",
            "ders": [{"name": "pv-1", "type": "solar"}, {"name": "bat-1", "type": "battery"},
                     {"name": "meter-1", "type": "meter"}]})
        .to_string(),
    )
    .unwrap();
    let prov = cli(
        &url,
        &key,
        &[
            "--json",
            "devices",
            "provision",
            "--file",
            spec.to_str().unwrap(),
        ],
    )
    .ok()
    .json();
    assert_eq!(prov["created"], true, "{prov}");

    // Publish on the Zap, then the site's stream carries the device's first reading.
    let p = run(&[
        "--json", "zap", "publish", "on", "--zap", &addr, "--sn", &sn,
    ])
    .ok()
    .json();
    assert_eq!(p["ders"], serde_json::json!(["pv", "battery", "meter"]));
    let lines = cli(&url, &key, &["stream", "--site", &site, "--limit", "1"]).ok();
    let reading: serde_json::Value =
        serde_json::from_str(lines.stdout.lines().next().expect("a reading")).unwrap();
    assert_eq!(reading["site_id"], site.as_str());
    assert_eq!(reading["device_id"], prov["device_id"]);

    // Off again, and release the gateway.
    run(&[
        "zap", "publish", "off", "--zap", &addr, "--sn", &sn, "--der", "pv",
    ])
    .ok();
    cli(&url, &key, &["gateways", "release", &zap.serial]).ok();
    let left = cli(&url, &key, &["--json", "gateways", "list", "--org", &org])
        .ok()
        .json();
    assert_eq!(left.as_array().map(Vec::len), Some(0), "{left}");
    rt.block_on(sb.shutdown());
}

#[test]
fn wifi_scan_set_and_device_data_remove() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = rt
        .block_on(Sandbox::builder().seed(22).zaps(1).start())
        .unwrap();
    let zap = sb.zaps()[0].clone();
    // The Zap drops off the LAN for 800 ms after a Wi-Fi change, as a real one does.
    sb.set_zap_faults(
        &zap.serial,
        &novacore_sim::ZapFaultUpdate {
            wifi_reconnect_ms: Some(800),
            ..Default::default()
        },
    )
    .unwrap();
    let nets = run(&[
        "--json", "zap", "wifi", "scan", "--zap", &zap.url, "--settle", "0",
    ])
    .ok()
    .json();
    let rssi: Vec<i64> = nets
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["rssi"].as_i64().unwrap())
        .collect();
    assert!(
        rssi.len() >= 2 && rssi.windows(2).all(|w| w[0] >= w[1]),
        "{nets}"
    );

    let psk = "correct horse battery staple";
    let set = |ssid: &str| {
        Run::from_output(
            common::novacore("none")
                .env("NOVACORE_WIFI_PSK", psk)
                .args([
                    "--json", "zap", "wifi", "set", "--zap", &zap.url, "--ssid", ssid, "--wait",
                    "5",
                ])
                .output()
                .unwrap(),
        )
    };
    let joined = set("Guest").ok();
    let v = joined.json();
    assert_eq!(v["ssid"], "Guest");
    assert!(v["back_after_ms"].as_u64().unwrap() >= 500, "{v}");
    assert!(!joined.stdout.contains(psk) && !joined.stderr.contains(psk));
    let refused = set("Nowhere");
    assert_eq!(refused.code, 1);
    assert!(!refused.stdout.contains(psk) && !refused.stderr.contains(psk));
    assert!(
        refused.stderr.contains("Failed to connect to WiFi"),
        "{}",
        refused.stderr
    );
    let no_psk = run(&["zap", "wifi", "set", "--zap", &zap.url, "--ssid", "Guest"]);
    assert_eq!(no_psk.code, 2, "{}", no_psk.stderr);

    let devs = run(&["--json", "zap", "devices", "--zap", &zap.url])
        .ok()
        .json();
    let sn = devs[0]["sn"].as_str().unwrap().to_string();
    let data = run(&["--json", "zap", "devices", "data", "--zap", &zap.url, &sn])
        .ok()
        .json();
    assert!(data["format"].is_string(), "{data}");
    run(&["zap", "devices", "remove", "--zap", &zap.url, &sn]).ok();
    let gone = run(&["zap", "devices", "remove", "--zap", &zap.url, &sn]);
    assert_eq!(gone.code, 1);
    assert!(gone.stderr.contains("Device not found"), "{}", gone.stderr);
    rt.block_on(sb.shutdown());
}
