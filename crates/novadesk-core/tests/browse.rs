//! Browsing against the in-process Sandbox: every refresh writes through to the store, the
//! cached read then answers the same with its fetch time (fake clock), and offline the refresh
//! fails while the cached data stays.

mod common;

use std::time::Duration;

use common::world;
use novadesk_core::*;

fn org_with_role<'a>(rows: &'a [OrganizationRow], role: &str) -> &'a OrganizationRow {
    rows.iter()
        .find(|r| r.role.as_deref() == Some(role))
        .unwrap_or_else(|| panic!("no {role} organization in {rows:?}"))
}

#[tokio::test]
async fn refreshes_write_through_and_cached_reads_answer_the_same_with_their_age() {
    let w = world().await;
    let ws = &w.ws;
    assert!(
        cached_organizations(ws).unwrap().is_none(),
        "nothing fetched yet"
    );
    let fresh = refresh_organizations(ws).await.unwrap();
    let t0 = ws.now_ms();
    assert_eq!(fresh.fetched_at_ms, t0);
    let owned = org_with_role(&fresh.value, "owner").clone();
    org_with_role(&fresh.value, "viewer");

    w.clock.advance(Duration::from_secs(180));
    let cached = cached_organizations(ws).unwrap().expect("cached");
    assert_eq!(cached.value, fresh.value);
    assert_eq!(cached.fetched_at_ms, t0);
    assert_eq!(cached.age_ms(ws.now_ms()), 180_000, "cached 3 min ago");

    // One organization: sites, members with roles, gateways.
    assert!(cached_organization(ws, &owned.id)
        .unwrap()
        .is_some_and(|c| c.value.sites.is_empty()));
    let org = refresh_organization(ws, &owned.id).await.unwrap();
    assert!(!org.value.sites.is_empty());
    assert!(!org.value.gateways.is_empty(), "the demo sites have Zaps");
    let me = org
        .value
        .members
        .iter()
        .find(|m| m.identity_id == ws.identity_id)
        .unwrap();
    assert_eq!(me.role, "owner");
    assert!(org.value.permissions.delete_organization.allowed);
    let cached = cached_organization(ws, &owned.id).unwrap().unwrap();
    assert_eq!(cached.value, org.value);

    // All sites, with their organization's name.
    let all = refresh_sites(ws).await.unwrap();
    assert!(
        all.value.len() > org.value.sites.len(),
        "the shared org's sites too"
    );
    let cached = cached_sites(ws).unwrap().unwrap();
    assert_eq!(cached.value.len(), all.value.len());
    assert!(
        cached.value.iter().all(|s| s.org_name.is_some()),
        "{:?}",
        cached.value
    );

    // A site: devices and DERs; a device.
    let site_id = &org.value.sites[0].id;
    let site = refresh_site(ws, site_id).await.unwrap();
    assert!(!site.value.devices.is_empty());
    assert!(site.value.devices.iter().any(|d| !d.ders.is_empty()));
    assert!(site.value.permissions.manage_sites.allowed);
    assert_eq!(cached_site(ws, site_id).unwrap().unwrap().value, site.value);
    let device_id = &site.value.devices[0].id;
    let device = refresh_device(ws, device_id).await.unwrap();
    assert_eq!(
        device.value.site.as_ref().map(|s| s.id.as_str()),
        Some(site_id.as_str())
    );
    assert_eq!(
        cached_device(ws, device_id).unwrap().unwrap().value,
        device.value
    );

    // Latest values come from the store's telemetry where there is any.
    let der = site
        .value
        .devices
        .iter()
        .flat_map(|d| &d.ders)
        .next()
        .unwrap()
        .clone();
    let mut batch = novadesk_store::Batch::new(ws.now_ms());
    batch.push(
        &novadesk_store::SeriesKey::new(&der.id, "W"),
        ws.now_ms(),
        1234.5,
    );
    ws.store().ingest(&batch).unwrap();
    let site = cached_site(ws, site_id).unwrap().unwrap();
    let shown = site
        .value
        .devices
        .iter()
        .flat_map(|d| &d.ders)
        .find(|d| d.id == der.id)
        .unwrap();
    assert_eq!(shown.latest.len(), 1);
    assert_eq!(
        (shown.latest[0].field.as_str(), shown.latest[0].value),
        ("W", 1234.5)
    );

    // Offline: the refresh fails as offline, the banner event goes out, the cache stays.
    w.sandbox.shutdown().await;
    let err = refresh_organizations(ws).await.unwrap_err();
    assert!(
        matches!(&err, Error::Novacore(e) if e.is_offline()),
        "{err:?}"
    );
    assert!(w
        .events
        .events()
        .iter()
        .any(|e| matches!(e, AppEvent::ConnectivityChanged { online: false, .. })));
    assert_eq!(cached_organizations(ws).unwrap().unwrap().fetched_at_ms, t0);
}

#[tokio::test]
async fn a_viewer_is_refused_with_a_sentence_and_gone_things_are_not_found() {
    let w = world().await;
    let ws = &w.ws;
    let orgs = refresh_organizations(ws).await.unwrap().value;
    let shared = org_with_role(&orgs, "viewer");
    let detail = refresh_organization(ws, &shared.id).await.unwrap().value;
    assert!(!detail.permissions.manage_sites.allowed);
    assert_eq!(
        detail.permissions.delete_organization.reason.as_deref(),
        Some("Only owners can delete an organization.")
    );
    let input = NewSiteInput {
        org_id: shared.id.clone(),
        name: "Not mine".into(),
        ..Default::default()
    };
    match create_site(ws, input).await.unwrap_err() {
        Error::Forbidden(m) => assert!(m.starts_with("You may not create sites"), "{m}"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    match delete_organization(ws, &shared.id).await.unwrap_err() {
        Error::Forbidden(m) => assert!(m.contains("owner"), "{m}"),
        other => panic!("expected Forbidden, got {other:?}"),
    }
    // Nothing changed in the store.
    assert_eq!(
        cached_organization(ws, &shared.id)
            .unwrap()
            .unwrap()
            .value
            .sites,
        detail.sites
    );
    match refresh_site(ws, "sit-does-not-exist").await.unwrap_err() {
        Error::NotFound(m) => assert!(m.starts_with("This site no longer exists"), "{m}"),
        other => panic!("expected NotFound, got {other:?}"),
    }
    // Bad input never reaches the server.
    assert!(matches!(
        add_member(ws, &shared.id, "idt x", "viewer").await,
        Err(Error::InvalidInput(_))
    ));
    assert!(matches!(
        add_member(ws, &shared.id, "idt-x", "boss").await,
        Err(Error::InvalidInput(_))
    ));
}
