//! SSE: ids, retry, keep-alive, only enabled DERs, resume, gap; history vs live.

use std::time::Duration;

use serde_json::{json, Value};

use crate::common::*;

struct World {
    sb: novacore_sim::SandboxHandle,
    user: User,
    site: String,
    zap_url: String,
    sn: String,
}

async fn provisioned(b: novacore_sim::SandboxBuilder) -> World {
    let sb = start(b.demo(true)).await;
    let base = sb.base_url().to_string();
    let zap = sb.zaps()[0].clone();
    let user = login(&base, &key(1)).await;
    let org = new_org(&base, &user, "A").await;
    let site = new_site(&base, &user, &org).await;
    assert_eq!(claim_zap(&base, &user, &org, &zap.url).await.status, 201);
    let devs = get(&format!("{}/api/devices", zap.url), None).await.body;
    let inv = devs["devices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["profile"] == "sungrow")
        .unwrap();
    let sn = inv["sn"].as_str().unwrap().to_string();
    let r = post(&format!("{base}/devices/provision"), Some(&user.token), json!({"gateway_serial": zap.serial, "hardware_id": sn,
        "device_type": "inverter", "site_id": site, "ders": [{"name": "pv", "type": "solar"}, {"name": "bat", "type": "battery"}, {"name": "grid", "type": "meter"}]})).await;
    assert_eq!(r.status, 201, "{}", r.body);
    World {
        sb,
        user,
        site,
        zap_url: zap.url,
        sn,
    }
}

async fn enable(w: &World, types: &[(&str, bool)]) {
    let ders: Vec<Value> = types
        .iter()
        .map(|(t, e)| json!({"type": t, "enabled": e}))
        .collect();
    let r = post(
        &format!("{}/api/devices/{}/types", w.zap_url, w.sn),
        None,
        json!({"ders": ders}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
}

#[tokio::test]
async fn only_enabled_ders_publish_with_monotonic_ids_and_keepalive() {
    let w = provisioned(
        builder()
            .sample_interval(Duration::from_millis(100))
            .keepalive(Duration::from_millis(300)),
    )
    .await;
    let base = w.sb.base_url();
    let mut sse = open_stream(base, &w.site, &w.user.token, None).await;
    let first = sse.next(Duration::from_secs(2)).await.unwrap();
    assert_eq!(first.retry, Some(3000));
    // Nothing enabled yet: only keep-alives.
    let f = sse.next(Duration::from_secs(2)).await.unwrap();
    assert!(f.comment && f.data == "keep-alive", "{f:?}");
    enable(&w, &[("pv", true)]).await;
    let mut last = 0;
    let mut saw_keepalive = false;
    let mut events = 0;
    while events < 8 {
        let f = sse.next(Duration::from_secs(3)).await.expect("frame");
        if f.comment {
            saw_keepalive = true;
            continue;
        }
        let id = f.id.expect("id on every event");
        assert!(id > last);
        last = id;
        let v: Value = serde_json::from_str(&f.data).unwrap();
        assert_eq!(v["type"], "pv");
        assert!(v["W"].as_f64().unwrap() <= 0.0);
        assert_eq!(v["site_id"], w.site.as_str());
        assert!(v["device_id"].as_str().unwrap().starts_with("dev-"));
        events += 1;
    }
    let _ = saw_keepalive;
    // Keep-alives keep coming alongside events.
    let mut ka = false;
    for _ in 0..20 {
        if sse
            .next(Duration::from_secs(1))
            .await
            .is_some_and(|f| f.comment)
        {
            ka = true;
            break;
        }
    }
    assert!(ka, "keep-alive comment expected");
    enable(&w, &[("pv", false), ("battery", true)]).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut types = std::collections::HashSet::new();
    for _ in 0..10 {
        if let Some(f) = sse.next_event(Duration::from_secs(2)).await {
            types.insert(
                serde_json::from_str::<Value>(&f.data).unwrap()["type"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
    }
    assert!(types.contains("battery"), "{types:?}");
    // Pushed readings (either timestamp variant) reach the stream as epoch ms.
    let pushed = post(&format!("{base}/_sim/readings"), None, json!({"site_id": w.site, "reading": {"type": "meter", "W": 1234.5, "timestamp": "2026-03-06T12:00:00Z"}})).await;
    assert_eq!(pushed.status, 200, "{}", pushed.body);
    let mut found = false;
    for _ in 0..50 {
        let Some(f) = sse.next_event(Duration::from_secs(2)).await else {
            break;
        };
        let v: Value = serde_json::from_str(&f.data).unwrap();
        if v["W"] == 1234.5 {
            assert_eq!(v["timestamp"], 1_772_798_400_000i64);
            assert_eq!(f.id, pushed.body["id"].as_u64());
            found = true;
            break;
        }
    }
    assert!(found, "pushed reading not seen");
    // Errors before opening.
    assert_error(
        &get(&format!("{base}/stream/sites/{}", w.site), None).await,
        401,
        "unauthorized",
    );
    let other = login(base, &key(2)).await;
    assert_error(
        &get(
            &format!("{base}/stream/sites/{}", w.site),
            Some(&other.token),
        )
        .await,
        404,
        "not_found",
    );
    w.sb.shutdown().await;
}

#[tokio::test]
async fn resume_replays_missed_events_and_reports_gaps() {
    let w = provisioned(
        builder()
            .sample_interval(Duration::from_millis(50))
            .ring_size(20),
    )
    .await;
    let base = w.sb.base_url();
    enable(&w, &[("pv", true), ("battery", true), ("meter", true)]).await;
    let mut sse = open_stream(base, &w.site, &w.user.token, None).await;
    let mut last = 0;
    for _ in 0..3 {
        last = sse
            .next_event(Duration::from_secs(3))
            .await
            .unwrap()
            .id
            .unwrap();
    }
    drop(sse);
    // Resume immediately: the next event is exactly last + 1.
    let mut sse = open_stream(base, &w.site, &w.user.token, Some(last)).await;
    let f = sse.next_event(Duration::from_secs(3)).await.unwrap();
    assert_eq!(f.id, Some(last + 1));
    drop(sse);
    // Wait until the ring (20 events) has moved past `last`: a gap event comes first.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut sse = open_stream(base, &w.site, &w.user.token, Some(last)).await;
    let g = sse.next_event(Duration::from_secs(3)).await.unwrap();
    assert_eq!(g.event.as_deref(), Some("gap"));
    let gv: Value = serde_json::from_str(&g.data).unwrap();
    assert_eq!(gv["from_id"], last + 1);
    let to_id = gv["to_id"].as_u64().unwrap();
    assert!(gv["from_ts"].as_i64().unwrap() <= gv["to_ts"].as_i64().unwrap());
    let next = sse.next_event(Duration::from_secs(3)).await.unwrap();
    assert_eq!(next.id, Some(to_id + 1));
    w.sb.shutdown().await;
}

/// Regression: a Last-Event-ID ahead of the stream (ids from before a restart) made the handler
/// skip every live event, so the client silently received nothing.
#[tokio::test]
async fn resume_from_an_id_ahead_of_the_stream_starts_afresh() {
    let w = provisioned(builder().sample_interval(Duration::from_millis(50))).await;
    let base = w.sb.base_url();
    enable(&w, &[("pv", true), ("battery", true), ("meter", true)]).await;
    let mut sse = open_stream(base, &w.site, &w.user.token, Some(1_000_000)).await;
    let f = sse.next_event(Duration::from_secs(3)).await.unwrap();
    assert!(f.id.is_some_and(|id| id < 1_000_000), "{f:?}");
    w.sb.shutdown().await;
}

#[tokio::test]
async fn history_buckets_match_live_samples() {
    let w = provisioned(builder().sample_interval(Duration::from_secs(3600))).await;
    let base = w.sb.base_url();
    enable(&w, &[("pv", true), ("battery", true), ("meter", true)]).await;
    // Freeze the clock on a minute boundary so live samples fall on history sample times.
    let now = post(&format!("{base}/_sim/clock"), None, json!({"speed": 0.0}))
        .await
        .body["now_ms"]
        .as_i64()
        .unwrap();
    post(
        &format!("{base}/_sim/clock"),
        None,
        json!({"advance_ms": 60_000 - now.rem_euclid(60_000)}),
    )
    .await;
    let mut sse = open_stream(base, &w.site, &w.user.token, None).await;
    let t = post(&format!("{base}/_sim/tick"), None, json!({})).await;
    assert_eq!(t.status, 200, "{}", t.body);
    let mut live = Vec::new();
    for _ in 0..3 {
        let f = sse
            .next_event(Duration::from_secs(3))
            .await
            .expect("live event");
        live.push(serde_json::from_str::<Value>(&f.data).unwrap());
    }
    for r in live {
        let ts = r["timestamp"].as_i64().unwrap();
        assert_eq!(ts % 60_000, 0);
        let der = r["der_id"].as_str().unwrap();
        let h = get(
            &format!(
                "{base}/sites/{}/telemetry?from={ts}&to={}&resolution=1m&der_id={der}",
                w.site,
                ts + 60_000
            ),
            Some(&w.user.token),
        )
        .await;
        assert_eq!(h.status, 200, "{}", h.body);
        let p = &h.body[0]["points"][0];
        assert_eq!(p["ts"], ts);
        assert_eq!(p["n"], 1);
        assert_eq!(p["fields"]["W"]["avg"].as_f64(), r["W"].as_f64(), "{der}");
        // A coarser bucket around it contains the live value between min and max.
        let h = get(
            &format!(
                "{base}/sites/{}/telemetry?from={}&to={}&resolution=5m&der_id={der}",
                w.site,
                ts - 3_600_000,
                ts + 1
            ),
            Some(&w.user.token),
        )
        .await;
        let last = h.body[0]["points"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()
            .clone();
        let wv = r["W"].as_f64().unwrap();
        assert!(
            last["fields"]["W"]["min"].as_f64().unwrap() <= wv
                && wv <= last["fields"]["W"]["max"].as_f64().unwrap()
        );
    }
    // Query validation.
    let bad = get(
        &format!(
            "{base}/sites/{}/telemetry?from=0&to={}&resolution=1m",
            w.site,
            200_000i64 * 60_000
        ),
        Some(&w.user.token),
    )
    .await;
    assert_error(&bad, 400, "bad_request");
    assert_error(
        &get(
            &format!("{base}/sites/{}/telemetry?from=x&to=1", w.site),
            Some(&w.user.token),
        )
        .await,
        400,
        "bad_request",
    );
    assert_error(
        &get(
            &format!(
                "{base}/sites/{}/telemetry?from=1&to=2&resolution=7m",
                w.site
            ),
            Some(&w.user.token),
        )
        .await,
        400,
        "bad_request",
    );
    w.sb.shutdown().await;
}

#[tokio::test]
async fn an_extra_load_raises_the_meter_in_history_from_its_instant_on() {
    let w = provisioned(builder().sample_interval(Duration::from_secs(3600))).await;
    let base = w.sb.base_url();
    enable(&w, &[("meter", true)]).await;
    let now = post(&format!("{base}/_sim/clock"), None, json!({"speed": 0.0}))
        .await
        .body["now_ms"]
        .as_i64()
        .unwrap();
    // History starts when the DERs were provisioned: look 20 minutes later, 10 minutes back.
    post(
        &format!("{base}/_sim/clock"),
        None,
        json!({"advance_ms": 20 * 60_000}),
    )
    .await;
    let now = now + 20 * 60_000;
    let t0 = now - now.rem_euclid(60_000) - 10 * 60_000;
    let meter = |from: i64| {
        let url = format!(
            "{base}/sites/{}/telemetry?from={from}&to={}&resolution=1m",
            w.site,
            from + 60_000
        );
        let token = w.user.token.clone();
        async move {
            let h = get(&url, Some(&token)).await;
            assert_eq!(h.status, 200, "{}", h.body);
            let series = h.body.as_array().unwrap();
            let m = series
                .iter()
                .find(|s| s["type"] == "meter" || s["der_type"] == "meter")
                .unwrap_or(&series[0]);
            m["points"][0]["fields"]["W"]["avg"].as_f64().unwrap()
        }
    };
    let (before, after) = (meter(t0 - 60_000).await, meter(t0).await);
    let r = post(
        &format!("{base}/_sim/sites/{}/load", w.site),
        None,
        json!({"w": 20_000.0, "from_ms": t0}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        meter(t0 - 60_000).await,
        before,
        "history before the instant is unchanged"
    );
    let raised = meter(t0).await;
    assert!(
        (raised - after - 20_000.0).abs() < 1.0,
        "{after} → {raised}"
    );
    // Bad input is a field error; an unknown site is 404; 0 W removes it.
    let bad = post(
        &format!("{base}/_sim/sites/{}/load", w.site),
        None,
        json!({"w": -1.0}),
    )
    .await;
    assert_eq!(bad.status, 422, "{}", bad.body);
    let unknown = post(
        &format!("{base}/_sim/sites/sit-nope/load"),
        None,
        json!({"w": 1.0}),
    )
    .await;
    assert_eq!(unknown.status, 404);
    post(
        &format!("{base}/_sim/sites/{}/load", w.site),
        None,
        json!({"w": 0.0}),
    )
    .await;
    assert_eq!(meter(t0).await, after);
}

/// The writer batches frames (the replay in 64 KiB chunks, live bursts together): every id once,
/// in order, across batch boundaries, for a replay, a live burst and a resume mid-way.
#[tokio::test]
async fn batched_replay_and_live_bursts_keep_order_ids_and_resume() {
    let sb = start(builder().ring_size(5_000).rate_limit(1_000_000, 1e6)).await;
    let base = sb.base_url().to_string();
    let user = login(&base, &key(3)).await;
    let org = new_org(&base, &user, "Batches").await;
    let site = new_site(&base, &user, &org).await;
    // ~400 bytes a frame: 900 of them span several 64 KiB batches.
    let push = |i: u64| {
        let (base, site) = (base.clone(), site.clone());
        async move {
            let reading = json!({"type": "meter", "timestamp": 1_772_791_200_000i64 + i as i64,
                "W": i, "note": "x".repeat(300)});
            let r = post(
                &format!("{base}/_sim/readings"),
                None,
                json!({"site_id": site, "reading": reading}),
            )
            .await;
            assert_eq!(r.status, 200, "{}", r.body);
            assert_eq!(r.body["id"], i);
        }
    };
    for i in 1..=900 {
        push(i).await;
    }
    let mut sse = open_stream(&base, &site, &user.token, Some(100)).await;
    for want in 101..=900u64 {
        let f = sse.next_event(Duration::from_secs(5)).await.unwrap();
        assert_eq!(f.id, Some(want), "replay in order, once each");
        let v: Value = serde_json::from_str(&f.data).unwrap();
        assert_eq!(v["W"], want);
    }
    // A live burst while connected arrives in order, without a gap frame.
    for i in 901..=1300 {
        push(i).await;
    }
    for want in 901..=1300u64 {
        let f = sse.next_event(Duration::from_secs(5)).await.unwrap();
        assert_eq!(
            (f.event.as_deref(), f.id),
            (None, Some(want)),
            "live in order"
        );
    }
    drop(sse);
    // Resuming mid-way starts right after the Last-Event-ID.
    let mut sse = open_stream(&base, &site, &user.token, Some(1234)).await;
    for want in 1235..=1300u64 {
        assert_eq!(
            sse.next_event(Duration::from_secs(5)).await.unwrap().id,
            Some(want)
        );
    }
    sb.shutdown().await;
}
