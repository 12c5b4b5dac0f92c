//! The shell's own command-argument types (they live in this crate, which depends on tauri, so
//! `crates/fuzz` cannot reach them; its `command_args` target covers the ones in novadesk-core):
//! arbitrary JSON and near-valid shapes with one field replaced, 20,000 cases, through the same
//! `serde_json` deserialisation the IPC layer uses (a struct also comes as an array of its fields). Oracle: no panic, and an accepted value is
//! the one sent, field for field: nothing wraps, truncates or is coerced on the way in (a
//! 2^32 width must be refused, not become 0). What the commands then check is the IPC input
//! test's (`ipc_input.rs`, every command through the mock runtime).

use novadesk::commands::batch::BatchArgs;
use novadesk::commands::browse_types::Source;
use novadesk::commands::chart::ChartRequestInput;
use novadesk::commands::provision::ProvisionArgs;
use novadesk::commands::report::ReportSource;
use novadesk::commands::whatif::WhatIfRequestInput;
use proptest::prelude::*;
use serde_json::{json, Map, Value};

/// Field names of every type here, so random objects often hit a real field.
const KEYS: &[&str] = &[
    "addresses",
    "org_id",
    "confirm_transfer",
    "provision",
    "site_id",
    "rules",
    "profile",
    "device_type",
    "name",
    "ders",
    "der_type",
    "address",
    "sn",
    "manufacturer",
    "model",
    "path",
    "contents",
    "request_id",
    "preset",
    "from_ms",
    "to_ms",
    "series",
    "der_id",
    "field",
    "width",
    "height",
    "dark",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        prop::sample::select(vec![
            1e300,
            -1e300,
            4_294_967_296.0,
            -1.0,
            0.5,
            9.007_199_254_740_993e15
        ])
        .prop_map(Value::from),
        ".{0,40}".prop_map(Value::from),
        prop::sample::select(vec![
            "custom",
            "week",
            "cache",
            "network",
            "sit-1",
            "/tmp/r.json"
        ])
        .prop_map(Value::from),
    ]
}

