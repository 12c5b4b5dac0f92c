//! Telemetry reading decoding: `Reading::from_json` (the SSE data line and history items) and the
//! serde path, then every accessor. Oracle: no panic, both paths agree, and a decoded reading
//! re-encoded from its own parts (`kind`, timestamp, `fields`) decodes to the same data.
//! (Out-of-era timestamps can only come as epoch numbers, which are whole milliseconds.)
#![no_main]

use chrono::Datelike;
use libfuzzer_sys::fuzz_target;
use novacore::models::{time, Reading};
use serde_json::{json, Value};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = time::parse_str(text);
    let direct = Reading::from_json(text);
    let via_serde = serde_json::from_str::<Reading>(text);
    assert_eq!(
        direct.is_ok(),
        via_serde.is_ok(),
        "the two decoders disagree"
    );
    let Ok(reading) = direct else {
        return;
    };
    assert_eq!(Some(&reading), via_serde.as_ref().ok());
    let _ = reading.power_w();
    let mut again = reading.fields();
    again.insert("type".into(), json!(reading.kind()));
    // RFC 3339 has 4-digit years only; outside them the wire's other form, epoch ms, says it
    // (readings out of 1970–9999 are the store's to refuse, not the decoder's).
    // Outside years 0–9999 an epoch-ms number is beyond ±1e11, so it reads back as ms, not s.
    let ts = if (0..=9999).contains(&reading.timestamp.year()) {
        json!(reading.timestamp.to_rfc3339())
    } else {
        json!(reading.timestamp.timestamp_millis())
    };
    again.insert("timestamp".into(), ts);
    let back = Reading::from_map(again.clone())
        .unwrap_or_else(|e| panic!("own fields do not decode: {e}: {}", Value::Object(again)));
    assert_eq!(back.data, reading.data);
    assert_eq!(back.timestamp, reading.timestamp);
});
