//! Administrative commands against a shared sandbox: members, renames, deletes, DERs,
//! gateway release, tariffs.

mod common;

use common::{run_with, Run};
use novacore_sim::Sandbox;

fn cli(url: &str, key: &str, args: &[&str]) -> Run {
    let mut all = vec!["--env", url, "--identity", key];
    all.extend_from_slice(args);
    run_with("none", &all)
}

fn id(r: Run) -> String {
    r.ok().json()["id"].as_str().expect("an id").to_string()
}

#[test]
fn members_sites_ders_gateways_and_tariffs() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let sb = rt
        .block_on(Sandbox::builder().seed(3).zaps(1).start())
        .unwrap();
    let url = sb.base_url().to_string();
    let zap = sb.zaps()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let owner = common::new_identity(dir.path());
    let other_dir = tempfile::tempdir().unwrap();
    let other = common::new_identity(other_dir.path());
    let other_id = cli(&url, &other, &["--json", "login"]).ok().json()["identity_id"]
        .as_str()
        .unwrap()
        .to_string();

    let org = id(cli(&url, &owner, &["--json", "orgs", "create", "Admin Co"]));
    cli(
        &url,
        &owner,
        &[
            "members", "add", "--org", &org, &other_id, "--role", "viewer",
        ],
    )
    .ok();
    cli(
        &url,
        &owner,
        &["members", "set-role", "--org", &org, &other_id, "operator"],
    )
    .ok();
    let members = cli(&url, &owner, &["members", "list", "--org", &org]).ok();
    let line = members
        .stdout
        .lines()
        .find(|l| l.contains(&other_id))
        .unwrap_or_else(|| panic!("{}", members.stdout));
    assert!(line.contains("operator"), "{line}");
    cli(
        &url,
        &owner,
        &["members", "remove", "--org", &org, &other_id],
    )
    .ok();
    let members = cli(&url, &owner, &["--json", "members", "list", "--org", &org])
        .ok()
        .json();
    assert!(!members.to_string().contains(&other_id));

    let site = id(cli(
        &url,
        &owner,
        &["--json", "sites", "create", "--org", &org, "Shed"],
    ));
    cli(&url, &owner, &["sites", "rename", &site, "Big shed"]).ok();
    let sites = cli(&url, &owner, &["sites", "list", "--org", &org]).ok();
    assert!(sites.stdout.contains("Big shed"), "{}", sites.stdout);

    // A device to hang a DER on: provision a Zap device into the site.
    cli(
        &url,
        &owner,
        &["gateways", "claim", "--zap", &zap.url, "--org", &org],
    )
    .ok();
    let sn = common::run(&["--json", "zap", "devices", "--zap", &zap.url])
        .ok()
        .json()[0]["sn"]
        .as_str()
        .unwrap()
        .to_string();
    let spec = dir.path().join("spec.json");
    std::fs::write(
        &spec,
        serde_json::json!({"gateway_serial": zap.serial, "hardware_id": sn,
            "device_type": "inverter", "site_id": site, "ders": [{"name": "pv-1", "type": "solar"}]})
        .to_string(),
    )
    .unwrap();
    let device = cli(
        &url,
        &owner,
        &[
            "--json",
            "devices",
            "provision",
            "--file",
            spec.to_str().unwrap(),
        ],
    )
    .ok()
    .json()["device_id"]
        .as_str()
        .unwrap()
        .to_string();
    let der = cli(
        &url,
        &owner,
        &[
            "--json", "ders", "add", "--device", &device, "--name", "bat-1", "--type", "battery",
        ],
    )
    .ok()
    .json();
    assert_eq!(der["name"], "bat-1");
    cli(&url, &owner, &["devices", "delete", &device]).ok();
    let gone = cli(&url, &owner, &["devices", "get", &device]);
    assert_eq!(gone.code, 1, "{}", gone.stdout);
    cli(&url, &owner, &["gateways", "release", &zap.serial]).ok();
    let gws = cli(&url, &owner, &["--json", "gateways", "list", "--org", &org])
        .ok()
        .json();
    assert!(!gws.to_string().contains(&zap.serial), "{gws}");
    cli(&url, &owner, &["sites", "delete", &site]).ok();
    cli(&url, &owner, &["orgs", "delete", &org]).ok();

    let found = cli(
        &url,
        &owner,
        &[
            "--json", "tariffs", "lookup", "--lat", "59.33", "--lon", "18.07",
        ],
    )
    .ok()
    .json();
    let tariff = found["tariffs"][0]["id"].as_str().unwrap().to_string();
    let shown = cli(&url, &owner, &["tariffs", "show", &tariff]).ok();
    assert!(
        shown.stdout.contains("power") && shown.stdout.contains("fixed"),
        "{}",
        shown.stdout
    );
}
