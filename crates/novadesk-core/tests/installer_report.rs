//! The commissioning report against an in-process Sandbox whose Zaps serve on their own loopback
//! addresses (127.0.12.x, a block no other test uses): made and signed by the Zap, verified with
//! the platform's key; one changed byte, another Zap's signature and an impostor's key (the
//! platform holds another key for that gateway) each fail with their sentence.

mod common;

use std::net::Ipv4Addr;
use std::time::Duration;

use common::signed_in;
use novacore::report::{ReportBody, ReportSignature, SignedReport, ALGORITHM};
use novacore_sim::{Sandbox, SandboxHandle};
use novadesk_core::*;
use p256::ecdsa::signature::Signer;

async fn sandbox(first: Ipv4Addr, zaps: usize) -> (SandboxHandle, Vec<String>) {
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = Sandbox::builder()
        .seed(47)
        .zaps(zaps)
        .demo(false)
        .sample_interval(Duration::from_millis(200))
        .zaps_on_loopback(first, port)
        .start()
        .await
        .unwrap();
    let addrs = sb
        .zaps()
        .iter()
        .map(|z| z.url.trim_start_matches("http://").to_string())
        .collect();
    (sb, addrs)
}

/// Claimed, with one field device provisioned to a site: the report has something to say.
async fn commissioned(ws: &Workspace, address: &str) -> (String, String) {
    let org = create_organization(ws, "Installs").await.unwrap();
    let site = create_site(
        ws,
        NewSiteInput {
            org_id: org.id.clone(),
            name: "Roof".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        },
    )
    .await
    .unwrap();
    let sn = novacore::zap::ZapClient::new(address)
        .unwrap()
        .add_device(&serde_json::json!({"type": "modbus_tcp", "ip": "127.0.0.99", "port": 502, "profile": "sungrow"}))
        .await
        .unwrap()
        .sn;
    claim_zap(ws, address, &org.id, false).await.unwrap();
    let done = provision_device(
        ws,
        &ProvisionInput {
            zap_address: address.into(),
            device_sn: sn.clone(),
            site_id: site.id.clone(),
            device_type: "inverter".into(),
            name: Some("Inverter".into()),
            manufacturer: Some("Sungrow".into()),
            model: None,
            ders: vec![
                ("pv-1".into(), "solar".into()),
                ("bat-1".into(), "battery".into()),
            ],
        },
    )
    .await
    .unwrap();
    (org.id, done.device.id)
}

fn check<'a>(v: &'a ReportVerification, name: &str) -> &'a ReportCheck {
    v.checks.iter().find(|c| c.check == name).unwrap()
}

fn failed(v: &ReportVerification) -> Vec<(String, Option<String>)> {
    v.checks
        .iter()
        .filter(|c| c.status == "failed")
        .map(|c| (c.check.clone(), c.problem.clone()))
        .collect()
}

