//! The binary against a sandbox: `--env sandbox` (in-process, one per command) and a sandbox
//! started by the test on 127.0.0.1:0 that several commands share.

mod common;

use common::{run, run_with, Run};
use novacore_sim::{Sandbox, SandboxHandle};

/// A sandbox kept running on its own runtime while the test runs the binary.
struct Shared {
    handle: SandboxHandle,
    _rt: tokio::runtime::Runtime,
}

fn shared_sandbox() -> Shared {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let handle = rt
        .block_on(Sandbox::builder().seed(11).zaps(1).start())
        .unwrap();
    Shared { handle, _rt: rt }
}

fn with_env(url: &str, key: &str, store: &str, args: &[&str]) -> Run {
    let mut all = vec!["--env", url, "--identity", key];
    all.extend_from_slice(args);
    run_with(store, &all)
}

#[test]
fn env_sandbox_serves_a_demo_world_per_command() {
    let orgs = run(&["--env", "sandbox", "--json", "orgs", "list"])
        .ok()
        .json();
    assert!(!orgs.as_array().unwrap().is_empty(), "{orgs}");
    let table = run(&["--env", "sandbox", "sites", "list"]).ok();
    assert!(table.stdout.starts_with("ID"), "{}", table.stdout);
    let who = run(&["--env", "sandbox", "--json", "whoami"]).ok().json();
    assert!(who["identity_id"].as_str().unwrap().starts_with("idt-"));
}

#[test]
fn login_caches_the_token_and_org_changes_persist_on_a_shared_sandbox() {
    let sb = shared_sandbox();
    let url = sb.handle.base_url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());
    let store_dir = dir.path().join("store");
    let store = format!("dir:{}", store_dir.display());

    let login = with_env(&url, &key, &store, &["--json", "login"])
        .ok()
        .json();
    let cached: Vec<_> = std::fs::read_dir(&store_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(cached.len(), 1, "one token entry for this environment");
    let entry = std::fs::read_to_string(store_dir.join(&cached[0])).unwrap();
    let entry: serde_json::Value = serde_json::from_str(&entry).unwrap();
    // whoami reuses the cached session: same expiry, no new login.
    let who = with_env(&url, &key, &store, &["--json", "whoami"])
        .ok()
        .json();
    assert_eq!(who["token_expires_at"], login["token_expires_at"]);
    assert_eq!(who["identity_id"], entry["identity_id"]);

    let created = with_env(
        &url,
        &key,
        &store,
        &["--json", "orgs", "create", "CLI Test Org"],
    )
    .ok()
    .json();
    let org_id = created["id"].as_str().unwrap().to_string();
    let listed = with_env(&url, &key, &store, &["--json", "orgs", "list"])
        .ok()
        .json();
    assert!(listed
        .as_array()
        .unwrap()
        .iter()
        .any(|o| o["id"] == org_id.as_str() && o["name"] == "CLI Test Org"));
    with_env(&url, &key, &store, &["orgs", "rename", &org_id, "Renamed"]).ok();

    let site = with_env(
        &url,
        &key,
        &store,
        &[
            "--json",
            "sites",
            "create",
            "--org",
            &org_id,
            "--lat",
            "59.33",
            "--lon",
            "18.07",
            "--timezone",
            "Europe/Stockholm",
            "--price-area",
            "SE3",
            "Roof",
        ],
    )
    .ok()
    .json();
    assert_eq!(site["name"], "Roof");
    let sites = with_env(&url, &key, &store, &["sites", "list", "--org", &org_id]).ok();
    assert!(
        sites.stdout.contains("Roof") && sites.stdout.contains("SE3"),
        "{}",
        sites.stdout
    );

    // Server errors keep their code and message, exit 1.
    let missing = with_env(
        &url,
        &key,
        &store,
        &["orgs", "delete", "org-does-not-exist"],
    );
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("not_found"), "{}", missing.stderr);
}

