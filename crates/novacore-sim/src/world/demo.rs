//! The seeded demo world: each new person becomes owner of a fresh demo organization and
//! viewer of one shared organization, with sites, Zaps, devices, DERs and members.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::json;

use crate::world::model::{Der, Device, Gateway, Location, Member, Org, Role, Site, World};
use crate::zap::model::ZapState;
use crate::zap::profiles::field_device;

/// (name, lat, lon, timezone, price area).
pub const CITIES: &[(&str, f64, f64, &str, &str)] = &[
    ("Villa Stockholm", 59.33, 18.07, "Europe/Stockholm", "SE3"),
    (
        "Summer house Göteborg",
        57.71,
        11.97,
        "Europe/Stockholm",
        "SE3",
    ),
    ("Farm Malmö", 55.60, 13.00, "Europe/Stockholm", "SE4"),
    ("Cabin Luleå", 65.58, 22.15, "Europe/Stockholm", "SE1"),
    (
        "Townhouse Sundsvall",
        62.39,
        17.31,
        "Europe/Stockholm",
        "SE2",
    ),
    ("Flat Oslo", 59.91, 10.75, "Europe/Oslo", "NO1"),
    (
        "Office Copenhagen",
        55.68,
        12.57,
        "Europe/Copenhagen",
        "DK2",
    ),
    ("House Helsinki", 60.17, 24.94, "Europe/Helsinki", "FI"),
    ("Workshop Berlin", 52.52, 13.40, "Europe/Berlin", "DE-LU"),
    ("Barn Aarhus", 56.16, 10.20, "Europe/Copenhagen", "DK1"),
];

fn seeded_id(rng: &mut StdRng, prefix: &str) -> String {
    format!(
        "{prefix}-{}",
        uuid::Builder::from_random_bytes(rng.gen()).into_uuid()
    )
}

/// Makes `identity_id` owner of a new demo org and viewer of the shared one.
pub fn grant_demo(w: &mut World, seed: u64, sites: usize, identity_id: &str, now: DateTime<Utc>) {
    let shared = match w.shared_demo_org.clone() {
        Some(id) => id,
        None => {
            let mut rng = StdRng::seed_from_u64(seed ^ 0x5AED);
            let id = build_org(
                w,
                &mut rng,
                "Sourceful Demo Community",
                "idt-demo-community-owner",
                2,
                6,
                now,
            );
            w.shared_demo_org = Some(id.clone());
            id
        }
    };
    if let Some(org) = w.orgs.get_mut(&shared) {
        org.members.insert(
            identity_id.to_string(),
            Member {
                identity_id: identity_id.to_string(),
                role: Role::Viewer,
                joined_at: now,
            },
        );
    }
    let k = w.demo_orgs_created;
    w.demo_orgs_created += 1;
    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x9E37_79B9).wrapping_add(k));
    build_org(
        w,
        &mut rng,
        "My Energy Lab",
        identity_id,
        sites,
        (k as usize) % CITIES.len(),
        now,
    );
}

/// Builds an org owned by `owner` with `n_sites` equipped sites and a few extra members.
fn build_org(
    w: &mut World,
    rng: &mut StdRng,
    name: &str,
    owner: &str,
    n_sites: usize,
    city0: usize,
    now: DateTime<Utc>,
) -> String {
    let org_id = seeded_id(rng, "org");
    let created = now - Duration::days(200);
    let mut members = BTreeMap::new();
    members.insert(
        owner.to_string(),
        Member {
            identity_id: owner.into(),
            role: Role::Owner,
            joined_at: created,
        },
    );
    for role in [Role::Admin, Role::Operator, Role::Viewer] {
        let id = seeded_id(rng, "idt");
        members.insert(
            id.clone(),
            Member {
                identity_id: id,
                role,
                joined_at: created + Duration::days(3),
            },
        );
    }
    w.orgs.insert(
        org_id.clone(),
        Org {
            id: org_id.clone(),
            name: name.into(),
            owner_id: owner.into(),
            created_at: created,
            members,
        },
    );
    for i in 0..n_sites {
        let (city, lat, lon, tz, area) = CITIES[(city0 + i) % CITIES.len()];
        let site_id = seeded_id(rng, "sit");
        w.sites.insert(
            site_id.clone(),
            Site {
                id: site_id.clone(),
                org_id: org_id.clone(),
                name: city.into(),
                created_at: created + Duration::days(1),
                location: Some(Location { lat, lon }),
                timezone: Some(tz.into()),
                price_area: Some(area.into()),
                extra_load: None,
            },
        );
        equip_site(w, rng, &org_id, &site_id, created);
    }
    org_id
}

