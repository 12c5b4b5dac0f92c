use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};

use super::*;
use crate::models::Gateway;

/// A stand-in Zap: its serial and key, signing as the firmware does (§5.6).
struct FakeZap {
    serial: String,
    key: SigningKey,
}

impl FakeZap {
    fn new(seed: u8, serial: &str) -> Self {
        Self {
            serial: serial.into(),
            key: SigningKey::from_slice(&[seed; 32]).unwrap(),
        }
    }
    fn public_key(&self) -> String {
        hex::encode(self.key.verifying_key().to_encoded_point(false).as_bytes())
    }
    fn sign(&self, message: &str) -> SignResponse {
        let payload = format!("{message}|123456|2026-12-05T01:00:00Z|{}", self.serial);
        let sig: Signature = self.key.sign(payload.as_bytes());
        SignResponse {
            sign: hex::encode(sig.to_bytes()),
            message: payload,
        }
    }
}

fn body(zap: &FakeZap) -> ReportBody {
    ReportBody {
        format: REPORT_FORMAT.into(),
        version: REPORT_VERSION,
        made_at: "2026-12-05T01:00:00Z".into(),
        zap_time: Some("2026-12-05T01:00:01Z".into()),
        installer_identity: "idt-installer".into(),
        gateway: ReportGateway {
            serial: zap.serial.clone(),
            public_key: zap.public_key(),
            firmware: Some("1.9.22".into()),
            org_id: Some("org-1".into()),
            org_name: Some("Installs".into()),
        },
        wifi: ReportWifi {
            ssid: Some("Home".into()),
            rssi_dbm: Some(-52),
        },
        field_devices: vec![ReportDevice {
            sn: "INV001".into(),
            device_type: Some("inverter".into()),
            profile: Some("sungrow".into()),
            connection: Some("modbus_tcp".into()),
            connected: Some(true),
            publishing: vec!["pv".into()],
            provisioned: Some(ReportProvisioned {
                device_id: "dev-1".into(),
                site_id: Some("sit-1".into()),
                name: Some("Inverter".into()),
                device_type: Some("inverter".into()),
                state: Some("active".into()),
                created_at: None,
                ders: vec![ReportDer {
                    id: "der-1".into(),
                    name: "pv-1".into(),
                    der_type: "solar".into(),
                }],
            }),
        }],
        health: vec![ReportLink {
            link: "reachable".into(),
            status: "green".into(),
            value: "3 ms".into(),
            advice: None,
        }],
    }
}

fn signed_file(zap: &FakeZap) -> String {
    let b = body(zap);
    let answer = zap.sign(&sign_request(&b).unwrap());
    SignedReport::assemble(b, answer)
        .unwrap()
        .to_json()
        .unwrap()
}

fn failed(v: &Verification) -> Vec<(CheckKind, Problem)> {
    v.checks
        .iter()
        .filter(|c| c.status == CheckStatus::Failed)
        .map(|c| (c.check, c.problem.unwrap()))
        .collect()
}

#[test]
fn a_signed_report_verifies() {
    let zap = FakeZap::new(3, "zap-0000000000000003");
    let file = signed_file(&zap);
    assert!(!file.contains("psk") && !file.contains("passphrase"));
    let v = verify(file.as_bytes());
    assert!(v.ok(), "{v:#?}");
    assert_eq!(failed(&v), vec![]);
    let r = v.report.unwrap();
    assert_eq!(r.serial, zap.serial);
    assert_eq!(r.signed_at.as_deref(), Some("2026-12-05T01:00:00Z"));
    let passed = v
        .checks
        .iter()
        .filter(|c| c.status == CheckStatus::Passed)
        .count();
    assert_eq!(passed, 4);
}

#[test]
fn one_changed_byte_fails_the_digest() {
    let zap = FakeZap::new(3, "zap-0000000000000003");
    let file = signed_file(&zap);
    let at = file.find("-52").unwrap() + 2;
    let mut bytes = file.into_bytes();
    bytes[at] = b'7'; // -52 dBm → -57 dBm
    let v = verify(&bytes);
    assert_eq!(
        failed(&v),
        vec![(CheckKind::Digest, Problem::DigestDiffers)]
    );
    assert!(v
        .first_failure()
        .unwrap()
        .contains("changed after it was signed"));
}