#[test]
fn prices_history_and_cost_against_the_sandbox() {
    let sb = shared_sandbox();
    let url = sb.handle.base_url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());

    let prices = with_env(
        &url,
        &key,
        "none",
        &["--json", "prices", "--area", "SE3", "--date", "2026-03-06"],
    )
    .ok()
    .json();
    let slots = prices["prices"].as_array().unwrap();
    assert!(
        slots.len() == 96 || slots.len() == 24,
        "{} slots",
        slots.len()
    );

    let sites = with_env(&url, &key, "none", &["--json", "sites", "list"])
        .ok()
        .json();
    let site = sites
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["price_area"] == "SE3" && s["location"].is_object())
        .expect("a demo site in SE3 with a location")["id"]
        .as_str()
        .unwrap()
        .to_string();

    // Yesterday (sandbox clock) in CSV.
    let now = chrono::DateTime::from_timestamp_millis(sb.handle.now_ms()).unwrap();
    let from = (now - chrono::TimeDelta::days(1))
        .format("%Y-%m-%dT%H:00:00Z")
        .to_string();
    let to = (now - chrono::TimeDelta::hours(23))
        .format("%Y-%m-%dT%H:00:00Z")
        .to_string();
    let csv = with_env(
        &url,
        &key,
        "none",
        &[
            "history",
            "--site",
            &site,
            "--from",
            &from,
            "--to",
            &to,
            "--resolution",
            "15m",
        ],
    )
    .ok();
    let mut lines = csv.stdout.lines();
    assert_eq!(
        lines.next(),
        Some("der_id,device_id,type,ts,n,field,avg,min,max,last")
    );
    assert!(csv
        .stdout
        .lines()
        .any(|l| l.contains(",meter,") && l.contains(",W,")));

    let day = (now - chrono::TimeDelta::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let next = (now - chrono::TimeDelta::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let cost = with_env(
        &url,
        &key,
        "none",
        &[
            "--json", "cost", "--site", &site, "--from", &day, "--to", &next,
        ],
    )
    .ok()
    .json();
    let r = &cost["report"];
    assert!(cost["tariff_id"].is_string(), "{cost}");
    assert!(r["import_kwh"].as_f64().unwrap() > 0.0, "{r}");
    assert!(r["fixed_fee"].as_f64().unwrap() > 0.0);
    let parts = ["spot_cost", "grid_energy_fee", "power_charge", "fixed_fee"]
        .iter()
        .map(|k| r[k].as_f64().unwrap())
        .sum::<f64>()
        - r["export_revenue"].as_f64().unwrap();
    assert!((parts - r["total_ex_vat"].as_f64().unwrap()).abs() < 1e-6);
    assert!(r["coverage"]["metered_fraction"].as_f64().unwrap() > 0.9);
    let human = with_env(
        &url,
        &key,
        "none",
        &["cost", "--site", &site, "--from", &day, "--to", &next],
    )
    .ok();
    assert!(human.stdout.contains("total inc VAT"), "{}", human.stdout);
}

#[test]
fn zap_info_and_claim_through_the_cli() {
    let sb = shared_sandbox();
    let url = sb.handle.base_url().to_string();
    let zap = sb.handle.zaps()[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());

    let info = run(&["--json", "zap", "info", "--zap", &zap.url])
        .ok()
        .json();
    assert!(info.is_object(), "{info}");
    let wifi = run(&["--json", "zap", "wifi", "--zap", &zap.url])
        .ok()
        .json();
    assert!(wifi["ssids"].is_array(), "{wifi}");
    let signed = run(&[
        "--json",
        "zap",
        "sign",
        "--zap",
        &zap.url,
        "--message",
        "hello",
    ])
    .ok()
    .json();
    assert_eq!(signed["serial_number"], zap.serial.as_str());
    assert!(
        signed["message"].as_str().unwrap().contains("hello"),
        "{signed}"
    );
    assert!(!signed["signature"].as_str().unwrap().is_empty());
    let devices = run(&["zap", "devices", "--zap", &zap.url]).ok();
    assert!(devices.stdout.starts_with("SN"), "{}", devices.stdout);

    let org = with_env(
        &url,
        &key,
        "none",
        &["--json", "orgs", "create", "Installer"],
    )
    .ok()
    .json()["id"]
        .as_str()
        .unwrap()
        .to_string();
    with_env(
        &url,
        &key,
        "none",
        &["gateways", "claim", "--zap", &zap.url, "--org", &org],
    )
    .ok();
    let gws = with_env(
        &url,
        &key,
        "none",
        &["--json", "gateways", "list", "--org", &org],
    )
    .ok()
    .json();
    assert!(
        gws.as_array()
            .unwrap()
            .iter()
            .any(|g| g["serial"] == zap.serial.as_str()),
        "{gws}"
    );
}