/// (profile, device type, name, [(DER name, DER type)]).
type Kit = (
    &'static str,
    &'static str,
    &'static str,
    Vec<(&'static str, &'static str)>,
);

/// A virtual Zap claimed into the org with an inverter (PV + battery), a P1 meter and often
/// an EV charger, all provisioned and publishing.
fn equip_site(w: &mut World, rng: &mut StdRng, org_id: &str, site_id: &str, at: DateTime<Utc>) {
    let serial = format!("zap-{:016x}", rng.gen::<u64>());
    let key = p256::ecdsa::SigningKey::random(rng);
    let mut zap = ZapState::new(serial.clone(), key);
    let gw_identity = seeded_id(rng, "idt");
    let public_key = zap.public_key_hex()[2..].to_string();
    w.gateways.insert(
        serial.clone(),
        Gateway {
            serial: serial.clone(),
            org_id: org_id.into(),
            public_key,
            identity_id: gw_identity,
            claimed_at: at,
            last_seen: None,
        },
    );
    let mut kit: Vec<Kit> = vec![
        (
            "sungrow",
            "inverter",
            "Sungrow SH10RT",
            vec![("pv-array", "solar"), ("battery_1", "battery")],
        ),
        (
            "p1",
            "energy_meter",
            "P1 meter",
            vec![("p1-meter", "meter")],
        ),
    ];
    if rng.gen::<f64>() < 0.7 {
        kit.push((
            "ambibox",
            "v2x_charger",
            "Ambibox V2X",
            vec![("ev-port", "ev_charger_port")],
        ));
    }
    for (profile, device_type, name, ders) in kit {
        let sn = format!(
            "{}{:06X}",
            profile.to_uppercase(),
            rng.gen::<u32>() & 0xFF_FFFF
        );
        let cfg = json!({"type": if profile == "p1" { "p1_uart" } else if profile == "ambibox" { "mqtt" } else { "modbus_tcp" }, "profile": profile});
        if let Some(fd) = field_device(
            profile,
            sn.clone(),
            cfg.as_object().cloned().unwrap_or_default(),
            true,
        ) {
            zap.devices.insert(sn.clone(), fd);
        }
        let dev_id = seeded_id(rng, "dev");
        let mut der_ids = Vec::new();
        for (der_name, der_type) in ders {
            let der_id = seeded_id(rng, "der");
            der_ids.push(der_id.clone());
            w.ders.insert(
                der_id.clone(),
                Der {
                    id: der_id,
                    device_id: dev_id.clone(),
                    site_id: site_id.into(),
                    name: der_name.into(),
                    der_type: der_type.into(),
                    created_at: at,
                },
            );
        }
        w.devices.insert(
            dev_id.clone(),
            Device {
                id: dev_id,
                site_id: site_id.into(),
                gateway_serial: Some(serial.clone()),
                hardware_id: sn,
                device_type: device_type.into(),
                name: Some(name.into()),
                manufacturer: Some(profile.into()),
                model: Some(name.into()),
                state: "active".into(),
                created_at: at,
                ders: der_ids,
            },
        );
    }
    w.zaps.insert(serial, zap);
}
