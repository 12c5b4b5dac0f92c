//! Rate limiting and every fault kind.

use std::time::{Duration, Instant};

use serde_json::json;

use crate::common::*;

async fn set_faults(base: &str, spec: &str) {
    let r = call(
        reqwest::Method::PUT,
        &format!("{base}/_sim/faults"),
        None,
        Some(json!({"spec": spec})),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after() {
    let sb = start(builder().rate_limit(3, 0.5)).await;
    let base = sb.base_url();
    let u = login(base, &key(1)).await;
    for _ in 0..3 {
        assert_eq!(
            get(&format!("{base}/organizations"), Some(&u.token))
                .await
                .status,
            200
        );
    }
    let r = get(&format!("{base}/organizations"), Some(&u.token)).await;
    assert_error(&r, 429, "rate_limited");
    assert_eq!(r.headers["retry-after"], "2");
    // Another identity has its own bucket.
    let v = login(base, &key(2)).await;
    assert_eq!(
        get(&format!("{base}/organizations"), Some(&v.token))
            .await
            .status,
        200
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn rest_fault_kinds() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let u = login(base, &key(1)).await;
    let orgs = format!("{base}/organizations");
    set_faults(base, "5xx=1").await;
    assert_error(&get(&orgs, Some(&u.token)).await, 500, "internal_error");
    set_faults(base, "429=1").await;
    let r = get(&orgs, Some(&u.token)).await;
    assert_error(&r, 429, "rate_limited");
    assert_eq!(r.headers["retry-after"], "1");
    set_faults(base, "latency=300..300").await;
    let t0 = Instant::now();
    assert_eq!(get(&orgs, Some(&u.token)).await.status, 200);
    assert!(t0.elapsed() >= Duration::from_millis(300));
    set_faults(base, "cloud_down=true").await;
    assert_error(&get(&orgs, Some(&u.token)).await, 503, "unavailable");
    post(&format!("{base}/_sim/cloud"), None, json!({"down": false})).await;
    set_faults(base, "5xx=0.5").await;
    let mut fails = 0;
    for _ in 0..40 {
        if get(&orgs, Some(&u.token)).await.status == 500 {
            fails += 1;
        }
    }
    assert!((8..=32).contains(&fails), "{fails}");
    set_faults(base, "token_ttl=1").await;
    let short = login(base, &key(1)).await;
    set_faults(base, "").await;
    tokio::time::sleep(Duration::from_millis(2100)).await;
    assert_error(&get(&orgs, Some(&short.token)).await, 401, "unauthorized");
    assert_error(
        &call(
            reqwest::Method::PUT,
            &format!("{base}/_sim/faults"),
            None,
            Some(json!({"spec": "5xx=7"})),
        )
        .await,
        422,
        "validation_error",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn sse_fault_kinds_drop_and_malformed() {
    let sb = start(
        builder()
            .demo(true)
            .sample_interval(Duration::from_millis(50)),
    )
    .await;
    let base = sb.base_url();
    let u = login(base, &key(1)).await;
    let site = get(&format!("{base}/sites"), Some(&u.token)).await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    set_faults(base, "sse_drop=3").await;
    let mut sse = open_stream(base, &site, &u.token, None).await;
    let mut n = 0;
    while sse.next_event(Duration::from_secs(3)).await.is_some() {
        n += 1;
    }
    assert!(sse.ended, "stream closed by the server");
    assert_eq!(n, 3);
    set_faults(base, "malformed=1").await;
    let mut sse = open_stream(base, &site, &u.token, None).await;
    let f = sse.next_event(Duration::from_secs(3)).await.unwrap();
    assert!(
        serde_json::from_str::<serde_json::Value>(&f.data).is_err(),
        "{}",
        f.data
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn control_routes_are_absent_when_disabled() {
    let sb = start(builder().control(false)).await;
    assert_error(
        &get(&format!("{}/_sim/clock", sb.base_url()), None).await,
        404,
        "not_found",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_silenced_site_publishes_nothing_and_its_gateway_is_not_seen_until_it_comes_back() {
    let sb = start(
        builder()
            .demo(true)
            .sample_interval(Duration::from_millis(50)),
    )
    .await;
    let base = sb.base_url();
    let u = login(base, &key(1)).await;
    let site = get(&format!("{base}/sites"), Some(&u.token)).await.body[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    set_faults(base, &format!("silent={site}")).await;
    let mut sse = open_stream(base, &site, &u.token, None).await;
    assert!(
        sse.next_event(Duration::from_millis(600)).await.is_none(),
        "a silent site sends no reading"
    );
    let org = get(&format!("{base}/organizations"), Some(&u.token))
        .await
        .body[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let devices = get(&format!("{base}/sites/{site}/devices"), Some(&u.token)).await;
    let serial = devices.body[0]["gateway_serial"]
        .as_str()
        .unwrap()
        .to_string();
    let seen = |body: &serde_json::Value| {
        body.as_array()
            .unwrap()
            .iter()
            .find(|g| g["serial"] == serial.as_str())
            .map(|g| g["last_seen"].clone())
    };
    let gws = get(&format!("{base}/gateways?org_id={org}"), Some(&u.token)).await;
    assert_eq!(
        seen(&gws.body),
        Some(serde_json::Value::Null),
        "{}",
        gws.body
    );
    // Back: readings flow again and the gateway is seen.
    set_faults(base, "silent=").await;
    assert!(sse.next_event(Duration::from_secs(3)).await.is_some());
    let gws = get(&format!("{base}/gateways?org_id={org}"), Some(&u.token)).await;
    assert!(
        seen(&gws.body).is_some_and(|v| v.is_string()),
        "{}",
        gws.body
    );
    sb.shutdown().await;
}
