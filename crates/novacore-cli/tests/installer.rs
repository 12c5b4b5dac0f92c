//! The installer's path through the CLI against a shared sandbox: claim → provision → devices
//! and DERs; live readings on `stream`; members; local validation before sending.

mod common;

use common::{run, run_with, Run};
use novacore_sim::Sandbox;

fn cli(url: &str, key: &str, args: &[&str]) -> Run {
    let mut all = vec!["--env", url, "--identity", key];
    all.extend_from_slice(args);
    run_with("none", &all)
}

#[test]
fn claim_provision_inspect_and_stream() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = rt
        .block_on(
            Sandbox::builder()
                .seed(5)
                .zaps(1)
                .sample_interval(std::time::Duration::from_millis(100))
                .start(),
        )
        .unwrap();
    let url = sb.base_url().to_string();
    let zap = sb.zaps()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());

    let org = cli(&url, &key, &["--json", "orgs", "create", "Installs"])
        .ok()
        .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let members = cli(&url, &key, &["--json", "members", "list", "--org", &org])
        .ok()
        .json();
    assert_eq!(members[0]["role"], "owner", "{members}");
    let site = cli(
        &url,
        &key,
        &["--json", "sites", "create", "--org", &org, "Barn"],
    )
    .ok()
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    cli(
        &url,
        &key,
        &["gateways", "claim", "--zap", &zap.url, "--org", &org],
    )
    .ok();

    let on_zap = run(&["--json", "zap", "devices", "--zap", &zap.url])
        .ok()
        .json();
    let sn = on_zap[0]["sn"]
        .as_str()
        .expect("the demo Zap has devices")
        .to_string();

    // Local validation stops a bad spec before any request: field named, exit 1.
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        serde_json::json!({"gateway_serial": zap.serial, "hardware_id": sn, "device_type": "inverter",
            "site_id": site, "ders": [{"name": "pv one!", "type": "solar"}]})
        .to_string(),
    )
    .unwrap();
    let r = cli(
        &url,
        &key,
        &["devices", "provision", "--file", bad.to_str().unwrap()],
    );
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("ders[0].name"), "{}", r.stderr);

    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        serde_json::json!({"gateway_serial": zap.serial, "hardware_id": sn, "device_type": "inverter",
            "site_id": site, "name": "Inverter", "ders": [{"name": "pv-1", "type": "solar"},
            {"name": "bat-1", "type": "battery"}]})
        .to_string(),
    )
    .unwrap();
    let spec = spec.to_str().unwrap();
    let first = cli(
        &url,
        &key,
        &["--json", "devices", "provision", "--file", spec],
    )
    .ok()
    .json();
    assert_eq!(first["created"], true, "{first}");
    let again = cli(
        &url,
        &key,
        &["--json", "devices", "provision", "--file", spec],
    )
    .ok()
    .json();
    assert_eq!(
        again["created"], false,
        "a retried provision never creates a second device"
    );
    assert_eq!(again["device_id"], first["device_id"]);
    let device_id = first["device_id"].as_str().unwrap();

    let device = cli(&url, &key, &["--json", "devices", "get", device_id])
        .ok()
        .json();
    assert_eq!(device["hardware_id"], sn.as_str());
    let listed = cli(&url, &key, &["sites", "devices", &site]).ok();
    assert!(listed.stdout.contains(device_id), "{}", listed.stdout);
    let der_id = first["ders"][0]["id"].as_str().unwrap();
    let der = cli(&url, &key, &["--json", "ders", "get", der_id])
        .ok()
        .json();
    assert_eq!(der["id"], der_id);
    cli(
        &url,
        &key,
        &["devices", "rename", device_id, "Main inverter"],
    )
    .ok();

    // A demo site publishes from the start (the new DERs only once enabled on the Zap).
    let sites = cli(&url, &key, &["--json", "sites", "list"]).ok().json();
    let demo = sites
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] != site.as_str())
        .expect("demo sites")["id"]
        .as_str()
        .unwrap()
        .to_string();
    let lines = cli(&url, &key, &["stream", "--site", &demo, "--limit", "3"]).ok();
    let readings: Vec<serde_json::Value> = lines
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(readings.len(), 3);
    assert!(readings
        .iter()
        .all(|r| r["site_id"] == demo.as_str() && r["timestamp"].is_i64()));

    let missing = cli(
        &url,
        &key,
        &["stream", "--site", "sit-nope", "--limit", "1"],
    );
    assert_eq!(missing.code, 1, "{}", missing.stderr);
}
