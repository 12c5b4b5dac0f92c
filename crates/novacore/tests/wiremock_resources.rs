//! Retries, pagination, error decoding and the resource handles against wiremock.

mod support;

use novacore::models::{NewSite, Role};
use novacore::{Client, Error, RetryPolicy};
use std::time::{Duration, Instant};
use support::*;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn logged_in() -> (MockServer, Client) {
    let server = MockServer::start().await;
    mount_login(&server, &fresh_token("t"), "idt-1").await;
    let c = client(&server);
    (server, c)
}

#[tokio::test]
async fn get_retries_5xx_and_429_honouring_retry_after() {
    let (server, c) = logged_in().await;
    Mock::given(method("GET"))
        .and(path("/sites/sit-1"))
        .respond_with(
            ResponseTemplate::new(503)
                .set_body_json(serde_json::json!({"error":"unavailable","message":"x"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/sites/sit-1"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "1")
                .set_body_json(serde_json::json!({"error":"rate_limited","message":"slow"})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/sites/sit-1"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"id":"sit-1","name":"Home"})),
        )
        .mount(&server)
        .await;
    let t = Instant::now();
    let site = c.sites().get("sit-1").await.unwrap();
    assert_eq!(site.name, "Home");
    assert!(
        t.elapsed() >= Duration::from_millis(950),
        "Retry-After not honoured: {:?}",
        t.elapsed()
    );
    assert_eq!(hits(&server, "/sites/sit-1").await, 3);
}

#[tokio::test]
async fn retries_are_bounded_in_count() {
    let (server, c) = logged_in().await;
    Mock::given(method("DELETE"))
        .and(path("/sites/sit-1"))
        .respond_with(ResponseTemplate::new(500).set_body_string("oops"))
        .mount(&server)
        .await;
    let e = c.sites().delete("sit-1").await.unwrap_err();
    assert!(matches!(e, Error::Server { status: 500, ref message, .. } if message == "oops"));
    assert!(e.is_transient());
    assert_eq!(hits(&server, "/sites/sit-1").await, 4);
}

#[tokio::test]
async fn a_retried_delete_that_finds_nothing_was_done_by_the_lost_attempt() {
    let (server, c) = logged_in().await;
    // The first attempt deleted the site but its answer was lost (a 502 from a proxy).
    Mock::given(method("DELETE"))
        .and(path("/sites/sit-1"))
        .respond_with(ResponseTemplate::new(502).set_body_string("bad gateway"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("DELETE"))
        .and(path("/sites/sit-1"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(serde_json::json!({"error":"not_found","message":"site not found"})),
        )
        .mount(&server)
        .await;
    c.sites()
        .delete("sit-1")
        .await
        .expect("deleted by the first attempt");
    assert_eq!(hits(&server, "/sites/sit-1").await, 2);
    // Without a retry, a 404 stays an error: the site never existed.
    let e = c.sites().delete("sit-1").await.unwrap_err();
    assert!(matches!(e, Error::NotFound { .. }), "{e:?}");
}

#[tokio::test]
async fn retries_are_bounded_in_total_time() {
    let server = MockServer::start().await;
    mount_login(&server, &fresh_token("t"), "idt-1").await;
    Mock::given(method("GET"))
        .and(path("/organizations"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "30"))
        .mount(&server)
        .await;
    let c = Client::builder(&server.uri())
        .identity(novacore::Identity::generate())
        .retry(RetryPolicy {
            max_total: Duration::from_secs(2),
            ..fast_retry()
        })
        .build()
        .unwrap();
    let t = Instant::now();
    let e = c.organizations().list().await.unwrap_err();
    assert!(
        matches!(e, Error::RateLimited { retry_after: Some(d) } if d == Duration::from_secs(30))
    );
    assert!(t.elapsed() < Duration::from_secs(2));
    assert_eq!(hits(&server, "/organizations").await, 1);
}

#[tokio::test]
async fn transport_errors_are_retried_then_offline() {
    // Nothing listens on this port once the listener is dropped.
    let uri = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let c = Client::builder(&uri).retry(fast_retry()).build().unwrap();
    let e = c.public().cells().await.unwrap_err();
    assert!(e.is_offline(), "{e:?}");
}

#[tokio::test]
async fn lists_follow_cursors_and_accept_envelopes() {
    let (server, c) = logged_in().await;
    Mock::given(method("GET"))
        .and(path("/sites"))
        .and(query_param("org_id", "org-1"))
        .and(query_param("cursor", "p2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"data":[{"id":"sit-3","name":"C"}],"next_cursor":null}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/sites"))
        .and(query_param("org_id", "org-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            serde_json::json!({"items":[{"id":"sit-1","name":"A"},{"id":"sit-2","name":"B"}],"next_cursor":"p2"}),
        ))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    let sites = c.sites().list(Some("org-1")).await.unwrap();
    let ids: Vec<&str> = sites.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["sit-1", "sit-2", "sit-3"]);
}

#[tokio::test]
async fn malformed_bodies_are_typed_errors() {
    let (server, c) = logged_in().await;
    for (p, body, ctype) in [
        (
            "/organizations/org-trunc",
            r#"{"id":"org-1","na"#,
            "application/json",
        ),
        (
            "/organizations/org-html",
            "<html>captive portal</html>",
            "text/html",
        ),
        (
            "/organizations/org-wrong",
            r#"{"name":5}"#,
            "application/json",
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(p))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, ctype))
            .mount(&server)
            .await;
    }
    for id in ["org-trunc", "org-html", "org-wrong"] {
        let e = c.organizations().get(id).await.unwrap_err();
        assert!(matches!(e, Error::Decode { .. }), "{id}: {e:?}");
    }
    let e = c.organizations().get("org-html").await.unwrap_err();
    assert!(e.to_string().contains("captive portal"));
}

#[tokio::test]
async fn status_codes_map_to_variants() {
    let (server, c) = logged_in().await;
    for (id, status, body) in [
        (
            "a",
            403,
            r#"{"error":"forbidden","message":"not an admin"}"#,
        ),
        (
            "b",
            404,
            r#"{"error":"not_found","message":"Organization not found"}"#,
        ),
        ("c", 409, r#"{"error":"conflict","message":"exists"}"#),
        (
            "d",
            422,
            r#"{"error":"validation_error","message":"bad","details":[{"field":"name","message":"empty"}]}"#,
        ),
    ] {
        Mock::given(method("GET"))
            .and(path(format!("/organizations/{id}")))
            .respond_with(ResponseTemplate::new(status).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
    }
    let orgs = c.organizations();
    assert!(matches!(orgs.get("a").await, Err(Error::Forbidden { .. })));
    assert!(
        matches!(orgs.get("b").await, Err(Error::NotFound { message }) if message == "Organization not found")
    );
    assert!(matches!(orgs.get("c").await, Err(Error::Conflict { .. })));
    let e = orgs.get("d").await.unwrap_err();
    assert_eq!(e.field_errors()[0].field, "name");
}

#[tokio::test]
async fn handles_send_documented_paths_and_bodies() {
    let (server, c) = logged_in().await;
    Mock::given(method("POST"))
        .and(path("/sites"))
        .and(wiremock::matchers::body_json(
            serde_json::json!({"org_id":"org-1","name":"Home","price_area":"SE3"}),
        ))
        .respond_with(ResponseTemplate::new(201).set_body_json(
            serde_json::json!({"id":"sit-9","org_id":"org-1","name":"Home","price_area":"SE3"}),
        ))
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/organizations/org-1/members/idt-2"))
        .and(wiremock::matchers::body_json(
            serde_json::json!({"role":"operator"}),
        ))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/services/price/electricity/SE3"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(serde_json::json!({"error":"not_found","message":"no data"})),
        )
        .mount(&server)
        .await;
    let site = c
        .sites()
        .create(&NewSite {
            org_id: "org-1".into(),
            name: "Home".into(),
            price_area: Some("SE3".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(site.id, "sit-9");
    c.members("org-1")
        .set_role("idt-2", Role::Operator)
        .await
        .unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 7, 17).unwrap();
    assert!(matches!(
        c.prices().day_ahead("se3", date, 1, "SEK").await,
        Err(Error::NotPublished)
    ));
    let price_req = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.url.path().starts_with("/services"))
        .unwrap();
    assert_eq!(
        price_req.url.query(),
        Some("currency=SEK&date=2026-07-17&days=1")
    );
    assert!(price_req.headers.get("authorization").is_none());
}

#[tokio::test]
async fn long_history_is_split_below_the_bucket_limit_and_merged() {
    use novacore::history::Resolution;
    let (server, c) = logged_in().await;
    Mock::given(method("GET"))
        .and(path("/sites/sit-1/telemetry"))
        .and(query_param("resolution", "1m"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!([
            {"der_id":"der-1","type":"meter","resolution":"1m","points":[{"ts":1772791200000u64,"n":1,"fields":{"W":{"avg":1.0}}}]}
        ])))
        .mount(&server)
        .await;
    let from = chrono::DateTime::from_timestamp(1_772_791_200, 0).unwrap();
    let to = from + chrono::Duration::days(200); // 288 000 one-minute buckets
    let series = c
        .telemetry()
        .history("sit-1", from..to, Resolution::Minute, None)
        .await
        .unwrap();
    assert_eq!(series.len(), 1, "merged per DER");
    assert_eq!(series[0].points.len(), 3, "one point per request");
    let reqs: Vec<_> = server
        .received_requests()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.url.path() == "/sites/sit-1/telemetry")
        .collect();
    assert_eq!(reqs.len(), 3);
    let mut expected_from = from.timestamp_millis();
    for r in &reqs {
        let q: std::collections::HashMap<_, _> = r.url.query_pairs().into_owned().collect();
        let (f, t): (i64, i64) = (q["from"].parse().unwrap(), q["to"].parse().unwrap());
        assert_eq!(f, expected_from, "contiguous pieces");
        assert!((t - f) / 60_000 <= 100_000);
        expected_from = t;
    }
    assert_eq!(expected_from, to.timestamp_millis());
}