fn any_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec(
                (
                    prop_oneof![
                        prop::sample::select(KEYS).prop_map(str::to_string),
                        ".{0,8}"
                    ],
                    inner
                ),
                0..8
            )
            .prop_map(|kv| Value::Object(kv.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A valid argument of each type.
fn valid() -> Vec<Value> {
    let ders = json!([{ "name": "pv-1", "der_type": "solar" }]);
    vec![
        json!({ "addresses": ["127.0.0.1:8080"], "org_id": "org-1", "confirm_transfer": false,
                "provision": { "site_id": "sit-1", "rules": [{ "profile": "sungrow",
                "device_type": "inverter", "name": "{serial}", "ders": ders }] } }),
        json!("cache"),
        json!({ "request_id": "r1", "site_id": "sit-1", "preset": "custom", "from_ms": 0.0,
                "to_ms": 86_400_000.0, "series": [{ "der_id": "der-1", "field": "W" }],
                "width": 900, "height": 400, "dark": false }),
        json!({ "address": "127.0.0.1:8080", "sn": "INV001", "site_id": "sit-1",
                "device_type": "inverter", "name": null, "manufacturer": "Sungrow",
                "model": null, "ders": ders }),
        json!({ "path": null, "contents": "{}" }),
        json!({ "request_id": "w1", "site_id": "sit-1", "from_ms": null, "to_ms": null,
                "width": 800, "height": 300, "dark": true }),
    ]
}

/// `pick` chooses the type; the value is `base` of that type with one member replaced or
/// removed, or, for `pick >= 6`, any JSON at all for type `pick % 6`.
fn case() -> impl Strategy<Value = (usize, Value)> {
    (
        0usize..12,
        any_json(),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(|(pick, random, which, remove)| {
            let kind = pick % 6;
            if pick >= 6 {
                return (kind, random);
            }
            let mut v = valid()[kind].clone();
            if let Value::Object(m) = &mut v {
                let key = m
                    .keys()
                    .nth(which.index(m.len()))
                    .cloned()
                    .unwrap_or_default();
                if remove {
                    m.remove(&key);
                } else {
                    m.insert(key, random);
                }
            } else {
                v = random;
            }
            (kind, v)
        })
}

fn text(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn number(v: &Value, key: &str) -> Option<f64> {
    v.get(key).and_then(Value::as_f64)
}

/// Each struct's fields in declaration order: serde also takes a struct as a JSON array of its
/// fields in that order, so an accepted array is compared as that object.
const FIELDS: [&[&str]; 6] = [
    &["addresses", "org_id", "confirm_transfer", "provision"],
    &[],
    &[
        "request_id",
        "site_id",
        "preset",
        "from_ms",
        "to_ms",
        "series",
        "width",
        "height",
        "dark",
    ],
    &[
        "address",
        "sn",
        "site_id",
        "device_type",
        "name",
        "manufacturer",
        "model",
        "ders",
    ],
    &["path", "contents"],
    &[
        "request_id",
        "site_id",
        "from_ms",
        "to_ms",
        "width",
        "height",
        "dark",
    ],
];

/// Deserialises `sent` as type `kind`; when accepted, checks the value is the one sent.
fn check(kind: usize, sent: &Value) -> Result<(), TestCaseError> {
    let as_object = match sent {
        Value::Array(items) if kind != 1 => Value::Object(
            FIELDS[kind]
                .iter()
                .map(|f| f.to_string())
                .zip(items.iter().cloned())
                .collect(),
        ),
        other => other.clone(),
    };
    let v = &as_object;
    match kind {
        0 => {
            if let Ok(a) = serde_json::from_value::<BatchArgs>(sent.clone()) {
                prop_assert_eq!(Some(a.org_id), text(v, "org_id"));
                prop_assert_eq!(
                    a.addresses.len(),
                    v["addresses"].as_array().map_or(0, Vec::len)
                );
                prop_assert_eq!(Some(a.confirm_transfer), v["confirm_transfer"].as_bool());
                prop_assert_eq!(a.provision.is_some(), !v["provision"].is_null());
            }
        }
        1 => {
            if let Ok(s) = serde_json::from_value::<Source>(sent.clone()) {
                let want = if s == Source::Cache {
                    "cache"
                } else {
                    "network"
                };
                prop_assert_eq!(v.as_str(), Some(want));
            }
        }
        2 => {
            if let Ok(r) = serde_json::from_value::<ChartRequestInput>(sent.clone()) {
                prop_assert_eq!(Some(r.site_id), text(v, "site_id"));
                prop_assert_eq!(Some(r.request_id), text(v, "request_id"));
                prop_assert_eq!(r.from_ms, number(v, "from_ms"));
                prop_assert_eq!(r.to_ms, number(v, "to_ms"));
                prop_assert_eq!(Some(u64::from(r.width)), v["width"].as_u64());
                prop_assert_eq!(Some(u64::from(r.height)), v["height"].as_u64());
                prop_assert_eq!(r.series.len(), v["series"].as_array().map_or(0, Vec::len));
            }
        }
        3 => {
            if let Ok(p) = serde_json::from_value::<ProvisionArgs>(sent.clone()) {
                prop_assert_eq!(Some(p.address), text(v, "address"));
                prop_assert_eq!(Some(p.sn), text(v, "sn"));
                prop_assert_eq!(p.name, text(v, "name"));
                prop_assert_eq!(p.manufacturer, text(v, "manufacturer"));
                prop_assert_eq!(p.ders.len(), v["ders"].as_array().map_or(0, Vec::len));
            }
        }
        4 => {
            if let Ok(s) = serde_json::from_value::<ReportSource>(sent.clone()) {
                prop_assert_eq!(s.path, text(v, "path"));
                prop_assert_eq!(s.contents, text(v, "contents"));
            }
        }
        _ => {
            if let Ok(r) = serde_json::from_value::<WhatIfRequestInput>(sent.clone()) {
                prop_assert_eq!(Some(r.site_id), text(v, "site_id"));
                prop_assert_eq!(r.from_ms, number(v, "from_ms"));
                prop_assert_eq!(r.to_ms, number(v, "to_ms"));
                prop_assert_eq!(Some(u64::from(r.width)), v["width"].as_u64());
                prop_assert_eq!(Some(r.dark), v["dark"].as_bool());
            }
        }
    }
    Ok(())
}

#[test]
fn the_valid_arguments_are_accepted() {
    for (kind, v) in valid().iter().enumerate() {
        let ok = match kind {
            0 => serde_json::from_value::<BatchArgs>(v.clone()).is_ok(),
            1 => serde_json::from_value::<Source>(v.clone()).is_ok(),
            2 => serde_json::from_value::<ChartRequestInput>(v.clone()).is_ok(),
            3 => serde_json::from_value::<ProvisionArgs>(v.clone()).is_ok(),
            4 => serde_json::from_value::<ReportSource>(v.clone()).is_ok(),
            _ => serde_json::from_value::<WhatIfRequestInput>(v.clone()).is_ok(),
        };
        assert!(ok, "valid argument {kind} refused: {v}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(20_000))]

    #[test]
    fn arguments_deserialise_exactly_or_are_refused((kind, v) in case()) {
        check(kind, &v)?;
    }
}
