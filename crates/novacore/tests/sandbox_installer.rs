//! The full installer flow: claim → provision → enable DERs on the Zap → readings arrive.

use futures::StreamExt;
use novacore::models::{NewDer, NewSite, ProvisionRequest};
use novacore::{Client, Identity, StreamEvent, ZapClient};
use novacore_sim::Sandbox;
use std::collections::HashSet;
use std::time::Duration;

/// Zap DER kinds → provisioning DER types (reference §3.4.1 / the driver type mapping).
fn cloud_der_type(zap_type: &str) -> &str {
    match zap_type {
        "pv" => "solar",
        "v2x_charger" => "ev_charger_port",
        other => other,
    }
}

#[tokio::test]
async fn claim_provision_enable_and_stream() {
    let sb = Sandbox::builder()
        .seed(3)
        .sites(1)
        .zaps(1)
        .sample_interval(Duration::from_millis(50))
        .start()
        .await
        .unwrap();
    let c = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .build()
        .unwrap();
    c.login().await.unwrap();
    let org = c.organizations().create("Installer Co").await.unwrap();
    let site = c
        .sites()
        .create(&NewSite {
            org_id: org.id.clone(),
            name: "Customer".into(),
            ..Default::default()
        })
        .await
        .unwrap();

    let zap_info = &sb.zaps()[0];
    let zap = ZapClient::new(&zap_info.url).unwrap();
    let outcome = c.claim_gateway(&zap, &org.id).await.unwrap();
    assert_eq!(outcome.request.gateway_serial, zap_info.serial);
    assert_eq!(
        outcome.request.public_key, zap_info.public_key,
        "key passed through unchanged"
    );
    // Re-claiming into the same org is an idempotent no-op.
    c.claim_gateway(&zap, &org.id).await.unwrap();
    let gws = c.gateways().list(&org.id).await.unwrap();
    assert_eq!(
        gws.iter().map(|g| g.serial.as_str()).collect::<Vec<_>>(),
        [zap_info.serial.as_str()]
    );

    let devices = zap.devices().await.unwrap();
    let dev = devices
        .iter()
        .find(|d| d.ders.len() > 1)
        .or(devices.first())
        .expect("zap has devices");
    let req = ProvisionRequest {
        gateway_serial: Some(zap_info.serial.clone()),
        hardware_id: dev.sn.clone(),
        device_type: dev.device_type.clone().unwrap_or_else(|| "inverter".into()),
        site_id: site.id.clone(),
        name: Some("Field device".into()),
        ders: dev
            .ders
            .iter()
            .map(|d| NewDer {
                name: format!("{}-1", d.der_type),
                der_type: cloud_der_type(&d.der_type).into(),
            })
            .collect(),
        ..Default::default()
    };
    let first = c.devices().provision(&req).await.unwrap();
    assert!(first.created);
    // Provisioning again (what a retry does) re-binds instead of creating a second device.
    let again = c.devices().provision(&req).await.unwrap();
    assert!(!again.created);
    assert_eq!(again.device_id, first.device_id);
    assert_eq!(c.sites().devices(&site.id).await.unwrap().len(), 1);
    let der_ids: HashSet<String> = first.ders.iter().map(|d| d.id.clone()).collect();
    assert_eq!(der_ids.len(), dev.ders.len());

    let mut stream = Box::pin(c.telemetry().stream_site(&site.id));
    // Nothing is published before the DERs are enabled on the Zap.
    let quiet = tokio::time::timeout(Duration::from_millis(400), stream.next()).await;
    assert!(
        quiet.is_err(),
        "unexpected event before enabling: {quiet:?}"
    );
    let enable: Vec<(&str, bool)> = dev
        .ders
        .iter()
        .map(|d| (d.der_type.as_str(), true))
        .collect();
    zap.set_publishing(&dev.sn, &enable).await.unwrap();

    let mut seen = HashSet::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while seen.len() < der_ids.len() {
        let ev = tokio::time::timeout_at(deadline, stream.next())
            .await
            .expect("no readings")
            .unwrap()
            .unwrap();
        if let StreamEvent::Reading { reading, .. } = ev {
            assert_eq!(reading.site_id.as_deref(), Some(site.id.as_str()));
            assert_eq!(reading.device_id.as_deref(), Some(first.device_id.as_str()));
            let der = reading.der_id.clone().unwrap();
            assert!(der_ids.contains(&der), "reading of unknown DER {der}");
            seen.insert(der);
        }
    }
    drop(stream);

    c.gateways().release(&zap_info.serial).await.unwrap();
    assert!(c.gateways().list(&org.id).await.unwrap().is_empty());
    sb.shutdown().await;
}