/// The report's body and signature block, from its file.
fn parts(json: &str) -> (ReportBody, ReportSignature) {
    let v: serde_json::Value = serde_json::from_str(json).unwrap();
    (
        serde_json::from_value(v.clone()).unwrap(),
        serde_json::from_value(v["signature"].clone()).unwrap(),
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn made_signed_verified_and_every_forgery_named() {
    let (sb, addrs) = sandbox(Ipv4Addr::new(127, 0, 12, 2), 2).await;
    let ws = signed_in(&sb).await;
    let zap = sb.zaps()[0].clone();

    // Not claimed yet: no report.
    let early = make_report(&ws, &addrs[0]).await.unwrap_err();
    assert!(early.to_string().contains("claim it first"), "{early}");

    let (org, device_id) = commissioned(&ws, &addrs[0]).await;
    let made = make_report(&ws, &addrs[0]).await.unwrap();
    assert_eq!(made.serial, zap.serial);
    assert!(made
        .file_stem
        .starts_with(&format!("commissioning-{}-", zap.serial)));
    let (body, sig) = parts(&made.json);
    assert_eq!(body.gateway.public_key, zap.public_key);
    assert_eq!(body.gateway.org_id.as_deref(), Some(org.as_str()));
    assert_eq!(body.installer_identity, ws.identity_id);
    assert!(
        body.wifi.ssid.is_some() && body.wifi.rssi_dbm.is_some(),
        "{body:?}"
    );
    let device = &body.field_devices[0];
    let prov = device.provisioned.as_ref().expect("provisioned");
    assert_eq!(prov.device_id, device_id);
    assert_eq!(prov.ders.len(), 2);
    assert!(prov.ders.iter().all(|d| d.id.starts_with("der-")));
    assert_eq!(body.health.len(), 6);
    assert!(sig.message.starts_with(&format!("{}|", made.digest)));
    assert!(sig.message.ends_with(&format!("|{}", zap.serial)));
    assert!(made.html.contains(&zap.serial) && made.html.contains(&made.digest));
    assert!(!made.html.contains("<script"));

    // The whole report verifies, the platform's key included.
    let v = verify_report(Some(&ws), made.json.as_bytes())
        .await
        .unwrap();
    assert!(v.ok, "{v:#?}");
    assert!(v.checks.iter().all(|c| c.status == "passed"), "{v:#?}");
    assert_eq!(v.serial.as_deref(), Some(zap.serial.as_str()));
    // Offline (no workspace): everything but the platform check.
    let offline = verify_report(None, made.json.as_bytes()).await.unwrap();
    assert!(offline.ok);
    assert_eq!(check(&offline, "platform_key").status, "unchecked");

    // One byte changed: the digest differs, and the sentence says so.
    let at = made.json.find("\"Inverter\"").unwrap() + 1;
    let mut tampered = made.json.clone().into_bytes();
    tampered[at] = b'J';
    let v = verify_report(Some(&ws), &tampered).await.unwrap();
    assert!(!v.ok);
    assert_eq!(
        failed(&v),
        vec![("digest".to_string(), Some("digest_differs".to_string()))]
    );
    assert!(check(&v, "digest")
        .sentence
        .contains("changed after it was signed"));

    // Another Zap signs this report's digest: not the report's gateway, not its key.
    let other = novacore::zap::ZapClient::new(&addrs[1]).unwrap();
    let answer = other.sign(Some(&made.digest), None).await.unwrap();
    let forged = SignedReport {
        body: body.clone(),
        signature: ReportSignature {
            message: answer.message,
            sign: answer.sign,
            ..sig.clone()
        },
    };
    let v = verify_report(Some(&ws), forged.to_json().unwrap().as_bytes())
        .await
        .unwrap();
    assert_eq!(
        failed(&v),
        vec![
            (
                "signer".to_string(),
                Some("signed_by_another_zap".to_string())
            ),
            (
                "signature".to_string(),
                Some("signature_invalid".to_string())
            ),
        ]
    );
    assert!(check(&v, "signer").sentence.contains(&sb.zaps()[1].serial));

    // An impostor with the gateway's serial but its own key: a self-consistent report whose key
    // the platform does not hold for that gateway.
    let impostor = p256::ecdsa::SigningKey::from_slice(&[42u8; 32]).unwrap();
    let mut fake = body.clone();
    fake.gateway.public_key =
        hex::encode(impostor.verifying_key().to_encoded_point(false).as_bytes());
    let digest = fake.digest().unwrap();
    let message = format!("{digest}|123456|2026-12-05T01:00:00Z|{}", zap.serial);
    let signature: p256::ecdsa::Signature = impostor.sign(message.as_bytes());
    let forged = SignedReport {
        body: fake,
        signature: ReportSignature {
            algorithm: ALGORITHM.into(),
            digest,
            message,
            sign: hex::encode(signature.to_bytes()),
        },
    };
    let file = forged.to_json().unwrap();
    assert!(verify_report(None, file.as_bytes()).await.unwrap().ok);
    let v = verify_report(Some(&ws), file.as_bytes()).await.unwrap();
    assert_eq!(
        failed(&v),
        vec![(
            "platform_key".to_string(),
            Some("key_not_the_gateways".to_string())
        )]
    );
    assert!(check(&v, "platform_key")
        .sentence
        .contains("does not belong to the gateway"));

    // Not ours, truncated.
    let v = verify_report(Some(&ws), b"{\"hello\": 1}").await.unwrap();
    assert_eq!(
        failed(&v),
        vec![("readable".to_string(), Some("not_ours".to_string()))]
    );
    let v = verify_report(Some(&ws), &made.json.as_bytes()[..100])
        .await
        .unwrap();
    assert_eq!(
        failed(&v),
        vec![("readable".to_string(), Some("truncated".to_string()))]
    );
    sb.shutdown().await;
}
