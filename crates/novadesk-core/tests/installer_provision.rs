//! Provisioning a Zap's field device and waiting for its first reading, against an in-process
//! Sandbox whose Zaps serve on their own loopback addresses (127.0.8.x, a block no other test
//! uses; each test its own /27 of it): the form, provision + publish → first reading, the
//! platform's refusals and the cloud gone mid-journey (nothing half-done, retry works), and the
//! timeout naming the health chain's broken link.

mod common;

use std::net::Ipv4Addr;
use std::time::Duration;

use common::{signed_in, zap_address};
use novacore_sim::{Sandbox, SandboxHandle, ZapFaultUpdate};
use novadesk_core::live::{LiveHub, LiveOptions};
use novadesk_core::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

async fn sandbox(first: Ipv4Addr, zaps: usize) -> (SandboxHandle, String) {
    let port = novacore_sim::field_port(first).expect("a free loopback port");
    let sb = Sandbox::builder()
        .seed(43)
        .zaps(zaps)
        .demo(false)
        .sample_interval(Duration::from_millis(200))
        .zaps_on_loopback(first, port)
        .start()
        .await
        .unwrap();
    (sb, zap_address(first, port))
}

/// An organization with one site.
async fn org_and_site(ws: &Workspace, name: &str) -> (String, String) {
    let org = create_organization(ws, name).await.unwrap();
    let site = create_site(
        ws,
        NewSiteInput {
            org_id: org.id.clone(),
            name: format!("{name} roof"),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        },
    )
    .await
    .unwrap();
    (org.id, site.id)
}

/// A field device on the Zap at `address` (the add-device form is another step's).
async fn field_device(address: &str) -> String {
    novacore::zap::ZapClient::new(address)
        .unwrap()
        .add_device(&serde_json::json!({"type": "modbus_tcp", "ip": "127.0.0.99", "port": 502, "profile": "sungrow"}))
        .await
        .unwrap()
        .sn
}

/// The form's suggestion for `sn`, to `site_id`, as the installer would send it.
fn input(form: &ProvisionForm, sn: &str, site_id: &str) -> ProvisionInput {
    let d = form.devices.iter().find(|d| d.sn == sn).unwrap();
    ProvisionInput {
        zap_address: form.address.clone(),
        device_sn: sn.into(),
        site_id: site_id.into(),
        device_type: d.device_type.clone(),
        name: Some(d.name.clone()),
        manufacturer: Some("Sungrow".into()),
        model: Some("SH10RT".into()),
        ders: d
            .ders
            .iter()
            .map(|x| (x.name.clone(), x.der_type.clone()))
            .collect(),
    }
}

fn hub() -> LiveHub {
    LiveHub::new(tokio::runtime::Handle::current(), LiveOptions::default())
}

fn wait(address: &str, done: &Provisioned, timeout: Duration) -> FirstReadingWait {
    FirstReadingWait {
        zap_address: address.into(),
        site_id: done.device.site_id.clone().unwrap(),
        device_id: done.device.id.clone(),
        timeout,
    }
}

