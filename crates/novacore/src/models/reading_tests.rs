//! Decoding tests of readings against the reference's examples.

use super::reading::*;

#[test]
fn sse_contract_battery() {
    let r = Reading::from_json(
        r#"{"der_id":"der-1","device_id":"dev-1","site_id":"sit-1","type":"battery","timestamp":1709740800000,
            "W":-1500.0,"SoC_nom_fract":0.52,"vendor_x":7}"#,
    )
    .unwrap();
    assert_eq!(r.der_id.as_deref(), Some("der-1"));
    assert_eq!(r.timestamp.timestamp_millis(), 1709740800000);
    match r.data {
        ReadingData::Battery(b) => {
            assert_eq!(b.w, Some(-1500.0));
            assert_eq!(b.soc_nom_fract, Some(0.52));
            assert_eq!(b.extra.get("vendor_x"), Some(&serde_json::json!(7)));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn each_kind_and_legacy_timestamp() {
    let pv = Reading::from_json(
        r#"{"type": "pv", "W": -1500, "timestamp": 1709740800000, "mppt1_V": 400.5}"#,
    )
    .unwrap();
    assert_eq!(pv.kind(), "pv");
    assert_eq!(pv.power_w(), Some(-1500.0));
    let m = Reading::from_json(
        r#"{"type":"meter","timestamp":"2024-03-06T16:00:00Z","read_time_ms":1709740800000,"W":230,"L1_V":231.2,"total_import_Wh":1000}"#,
    )
    .unwrap();
    assert_eq!(m.timestamp.timestamp_millis(), 1709740800000);
    assert!(matches!(m.data, ReadingData::Meter(ref f) if f.l1_v == Some(231.2)));
    let v = Reading::from_json(
        r#"{"type":"v2x_charger","timestamp":1709740800000,"status":"charging","plug_connected":true,"W":7000,
            "lower_limit_W":[-11000,0,1400],"upper_limit_W":[-1400,0,11000],"vehicle_soc_fract":0.4}"#,
    )
    .unwrap();
    match v.data {
        ReadingData::V2xCharger(f) => {
            assert_eq!(f.plug_connected, Some(true));
            assert_eq!(f.lower_limit_w, Some(serde_json::json!([-11000, 0, 1400])));
        }
        other => panic!("{other:?}"),
    }
    let e = Reading::from_json(r#"{"type":"ev_port","timestamp":1,"plug_connected":false,"W":3}"#)
        .unwrap();
    assert_eq!(e.kind(), "ev_port");
    assert_eq!(e.power_w(), Some(3.0));
}

#[test]
fn bad_readings_are_errors() {
    for bad in [
        r#"{"W":1,"timestamp":1}"#,
        r#"{"type":"pv"}"#,
        r#"{"type":"pv","timestamp":1,"W":"lots"}"#,
        r#"[1]"#,
        r#"{"type":"pv","#,
    ] {
        assert!(Reading::from_json(bad).is_err(), "{bad}");
    }
}

#[test]
fn fields_are_the_measured_values_in_wire_names_without_the_envelope() {
    let r = Reading::from_json(
        r#"{"der_id":"der-1","site_id":"sit-1","type":"battery","timestamp":1709740800000,
            "W":-1500.0,"SoC_nom_fract":0.52,"vendor_x":7}"#,
    )
    .unwrap();
    let f = r.fields();
    assert_eq!(f["W"], -1500.0);
    assert_eq!(f["SoC_nom_fract"], 0.52);
    assert_eq!(f["vendor_x"], 7, "unknown fields are kept");
    for envelope in ["der_id", "site_id", "type", "timestamp"] {
        assert!(
            !f.contains_key(envelope),
            "{envelope} is not a field: {f:?}"
        );
    }
    let other =
        Reading::from_json(r#"{"type":"heat_pump","timestamp":1709740800000,"W":900}"#).unwrap();
    assert_eq!(other.fields()["W"], 900);
}

/// The decoder before the one-pass reader: the whole object as a `Map`, the envelope removed from
/// it, the fields by the derived `Deserialize`. The one-pass reader must agree with it.
fn reference(text: &str) -> Option<Reading> {
    use serde_json::{Map, Value};
    let mut m: Map<String, Value> = serde_json::from_str(text).ok()?;
    let take_str = |m: &mut Map<String, Value>, k: &str| match m.remove(k) {
        Some(Value::String(s)) => Some(s),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let kind = take_str(&mut m, "type").or_else(|| take_str(&mut m, "der_type"))?;
    let ts = ["timestamp", "ts", "ts_ms"]
        .iter()
        .find_map(|k| m.remove(*k));
    let timestamp = ts.as_ref().and_then(crate::models::time::from_value)?;
    let read_time_ms = m.remove("read_time_ms").as_ref().and_then(Value::as_f64);
    let der_id = take_str(&mut m, "der_id");
    let device_id = take_str(&mut m, "device_id");
    let site_id = take_str(&mut m, "site_id");
    let make = take_str(&mut m, "make");
    let obj = Value::Object(m.clone());
    let data = match kind.as_str() {
        "pv" | "solar" => ReadingData::Pv(serde_json::from_value(obj).ok()?),
        "battery" => ReadingData::Battery(serde_json::from_value(obj).ok()?),
        "meter" => ReadingData::Meter(serde_json::from_value(obj).ok()?),
        "v2x_charger" => ReadingData::V2xCharger(serde_json::from_value(obj).ok()?),
        _ => ReadingData::Other { kind, fields: m },
    };
    Some(Reading {
        der_id,
        device_id,
        site_id,
        timestamp,
        make,
        read_time_ms,
        data,
    })
}

#[test]
fn one_pass_decoder_agrees_with_the_map_decoder() {
    let cases = [
        r#"{"der_id":"d","device_id":"v","site_id":"s","type":"meter","timestamp":1709740800000,"W":1.5,"Hz":50,"L1_V":231.2,"x":{"a":[1,2]}}"#,
        r#"{"W":-5,"type":"pv","timestamp":"2024-03-06T16:00:00Z","mppt1_V":null,"rated_power_W":5000,"vendor":"acme"}"#,
        r#"{"type":"battery","timestamp":1709740800,"SoC_nom_fract":0.5,"W":null,"make":"byd","read_time_ms":12.5}"#,
        r#"{"type":"v2x_charger","ts":1709740800000,"status":"charging","plug_connected":true,"lower_limit_W":[-1,0,1]}"#,
        r#"{"der_type":"battery","ts_ms":1709740800000,"W":3}"#,
        r#"{"type":"pv","der_type":"battery","timestamp":1709740800000,"W":3}"#,
        r#"{"type":7,"timestamp":1709740800000,"W":3}"#,
        r#"{"type":true,"der_type":"meter","timestamp":1709740800000,"W":3}"#,
        r#"{"type":"meter","timestamp":1709740800000,"ts":1,"ts_ms":2,"W":3}"#,
        r#"{"type":"meter","ts":"2024-03-06 16:00:00","ts_ms":2}"#,
        r#"{"type":"meter","timestamp":"soon","W":3}"#,
        r#"{"type":"meter","timestamp":1709740800000,"W":"lots"}"#,
        r#"{"type":"meter","timestamp":1709740800000,"W":"lots","W":4}"#,
        r#"{"type":"meter","timestamp":1709740800000,"W":4,"W":null}"#,
        r#"{"type":"meter","timestamp":1709740800000,"x":1,"x":2}"#,
        r#"{"type":"heat_pump","timestamp":1709740800000,"W":900,"der_id":5,"site_id":false}"#,
        r#"{"\u0074ype":"meter","timestamp":1709740800000,"\u0057":2,"L\u0031_V":3,"k\"ey":1}"#,
        r#"{"type":"ev_port","timestamp":1,"plug_connected":false,"W":3,"type":"meter"}"#,
        r#"{"type":"pv","timestamp":1709740800000,"W":1e400}"#,
        r#"{"timestamp":1709740800000,"W":3}"#,
        r#"{"type":"pv"}"#,
        r#"[1,2]"#,
        r#""meter""#,
        r#"{"type":"pv","timestamp":1"#,
        r#"{}"#,
    ];
    for text in cases {
        let ours = Reading::from_json(text).ok();
        assert_eq!(ours, reference(text), "{text}");
        if let Ok(serde_json::Value::Object(m)) = serde_json::from_str(text) {
            assert_eq!(Reading::from_map(m).ok(), ours, "from_map: {text}");
        }
        let via_serde: Option<Reading> = serde_json::from_str(text).ok();
        assert_eq!(via_serde, ours, "Deserialize: {text}");
    }
}

/// Random objects over the keys and value shapes a reading can carry (envelope keys, every
/// kind's fields, unknown keys, duplicates, escaped keys; nulls, booleans, integers of both
/// signs, floats, plain and escaped strings, arrays, objects): the one-pass reader, which keeps
/// scalars without a `Value`, must decode each exactly as the map decoder does, errors included.
#[test]
fn one_pass_decoder_agrees_with_the_map_decoder_on_random_objects() {
    use rand::{rngs::StdRng, Rng, SeedableRng};
    const KEYS: &[&str] = &[
        "type",
        "der_type",
        "timestamp",
        "ts",
        "ts_ms",
        "read_time_ms",
        "der_id",
        "device_id",
        "site_id",
        "make",
        "W",
        "Hz",
        "L1_V",
        "total_import_Wh",
        "SoC_nom_fract",
        "mppt1_V",
        "status",
        "plug_connected",
        "lower_limit_W",
        "upper_limit_W",
        "vendor_x",
        "\\u0057",
        "k\\\"ey",
    ];
    const KINDS: &[&str] = &[
        "\"pv\"",
        "\"solar\"",
        "\"battery\"",
        "\"meter\"",
        "\"v2x_charger\"",
        "\"ev_port\"",
        "\"m\\u0065ter\"",
        "7",
    ];
    const VALUES: &[&str] = &[
        "null",
        "true",
        "false",
        "0",
        "42",
        "-3",
        "18446744073709551615",
        "-9223372036854775808",
        "1.5",
        "-2.25e3",
        "1709740800000",
        "1709740800",
        "\"2024-03-06T16:00:00Z\"",
        "\"x\"",
        "\"\\u00e9\\n\"",
        "[]",
        "[-1,0,1.5]",
        "{\"a\":[1,{\"b\":null}]}",
        "\"\"",
    ];
    let mut rng = StdRng::seed_from_u64(7);
    let mut decoded = 0;
    for _ in 0..20_000 {
        let mut parts = Vec::new();
        for _ in 0..rng.gen_range(0..12) {
            let key = KEYS[rng.gen_range(0..KEYS.len())];
            let value = if matches!(key, "type" | "der_type") && rng.gen_bool(0.8) {
                KINDS[rng.gen_range(0..KINDS.len())]
            } else if key == "timestamp" && rng.gen_bool(0.7) {
                "1709740800000"
            } else {
                VALUES[rng.gen_range(0..VALUES.len())]
            };
            parts.push(format!("\"{key}\":{value}"));
        }
        let text = format!("{{{}}}", parts.join(","));
        let ours = Reading::from_json(&text).ok();
        assert_eq!(ours, reference(&text), "{text}");
        decoded += usize::from(ours.is_some());
    }
    // The generator must reach the decoding paths, not only the errors.
    assert!(decoded > 1_000, "only {decoded} objects decoded");
}
