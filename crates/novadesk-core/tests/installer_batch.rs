//! Many Zaps at once against an in-process Sandbox whose Zaps serve on their own loopback
//! addresses (127.0.14.x, a block no other test uses; each test its own /27 of it): a batch claim
//! with one Zap unreachable and one in another of your organizations (not moved), the failure
//! retried once the Zap is back, the transfer only when confirmed; provisioning from a template;
//! the cloud cut (claims and devices queued in the journal, replayed once); Cancel; input
//! refused before anything is sent.

mod common;

use std::net::Ipv4Addr;
use std::time::Duration;

use common::signed_in;
use novacore_sim::{Sandbox, SandboxHandle, ZapFaultUpdate};
use novadesk_core::*;

async fn sandbox(first: Ipv4Addr, zaps: usize, demo: bool) -> (SandboxHandle, Vec<String>) {
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = Sandbox::builder()
        .seed(47)
        .zaps(zaps)
        .demo(demo)
        .sample_interval(Duration::from_millis(200))
        .zaps_on_loopback(first, port)
        .start()
        .await
        .unwrap();
    let addresses = (0..zaps as u8)
        .map(|i| {
            let ip = Ipv4Addr::from(u32::from(first) + u32::from(i));
            if port == 80 {
                ip.to_string()
            } else {
                format!("{ip}:{port}")
            }
        })
        .collect();
    (sb, addresses)
}

fn request(addresses: &[String], org_id: &str) -> BatchRequest {
    BatchRequest {
        addresses: addresses.to_vec(),
        org_id: org_id.to_string(),
        confirm_transfer: false,
        provision: None,
        concurrency: 0,
    }
}

fn row<'a>(report: &'a BatchReport, address: &str) -> &'a BatchRow {
    report
        .rows
        .iter()
        .find(|r| r.address == address)
        .unwrap_or_else(|| panic!("no row for {address}: {report:?}"))
}

