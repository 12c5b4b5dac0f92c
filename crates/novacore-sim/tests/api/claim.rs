//! Gateway claim (valid, bad signature, malformed, idempotent, transfer) and provisioning.

use p256::ecdsa::signature::Signer;
use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn claim_rules() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let zap = sb.zaps()[0].clone();
    let u = login(base, &key(1)).await;
    let org = new_org(base, &u, "A").await;
    let r = claim_zap(base, &u, &org, &zap.url).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["serial"], zap.serial.as_str());
    let again = claim_zap(base, &u, &org, &zap.url).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["created"], false);
    let gws = get(&format!("{base}/gateways?org_id={org}"), Some(&u.token)).await;
    assert_eq!(gws.body.as_array().unwrap().len(), 1);
    // A proof signed by another key is refused.
    let other = p256::ecdsa::SigningKey::from_slice(&[3u8; 32]).unwrap();
    let msg = format!("{}|123456|2026-03-06T12:00:00Z|{}", u.id, zap.serial);
    let sig: p256::ecdsa::Signature = other.sign(msg.as_bytes());
    let body = |m: &str, s: String| json!({"org_id": org, "gateway_serial": zap.serial, "public_key": zap.public_key, "message": m, "signature": s});
    assert_error(
        &post(
            &format!("{base}/gateways/claim"),
            Some(&u.token),
            body(&msg, hex::encode(sig.to_bytes())),
        )
        .await,
        403,
        "forbidden",
    );
    // Three parts: invalid message format.
    let three = format!("{}|123456|{}", u.id, zap.serial);
    let sig3: p256::ecdsa::Signature = other.sign(three.as_bytes());
    let r = post(
        &format!("{base}/gateways/claim"),
        Some(&u.token),
        body(&three, hex::encode(sig3.to_bytes())),
    )
    .await;
    assert_error(&r, 400, "bad_request");
    assert!(r.body["message"]
        .as_str()
        .unwrap()
        .contains("invalid message format"));
    // Claimer must be the caller.
    let s = post(
        &format!("{}/api/crypto/sign", zap.url),
        None,
        json!({"message": "idt-someone-else"}),
    )
    .await;
    let r = post(&format!("{base}/gateways/claim"), Some(&u.token), json!({"org_id": org, "gateway_serial": zap.serial, "public_key": zap.public_key, "message": s.body["message"], "signature": s.body["sign"]})).await;
    assert_error(&r, 403, "forbidden");
    sb.shutdown().await;
}

