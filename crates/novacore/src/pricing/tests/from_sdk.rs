//! SDK models (decoded from wire JSON) into cost inputs.

use crate::history::{Resolution, Series};
use crate::prices::DayAhead;

use super::*;

#[test]
fn day_ahead_responses_join_and_keep_their_slot_length() {
    let quarter: DayAhead = serde_json::from_str(
        r#"{"area":"SE3","currency":"SEK","resolution":"PT15M","prices":[
            {"datetime":"2026-07-16T22:00:00+00:00","price":1079.58},
            {"datetime":"2026-07-16T22:15:00+00:00","price":-12.5}]}"#,
    )
    .unwrap();
    let hourly: DayAhead = serde_json::from_str(
        r#"{"area":"SE3","currency":"SEK","resolution":"PT60M","prices":[
            {"datetime":"2026-07-16T22:15:00+00:00","price":5.0},
            {"datetime":"2026-07-17T22:00:00+00:00","price":300.0}]}"#,
    )
    .unwrap();
    let p = SpotPrices::from_day_ahead([&quarter, &hourly]);
    assert_eq!(p.currency, "SEK");
    let got: Vec<_> = p
        .slots
        .iter()
        .map(|s| (s.start, s.duration_minutes, s.price_per_mwh))
        .collect();
    assert_eq!(
        got,
        vec![
            (utc("2026-07-16T22:00:00Z"), 15, 1079.58),
            (utc("2026-07-16T22:15:00Z"), 15, -12.5),
            (utc("2026-07-17T22:00:00Z"), 60, 300.0),
        ]
    );
}

#[test]
fn history_buckets_become_net_power_with_gaps_kept() {
    let series: Vec<Series> = serde_json::from_str(
        r#"[{"der_id":"der-m","type":"meter","resolution":"15m","points":[
            {"ts":1772791200000,"n":15,"fields":{"W":{"avg":2000.0,"min":0,"max":4000,"last":1}}},
            {"ts":1772792100000,"n":0,"fields":{}},
            {"ts":1772793000000,"n":15,"fields":{"W":{"avg":-400.0}}}]}]"#,
    )
    .unwrap();
    let meter = MeterSeries::from_history(&series[0], Resolution::QuarterHour);
    let MeterSeries::NetPower { interval_s, points } = &meter else {
        panic!("expected NetPower, got {meter:?}");
    };
    assert_eq!(*interval_s, 900);
    let got: Vec<_> = points.iter().map(|p| (p.ts, p.w)).collect();
    assert_eq!(
        got,
        vec![
            (utc("2026-03-06T10:00:00Z"), 2000.0),
            (utc("2026-03-06T10:30:00Z"), -400.0)
        ]
    );
    // 0.5 kWh imported, 0.1 kWh exported, the empty quarter a gap.
    let p = prices("2026-03-06T10:00:00Z", 15, &[100.0, 100.0, 100.0]);
    let r = range("2026-03-06T10:00:00Z", "2026-03-06T10:45:00Z");
    let report = compute_cost(&meter, &p, &bare_tariff(), r).unwrap();
    close(report.import_kwh, 0.5);
    close(report.export_kwh, 0.1);
    assert_eq!(
        report.coverage.meter_gaps,
        vec![range("2026-03-06T10:15:00Z", "2026-03-06T10:30:00Z")]
    );
}

#[test]
fn sdk_tariff_maps_like_its_json() {
    let t: crate::tariffs::Tariff = serde_json::from_str(
        r#"{"id":"goteborg-enkel-2026","timeZone":"Europe/Stockholm",
            "fixedPrice":{"components":[{"name":"Fast avgift","price":{"priceExVat":208.0,"priceIncVat":260.0,"currency":"SEK"},"pricedPeriod":"P1M"}]},
            "energyPrice":{"components":[{"name":"Elöverföring","price":{"priceExVat":0.2,"priceIncVat":0.25,"currency":"SEK"},"pricedPeriod":"kWh"}]},
            "powerPrice":{"components":[]}}"#,
    )
    .unwrap();
    let mapped = Tariff::from_sdk(&t).unwrap();
    close(mapped.fixed_per_month, 208.0);
    close(mapped.energy[0].price_per_kwh, 0.2);
    close(mapped.vat_rate, 0.25);
    assert!(mapped.power.is_empty());
}
