//! `novacore report verify` against sandbox Zaps on their own loopback addresses (127.0.12.40+):
//! a report signed by a claimed Zap verifies (the platform's key included); one changed byte,
//! another Zap's signature, a file not ours and a truncated one each fail with exit status 1 and
//! their sentence.

mod common;

use std::net::Ipv4Addr;

use common::{run, run_with, Run};
use novacore::report::{
    sign_request, ReportBody, ReportGateway, ReportSignature, ReportWifi, SignedReport,
    REPORT_FORMAT, REPORT_VERSION,
};
use novacore::ZapClient;
use novacore_sim::Sandbox;

fn cli(url: &str, key: &str, args: &[&str]) -> Run {
    let mut all = vec!["--env", url, "--identity", key];
    all.extend_from_slice(args);
    run_with("none", &all)
}

fn checks(v: &serde_json::Value) -> Vec<(String, String)> {
    v["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["check"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn verify_a_zap_signed_report_and_name_what_does_not_match() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let first = Ipv4Addr::new(127, 0, 12, 40);
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = rt
        .block_on(
            Sandbox::builder()
                .seed(29)
                .zaps(2)
                .demo(false)
                .zaps_on_loopback(first, port)
                .start(),
        )
        .unwrap();
    let url = sb.base_url().to_string();
    let dir = tempfile::tempdir().unwrap();
    let key = common::new_identity(dir.path());
    let zap = sb.zaps()[0].clone();
    let org = cli(&url, &key, &["--json", "orgs", "create", "Installs"])
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
    let me = cli(&url, &key, &["--json", "whoami"]).ok().json();

    // A report made next to the Zap: the Zap signs its digest.
    let body = ReportBody {
        format: REPORT_FORMAT.into(),
        version: REPORT_VERSION,
        made_at: "2026-12-05T02:00:00Z".into(),
        zap_time: None,
        installer_identity: me["identity_id"].as_str().unwrap_or("idt-?").into(),
        gateway: ReportGateway {
            serial: zap.serial.clone(),
            public_key: zap.public_key.clone(),
            firmware: None,
            org_id: Some(org.clone()),
            org_name: Some("Installs".into()),
        },
        wifi: ReportWifi {
            ssid: Some("Home".into()),
            rssi_dbm: Some(-48),
        },
        field_devices: Vec::new(),
        health: Vec::new(),
    };
    let zap_client = ZapClient::new(&zap.url).unwrap();
    let answer = rt
        .block_on(zap_client.sign(Some(&sign_request(&body).unwrap()), None))
        .unwrap();
    let signed = SignedReport::assemble(body.clone(), answer).unwrap();
    let json = signed.to_json().unwrap();
    let file = dir.path().join("report.json");
    std::fs::write(&file, &json).unwrap();
    let path = file.to_str().unwrap();

    let ok = cli(&url, &key, &["--json", "report", "verify", path])
        .ok()
        .json();
    assert_eq!(ok["ok"], true);
    assert!(checks(&ok).iter().all(|(_, s)| s == "passed"), "{ok:#}");
    let human = cli(&url, &key, &["report", "verify", path]).ok();
    assert!(
        human.stdout.contains("the report verifies"),
        "{}",
        human.stdout
    );
    // Offline: the platform is not asked.
    let offline = run(&["--json", "report", "verify", "--offline", path])
        .ok()
        .json();
    assert!(checks(&offline).contains(&("platform_key".into(), "unchecked".into())));

    // One changed byte: exit 1, the digest differs.
    let tampered = dir.path().join("tampered.json");
    std::fs::write(&tampered, json.replace("-48", "-41")).unwrap();
    let bad = cli(
        &url,
        &key,
        &["--json", "report", "verify", tampered.to_str().unwrap()],
    );
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(bad.stderr.contains("report_invalid"), "{}", bad.stderr);
    assert!(
        bad.stderr.contains("changed after it was signed"),
        "{}",
        bad.stderr
    );
    assert!(checks(&bad.json()).contains(&("digest".into(), "failed".into())));

    // Another Zap signs the same digest.
    let other = ZapClient::new(&sb.zaps()[1].url).unwrap();
    let answer = rt
        .block_on(other.sign(Some(&signed.signature.digest), None))
        .unwrap();
    let forged = SignedReport {
        body,
        signature: ReportSignature {
            message: answer.message,
            sign: answer.sign,
            ..signed.signature.clone()
        },
    };
    let forged_file = dir.path().join("forged.json");
    std::fs::write(&forged_file, forged.to_json().unwrap()).unwrap();
    let bad = run(&[
        "report",
        "verify",
        "--offline",
        forged_file.to_str().unwrap(),
    ]);
    assert_eq!(bad.code, 1);
    assert!(
        bad.stderr.contains("Signed by another Zap") && bad.stderr.contains(&sb.zaps()[1].serial),
        "{}",
        bad.stderr
    );

    // Not ours, truncated, missing.
    for (content, says) in [
        (
            "{\"name\": \"a shopping list\"}",
            "not a commissioning report",
        ),
        (&json[..json.len() / 3], "truncated"),
    ] {
        let f = dir.path().join("x.json");
        std::fs::write(&f, content).unwrap();
        let bad = run(&["report", "verify", "--offline", f.to_str().unwrap()]);
        assert_eq!(bad.code, 1);
        assert!(bad.stderr.contains(says), "{}", bad.stderr);
    }
    let missing = run(&["report", "verify", "/nonexistent/report.json"]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("file_error"), "{}", missing.stderr);
    rt.block_on(sb.shutdown());
}
