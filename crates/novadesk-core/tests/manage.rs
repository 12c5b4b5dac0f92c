//! Managing against the in-process Sandbox: each change, once accepted, shows in the store.

mod common;

use common::world;
use novadesk_core::*;

#[tokio::test]
async fn create_rename_members_roles_and_delete_update_the_store() {
    let w = world().await;
    let ws = &w.ws;
    refresh_organizations(ws).await.unwrap();
    refresh_sites(ws).await.unwrap();

    let org = create_organization(ws, "  Lab two ").await.unwrap();
    assert_eq!(
        (org.name.as_str(), org.role.as_deref()),
        ("Lab two", Some("owner"))
    );
    let orgs = cached_organizations(ws).unwrap().unwrap().value;
    assert!(orgs.contains(&org), "{orgs:?}");
    let detail = cached_organization(ws, &org.id).unwrap().unwrap().value;
    assert!(detail.sites.is_empty() && detail.permissions.delete_organization.allowed);

    let renamed = rename_organization(ws, &org.id, "Lab 2").await.unwrap();
    assert_eq!(renamed.name, "Lab 2");
    assert_eq!(
        cached_organization(ws, &org.id)
            .unwrap()
            .unwrap()
            .value
            .organization
            .name,
        "Lab 2"
    );

    let site = create_site(
        ws,
        NewSiteInput {
            org_id: org.id.clone(),
            name: "Garage".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
        },
    )
    .await
    .unwrap();
    let in_org = cached_organization(ws, &org.id)
        .unwrap()
        .unwrap()
        .value
        .sites;
    assert_eq!(
        in_org.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [site.id.as_str()]
    );
    assert!(cached_sites(ws)
        .unwrap()
        .unwrap()
        .value
        .iter()
        .any(|s| s.id == site.id));
    assert!(cached_site(ws, &site.id)
        .unwrap()
        .unwrap()
        .value
        .devices
        .is_empty());
    rename_site(ws, &site.id, "Carport").await.unwrap();
    assert_eq!(
        cached_site(ws, &site.id).unwrap().unwrap().value.site.name,
        "Carport"
    );

    let newcomer = "idt-newcomer-1";
    add_member(ws, &org.id, newcomer, "viewer").await.unwrap();
    let role_of = |id: &str| {
        cached_organization(ws, &org.id)
            .unwrap()
            .unwrap()
            .value
            .members
            .into_iter()
            .find(|m| m.identity_id == id)
            .map(|m| m.role)
    };
    assert_eq!(role_of(newcomer).as_deref(), Some("viewer"));
    // The server agrees.
    let fresh = refresh_organization(ws, &org.id).await.unwrap().value;
    assert!(fresh
        .members
        .iter()
        .any(|m| m.identity_id == newcomer && m.role == "viewer"));
    set_member_role(ws, &org.id, newcomer, "operator")
        .await
        .unwrap();
    assert_eq!(role_of(newcomer).as_deref(), Some("operator"));
    // Adding twice is a conflict, said plainly by the SDK error.
    assert!(matches!(
        add_member(ws, &org.id, newcomer, "viewer").await,
        Err(Error::Novacore(novacore::Error::Conflict { .. }))
    ));
    remove_member(ws, &org.id, newcomer).await.unwrap();
    assert_eq!(role_of(newcomer), None);

    delete_site(ws, &site.id).await.unwrap();
    assert!(cached_organization(ws, &org.id)
        .unwrap()
        .unwrap()
        .value
        .sites
        .is_empty());
    assert!(!cached_sites(ws)
        .unwrap()
        .unwrap()
        .value
        .iter()
        .any(|s| s.id == site.id));
    assert!(
        cached_site(ws, &site.id).unwrap().is_none(),
        "gone from the store"
    );
    assert!(matches!(
        refresh_site(ws, &site.id).await,
        Err(Error::NotFound(_))
    ));

    // A site deleted elsewhere disappears from the store on its next refresh.
    let other = create_site(
        ws,
        NewSiteInput {
            org_id: org.id.clone(),
            name: "Shed".into(),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    // Deleted elsewhere: straight through the SDK, not the use-case (the store still has it).
    ws.novacore(async |c| c.sites().delete(&other.id).await)
        .await
        .unwrap();
    assert!(cached_site(ws, &other.id).unwrap().is_some());
    assert!(matches!(
        refresh_site(ws, &other.id).await,
        Err(Error::NotFound(_))
    ));
    assert!(cached_site(ws, &other.id).unwrap().is_none());
    assert!(!cached_sites(ws)
        .unwrap()
        .unwrap()
        .value
        .iter()
        .any(|s| s.id == other.id));

    delete_organization(ws, &org.id).await.unwrap();
    assert!(!cached_organizations(ws)
        .unwrap()
        .unwrap()
        .value
        .iter()
        .any(|o| o.id == org.id));
    assert!(cached_organization(ws, &org.id).unwrap().is_none());
}

#[tokio::test]
async fn devices_are_renamed_deleted_and_get_ders() {
    let w = world().await;
    let ws = &w.ws;
    let orgs = refresh_organizations(ws).await.unwrap().value;
    let mine = orgs
        .iter()
        .find(|o| o.role.as_deref() == Some("owner"))
        .unwrap();
    let org = refresh_organization(ws, &mine.id).await.unwrap().value;
    let site = refresh_site(ws, &org.sites[0].id).await.unwrap().value;
    // A device that has a DER already: add another of the same type (types must fit the device).
    let device = site
        .devices
        .iter()
        .find(|d| !d.ders.is_empty())
        .unwrap()
        .clone();
    let der_type = device.ders[0].der_type.clone();

    rename_device(ws, &device.id, "Roof inverter")
        .await
        .unwrap();
    let cached = cached_device(ws, &device.id).unwrap().unwrap().value;
    assert_eq!(cached.device.name.as_deref(), Some("Roof inverter"));

    let der = add_der(ws, &device.id, "pv-east", &der_type).await.unwrap();
    assert_eq!(der.der_type, der_type);
    let cached = cached_device(ws, &device.id).unwrap().unwrap().value;
    assert!(cached.device.ders.iter().any(|d| d.id == der.id));
    let fresh = refresh_device(ws, &device.id).await.unwrap().value;
    assert!(fresh
        .device
        .ders
        .iter()
        .any(|d| d.id == der.id && d.name == "pv-east"));

    delete_device(ws, &device.id).await.unwrap();
    assert!(cached_device(ws, &device.id).unwrap().is_none());
    assert!(!cached_site(ws, &site.site.id)
        .unwrap()
        .unwrap()
        .value
        .devices
        .iter()
        .any(|d| d.id == device.id));
}