#[tokio::test]
async fn provision_then_transfer_orphans_devices() {
    let sb = start(builder().demo(true)).await;
    let base = sb.base_url();
    let zap = sb.zaps()[0].clone();
    let u = login(base, &key(1)).await;
    let org = new_org(base, &u, "A").await;
    let site = new_site(base, &u, &org).await;
    assert_eq!(claim_zap(base, &u, &org, &zap.url).await.status, 201);
    let devs = get(&format!("{}/api/devices", zap.url), None).await.body;
    let sn = devs["devices"][0]["sn"].as_str().unwrap().to_string();
    let prov = json!({"gateway_serial": zap.serial, "hardware_id": sn, "device_type": "inverter", "site_id": site,
        "name": "Sungrow", "ders": [{"name": "pv-array", "type": "solar"}, {"name": "battery_1", "type": "battery"}]});
    let r = post(
        &format!("{base}/devices/provision"),
        Some(&u.token),
        prov.clone(),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["created"], true);
    assert_eq!(r.body["state"], "pending");
    let dev = r.body["device_id"].as_str().unwrap().to_string();
    let der_ids: Vec<String> = r.body["ders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_string())
        .collect();
    let again = post(&format!("{base}/devices/provision"), Some(&u.token), prov).await;
    assert_eq!(again.status, 200);
    assert_eq!(again.body["created"], false);
    assert_eq!(again.body["device_id"], dev.as_str());
    let again_ids: Vec<&str> = again.body["ders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(again_ids, der_ids);
    // Forbidden DER type for the device type, bad names, unknown device type.
    let bad = |ders: serde_json::Value, ty: &str| json!({"hardware_id": "HW-2", "device_type": ty, "site_id": site, "ders": ders});
    let r = post(
        &format!("{base}/devices/provision"),
        Some(&u.token),
        bad(
            json!([{"name": "p", "type": "ev_charger_port"}]),
            "inverter",
        ),
    )
    .await;
    assert_error(&r, 422, "validation_error");
    assert_eq!(r.body["details"][0]["field"], "ders[0].type");
    assert_error(
        &post(
            &format!("{base}/devices/provision"),
            Some(&u.token),
            bad(
                json!([{"name": "bad name!", "type": "meter"}]),
                "energy_meter",
            ),
        )
        .await,
        422,
        "validation_error",
    );
    assert_error(
        &post(
            &format!("{base}/devices/provision"),
            Some(&u.token),
            bad(
                json!([{"name": "m", "type": "meter"}, {"name": "m", "type": "meter"}]),
                "energy_meter",
            ),
        )
        .await,
        422,
        "validation_error",
    );
    assert_error(
        &post(
            &format!("{base}/devices/provision"),
            Some(&u.token),
            bad(json!([]), "toaster"),
        )
        .await,
        422,
        "validation_error",
    );
    // Device and DER endpoints.
    let d = get(&format!("{base}/devices/{dev}"), Some(&u.token)).await;
    assert_eq!(d.body["hardware_id"], sn.as_str());
    let put = call(
        Method::PUT,
        &format!("{base}/devices/{dev}"),
        Some(&u.token),
        Some(json!({"name": "Renamed"})),
    )
    .await;
    assert_eq!(put.body["name"], "Renamed");
    let der = post(
        &format!("{base}/devices/{dev}/ders"),
        Some(&u.token),
        json!({"name": "p1-meter", "type": "meter"}),
    )
    .await;
    assert_eq!(der.status, 201, "{}", der.body);
    assert_error(
        &post(
            &format!("{base}/devices/{dev}/ders"),
            Some(&u.token),
            json!({"name": "p1-meter", "type": "meter"}),
        )
        .await,
        409,
        "conflict",
    );
    let g = get(
        &format!("{base}/ders/{}", der.body["id"].as_str().unwrap()),
        Some(&u.token),
    )
    .await;
    assert_eq!(g.body["device_id"], dev.as_str());
    // Transfer to another org of the same person orphans the device.
    let org_b = new_org(base, &u, "B").await;
    let t = claim_zap(base, &u, &org_b, &zap.url).await;
    assert_eq!(t.status, 200, "{}", t.body);
    assert_eq!(t.body["org_id"], org_b.as_str());
    let d = get(&format!("{base}/devices/{dev}"), Some(&u.token)).await;
    assert_eq!(d.body["state"], "orphaned");
    assert!(d.body["gateway_serial"].is_null());
    assert!(
        get(&format!("{base}/gateways?org_id={org}"), Some(&u.token))
            .await
            .body
            .as_array()
            .unwrap()
            .is_empty()
    );
    // Release.
    assert_eq!(
        call(
            Method::DELETE,
            &format!("{base}/gateways/{}", zap.serial),
            Some(&u.token),
            None
        )
        .await
        .status,
        204
    );
    assert_error(
        &call(
            Method::DELETE,
            &format!("{base}/gateways/{}", zap.serial),
            Some(&u.token),
            None,
        )
        .await,
        404,
        "not_found",
    );
    assert_eq!(
        call(
            Method::DELETE,
            &format!("{base}/devices/{dev}"),
            Some(&u.token),
            None
        )
        .await
        .status,
        204
    );
    assert_error(
        &get(&format!("{base}/devices/{dev}"), Some(&u.token)).await,
        404,
        "not_found",
    );
    sb.shutdown().await;
}

/// A genuine proof signed more than 10 minutes ago is refused as too old; a fresh one passes.
#[tokio::test]
async fn an_old_claim_proof_is_refused_as_too_old() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let zap = sb.zaps()[0].clone();
    let u = login(base, &key(7)).await;
    let org = new_org(base, &u, "Old").await;
    let old = (chrono::Utc::now() - chrono::Duration::minutes(11))
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let s = post(
        &format!("{}/api/crypto/sign", zap.url),
        None,
        json!({"message": u.id, "timestamp": old}),
    )
    .await;
    let r = post(&format!("{base}/gateways/claim"), Some(&u.token), json!({"org_id": org, "gateway_serial": zap.serial, "public_key": zap.public_key, "message": s.body["message"], "signature": s.body["sign"]})).await;
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body["message"].as_str().unwrap().contains("too old"),
        "{}",
        r.body
    );
    assert_eq!(claim_zap(base, &u, &org, &zap.url).await.status, 201);
}
