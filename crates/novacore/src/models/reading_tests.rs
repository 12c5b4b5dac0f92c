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
