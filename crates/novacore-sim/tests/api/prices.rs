//! Prices (15-min, SEK/EUR, 404 before publication), tariffs, public data.

use chrono::{TimeZone, Timelike};
use serde_json::json;

use crate::common::*;

#[tokio::test]
async fn prices_shape_currency_and_publication() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    // Freeze the clock at 12:00 Stockholm time on a summer day.
    let now = post(&format!("{base}/_sim/clock"), None, json!({"speed": 0.0}))
        .await
        .body["now_ms"]
        .as_i64()
        .unwrap();
    let target = chrono::Utc
        .with_ymd_and_hms(2026, 7, 16, 10, 0, 0)
        .unwrap()
        .timestamp_millis();
    post(
        &format!("{base}/_sim/clock"),
        None,
        json!({"advance_ms": target - now}),
    )
    .await;
    let eur = get(
        &format!("{base}/services/price/electricity/SE3?currency=EUR&date=2026-07-16"),
        None,
    )
    .await;
    assert_eq!(eur.status, 200, "{}", eur.body);
    assert_eq!(eur.body["unit"], "EUR/MWh");
    assert_eq!(eur.body["resolution"], "PT15M");
    let prices = eur.body["prices"].as_array().unwrap();
    assert_eq!(prices.len(), 96);
    assert_eq!(prices[0]["datetime"], "2026-07-15T22:00:00+00:00");
    assert_eq!(prices[1]["datetime"], "2026-07-15T22:15:00+00:00");
    let sek = get(
        &format!("{base}/services/price/electricity/SE3?currency=SEK&date=2026-07-16"),
        None,
    )
    .await;
    assert_eq!(sek.body["currency"], "SEK");
    let ratio =
        sek.body["prices"][40]["price"].as_f64().unwrap() / prices[40]["price"].as_f64().unwrap();
    assert!((ratio - 11.45).abs() < 0.05, "{ratio}");
    // Other currencies silently give EUR.
    assert_eq!(
        get(
            &format!("{base}/services/price/electricity/SE3?currency=NOK&date=2026-07-16"),
            None
        )
        .await
        .body["currency"],
        "EUR"
    );
    // Tomorrow: 404 before 13:00 local, 200 after.
    let tomorrow = format!("{base}/services/price/electricity/SE3?date=2026-07-17");
    assert_error(&get(&tomorrow, None).await, 404, "not_found");
    post(
        &format!("{base}/_sim/clock"),
        None,
        json!({"advance_ms": 3_600_000}),
    )
    .await;
    let t = get(&tomorrow, None).await;
    assert_eq!(t.status, 200);
    assert_eq!(t.body["prices"][0]["datetime"], "2026-07-16T22:00:00+00:00");
    assert_error(
        &get(
            &format!("{base}/services/price/electricity/SE3?date=2026-07-18"),
            None,
        )
        .await,
        404,
        "not_found",
    );
    assert_eq!(
        get(
            &format!("{base}/services/price/electricity/DE-LU?date=2026-07-10&days=3"),
            None
        )
        .await
        .body["prices"]
            .as_array()
            .unwrap()
            .len(),
        288
    );
    assert_error(
        &get(&format!("{base}/services/price/electricity/XX1"), None).await,
        404,
        "not_found",
    );
    assert_error(
        &get(
            &format!("{base}/services/price/electricity/SE3?days=99"),
            None,
        )
        .await,
        400,
        "bad_request",
    );
    assert_error(
        &get(
            &format!("{base}/services/price/electricity/SE3?date=16-07-2026"),
            None,
        )
        .await,
        400,
        "bad_request",
    );
    let far = get(
        &format!("{base}/services/price/electricity/SE3?date=9999-12-31&days=10"),
        None,
    )
    .await;
    assert_error(&far, 400, "bad_request");
    sb.shutdown().await;
}

