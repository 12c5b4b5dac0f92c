//! Every resource handle against the sandbox (two independent readings of the reference).

use chrono::Utc;
use novacore::history::Resolution;
use novacore::models::{NewDer, NewSite, Role, SiteUpdate};
use novacore::tariffs::TariffPart;
use novacore::{Client, Error, Identity};
use novacore_sim::Sandbox;
use std::time::Duration;

async fn sandbox() -> novacore_sim::SandboxHandle {
    Sandbox::builder()
        .seed(11)
        .sites(2)
        .zaps(1)
        .sample_interval(Duration::from_millis(200))
        .start()
        .await
        .unwrap()
}

fn client(sb: &novacore_sim::SandboxHandle) -> Client {
    Client::builder(sb.base_url())
        .identity(Identity::generate())
        .build()
        .unwrap()
}

#[tokio::test]
async fn organizations_members_sites_devices_ders() {
    let sb = sandbox().await;
    let c = client(&sb);
    let registered = c.register_identity().await.unwrap();
    let session = c.login().await.unwrap();
    assert!(!session.identity_id.is_empty());
    assert_eq!(registered.identity_id, session.identity_id);
    assert!(session.expires_at > Utc::now() + chrono::Duration::hours(23));

    let demo = c.organizations().list().await.unwrap();
    assert!(!demo.is_empty(), "demo world expected");
    let org = c.organizations().create("SDK Lab").await.unwrap();
    assert_eq!(org.name, "SDK Lab");
    c.organizations()
        .rename(&org.id, "SDK Lab 2")
        .await
        .unwrap();
    assert_eq!(
        c.organizations().get(&org.id).await.unwrap().name,
        "SDK Lab 2"
    );

    let members = c.members(&org.id).list().await.unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].role, Role::Owner);
    assert_eq!(members[0].identity_id, session.identity_id);
    let other = Client::builder(sb.base_url())
        .identity(Identity::generate())
        .build()
        .unwrap();
    let other_id = other.login().await.unwrap().identity_id;
    c.members(&org.id)
        .add(&other_id, Role::Viewer)
        .await
        .unwrap();
    c.members(&org.id)
        .set_role(&other_id, Role::Operator)
        .await
        .unwrap();
    let roles: Vec<Role> = c
        .members(&org.id)
        .list()
        .await
        .unwrap()
        .into_iter()
        .map(|m| m.role)
        .collect();
    assert!(roles.contains(&Role::Operator));
    // The operator may read but not rename the org.
    assert!(other.organizations().get(&org.id).await.is_ok());
    assert!(matches!(
        other.organizations().rename(&org.id, "x").await,
        Err(Error::Forbidden { .. })
    ));
    c.members(&org.id).remove(&other_id).await.unwrap();
    assert!(matches!(
        other.organizations().get(&org.id).await,
        Err(Error::NotFound { .. } | Error::Forbidden { .. })
    ));

    let site = c
        .sites()
        .create(&NewSite {
            org_id: org.id.clone(),
            name: "Home".into(),
            timezone: Some("Europe/Stockholm".into()),
            price_area: Some("SE3".into()),
            location: Some(novacore::models::Location {
                lat: 59.33,
                lon: 18.07,
            }),
        })
        .await
        .unwrap();
    assert_eq!(site.price_area.as_deref(), Some("SE3"));
    c.sites()
        .update(
            &site.id,
            &SiteUpdate {
                name: Some("Villa".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(c.sites().get(&site.id).await.unwrap().name, "Villa");
    let in_org = c.sites().list(Some(&org.id)).await.unwrap();
    assert_eq!(
        in_org.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(),
        [site.id.as_str()]
    );
    assert!(c.sites().list(None).await.unwrap().len() > 1);

    // A demo site has devices with DERs.
    let demo_site = c.sites().list(Some(&demo[0].id)).await.unwrap().remove(0);
    let devices = c.sites().devices(&demo_site.id).await.unwrap();
    assert!(!devices.is_empty());
    let dev = c.devices().get(&devices[0].id).await.unwrap();
    assert_eq!(dev.id, devices[0].id);
    assert!(!dev.ders.is_empty());
    let der = c.ders().get(&dev.ders[0].id).await.unwrap();
    assert_eq!(der.id, dev.ders[0].id);
    c.devices().rename(&dev.id, "Renamed").await.unwrap();
    assert_eq!(
        c.devices().get(&dev.id).await.unwrap().name.as_deref(),
        Some("Renamed")
    );
    let gateways = c.gateways().list(&demo[0].id).await.unwrap();
    assert!(gateways.iter().all(|g| !g.serial.is_empty()));

    // DER add with a name the server must accept, and one the SDK refuses locally.
    let added = c
        .devices()
        .add_der(
            &dev.id,
            &NewDer {
                name: "meter-2".into(),
                der_type: "meter".into(),
            },
        )
        .await;
    match added {
        Ok(d) => assert_eq!(d.name, "meter-2"),
        Err(e) => assert!(
            matches!(e, Error::Validation { .. } | Error::Conflict { .. }),
            "{e:?}"
        ),
    }
    let bad = c
        .devices()
        .add_der(
            &dev.id,
            &NewDer {
                name: "bad name".into(),
                der_type: "meter".into(),
            },
        )
        .await;
    assert!(matches!(bad, Err(Error::Validation { ref code, .. }) if code == "local"));

    c.sites().delete(&site.id).await.unwrap();
    assert!(matches!(
        c.sites().get(&site.id).await,
        Err(Error::NotFound { .. })
    ));
    c.organizations().delete(&org.id).await.unwrap();
    sb.shutdown().await;
}

#[tokio::test]
async fn public_prices_tariffs_and_history() {
    let sb = sandbox().await;
    let c = client(&sb);
    // The demo world (and with it the public aggregates) appears on first sign-in.
    c.login().await.unwrap();
    let anon = Client::new(sb.base_url()).unwrap();
    let cells = anon.public().cells().await.unwrap();
    assert!(!cells.is_empty());
    let stats = anon.public().cell_stats(&cells[0].h3_index).await.unwrap();
    assert_eq!(stats.h3_index, cells[0].h3_index);
    assert!(anon
        .public()
        .der_types()
        .await
        .unwrap()
        .iter()
        .any(|t| t.r#type == "solar"));
    let dts = anon.public().device_types().await.unwrap();
    let inverter = dts.iter().find(|d| d.r#type == "inverter").unwrap();
    assert!(inverter.allowed_der_types.contains(&"battery".to_string()));

    let today = Utc::now().date_naive();
    let p = anon
        .prices()
        .day_ahead("SE3", today, 1, "SEK")
        .await
        .unwrap();
    assert_eq!(p.currency, "SEK");
    assert_eq!(p.slot_length(), chrono::Duration::minutes(15));
    assert!(p.prices.len() >= 92, "{}", p.prices.len());
    let far = today + chrono::Duration::days(30);
    assert!(matches!(
        anon.prices().day_ahead("SE3", far, 1, "SEK").await,
        Err(Error::NotPublished)
    ));

    let lookup = anon.tariffs().lookup(59.33, 18.07).await.unwrap();
    assert!(!lookup.tariffs.is_empty());
    let providers = anon.tariffs().providers().await.unwrap();
    assert!(!providers.is_empty());
    let prov = anon.tariffs().provider(&providers[0].id).await.unwrap();
    assert!(!prov.tariffs.is_empty());
    let t = anon.tariffs().tariff(&lookup.tariffs[0].id).await.unwrap();
    assert!(!t.fixed_price.components.is_empty());
    assert!(t.fixed_price.components[0].ex_vat().is_some());
    let at = anon
        .tariffs()
        .part_at(&t.id, TariffPart::Energy, &Utc::now().to_rfc3339())
        .await
        .unwrap();
    assert!(at.price_ex_vat.is_some());
    // Every tariff offered at a location can be fetched in full and priced as given.
    let offered = anon.tariffs().offered_at(57.71, 11.97).await.unwrap();
    assert_eq!(offered[0].id, "goteborg-enkel-2026");
    assert!(offered.len() >= 3, "{offered:?}");
    for o in &offered {
        let full = anon.tariffs().tariff(&o.id).await.unwrap();
        assert!(full.missing_fields().is_empty(), "{}", o.id);
        novacore::pricing::Tariff::from_sdk(&full).unwrap();
    }

    let org = c.organizations().list().await.unwrap().remove(0);
    let site = c.sites().list(Some(&org.id)).await.unwrap().remove(0);
    let to = Utc::now();
    let from = to - chrono::Duration::hours(6);
    let series = c
        .telemetry()
        .history(&site.id, from..to, Resolution::QuarterHour, None)
        .await
        .unwrap();
    assert!(!series.is_empty());
    let pts = &series[0].points;
    assert!(!pts.is_empty());
    assert!(pts.windows(2).all(|w| w[0].ts < w[1].ts));
    assert!(pts.iter().all(|b| b.ts.timestamp() % 900 == 0
        && b.ts >= from - chrono::Duration::minutes(15)
        && b.ts < to));
    let one = c
        .telemetry()
        .history(
            &site.id,
            from..to,
            Resolution::Hour,
            series[0].der_id.as_deref(),
        )
        .await
        .unwrap();
    assert_eq!(one.len(), 1);
    assert!(matches!(
        c.telemetry()
            .history(&site.id, to..from, Resolution::Hour, None)
            .await,
        Err(Error::InvalidInput(_))
    ));
    sb.shutdown().await;
}