fn claim_of(row: &BatchRow) -> &ClaimResult {
    match &row.outcome {
        BatchOutcome::Done { claim } => claim,
        other => panic!("{}: {other:?}", row.address),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_claims_twelve_zaps_one_unreachable_one_elsewhere_then_retries_and_confirms() {
    let (sb, addresses) = sandbox(Ipv4Addr::new(127, 0, 14, 2), 12, false).await;
    let ws = signed_in(&sb).await;
    let installs = create_organization(&ws, "Installs").await.unwrap();
    let other = create_organization(&ws, "Other").await.unwrap();
    let (down, elsewhere) = (&addresses[3], &addresses[7]);
    let down_serial = sb.zaps()[3].serial.clone();
    let elsewhere_serial = sb.zaps()[7].serial.clone();
    claim_zap(&ws, elsewhere, &other.id, false).await.unwrap();
    sb.set_zap_faults(
        &down_serial,
        &ZapFaultUpdate {
            unreachable_secs: Some(600.0),
            ..Default::default()
        },
    )
    .unwrap();

    let mut updates = Vec::new();
    // Repeats count once.
    let mut req = request(&addresses, &installs.id);
    req.addresses.push(format!(" {} ", addresses[0]));
    let report = claim_batch(&ws, &req, &CancelToken::new(), |u| updates.push(u))
        .await
        .unwrap();
    assert!(!report.cancelled);
    assert_eq!(report.rows.len(), 12, "{report:?}");
    let working = updates
        .iter()
        .filter(|u| matches!(u, BatchUpdate::Working { .. }))
        .count();
    let ended: Vec<(usize, usize)> = updates
        .iter()
        .filter_map(|u| match u {
            BatchUpdate::Ended { done, total, .. } => Some((*done, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(working, 12);
    assert_eq!(ended, (1..=12).map(|d| (d, 12)).collect::<Vec<_>>());

    for (i, a) in addresses.iter().enumerate() {
        let r = row(&report, a);
        if a == down {
            let BatchOutcome::Failed { message } = &r.outcome else {
                panic!("{r:?}")
            };
            assert!(message.starts_with("Nothing answers at"), "{message}");
            assert!(r.retryable());
        } else if a == elsewhere {
            let ClaimResult::NeedsTransfer { from, message, .. } = claim_of(r) else {
                panic!("{r:?}")
            };
            assert_eq!(from.org_id, other.id);
            assert!(message.contains("orphaned"), "{message}");
            assert!(!r.retryable());
        } else {
            assert_eq!(
                claim_of(r),
                &ClaimResult::Claimed {
                    serial: sb.zaps()[i].serial.clone(),
                    org_id: installs.id.clone()
                }
            );
        }
    }
    // The platform has the ten, the one elsewhere was not moved; the store says the same.
    let server = refresh_gateway_owners(&ws).await.unwrap();
    let cached = cached_gateway_owners(&ws).unwrap();
    for (i, z) in sb.zaps().iter().enumerate() {
        let want = match i {
            3 => None,
            7 => Some(other.id.as_str()),
            _ => Some(installs.id.as_str()),
        };
        assert_eq!(
            server.owner(&z.serial).map(|o| o.org_id.as_str()),
            want,
            "{i}"
        );
        assert_eq!(
            cached.owner(&z.serial).map(|o| o.org_id.as_str()),
            want,
            "{i}"
        );
    }

    // The Zap is back: retrying the failures claims it; the rest stay as they are.
    sb.set_zap_faults(
        &down_serial,
        &ZapFaultUpdate {
            unreachable_secs: Some(0.0),
            ..Default::default()
        },
    )
    .unwrap();
    let failed: Vec<String> = report
        .rows
        .iter()
        .filter(|r| r.retryable())
        .map(|r| r.address.clone())
        .collect();
    assert_eq!(failed, std::slice::from_ref(down));
    let retry = claim_batch(
        &ws,
        &request(&failed, &installs.id),
        &CancelToken::new(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!(
        claim_of(row(&retry, down)),
        &ClaimResult::Claimed {
            serial: down_serial.clone(),
            org_id: installs.id.clone()
        }
    );
    // Again: already there, nothing sent.
    let again = claim_batch(
        &ws,
        &request(&failed, &installs.id),
        &CancelToken::new(),
        |_| {},
    )
    .await
    .unwrap();
    assert!(matches!(
        claim_of(row(&again, down)),
        ClaimResult::AlreadyClaimed { .. }
    ));

    // The one elsewhere moves only when confirmed.
    let mut confirm = request(std::slice::from_ref(elsewhere), &installs.id);
    confirm.confirm_transfer = true;
    let moved = claim_batch(&ws, &confirm, &CancelToken::new(), |_| {})
        .await
        .unwrap();
    let ClaimResult::Transferred {
        from: Some(from), ..
    } = claim_of(row(&moved, elsewhere))
    else {
        panic!("{moved:?}")
    };
    assert_eq!(from.org_id, other.id);
    let server = refresh_gateway_owners(&ws).await.unwrap();
    assert_eq!(
        server.owner(&elsewhere_serial).map(|o| o.org_id.as_str()),
        Some(installs.id.as_str())
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_provisions_each_zaps_devices_from_the_template() {
    // The Sandbox's field kit on every Zap: a Sungrow hybrid inverter and a P1 meter.
    let (sb, addresses) = sandbox(Ipv4Addr::new(127, 0, 14, 34), 3, true).await;
    let ws = signed_in(&sb).await;
    let org = create_organization(&ws, "Rack").await.unwrap();
    let site = create_site(
        &ws,
        NewSiteInput {
            org_id: org.id.clone(),
            name: "Rack roof".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        },
    )
    .await
    .unwrap();
    let template = ProvisionTemplate {
        site_id: site.id.clone(),
        rules: vec![TemplateRule {
            profile: "sungrow".into(),
            device_type: "inverter".into(),
            name: "{serial} inverter".into(),
            ders: vec![
                DerChoice {
                    name: "{serial}-pv".into(),
                    der_type: "solar".into(),
                },
                DerChoice {
                    name: "{serial}-battery".into(),
                    der_type: "battery".into(),
                },
            ],
        }],
    };
    let mut req = request(&addresses, &org.id);
    req.provision = Some(template.clone());
    let report = claim_batch(&ws, &req, &CancelToken::new(), |_| {})
        .await
        .unwrap();
    for (i, a) in addresses.iter().enumerate() {
        let r = row(&report, a);
        assert!(matches!(claim_of(r), ClaimResult::Claimed { .. }), "{r:?}");
        let inverter = r
            .devices
            .iter()
            .find(|d| d.profile.as_deref() == Some("sungrow"))
            .unwrap();
        assert!(
            inverter.device_id.is_some() && inverter.problem.is_none(),
            "{r:?}"
        );
        let meter = r
            .devices
            .iter()
            .find(|d| d.profile.as_deref() == Some("p1"))
            .unwrap();
        assert!(meter.device_id.is_none(), "{r:?}");
        assert!(
            meter
                .skipped
                .as_deref()
                .unwrap()
                .contains("No rule for the profile p1"),
            "{r:?}"
        );
        assert_eq!(r.serial.as_deref(), Some(sb.zaps()[i].serial.as_str()));
    }
    let devices = refresh_site(&ws, &site.id).await.unwrap().value.devices;
    assert_eq!(devices.len(), 3, "{devices:?}");
    for z in sb.zaps() {
        let d = devices
            .iter()
            .find(|d| d.name.as_deref() == Some(format!("{} inverter", z.serial).as_str()))
            .unwrap_or_else(|| panic!("{} not provisioned: {devices:?}", z.serial));
        let mut ders: Vec<&str> = d.ders.iter().map(|x| x.name.as_str()).collect();
        ders.sort_unstable();
        assert_eq!(
            ders,
            [format!("{}-battery", z.serial), format!("{}-pv", z.serial)]
        );
    }
    // Run again: the devices are re-bound, not duplicated.
    claim_batch(&ws, &req, &CancelToken::new(), |_| {})
        .await
        .unwrap();
    assert_eq!(
        refresh_site(&ws, &site.id)
            .await
            .unwrap()
            .value
            .devices
            .len(),
        3
    );

    // A site of another organization is refused before any Zap is touched.
    let elsewhere = create_organization(&ws, "Elsewhere").await.unwrap();
    let e = claim_batch(
        &ws,
        &BatchRequest {
            org_id: elsewhere.id.clone(),
            ..req.clone()
        },
        &CancelToken::new(),
        |_| panic!("nothing runs"),
    )
    .await
    .unwrap_err();
    assert!(
        e.user_message().contains("not one of Elsewhere's"),
        "{}",
        e.user_message()
    );
    sb.shutdown().await;
}

/// The cloud cut off mid-commissioning: a batch still runs (from the organizations and sites the
/// store has), each Zap's claim and then its devices wait in the journal, the rows say queued;
/// the cloud back, one replay applies each exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_with_the_cloud_cut_queues_claims_and_devices_replayed_once() {
    let (sb, addresses) = sandbox(Ipv4Addr::new(127, 0, 14, 98), 3, true).await;
    let ws = signed_in(&sb).await;
    let org = create_organization(&ws, "Remote").await.unwrap();
    let site = create_site(
        &ws,
        NewSiteInput {
            org_id: org.id.clone(),
            name: "Remote roof".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        },
    )
    .await
    .unwrap();
    // What the Installer loads while online (claim targets, the site list).
    refresh_gateway_owners(&ws).await.unwrap();
    refresh_sites(&ws).await.unwrap();
    let mut req = request(&addresses, &org.id);
    req.provision = Some(ProvisionTemplate {
        site_id: site.id.clone(),
        rules: vec![TemplateRule {
            profile: "sungrow".into(),
            device_type: "inverter".into(),
            name: "{serial} inverter".into(),
            ders: vec![
                DerChoice {
                    name: "{serial}-pv".into(),
                    der_type: "solar".into(),
                },
                DerChoice {
                    name: "{serial}-battery".into(),
                    der_type: "battery".into(),
                },
            ],
        }],
    });

    common::cloud_down(&sb, true).await;
    let report = claim_batch(&ws, &req, &CancelToken::new(), |_| {})
        .await
        .unwrap();
    for a in &addresses {
        let r = row(&report, a);
        let ClaimResult::Queued {
            org_id,
            entry_id: claim_entry,
            ..
        } = claim_of(r)
        else {
            panic!("{r:?}")
        };
        assert_eq!(*org_id, org.id);
        let inverter = r
            .devices
            .iter()
            .find(|d| d.profile.as_deref() == Some("sungrow"))
            .unwrap();
        assert!(
            inverter.device_id.is_none() && inverter.problem.is_none(),
            "{r:?}"
        );
        // Behind its Zap's claim in the journal's order.
        assert!(
            inverter.queued_entry.is_some_and(|e| e > *claim_entry),
            "{r:?}"
        );
        assert!(!r.retryable(), "queued is not a failure: {r:?}");
    }
    let items = journal(&ws).unwrap();
    assert_eq!(items.len(), 6, "{items:?}");
    assert!(items.iter().all(|i| i.status == JournalStatus::Queued));
    assert_eq!(journal_counts(&ws).unwrap().queued, 6);

    common::cloud_down(&sb, false).await;
    let r = replay(&ws).await.unwrap();
    assert_eq!(
        (r.applied, r.conflicts, r.stopped_offline),
        (6, 0, false),
        "{r:?}"
    );
    assert!(journal(&ws)
        .unwrap()
        .iter()
        .all(|i| i.status == JournalStatus::Done));
    // Once: a second replay has nothing to send; the server holds each Zap and device once.
    assert_eq!(replay(&ws).await.unwrap(), ReplayReport::default());
    let gateways = ws
        .novacore(async |c| c.gateways().list(&org.id).await)
        .await
        .unwrap();
    assert_eq!(gateways.len(), 3, "{gateways:?}");
    let devices = ws
        .novacore(async |c| c.sites().devices(&site.id).await)
        .await
        .unwrap();
    assert_eq!(devices.len(), 3, "{devices:?}");
    for z in sb.zaps() {
        let d = devices
            .iter()
            .find(|d| d.gateway_serial.as_deref() == Some(z.serial.as_str()))
            .unwrap_or_else(|| panic!("{} not provisioned: {devices:?}", z.serial));
        assert_eq!(d.ders.len(), 2, "{d:?}");
    }
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_starts_no_more_zaps_and_bad_input_is_refused_up_front() {
    let (sb, addresses) = sandbox(Ipv4Addr::new(127, 0, 14, 66), 6, false).await;
    let ws = signed_in(&sb).await;
    let org = create_organization(&ws, "Installs").await.unwrap();

    // Cancel after the first Zap ended, one at a time: the others are not started.
    let cancel = CancelToken::new();
    let mut req = request(&addresses, &org.id);
    req.concurrency = 1;
    let report = claim_batch(&ws, &req, &cancel, |u| {
        if matches!(u, BatchUpdate::Ended { .. }) {
            cancel.cancel();
        }
    })
    .await
    .unwrap();
    assert!(report.cancelled);
    assert_eq!(report.rows.len(), 6);
    let claimed: Vec<&BatchRow> = report
        .rows
        .iter()
        .filter(|r| matches!(r.outcome, BatchOutcome::Done { .. }))
        .collect();
    assert_eq!(claimed.len(), 1, "{report:?}");
    assert!(report
        .rows
        .iter()
        .filter(|r| r.address != claimed[0].address)
        .all(|r| r.outcome == BatchOutcome::Cancelled && r.retryable()));
    let server = refresh_gateway_owners(&ws).await.unwrap();
    let on_server = sb
        .zaps()
        .iter()
        .filter(|z| server.owner(&z.serial).is_some())
        .count();
    assert_eq!(on_server, 1, "only the one that ran was claimed");

    let refused = |req: BatchRequest| {
        let ws = &ws;
        async move {
            claim_batch(ws, &req, &CancelToken::new(), |_| panic!("nothing runs"))
                .await
                .unwrap_err()
        }
    };
    let e = refused(request(&[" ".into()], &org.id)).await;
    assert_eq!(e.user_message(), "Select at least one Zap.");
    let many: Vec<String> = (0..=MAX_BATCH)
        .map(|i| format!("127.0.14.66:{}", 1000 + i))
        .collect();
    let e = refused(request(&many, &org.id)).await;
    assert!(
        e.user_message().contains("at most 256"),
        "{}",
        e.user_message()
    );
    let e = refused(request(&["8.8.8.8".into()], &org.id)).await;
    assert!(matches!(e, Error::InvalidInput(_)), "{e:?}");
    let e = refused(request(&addresses, " ")).await;
    assert!(e.user_message().contains("Choose the organization"));
    let e = refused(request(&addresses, "org-nope")).await;
    assert!(matches!(e, Error::NotFound(_)), "{e:?}");
    let viewer = signed_in(&sb).await;
    add_member(&ws, &org.id, &viewer.identity_id, "viewer")
        .await
        .unwrap();
    let e = claim_batch(
        &viewer,
        &request(&addresses, &org.id),
        &CancelToken::new(),
        |_| panic!("nothing runs"),
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    sb.shutdown().await;
}
