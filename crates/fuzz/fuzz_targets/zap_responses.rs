//! A Zap's local API answers (reference §5), one endpoint's shape per input (first byte): the
//! models as `ZapClient` decodes them (`serde_json::from_slice`; the `{devices}` and
//! `{connection_types}` envelopes as `devices()` / `device_types()` unwrap them), then what the
//! app does with them (`require_zap`, `by_signal`, `config_from_text` + `check`), and the
//! address forms an installer types. Oracle: no panic; a decoded answer re-encodes and decodes
//! to itself (nothing is lost or invented on the way to the journal and the report).
#![no_main]

use libfuzzer_sys::fuzz_target;
use novacore::zap::discovery::mdns::is_zap_instance;
use novacore::zap::discovery::{require_zap, Ipv4Net};
use novacore::zap::{self, *};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

fn decode<T: DeserializeOwned + Serialize + PartialEq + std::fmt::Debug>(body: &[u8]) -> Option<T> {
    let v = serde_json::from_slice::<T>(body).ok()?;
    let again = serde_json::to_vec(&v).expect("a decoded answer encodes");
    let back: T = serde_json::from_slice(&again)
        .unwrap_or_else(|e| panic!("re-encoded answer does not decode: {e}: {v:?}"));
    if back != v {
        let (a, b) = (serde_json::to_value(&back), serde_json::to_value(&v));
        assert!(
            same(&a.expect("encodes"), &b.expect("encodes")),
            "round trip changed {v:?}"
        );
    }
    Some(v)
}

/// Equal, but for the last bits of a float: serde_json's default float parser (no
/// `float_roundtrip` feature) may land one ULP off on 17-digit input, which no Zap value has.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_f64(), y.as_f64()) {
            (Some(x), Some(y)) => x == y || ((x - y) / x).abs() < 1e-15,
            _ => x == y,
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

/// `devices()` / `device_types()`: an object's `key` member, or the bare value.
fn unwrap_list(body: &[u8], key: &str) -> Option<Value> {
    match serde_json::from_slice::<Value>(body).ok()? {
        Value::Object(mut m) => Some(m.remove(key).unwrap_or(Value::Array(Vec::new()))),
        v => Some(v),
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let text = std::str::from_utf8(body).unwrap_or("");
    match pick % 16 {
        0 => drop(decode::<CryptoInfo>(body)),
        1 => drop(decode::<SignResponse>(body)),
        2 => drop(decode::<StatusMessage>(body)),
        3 => drop(decode::<NetworkInfo>(body)),
        4 => drop(decode::<ZapInfo>(body)),
        5 => {
            if let Some(sys) = decode::<SystemInfo>(body) {
                let client = ZapClient::new("127.0.0.1").expect("loopback address");
                let _ = require_zap(&client, &sys);
            }
        }
        6 => {
            if let Some(w) = decode::<WifiStatus>(body) {
                let sorted = w.by_signal();
                assert!(sorted.len() <= w.ssids.len());
                for s in &sorted {
                    let _ = (s.is_open(), s.rssi.map(SignalQuality::from_rssi));
                }
            }
        }
        7 => drop(decode::<ZapDer>(body)),
        8 => {
            if let Some(list) = unwrap_list(body, "devices") {
                let _ = serde_json::from_value::<Vec<ZapDevice>>(list);
            }
            drop(decode::<ZapDevice>(body));
        }
        9 => {
            // Connection types, then a typed config: the rest after the first NUL as KEY=VALUE lines.
            let (types, form) =
                body.split_at(body.iter().position(|&b| b == 0).unwrap_or(body.len()));
            let Some(list) = unwrap_list(types, "connection_types") else {
                return;
            };
            let Ok(types) = serde_json::from_value::<Vec<ConnectionType>>(list) else {
                return;
            };
            let form = String::from_utf8_lossy(form);
            let pairs: Vec<(&str, &str)> = form.lines().filter_map(|l| l.split_once('=')).collect();
            for t in &types {
                let config = t.config_from_text(pairs.iter().copied());
                let _ = t.check(&config);
            }
        }
        10 => drop(decode::<AddedDevice>(body)),
        11 => drop(decode::<DeviceSnapshot>(body)),
        12 => drop(decode::<RegisterRead>(body)),
        13 => drop(decode::<ConnectionParam>(body)),
        14 => drop(decode::<Ssid>(body)),
        _ => {
            if let Ok(url) = zap::zap_base_url(text) {
                let _ = zap::address::display_address(&url);
            }
            let _ = is_zap_instance(text);
            let _ = Ipv4Net::parse(text);
        }
    }
});