/// The Sandbox's cloud cut off (or back): its control route, as the E2E tests use it.
async fn cloud_down(sb: &SandboxHandle, down: bool) {
    let url = url::Url::parse(sb.base_url()).unwrap();
    let host = format!("{}:{}", url.host_str().unwrap(), url.port().unwrap());
    let body = format!("{{\"down\":{down}}}");
    let mut s = tokio::net::TcpStream::connect(&host).await.unwrap();
    let req = format!(
        "POST /_sim/cloud HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).await.unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_form_then_provision_and_publish_bring_the_first_reading() {
    let first = Ipv4Addr::new(127, 0, 8, 2);
    let (sb, a) = sandbox(first, 1).await;
    let ws = signed_in(&sb).await;
    let (org, site) = org_and_site(&ws, "Installs").await;
    let sn = field_device(&a).await;

    // Not claimed yet: the devices are listed, provisioning waits for the claim.
    let form = provision_form(&ws, &a).await.unwrap();
    assert_eq!(form.serial, sb.zaps()[0].serial);
    assert!(form.owner.is_none() && form.sites.is_empty(), "{form:?}");
    assert!(!form.provision.allowed);
    assert!(form
        .provision
        .reason
        .as_deref()
        .unwrap()
        .contains("Claim the Zap"));
    let device = &form.devices[0];
    assert_eq!(device.sn, sn);
    assert_eq!(device.device_type, "inverter");
    assert_eq!(
        device
            .ders
            .iter()
            .map(|d| (d.name.as_str(), d.der_type.as_str()))
            .collect::<Vec<_>>(),
        [
            ("sungrow-solar", "solar"),
            ("sungrow-battery", "battery"),
            ("sungrow-meter", "meter")
        ]
    );
    let inverter = form
        .device_types
        .iter()
        .find(|t| t.device_type == "inverter")
        .unwrap();
    assert_eq!(inverter.der_types, der_type_choices("inverter").unwrap());

    claim_zap(&ws, &a, &org, false).await.unwrap();
    let form = provision_form(&ws, &a).await.unwrap();
    assert_eq!(form.owner.as_ref().unwrap().org_id, org);
    assert!(form.provision.allowed, "{form:?}");
    assert_eq!(
        form.sites.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [site.as_str()]
    );
    assert!(form.devices[0].provisioned.is_none());

    let done = provision_device(&ws, &input(&form, &sn, &site))
        .await
        .unwrap();
    assert!(done.created && done.publish_problem.is_none(), "{done:?}");
    assert_eq!(done.device.ders.len(), 3);
    assert!(done.device.ders.iter().all(|d| d.id.starts_with("der-")));

    let hub = hub();
    let mut waits = Vec::new();
    let outcome = wait_first_reading(
        &ws,
        &hub,
        &wait(&a, &done, FIRST_READING_TIMEOUT),
        &CancelToken::new(),
        |u| {
            waits.push(u.clone());
            true
        },
    )
    .await
    .unwrap();
    let FirstReadingUpdate::Arrived { reading } = outcome else {
        panic!("no first reading: {outcome:?} after {waits:?}");
    };
    let der = done
        .device
        .ders
        .iter()
        .find(|d| d.id == reading.der_id)
        .expect("one of the device's DERs");
    assert_eq!(reading.der_name.as_deref(), Some(der.name.as_str()));
    assert!(reading.power_w.is_some(), "{reading:?}");
    assert!(reading.waited_ms < 10_000, "{reading:?}");
    assert!(waits.iter().all(|u| !u.is_final()));
    assert_eq!(hub.streams(), 0, "the wait's watch ends with it");

    // The form now says where the device is.
    let form = provision_form(&ws, &a).await.unwrap();
    let at = form.devices[0].provisioned.as_ref().unwrap();
    assert_eq!(
        (at.device_id.as_str(), at.site_id.as_str()),
        (done.device.id.as_str(), site.as_str())
    );

    // Cancelled from the window: it says so at once.
    let cancel = CancelToken::new();
    cancel.cancel();
    let outcome = wait_first_reading(
        &ws,
        &hub,
        &wait(&a, &done, FIRST_READING_TIMEOUT),
        &cancel,
        |_| true,
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, FirstReadingUpdate::Cancelled { .. }),
        "{outcome:?}"
    );
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_and_the_cloud_gone_leave_nothing_half_done_and_retry_works() {
    let first = Ipv4Addr::new(127, 0, 8, 34);
    let (sb, a) = sandbox(first, 1).await;
    let ws = signed_in(&sb).await;
    let (org, site) = org_and_site(&ws, "Installs").await;
    let sn = field_device(&a).await;
    claim_zap(&ws, &a, &org, false).await.unwrap();
    refresh_site(&ws, &site).await.unwrap();
    let form = provision_form(&ws, &a).await.unwrap();
    let good = input(&form, &sn, &site);
    let site_devices = |ws: &Workspace| cached_site(ws, &site).unwrap().unwrap().value.devices;

    // A DER type the device type does not allow, and a DER name taken twice: refused before
    // sending, each field named.
    let e = provision_device(
        &ws,
        &ProvisionInput {
            ders: vec![("port-1".into(), "ev_charger_port".into())],
            ..good.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(
        e.user_message().contains("ders[0].type"),
        "{}",
        e.user_message()
    );
    let e = provision_device(
        &ws,
        &ProvisionInput {
            ders: vec![("pv".into(), "solar".into()), ("pv".into(), "meter".into())],
            ..good.clone()
        },
    )
    .await
    .unwrap_err();
    assert!(
        e.user_message().contains("ders[1].name"),
        "{}",
        e.user_message()
    );

    // A colleague who is an operator sees why not, and the platform refuses them too.
    let colleague = signed_in(&sb).await;
    add_member(&ws, &org, &colleague.identity_id, "operator")
        .await
        .unwrap();
    let theirs = provision_form(&colleague, &a).await.unwrap();
    assert!(!theirs.provision.allowed);
    assert!(
        theirs
            .provision
            .reason
            .as_deref()
            .unwrap()
            .contains("owners and admins"),
        "{theirs:?}"
    );
    let e = provision_device(&colleague, &good).await.unwrap_err();
    assert!(matches!(e, Error::Forbidden(_)), "{e:?}");
    assert!(
        e.user_message().contains("You may not provision"),
        "{}",
        e.user_message()
    );

    // The hardware id already registered by another organization: the platform's conflict in
    // a sentence.
    let rival = signed_in(&sb).await;
    let (_, rival_site) = org_and_site(&rival, "Rival").await;
    rival
        .novacore(async |c| {
            c.devices()
                .provision(&novacore::models::ProvisionRequest {
                    gateway_serial: None,
                    hardware_id: sn.clone(),
                    device_type: "inverter".into(),
                    site_id: rival_site.clone(),
                    name: None,
                    manufacturer: None,
                    model: None,
                    ders: Vec::new(),
                })
                .await
        })
        .await
        .unwrap();
    let e = provision_device(&ws, &good).await.unwrap_err();
    let text = e.user_message();
    assert!(
        text.contains("another organization") && text.contains(&sn),
        "{text}"
    );
    assert!(site_devices(&ws).is_empty(), "nothing half-done");

    // A second device; the cloud goes away mid-journey: said so, nothing kept half-done, and
    // the retry once it is back provisions it.
    let sn2 = novacore::zap::ZapClient::new(&a)
        .unwrap()
        .add_device(&serde_json::json!({"type": "modbus_tcp", "ip": "127.0.0.98", "port": 502, "profile": "sungrow"}))
        .await
        .unwrap()
        .sn;
    let form = provision_form(&ws, &a).await.unwrap();
    let second = input(&form, &sn2, &site);
    cloud_down(&sb, true).await;
    let e = provision_device(&ws, &second).await.unwrap_err();
    // (The Sandbox's cut-off cloud answers 503, as a platform outage does; a cut cable is the
    // offline banner's, tested with the connectivity.)
    assert!(
        e.user_message().starts_with(
            "Novacore is not available right now (HTTP 503): the device was not provisioned."
        ),
        "{}",
        e.user_message()
    );
    // The form still opens from what is stored.
    let offline_form = provision_form(&ws, &a).await.unwrap();
    assert_eq!(offline_form.sites.len(), 1, "{offline_form:?}");
    assert!(site_devices(&ws).is_empty());
    cloud_down(&sb, false).await;
    let done = provision_device(&ws, &second).await.unwrap();
    assert!(done.created && done.publish_problem.is_none(), "{done:?}");
    assert_eq!(site_devices(&ws).len(), 1);

    // The cloud goes away while waiting for the first reading: said so, the device kept.
    cloud_down(&sb, true).await;
    let outcome = wait_first_reading(
        &ws,
        &hub(),
        &wait(&a, &done, Duration::from_secs(3)),
        &CancelToken::new(),
        |_| true,
    )
    .await
    .unwrap();
    let FirstReadingUpdate::NoReading { link, advice, .. } = outcome else {
        panic!("{outcome:?}");
    };
    assert_eq!(link, None, "{advice}");
    assert!(
        advice.contains("The device stays provisioned") && advice.contains("wait again"),
        "{advice}"
    );
    cloud_down(&sb, false).await;
    sb.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_reading_in_time_names_the_first_broken_link() {
    let first = Ipv4Addr::new(127, 0, 8, 66);
    let (sb, a) = sandbox(first, 1).await;
    let serial = sb.zaps()[0].serial.clone();
    let ws = signed_in(&sb).await;
    let (org, site) = org_and_site(&ws, "Installs").await;
    let sn = field_device(&a).await;
    claim_zap(&ws, &a, &org, false).await.unwrap();
    let fault = |f: ZapFaultUpdate| sb.set_zap_faults(&serial, &f).unwrap();
    // The Zap lost its cloud session before the provisioning: it cannot publish.
    fault(ZapFaultUpdate {
        cloud_unreachable: Some(true),
        ..Default::default()
    });
    let form = provision_form(&ws, &a).await.unwrap();
    let done = provision_device(&ws, &input(&form, &sn, &site))
        .await
        .unwrap();
    assert!(done.publish_problem.is_none(), "{done:?}");
    let hub = hub();
    let short = Duration::from_secs(2);
    let mut seen = 0;
    let outcome = wait_first_reading(
        &ws,
        &hub,
        &wait(&a, &done, short),
        &CancelToken::new(),
        |u| {
            assert!(matches!(u, FirstReadingUpdate::Waiting { .. }), "{u:?}");
            seen += 1;
            true
        },
    )
    .await
    .unwrap();
    assert!(seen >= 2, "progress while waiting");
    let FirstReadingUpdate::NoReading {
        link,
        advice,
        waited_ms,
        ..
    } = outcome
    else {
        panic!("{outcome:?}");
    };
    assert_eq!(link, Some(LinkKind::Cloud), "{advice}");
    assert!(waited_ms >= 2_000);
    assert!(
        advice.starts_with("No reading in 2 s. Look at the health chain's “Novacore” link"),
        "{advice}"
    );

    fault(ZapFaultUpdate {
        cloud_unreachable: Some(false),
        no_internet: Some(true),
        ..Default::default()
    });
    let outcome = wait_first_reading(
        &ws,
        &hub,
        &wait(&a, &done, short),
        &CancelToken::new(),
        |_| true,
    )
    .await
    .unwrap();
    assert!(
        matches!(&outcome, FirstReadingUpdate::NoReading { link: Some(LinkKind::Internet), advice, .. } if advice.contains("internet")),
        "{outcome:?}"
    );

    // Fixed: the reading comes.
    fault(ZapFaultUpdate {
        no_internet: Some(false),
        ..Default::default()
    });
    let outcome = wait_first_reading(
        &ws,
        &hub,
        &wait(&a, &done, FIRST_READING_TIMEOUT),
        &CancelToken::new(),
        |_| true,
    )
    .await
    .unwrap();
    assert!(
        matches!(outcome, FirstReadingUpdate::Arrived { .. }),
        "{outcome:?}"
    );
    sb.shutdown().await;
}
