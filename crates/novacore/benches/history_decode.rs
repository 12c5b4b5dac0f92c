//! Decoding one page of telemetry history (the list decoder + `history::Bucket`), side by side in
//! one run with the way it was decoded before: the whole body into a `serde_json::Value`, each
//! item `from_value`, each bucket through a `Map<String, Value>` first.
//! Page: one DER, 1,440 buckets of 1-min data (a day), 6 fields each, in the
//! `{data: [{der_id, type, resolution, points}], next_cursor}` envelope.
//! Allocations are counted by this binary's global allocator.
//! Run: `cargo bench -p novacore --bench history_decode`.

// The counting allocator below is the only unsafe code, and only in this bench binary.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::time::Instant;

use bench_report::{Better, Figure, Row};
use novacore::history::{Aggregate, Series};
use novacore::models::page::decode_page;
use serde::Deserialize;
use serde_json::{json, Value};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Relaxed) + by;
    PEAK.fetch_max(live, Relaxed);
}

// SAFETY: every call is forwarded to `System` unchanged; only counters are added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        grew(l.size());
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, new: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Relaxed);
        LIVE.fetch_sub(l.size(), Relaxed);
        grew(new);
        System.realloc(p, l, new)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const BUCKETS: i64 = 1_440;
const FIELDS: [&str; 6] = [
    "W",
    "V",
    "A",
    "SoC_nom_fract",
    "heatsink_C",
    "total_charge_Wh",
];

/// A day of a battery's 1-min buckets as the Sandbox serializes them (`{ts, n, fields}`).
fn body() -> Vec<u8> {
    let start = 1_772_755_200_000i64;
    let points: Vec<Value> = (0..BUCKETS)
        .map(|i| {
            let w = ((i % 97) as f64 - 48.0) * 61.3;
            let fields: serde_json::Map<String, Value> = FIELDS
                .iter()
                .enumerate()
                .map(|(k, name)| {
                    let x = (w * (k as f64 + 1.0) * 0.731).round() / 10.0 + 0.001 * k as f64;
                    (
                        (*name).to_owned(),
                        json!({"avg": x, "min": x - 12.5, "max": x + 7.25, "last": x + 0.1}),
                    )
                })
                .collect();
            json!({"ts": start + i * 60_000, "n": 1, "fields": fields})
        })
        .collect();
    serde_json::to_vec(&json!({
        "data": [{"der_id": "der-bench-battery", "type": "battery", "resolution": "1m", "points": points}],
        "next_cursor": null
    }))
    .expect("serializable")
}

/// `history::Series` as it was decoded before: each bucket into a `Map<String, Value>` first.
#[derive(Deserialize)]
#[allow(dead_code)]
struct OldSeries {
    #[serde(default)]
    der_id: Option<String>,
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    resolution: Option<String>,
    #[serde(default)]
    points: Vec<OldBucket>,
}

#[allow(dead_code)]
struct OldBucket {
    ts: chrono::DateTime<chrono::Utc>,
    n: Option<u64>,
    fields: BTreeMap<String, Aggregate>,
}

impl<'de> Deserialize<'de> for OldBucket {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut m = serde_json::Map::<String, Value>::deserialize(d)?;
        let ts = ["ts", "timestamp", "time"]
            .iter()
            .find_map(|k| m.remove(*k))
            .and_then(|v| novacore::models::time::from_value(&v))
            .ok_or_else(|| serde::de::Error::custom("bucket without ts"))?;
        let n = m.remove("n").and_then(|v| v.as_u64());
        let fields = match m.remove("fields") {
            Some(f) => serde_json::from_value(f).map_err(serde::de::Error::custom)?,
            None => BTreeMap::new(),
        };
        Ok(OldBucket { ts, n, fields })
    }
}

/// The list decoder as it was: the whole body into a `Value`, then each item `from_value`.
fn old_page(body: &[u8]) -> Vec<OldSeries> {
    let mut v: Value = serde_json::from_slice(body).expect("json");
    let Some(Value::Array(items)) = v.get_mut("data").map(Value::take) else {
        panic!("no data")
    };
    items
        .into_iter()
        .map(|i| serde_json::from_value(i).expect("series"))
        .collect()
}

fn new_page(body: &[u8]) -> Vec<Series> {
    decode_page::<Series>(body).expect("page").items
}

/// Best time per page over `rounds` (ms), allocations per page, and of one page the peak of
/// live bytes and what stays live in the decoded page (the rest of the peak is transient).
fn measure<R>(body: &[u8], rounds: u32, decode: impl Fn(&[u8]) -> R) -> (f64, usize, usize, usize) {
    let (a0, live0) = (ALLOCS.load(Relaxed), LIVE.load(Relaxed));
    PEAK.store(live0, Relaxed);
    let page = black_box(decode(body));
    let allocs = ALLOCS.load(Relaxed) - a0;
    let kept = LIVE.load(Relaxed) - live0;
    let peak = PEAK.load(Relaxed) - live0;
    drop(page);
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let t0 = Instant::now();
        black_box(decode(black_box(body)));
        best = best.min(t0.elapsed().as_secs_f64() * 1000.0);
    }
    (best, allocs, peak, kept)
}

fn main() {
    let body = body();
    let new = new_page(&body);
    assert_eq!(new[0].points.len(), BUCKETS as usize);
    let rounds = 30;
    let (old_ms, old_allocs, old_peak, old_kept) = measure(&body, rounds, old_page);
    let (new_ms, new_allocs, new_peak, new_kept) = measure(&body, rounds, new_page);
    println!(
        "history page: {BUCKETS} buckets × {} fields, {} KiB; best of {rounds}",
        FIELDS.len(),
        body.len() / 1024
    );
    println!("| decoder                          |  ms/page | allocations | peak KiB | kept KiB |");
    println!("|----------------------------------|----------|-------------|----------|----------|");
    let old = (
        "Value, then from_value (before)",
        old_ms,
        old_allocs,
        old_peak,
        old_kept,
    );
    let new = (
        "straight from the bytes",
        new_ms,
        new_allocs,
        new_peak,
        new_kept,
    );
    for (label, ms, allocs, peak, kept) in [old, new] {
        println!(
            "| {label:<32} | {ms:>8.3} | {allocs:>11} | {:>8} | {:>8} |",
            peak / 1024,
            kept / 1024
        );
    }
    let command = "cargo bench -p novacore --bench history_decode";
    let note = format!(
        "{BUCKETS} 1-min buckets × {} fields in a {{data, next_cursor}} envelope ({} KiB)",
        FIELDS.len(),
        body.len() / 1024
    );
    let rows = [
        Row::new(
            "core",
            "history page decode",
            Figure::new(new_ms, "ms"),
            Better::Lower,
            command,
        )
        .peer("Value, then from_value", Figure::new(old_ms, "ms"))
        .note(&note),
        Row::new(
            "core",
            "history page decode: allocations",
            Figure::new(new_allocs as f64, "allocations"),
            Better::Lower,
            command,
        )
        .peer(
            "Value, then from_value",
            Figure::new(old_allocs as f64, "allocations"),
        )
        .note(&note),
    ];
    bench_report::record("history_decode", &rows);
}