#[tokio::test]
async fn tariffs_lookup_detail_and_price_at_time() {
    let sb = start(builder()).await;
    let base = sb.base_url();
    let t = format!("{base}/services/price/tariffs");
    let l = get(&format!("{t}/lookup?lat=59.33&lon=18.07"), None).await;
    assert_eq!(l.status, 200);
    let id = l.body["tariffs"][0]["id"].as_str().unwrap().to_string();
    assert_eq!(id, "ellevio-effekt-2026");
    // Finland and Denmark: their own grid companies, currencies and price areas.
    for (lat, lon, area, first, currency) in [
        ("60.17", "24.94", "FI", "helen-teho-2026", "EUR"),
        ("55.68", "12.57", "DK2", "radius-tid-2026", "DKK"),
    ] {
        let l = get(&format!("{t}/lookup?lat={lat}&lon={lon}"), None).await;
        assert_eq!(l.body["area"], area);
        assert_eq!(l.body["tariffs"][0]["id"], first);
        let d = get(&format!("{t}/tariff/{first}"), None).await;
        let fixed = &d.body["tariff"]["fixedPrice"]["components"][0]["price"];
        assert_eq!(fixed["currency"], currency, "{}", d.body);
    }
    let d = get(&format!("{t}/tariff/{id}"), None).await;
    let pp = &d.body["tariff"]["powerPrice"]["components"][0];
    assert_eq!(
        pp["peakIdentificationSettings"]["numberOfPeaksForAverageCalculation"],
        3
    );
    let ex = pp["price"]["priceExVat"].as_f64().unwrap();
    assert!((pp["price"]["priceIncVat"].as_f64().unwrap() - ex * 1.25).abs() < 1e-6);
    assert_eq!(
        get(&format!("{t}/providers"), None).await.body["count"],
        6,
        "3 Swedish, 1 Finnish, 2 Danish grid companies"
    );
    assert_eq!(get(&format!("{t}/vattenfall"), None).await.status, 200);
    let hi = get(
        &format!("{t}/tariff/vattenfall-tid-2026/energyPrice/2026-01-14T09:00:00Z"),
        None,
    )
    .await;
    let lo = get(
        &format!("{t}/tariff/vattenfall-tid-2026/energyPrice/2026-01-14T22:30:00Z"),
        None,
    )
    .await;
    assert!(hi.body["priceExVat"].as_f64().unwrap() > lo.body["priceExVat"].as_f64().unwrap());
    assert_error(
        &get(&format!("{t}/tariff/nope"), None).await,
        404,
        "not_found",
    );
    assert_error(
        &get(&format!("{t}/lookup?lat=abc&lon=1"), None).await,
        400,
        "bad_request",
    );
    assert_error(
        &get(&format!("{t}/tariff/{id}/bogus/2026-01-01T00:00:00Z"), None).await,
        400,
        "bad_request",
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn public_cells_and_types() {
    let sb = start(builder().demo(true)).await;
    let base = sb.base_url();
    login(base, &key(1)).await;
    let cells = get(&format!("{base}/public/cells"), None).await;
    let list = cells.body["cells"].as_array().unwrap();
    assert!(!list.is_empty());
    let h3 = list[0]["h3_index"].as_str().unwrap();
    assert_eq!(h3.len(), 15);
    let st = get(&format!("{base}/public/cells/{h3}/stats"), None).await;
    assert_eq!(st.status, 200, "{}", st.body);
    assert!(st.body["site_count"].as_u64().unwrap() >= 1);
    assert!(
        st.body["der_summary"]["battery"]["avg_soc_pct"]
            .as_f64()
            .unwrap()
            > 1.0
    );
    assert_error(
        &get(&format!("{base}/public/cells/86ffffffffffffff/stats"), None).await,
        404,
        "not_found",
    );
    let dt = get(&format!("{base}/public/device-types"), None).await;
    assert!(dt
        .body
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["type"] == "inverter"));
    assert!(
        get(&format!("{base}/public/der-types"), None)
            .await
            .body
            .as_array()
            .unwrap()
            .len()
            >= 4
    );
    let _ = chrono::Utc::now().hour();
    sb.shutdown().await;
}
