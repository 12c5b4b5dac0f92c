//! The installer's journey against an in-process Sandbox whose Zaps serve on their own loopback
//! addresses (127.0.4.x, a block no other test uses; each test its own /27 of it): find, check,
//! claim, release.

mod common;

use std::net::{Ipv4Addr, SocketAddr};

use common::{signed_in, zap_address};
use novacore_sim::{Sandbox, SandboxHandle, ZapFaultUpdate};
use novadesk_core::*;

async fn sandbox(first: Ipv4Addr, zaps: usize, web_page: Option<Ipv4Addr>) -> (SandboxHandle, u16) {
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let mut b = Sandbox::builder()
        .seed(41)
        .zaps(zaps)
        .demo(false)
        .sample_interval(std::time::Duration::from_millis(100))
        .zaps_on_loopback(first, port);
    if let Some(ip) = web_page {
        b = b.web_page_host(SocketAddr::from((ip, port)));
    }
    (b.start().await.unwrap(), port)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sweep_finds_the_zaps_not_the_web_page_and_typed_addresses_get_sentences() {
    let first = Ipv4Addr::new(127, 0, 4, 2);
    let page = Ipv4Addr::new(127, 0, 4, 20);
    let (sb, port) = sandbox(first, 2, Some(page)).await;
    let req = SweepRequest {
        network: Some("127.0.4.0/27".into()),
        port: Some(port),
        timeout: None,
    };
    let mut sweep = start_sweep(&req).unwrap();
    let (mut found, mut last) = (Vec::new(), None);
    while let Some(ev) = sweep.next_event().await {
        match sweep_update(ev, None) {
            SweepUpdate::Found { zap } => found.push(*zap),
            p @ SweepUpdate::Progress { probed, total, .. } => {
                assert!(probed <= total && total == 30, "{p:?}");
                last = Some(p);
            }
        }
    }
    assert_eq!(
        last,
        Some(SweepUpdate::Progress {
            probed: 30,
            total: 30,
            found: 2,
            done: true,
            cancelled: false
        })
    );
    found.sort_by(|a, b| a.address.cmp(&b.address));
    let serials: Vec<_> = sb.zaps().iter().map(|z| Some(z.serial.clone())).collect();
    assert_eq!(
        found.iter().map(|r| r.serial.clone()).collect::<Vec<_>>(),
        serials
    );
    let row = &found[0];
    assert_eq!(row.address, zap_address(first, port));
    assert!(
        row.firmware.is_some() && row.ssid.is_some() && row.signal.is_some(),
        "{row:?}"
    );
    assert_eq!(row.devices, Some(0), "{row:?}");
    assert!(!row.claim_known && row.claimed_into.is_none());

    // Cancel: the last event says so. Over a /22 no test serves on, so that the sweep cannot
    // finish before the cancel arrives (the 30 hosts above on loopback once did: "done").
    let wide = SweepRequest {
        network: Some("127.0.200.0/22".into()),
        ..req.clone()
    };
    let sweep = start_sweep(&wide).unwrap();
    sweep.canceller().cancel();
    let report = sweep.finish().await;
    assert!(
        report.progress.done && report.progress.cancelled,
        "{report:?}"
    );

    // Typed addresses: a Zap, a router's page, nothing.
    let z = inspect_zap(&row.address).await.unwrap();
    assert_eq!(z.serial, row.serial);
    let e = inspect_zap(&zap_address(page, port)).await.unwrap_err();
    assert!(
        e.user_message()
            .contains("answers with a web page, not a Zap's API"),
        "{}",
        e.user_message()
    );
    assert_eq!(e.kind(), ErrorKind::Failed);
    let chain = check_health(None, &zap_address(page, port)).await.unwrap();
    assert_eq!(
        (chain.links[0].status, chain.links[0].value.as_str()),
        (LinkStatus::Red, "a web page, not a Zap")
    );
    assert!(chain
        .first_problem
        .unwrap()
        .contains("answers with a web page"));
    let e = inspect_zap(&zap_address(Ipv4Addr::new(127, 0, 4, 29), port))
        .await
        .unwrap_err();
    assert!(
        e.user_message()
            .starts_with("Nothing answers at 127.0.4.29"),
        "{}",
        e.user_message()
    );
    assert_eq!(
        e.kind(),
        ErrorKind::Failed,
        "a Zap's absence is not the cloud's"
    );
    let e = inspect_zap("8.8.8.8").await.unwrap_err();
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    let e = start_sweep(&SweepRequest {
        network: Some("10.0.0.0/8".into()),
        ..Default::default()
    })
    .unwrap_err();
    assert!(
        e.user_message().contains("192.168.1.0/24"),
        "{}",
        e.user_message()
    );
    sb.shutdown().await;
}

fn status(chain: &HealthChain, kind: LinkKind) -> LinkStatus {
    chain.links.iter().find(|l| l.link == kind).unwrap().status
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_chain_healthy_and_each_broken_link() {
    let first = Ipv4Addr::new(127, 0, 4, 34);
    let (sb, port) = sandbox(first, 1, None).await;
    let ws = signed_in(&sb).await;
    let serial = sb.zaps()[0].serial.clone();
    let a = zap_address(first, port);
    let org = create_organization(&ws, "Installs").await.unwrap();

    // Not signed in: the Zap's own links only.
    let chain = check_health(None, &a).await.unwrap();
    assert_eq!(chain.serial.as_deref(), Some(serial.as_str()));
    assert_eq!(status(&chain, LinkKind::Reachable), LinkStatus::Green);
    assert_eq!(status(&chain, LinkKind::Wifi), LinkStatus::Green);
    assert_eq!(status(&chain, LinkKind::Internet), LinkStatus::Green);
    assert_eq!(status(&chain, LinkKind::Claimed), LinkStatus::Unchecked);
    assert_eq!(
        status(&chain, LinkKind::Cloud),
        LinkStatus::Amber,
        "{chain:?}"
    );
    assert!(chain.links[0].value.ends_with(" ms"), "{chain:?}");
    assert!(chain.links[1].value.contains("dBm, excellent"), "{chain:?}");

    // Signed in, not claimed: the cloud waits for the claim, and the advice says claim it.
    let chain = check_health(Some(&ws), &a).await.unwrap();
    assert_eq!(status(&chain, LinkKind::Cloud), LinkStatus::Amber);
    assert_eq!(status(&chain, LinkKind::Claimed), LinkStatus::Amber);
    assert!(
        chain
            .first_problem
            .as_deref()
            .unwrap()
            .contains("connects to Novacore once it is claimed"),
        "{chain:?}"
    );

    // Claimed: every link up to the readings is green; no device provisioned yet.
    claim_zap(&ws, &a, &org.id, false).await.unwrap();
    let chain = check_health(Some(&ws), &a).await.unwrap();
    for k in [
        LinkKind::Reachable,
        LinkKind::Wifi,
        LinkKind::Internet,
        LinkKind::Cloud,
        LinkKind::Claimed,
    ] {
        assert_eq!(status(&chain, k), LinkStatus::Green, "{k:?}: {chain:?}");
    }
    let claimed = chain
        .links
        .iter()
        .find(|l| l.link == LinkKind::Claimed)
        .unwrap();
    assert_eq!(claimed.value, "claimed into Installs");
    assert_eq!(status(&chain, LinkKind::Readings), LinkStatus::Amber);
    assert!(
        chain
            .first_problem
            .as_deref()
            .unwrap()
            .contains("Provision"),
        "{chain:?}"
    );

    let fault = |f: ZapFaultUpdate| sb.set_zap_faults(&serial, &f).unwrap();
    fault(ZapFaultUpdate {
        no_internet: Some(true),
        ..Default::default()
    });
    let chain = check_health(Some(&ws), &a).await.unwrap();
    assert_eq!(status(&chain, LinkKind::Internet), LinkStatus::Red);
    assert_eq!(status(&chain, LinkKind::Cloud), LinkStatus::Unchecked);
    assert!(
        chain
            .first_problem
            .as_deref()
            .unwrap()
            .contains("cannot reach the internet"),
        "{chain:?}"
    );
    fault(ZapFaultUpdate {
        no_internet: Some(false),
        cloud_unreachable: Some(true),
        ..Default::default()
    });
    let chain = check_health(Some(&ws), &a).await.unwrap();
    assert_eq!(status(&chain, LinkKind::Internet), LinkStatus::Green);
    assert_eq!(status(&chain, LinkKind::Cloud), LinkStatus::Red);
    assert!(
        chain
            .first_problem
            .as_deref()
            .unwrap()
            .contains("not Novacore"),
        "{chain:?}"
    );
    fault(ZapFaultUpdate {
        cloud_unreachable: Some(false),
        unreachable_secs: Some(30.0),
        ..Default::default()
    });
    let chain = check_health(Some(&ws), &a).await.unwrap();
    assert_eq!(status(&chain, LinkKind::Reachable), LinkStatus::Red);
    assert!(
        chain.links[1..]
            .iter()
            .all(|l| l.status == LinkStatus::Unchecked),
        "{chain:?}"
    );
    assert!(
        chain
            .first_problem
            .as_deref()
            .unwrap()
            .starts_with("Nothing answers at"),
        "{chain:?}"
    );
    fault(ZapFaultUpdate {
        unreachable_secs: Some(0.0),
        ..Default::default()
    });
    let chain = check_health(Some(&ws), &a).await.unwrap();
    assert_eq!(
        status(&chain, LinkKind::Reachable),
        LinkStatus::Green,
        "{chain:?}"
    );
    assert!(check_health(None, "").await.is_err());
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn claim_new_same_org_transfer_viewer_refused_and_release() {
    let first = Ipv4Addr::new(127, 0, 4, 66);
    let (sb, port) = sandbox(first, 1, None).await;
    let ws = signed_in(&sb).await;
    let serial = sb.zaps()[0].serial.clone();
    let a = zap_address(first, port);
    let installs = create_organization(&ws, "Installs").await.unwrap();
    let other = create_organization(&ws, "Other").await.unwrap();

    let r = claim_zap(&ws, &a, &installs.id, false).await.unwrap();
    assert_eq!(
        r,
        ClaimResult::Claimed {
            serial: serial.clone(),
            org_id: installs.id.clone()
        }
    );
    let gateways = |org: &str| -> Vec<String> {
        cached_organization(&ws, org)
            .unwrap()
            .map(|c| c.value.gateways.into_iter().map(|g| g.serial).collect())
            .unwrap_or_default()
    };
    assert_eq!(gateways(&installs.id), [serial.as_str()], "written through");
    let owners = cached_gateway_owners(&ws).unwrap();
    let row = zap_row(inspect_zap(&a).await.unwrap(), Some(&owners));
    assert!(row.claim_known);
    assert_eq!(
        row.claimed_into.as_ref().map(|o| o.org_name.as_str()),
        Some("Installs")
    );

    let r = claim_zap(&ws, &a, &installs.id, false).await.unwrap();
    assert_eq!(
        r,
        ClaimResult::AlreadyClaimed {
            serial: serial.clone(),
            org_id: installs.id.clone()
        }
    );

    let r = claim_zap(&ws, &a, &other.id, false).await.unwrap();
    let ClaimResult::NeedsTransfer { from, message, .. } = r else {
        panic!("{r:?}")
    };
    assert_eq!(from.org_id, installs.id);
    assert!(
        message.contains("orphaned") && message.contains("Installs"),
        "{message}"
    );
    let server = refresh_gateway_owners(&ws).await.unwrap();
    assert_eq!(
        server.owner(&serial).map(|o| o.org_id.as_str()),
        Some(installs.id.as_str()),
        "nothing sent"
    );

    let r = claim_zap(&ws, &a, &other.id, true).await.unwrap();
    let ClaimResult::Transferred {
        org_id,
        from: Some(from),
        ..
    } = r
    else {
        panic!("{r:?}")
    };
    assert_eq!(
        (org_id.as_str(), from.org_id.as_str()),
        (other.id.as_str(), installs.id.as_str())
    );
    assert!(gateways(&installs.id).is_empty() && gateways(&other.id) == [serial.as_str()]);
    let server = refresh_gateway_owners(&ws).await.unwrap();
    assert_eq!(
        server.owner(&serial).map(|o| o.org_id.as_str()),
        Some(other.id.as_str())
    );

    // A viewer of the organization is refused before anything is sent, with the reason.
    let viewer = signed_in(&sb).await;
    add_member(&ws, &installs.id, &viewer.identity_id, "viewer")
        .await
        .unwrap();
    let e = claim_zap(&viewer, &a, &installs.id, false)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    assert_eq!(
        e.user_message(),
        "Only owners and admins can claim or release gateways."
    );
    assert!(
        !Permissions::for_role(Some("viewer"))
            .manage_gateways()
            .allowed
    );
    assert!(
        Permissions::for_role(Some("admin"))
            .manage_gateways()
            .allowed
    );
    let e = claim_zap(&ws, &a, "org-nope", false).await.unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");

    release_gateway(&ws, &other.id, &serial).await.unwrap();
    assert!(gateways(&other.id).is_empty());
    assert!(refresh_gateway_owners(&ws)
        .await
        .unwrap()
        .owner(&serial)
        .is_none());
    let e = release_gateway(&ws, &other.id, &serial).await.unwrap_err();
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn provision_publish_and_the_readings_link_turns_green() {
    let first = Ipv4Addr::new(127, 0, 4, 98);
    let (sb, port) = sandbox(first, 1, None).await;
    let ws = signed_in(&sb).await;
    let a = zap_address(first, port);
    let org = create_organization(&ws, "Installs").await.unwrap();
    let site = create_site(
        &ws,
        NewSiteInput {
            org_id: org.id.clone(),
            name: "Roof".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        },
    )
    .await
    .unwrap();
    refresh_sites(&ws).await.unwrap();
    refresh_site(&ws, &site.id).await.unwrap();
    // A field device on the Zap (the add-device form is a later step).
    let zap = novacore::zap::ZapClient::new(&a).unwrap();
    let sn = zap
        .add_device(&serde_json::json!({"type": "modbus_tcp", "ip": "127.0.0.99", "port": 502, "profile": "sungrow"}))
        .await
        .unwrap()
        .sn;
    claim_zap(&ws, &a, &org.id, false).await.unwrap();

    let input = ProvisionInput {
        zap_address: a.clone(),
        device_sn: sn.clone(),
        site_id: site.id.clone(),
        device_type: "inverter".into(),
        name: Some("Inverter".into()),
        manufacturer: Some("Sungrow".into()),
        model: None,
        ders: vec![
            ("pv-1".into(), "solar".into()),
            ("meter-1".into(), "meter".into()),
        ],
    };
    assert_eq!(
        der_type_choices("inverter").unwrap(),
        ["solar", "battery", "meter"]
    );
    // Checked before sending: a DER type the device type does not allow, a bad DER name.
    let bad = ProvisionInput {
        ders: vec![("pv 1".into(), "ev_charger_port".into())],
        ..input.clone()
    };
    let e = provision_device(&ws, &bad).await.unwrap_err();
    let text = e.user_message();
    assert!(
        text.contains("ders[0].type") && text.contains("ders[0].name"),
        "{text}"
    );
    let e = provision_device(
        &ws,
        &ProvisionInput {
            device_sn: "nope".into(),
            ..input.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(
        e.user_message().contains("has no field device nope"),
        "{}",
        e.user_message()
    );
    let site_devices = |ws: &Workspace| cached_site(ws, &site.id).unwrap().unwrap().value.devices;
    assert!(site_devices(&ws).is_empty(), "nothing half-done");

    let done = provision_device(&ws, &input).await.unwrap();
    assert!(done.created && done.publish_problem.is_none(), "{done:?}");
    assert_eq!(done.publishing, ["pv", "battery", "meter"]);
    assert_eq!(done.device.ders.len(), 2);
    let cached = site_devices(&ws);
    assert_eq!(cached.len(), 1, "written through");
    assert_eq!(cached[0].hardware_id.as_deref(), Some(sn.as_str()));
    assert_eq!(
        cached[0].gateway_serial.as_deref(),
        Some(sb.zaps()[0].serial.as_str())
    );

    // With the site open, its stream brings readings into the store: the readings link turns
    // green within seconds.
    let readings = |chain: &HealthChain| chain.links.last().unwrap().value.clone();
    let hub = novadesk_core::live::LiveHub::new(
        tokio::runtime::Handle::current(),
        novadesk_core::live::LiveOptions::default(),
    );
    let watch = hub.watch(&ws, &site.id);
    let chain = tokio::time::timeout(std::time::Duration::from_secs(20), async {
        loop {
            let chain = check_health(Some(&ws), &a).await.unwrap();
            if readings(&chain).starts_with("last reading") {
                return chain;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
    })
    .await
    .expect("a live reading reaches the store");
    assert!(chain.first_problem.is_none(), "{chain:?}");
    assert!(
        chain.links.iter().all(|l| l.status == LinkStatus::Green),
        "{chain:?}"
    );
    drop(watch);

    // A colleague whose store knows nothing of the site finds the device by refreshing, and its
    // readings in the site's history (the Sandbox's history has one sample a minute, so this
    // waits for the next minute at most).
    let colleague = signed_in(&sb).await;
    add_member(&ws, &org.id, &colleague.identity_id, "viewer")
        .await
        .unwrap();
    let chain = check_health(Some(&colleague), &a).await.unwrap();
    assert_ne!(
        readings(&chain),
        "no devices provisioned through this Zap",
        "{chain:?}"
    );
    let chain = tokio::time::timeout(std::time::Duration::from_secs(90), async {
        loop {
            let chain = check_health(Some(&colleague), &a).await.unwrap();
            if status(&chain, LinkKind::Readings) == LinkStatus::Green {
                return chain;
            }
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    })
    .await
    .expect("the history shows a reading");
    assert!(
        readings(&chain).starts_with("readings in history"),
        "{chain:?}"
    );

    // Publishing off and on again on its own (the retry path).
    assert_eq!(set_publishing(&a, &sn, false).await.unwrap().len(), 3);
    let e = set_publishing(&a, "nope", true).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Failed);
    sb.shutdown().await;
}
