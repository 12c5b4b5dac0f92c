//! Organizations, members, roles, sites; the demo world.

use std::time::Duration;

use reqwest::Method;
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn org_crud_and_role_rules() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let owner = login(base, &key(1)).await;
    let other = login(base, &key(2)).await;
    let org = new_org(base, &owner, "Lab").await;
    let list = get(&format!("{base}/organizations"), Some(&owner.token)).await;
    assert_eq!(list.body[0]["owner_id"], owner.id.as_str());
    // Outsiders get 404, not 403.
    assert_error(
        &get(&format!("{base}/organizations/{org}"), Some(&other.token)).await,
        404,
        "not_found",
    );
    assert_error(
        &get(&format!("{base}/sites?org_id={org}"), Some(&other.token)).await,
        404,
        "not_found",
    );
    // Add as viewer: can read, cannot write.
    let r = post(
        &format!("{base}/organizations/{org}/members"),
        Some(&owner.token),
        json!({"identity_id": other.id, "role": "viewer"}),
    )
    .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_error(
        &post(
            &format!("{base}/organizations/{org}/members"),
            Some(&owner.token),
            json!({"identity_id": other.id, "role": "viewer"}),
        )
        .await,
        409,
        "conflict",
    );
    assert_error(
        &post(
            &format!("{base}/organizations/{org}/members"),
            Some(&owner.token),
            json!({"identity_id": "idt-x", "role": "boss"}),
        )
        .await,
        422,
        "validation_error",
    );
    assert_eq!(
        get(&format!("{base}/organizations/{org}"), Some(&other.token))
            .await
            .status,
        200
    );
    let put = call(
        Method::PUT,
        &format!("{base}/organizations/{org}"),
        Some(&other.token),
        Some(json!({"name": "Mine"})),
    )
    .await;
    assert_error(&put, 403, "forbidden");
    assert_error(
        &post(
            &format!("{base}/sites"),
            Some(&other.token),
            json!({"org_id": org, "name": "S"}),
        )
        .await,
        403,
        "forbidden",
    );
    // Promote to admin: may write but not delete the org nor touch the owner.
    let r = call(
        Method::PUT,
        &format!("{base}/organizations/{org}/members/{}", other.id),
        Some(&owner.token),
        Some(json!({"role": "admin"})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let put = call(
        Method::PUT,
        &format!("{base}/organizations/{org}"),
        Some(&other.token),
        Some(json!({"name": "Renamed"})),
    )
    .await;
    assert_eq!(put.body["name"], "Renamed");
    assert_error(
        &call(
            Method::DELETE,
            &format!("{base}/organizations/{org}"),
            Some(&other.token),
            None,
        )
        .await,
        403,
        "forbidden",
    );
    assert_error(
        &call(
            Method::PUT,
            &format!("{base}/organizations/{org}/members/{}", owner.id),
            Some(&other.token),
            Some(json!({"role": "viewer"})),
        )
        .await,
        403,
        "forbidden",
    );
    // The last owner cannot demote themself.
    assert_error(
        &call(
            Method::PUT,
            &format!("{base}/organizations/{org}/members/{}", owner.id),
            Some(&owner.token),
            Some(json!({"role": "admin"})),
        )
        .await,
        409,
        "conflict",
    );
    let members = get(
        &format!("{base}/organizations/{org}/members"),
        Some(&other.token),
    )
    .await;
    assert_eq!(members.body.as_array().unwrap().len(), 2);
    assert_eq!(
        call(
            Method::DELETE,
            &format!("{base}/organizations/{org}/members/{}", other.id),
            Some(&owner.token),
            None
        )
        .await
        .status,
        204
    );
    assert_eq!(
        call(
            Method::DELETE,
            &format!("{base}/organizations/{org}"),
            Some(&owner.token),
            None
        )
        .await
        .status,
        204
    );
    assert_error(
        &get(&format!("{base}/organizations/{org}"), Some(&owner.token)).await,
        404,
        "not_found",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn site_crud_with_extra_fields_and_validation() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let u = login(base, &key(1)).await;
    let org = new_org(base, &u, "Lab").await;
    let site = new_site(base, &u, &org).await;
    let s = get(&format!("{base}/sites/{site}"), Some(&u.token)).await;
    assert_eq!(s.body["location"]["lat"], 59.33);
    assert_eq!(s.body["timezone"], "Europe/Stockholm");
    assert_eq!(s.body["price_area"], "SE3");
    assert!(s.body["devices"].as_array().unwrap().is_empty());
    let bare = post(
        &format!("{base}/sites"),
        Some(&u.token),
        json!({"org_id": org, "name": "Bare"}),
    )
    .await;
    assert_eq!(bare.status, 201);
    assert!(bare.body["location"].is_null());
    let r = post(
        &format!("{base}/sites"),
        Some(&u.token),
        json!({"org_id": org, "name": "X", "timezone": "Mars/Olympus"}),
    )
    .await;
    assert_error(&r, 422, "validation_error");
    assert_eq!(r.body["details"][0]["field"], "timezone");
    assert_error(
        &post(
            &format!("{base}/sites"),
            Some(&u.token),
            json!({"org_id": org, "name": " "}),
        )
        .await,
        422,
        "validation_error",
    );
    assert_error(
        &post(
            &format!("{base}/sites"),
            Some(&u.token),
            json!({"org_id": org, "name": "X", "location": {"lat": 91, "lon": 0}}),
        )
        .await,
        422,
        "validation_error",
    );
    let put = call(
        Method::PUT,
        &format!("{base}/sites/{site}"),
        Some(&u.token),
        Some(json!({"name": "Cabin", "price_area": "SE1"})),
    )
    .await;
    assert_eq!(
        (put.body["name"].as_str(), put.body["price_area"].as_str()),
        (Some("Cabin"), Some("SE1"))
    );
    let list = get(&format!("{base}/sites?org_id={org}"), Some(&u.token)).await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    assert_eq!(
        call(
            Method::DELETE,
            &format!("{base}/sites/{site}"),
            Some(&u.token),
            None
        )
        .await
        .status,
        204
    );
    assert_error(
        &get(&format!("{base}/sites/{site}"), Some(&u.token)).await,
        404,
        "not_found",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn demo_world_owner_and_viewer_with_live_data() {
    let sb = start(
        builder()
            .demo(true)
            .sites(3)
            .sample_interval(Duration::from_millis(200)),
    )
    .await;
    let base = sb.base_url();
    let u = login(base, &key(1)).await;
    let orgs = get(&format!("{base}/organizations"), Some(&u.token))
        .await
        .body;
    let roles: Vec<&str> = orgs
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles.len(), 2);
    assert!(roles.contains(&"owner") && roles.contains(&"viewer"));
    let sites = get(&format!("{base}/sites"), Some(&u.token)).await.body;
    assert_eq!(sites.as_array().unwrap().len(), 5);
    let site = &sites[0];
    assert!(site["location"]["lat"].is_number() && site["price_area"].is_string());
    let id = site["id"].as_str().unwrap();
    let devices = get(&format!("{base}/sites/{id}/devices"), Some(&u.token))
        .await
        .body;
    assert!(devices.as_array().unwrap().len() >= 2);
    assert_eq!(devices[0]["state"], "active");
    let gws = get(&format!("{base}/gateways"), Some(&u.token)).await.body;
    assert!(gws.as_array().unwrap().len() >= 5);
    let mut sse = open_stream(base, id, &u.token, None).await;
    let a = sse
        .next_event(Duration::from_secs(5))
        .await
        .expect("live reading");
    let v: serde_json::Value = serde_json::from_str(&a.data).unwrap();
    assert!(v["der_id"].as_str().unwrap().starts_with("der-"));
    assert!(v["timestamp"].is_i64());
    // Months of history are available.
    let now = sb.now_ms();
    let h = get(
        &format!(
            "{base}/sites/{id}/telemetry?from={}&to={now}&resolution=1d",
            now - 90 * 86_400_000
        ),
        Some(&u.token),
    )
    .await;
    assert_eq!(h.status, 200, "{}", h.body);
    assert!(h.body[0]["points"].as_array().unwrap().len() >= 89);
    // A second user gets a different owned org but the same shared one.
    let u2 = login(base, &key(2)).await;
    let orgs2 = get(&format!("{base}/organizations"), Some(&u2.token))
        .await
        .body;
    let shared = |o: &serde_json::Value| {
        o.as_array()
            .unwrap()
            .iter()
            .find(|x| x["role"] == "viewer")
            .unwrap()["id"]
            .clone()
    };
    assert_eq!(shared(&orgs), shared(&orgs2));
    sb.shutdown().await;
}