#[test]
fn another_key_or_another_zap_fails() {
    let zap = FakeZap::new(3, "zap-0000000000000003");
    // An impostor with the same serial but its own key signs the report's digest.
    let impostor = FakeZap::new(4, "zap-0000000000000003");
    let b = body(&zap);
    let answer = impostor.sign(&sign_request(&b).unwrap());
    assert!(SignedReport::assemble(b.clone(), answer.clone()).is_err());
    let forged = SignedReport {
        signature: ReportSignature {
            algorithm: ALGORITHM.into(),
            digest: b.digest().unwrap(),
            message: answer.message,
            sign: answer.sign,
        },
        body: b.clone(),
    };
    let v = verify(forged.to_json().unwrap().as_bytes());
    assert_eq!(
        failed(&v),
        vec![(CheckKind::Signature, Problem::SignatureInvalid)]
    );

    // Another Zap signs this report's digest.
    let other = FakeZap::new(5, "zap-0000000000000005");
    let answer = other.sign(&sign_request(&b).unwrap());
    let forged = SignedReport {
        signature: ReportSignature {
            algorithm: ALGORITHM.into(),
            digest: b.digest().unwrap(),
            message: answer.message,
            sign: answer.sign,
        },
        body: b,
    };
    let v = verify(forged.to_json().unwrap().as_bytes());
    assert_eq!(
        failed(&v),
        vec![
            (CheckKind::Signer, Problem::SignedByAnotherZap),
            (CheckKind::Signature, Problem::SignatureInvalid)
        ]
    );
    assert!(v
        .first_failure()
        .unwrap()
        .contains("Signed by another Zap: the signature names zap-0000000000000005"));
}

#[test]
fn truncated_not_ours_not_json_and_unsigned_each_say_so() {
    let zap = FakeZap::new(3, "zap-0000000000000003");
    let file = signed_file(&zap);
    let cases: [(&[u8], Problem); 6] = [
        (&file.as_bytes()[..file.len() / 2], Problem::Truncated),
        (b"", Problem::Truncated),
        (
            br#"{"format": "something-else", "version": 1}"#,
            Problem::NotOurs,
        ),
        (b"%PDF-1.7 not json", Problem::NotJson),
        (
            br#"{"format": "novadesk.commissioning-report", "version": 9}"#,
            Problem::UnknownVersion,
        ),
        (
            br#"{"format": "novadesk.commissioning-report", "version": 1,
                 "gateway": {"serial": "zap-1", "public_key": "04ab"}}"#,
            Problem::Unsigned,
        ),
    ];
    for (bytes, problem) in cases {
        let v = verify(bytes);
        assert!(!v.ok());
        assert_eq!(
            failed(&v),
            vec![(CheckKind::Readable, problem)],
            "{}",
            String::from_utf8_lossy(bytes)
        );
        assert_eq!(v.checks.len(), 5, "every check is listed, made or not");
    }
    let huge = vec![b' '; MAX_REPORT_BYTES + 1];
    assert_eq!(
        failed(&verify(&huge)),
        vec![(CheckKind::Readable, Problem::TooLarge)]
    );
}

#[test]
fn the_platform_key_must_be_the_gateways() {
    let zap = FakeZap::new(3, "zap-0000000000000003");
    let v = verify(signed_file(&zap).as_bytes());
    let report = v.report.clone().unwrap();
    let listed = |key: &str| {
        vec![Gateway {
            serial: zap.serial.clone(),
            org_id: Some("org-1".into()),
            public_key: Some(key.into()),
            identity_id: None,
            claimed_at: None,
            last_seen: None,
        }]
    };
    // The platform keeps the 128-hex form: the same key.
    let same = platform_key_check(&report, &listed(&zap.public_key()[2..]));
    assert_eq!(same.status, CheckStatus::Passed);
    let other = FakeZap::new(9, "zap-x").public_key();
    let wrong = platform_key_check(&report, &listed(&other));
    assert_eq!(wrong.problem, Some(Problem::KeyNotTheGateways));
    let mut v2 = v.clone();
    v2.set_platform(wrong);
    assert!(!v2.ok());
    assert_eq!(v2.checks.len(), 5);
    let absent = platform_key_check(&report, &[]);
    assert_eq!(absent.status, CheckStatus::Unchecked);
}
