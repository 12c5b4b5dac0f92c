//! Telemetry through the public API: rollups against a naive computation, idempotency, late samples,
//! server buckets, coverage and retention.

use std::collections::BTreeMap;

use novadesk_store::{
    Batch, Bucket, Error, Resolution, RetentionPolicy, SeriesKey, ServerBucket, Store, DAY_MS,
    HOUR_MS, MINUTE_MS,
};
use proptest::prelude::*;

const BASE: i64 = 1_764_000_000_000 / DAY_MS * DAY_MS; // a UTC midnight in Nov 2025

fn w() -> SeriesKey {
    SeriesKey::new("der-1", "W")
}

fn naive(samples: &BTreeMap<i64, f64>, res: Resolution) -> Vec<Bucket> {
    let mut out: Vec<Bucket> = Vec::new();
    let mut sums: Vec<f64> = Vec::new();
    for (&t, &v) in samples {
        let start = res.floor(t);
        match out.last_mut() {
            Some(b) if b.start == start => {
                b.min = b.min.min(v);
                b.max = b.max.max(v);
                b.last = v;
                b.count += 1;
                *sums.last_mut().unwrap() += v;
            }
            _ => {
                out.push(Bucket {
                    start,
                    min: v,
                    max: v,
                    avg: 0.0,
                    last: v,
                    count: 1,
                });
                sums.push(v);
            }
        }
    }
    for (b, s) in out.iter_mut().zip(sums) {
        b.avg = s / b.count as f64;
    }
    out
}

fn assert_buckets_eq(got: &[Bucket], want: &[Bucket], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: bucket count");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(
            (g.start, g.count, g.min, g.max, g.last),
            (w.start, w.count, w.min, w.max, w.last),
            "{what}"
        );
        assert!(
            (g.avg - w.avg).abs() <= 1e-9 * w.avg.abs().max(1.0),
            "{what}: avg {} vs {}",
            g.avg,
            w.avg
        );
    }
}

const CHECKED: [i64; 7] = [
    MINUTE_MS,
    5 * MINUTE_MS,
    15 * MINUTE_MS,
    HOUR_MS,
    6 * HOUR_MS,
    DAY_MS,
    7 * DAY_MS,
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Any samples, in any order, split into any batches, repeated or overwritten: every resolution
    /// equals the naive computation over the final (last-write-wins) samples.
    #[test]
    fn rollups_match_naive(ops in prop::collection::vec((0i64..3 * DAY_MS / 1000, -50_000i32..50_000, 0u8..4), 1..300),
                           cuts in prop::collection::vec(0usize..300, 0..6)) {
        let mut store = Store::open_in_memory().unwrap();
        let mut truth = BTreeMap::new();
        let mut batch = Batch::new(BASE);
        for (i, (sec, v, scale)) in ops.iter().enumerate() {
            let (ts, v) = (BASE + sec * 1000, *v as f64 / 10f64.powi(*scale as i32));
            batch.push(&w(), ts, v);
            truth.insert(ts, v);
            if cuts.contains(&i) {
                store.ingest(&batch).unwrap();
                store.ingest(&batch).unwrap(); // idempotent
                batch = Batch::new(BASE);
            }
        }
        store.ingest(&batch).unwrap();
        let (from, to) = (BASE, BASE + 3 * DAY_MS);
        for ms in CHECKED {
            let res = Resolution::from_ms(ms).unwrap();
            assert_buckets_eq(&store.range(&w(), from, to, res).unwrap(), &naive(&truth, res), &format!("{ms} ms"));
        }
        let raw = store.samples(&w(), from, to).unwrap();
        prop_assert_eq!(raw, truth.into_iter().collect::<Vec<_>>());
    }
}

#[test]
fn late_and_replaced_samples_correct_every_rollup() {
    let mut store = Store::open_in_memory().unwrap();
    let mut truth = BTreeMap::new();
    let mut b = Batch::new(BASE);
    for i in 0..(2 * 24 * 60) {
        let (t, v) = (BASE + i * MINUTE_MS, (i % 97) as f64);
        b.push(&w(), t, v);
        truth.insert(t, v);
    }
    store.ingest(&b).unwrap();
    let mut late = Batch::new(BASE + 3 * DAY_MS);
    for (t, v) in [
        (BASE + 90_500, -7.5),
        (BASE + 5 * MINUTE_MS, 1e6),
        (BASE + DAY_MS + 1, 3.0),
    ] {
        late.push(&w(), t, v);
        truth.insert(t, v);
    }
    store.ingest(&late).unwrap();
    for ms in CHECKED {
        let res = Resolution::from_ms(ms).unwrap();
        let got = store.range(&w(), BASE, BASE + 2 * DAY_MS, res).unwrap();
        assert_buckets_eq(&got, &naive(&truth, res), &format!("{ms} ms"));
    }
    assert_eq!(store.size_report().unwrap().samples, truth.len() as i64);
}

#[test]
fn non_finite_or_out_of_range_samples_reject_the_whole_batch() {
    let mut store = Store::open_in_memory().unwrap();
    for (t, v) in [(BASE, f64::NAN), (BASE, f64::INFINITY), (-1, 1.0)] {
        let mut b = Batch::new(BASE);
        b.push(&w(), BASE + 1000, 5.0).push(&w(), t, v);
        assert!(matches!(store.ingest(&b), Err(Error::InvalidSample { .. })));
    }
    assert!(store
        .samples(&w(), BASE - 10, BASE + DAY_MS)
        .unwrap()
        .is_empty());
    assert!(matches!(
        store.range(&w(), 10, 5, Resolution::M1),
        Err(Error::InvalidRange { .. })
    ));
    assert!(matches!(
        Resolution::from_ms(90_000),
        Err(Error::InvalidResolution { .. })
    ));
}

fn hourly(from: i64, hours: i64, n: u64, avg: f64) -> Vec<ServerBucket> {
    (0..hours)
        .map(|h| ServerBucket {
            start: from + h * HOUR_MS,
            count: n,
            avg,
            min: avg - 1.0,
            max: avg + 1.0,
            last: avg,
        })
        .collect()
}

#[test]
fn server_history_backfills_coarse_charts_and_coverage() {
    let mut store = Store::open_in_memory().unwrap();
    let fetched = BASE + 10 * DAY_MS;
    store
        .ingest_buckets(
            &w(),
            Resolution::H1,
            BASE,
            BASE + 2 * DAY_MS,
            &hourly(BASE, 48, 60, 100.0),
            fetched,
        )
        .unwrap();
    let days = store
        .range(&w(), BASE, BASE + 2 * DAY_MS, Resolution::D1)
        .unwrap();
    assert_eq!(days.len(), 2);
    assert_eq!(days[0].count, 24 * 60);
    assert!((days[0].avg - 100.0).abs() < 1e-9);
    assert_eq!((days[0].min, days[0].max), (99.0, 101.0));
    assert!(store
        .range(&w(), BASE, BASE + DAY_MS, Resolution::M15)
        .unwrap()
        .is_empty());

    let at_h1 = store
        .coverage(&w(), BASE - DAY_MS, BASE + 2 * DAY_MS, Resolution::H1)
        .unwrap();
    assert_eq!(at_h1.gaps.len(), 1);
    assert_eq!(
        (at_h1.gaps[0].start, at_h1.gaps[0].end),
        (BASE - DAY_MS, BASE)
    );
    assert_eq!(
        (at_h1.covered[0].start, at_h1.covered[0].fetched_at),
        (BASE, fetched)
    );
    let at_m15 = store
        .coverage(&w(), BASE, BASE + 2 * DAY_MS, Resolution::M15)
        .unwrap();
    assert!(
        at_m15.covered.is_empty(),
        "hourly data does not cover a 15-minute chart"
    );

    // Live samples in the first hour: fewer than the server saw, so the server bucket stays.
    let mut b = Batch::new(fetched);
    b.push(&w(), BASE + 1000, 5000.0)
        .push(&w(), BASE + 2000, 5000.0);
    store.ingest(&b).unwrap();
    let h = store
        .range(&w(), BASE, BASE + HOUR_MS, Resolution::H1)
        .unwrap();
    assert_eq!((h[0].count, h[0].max), (60, 101.0));
    // A server bucket that saw fewer samples than we hold loses to the local data.
    store
        .ingest_buckets(
            &w(),
            Resolution::H1,
            BASE,
            BASE + HOUR_MS,
            &hourly(BASE, 1, 1, 7.0),
            fetched,
        )
        .unwrap();
    let h = store
        .range(&w(), BASE, BASE + HOUR_MS, Resolution::H1)
        .unwrap();
    assert_eq!((h[0].count, h[0].max), (2, 5000.0));
    let d = store
        .range(&w(), BASE, BASE + DAY_MS, Resolution::D1)
        .unwrap();
    assert_eq!(
        d[0].count,
        23 * 60 + 2,
        "the day re-derives from the effective hours"
    );

    let misaligned = [ServerBucket {
        start: BASE + 1,
        ..hourly(BASE, 1, 60, 1.0)[0]
    }];
    let err = store.ingest_buckets(
        &w(),
        Resolution::H1,
        BASE,
        BASE + HOUR_MS,
        &misaligned,
        fetched,
    );
    assert!(matches!(err, Err(Error::InvalidInput(_))));
}

#[test]
fn live_ingest_extends_raw_coverage_and_leaves_silences_as_gaps() {
    let mut store = Store::open_in_memory().unwrap();
    for (t, recv) in [
        (BASE, BASE + 1),
        (BASE + 30_000, BASE + 30_001),
        (BASE + 10 * MINUTE_MS, BASE + 10 * MINUTE_MS),
    ] {
        let mut b = Batch::new(recv);
        b.push(&w(), t, 1.0);
        store.ingest(&b).unwrap();
    }
    let rep = store
        .coverage(&w(), BASE, BASE + HOUR_MS, Resolution::RAW)
        .unwrap();
    assert_eq!(rep.covered.len(), 2);
    assert_eq!(
        (
            rep.covered[0].start,
            rep.covered[0].end,
            rep.covered[0].fetched_at
        ),
        (BASE, BASE + 30_001, BASE + 30_001)
    );
    assert_eq!(rep.gaps[0].start, BASE + 30_001);
    // Raw coverage counts for coarser charts too.
    assert_eq!(
        store
            .coverage(&w(), BASE, BASE + HOUR_MS, Resolution::H1)
            .unwrap(),
        rep
    );
    store
        .mark_covered(&w(), Resolution::M1, BASE, BASE + HOUR_MS, BASE + HOUR_MS)
        .unwrap();
    let rep = store
        .coverage(&w(), BASE, BASE + HOUR_MS, Resolution::M15)
        .unwrap();
    assert!(rep.gaps.is_empty());
    assert!(rep.covered.iter().all(|c| c.fetched_at == BASE + HOUR_MS));
}

#[test]
fn retention_drops_raw_but_keeps_rollups_and_their_coverage() {
    let mut store = Store::open_in_memory().unwrap();
    let mut b = Batch::new(BASE + 10 * DAY_MS);
    let mut truth = BTreeMap::new();
    for i in 0..10 * 24 * 60 {
        let (t, v) = (BASE + i * MINUTE_MS, (i % 50) as f64);
        b.push(&w(), t, v);
        truth.insert(t, v);
    }
    store.ingest(&b).unwrap();
    let now = BASE + 10 * DAY_MS;
    let policy = RetentionPolicy {
        raw_days: Some(2),
        ..Default::default()
    };
    let rep = store.retain(&policy, now).unwrap();
    assert_eq!(rep.chunks_deleted, 8 * 6, "four-hour chunks");
    assert!(store
        .samples(&w(), BASE, now - 2 * DAY_MS)
        .unwrap()
        .is_empty());
    assert_eq!(
        store.samples(&w(), now - 2 * DAY_MS, now).unwrap().len(),
        2 * 24 * 60
    );
    let q = store.range(&w(), BASE, now, Resolution::M15).unwrap();
    assert_buckets_eq(&q, &naive(&truth, Resolution::M15), "15m after retention");
    let raw_cov = store
        .coverage(&w(), BASE, now - MINUTE_MS + 1, Resolution::RAW)
        .unwrap();
    assert_eq!(raw_cov.gaps.len(), 1);
    assert_eq!(
        (raw_cov.gaps[0].start, raw_cov.gaps[0].end),
        (BASE, now - 2 * DAY_MS)
    );
    assert!(store
        .coverage(&w(), BASE, now - MINUTE_MS + 1, Resolution::M15)
        .unwrap()
        .gaps
        .is_empty());
    let mut old = Batch::new(now);
    old.push(&w(), BASE + 5, 1.0);
    assert!(matches!(
        store.ingest(&old),
        Err(Error::OlderThanRetention { .. })
    ));
}

#[test]
fn minute_history_merges_with_live_samples_below_fifteen_minutes() {
    let mut store = Store::open_in_memory().unwrap();
    let minutes: Vec<ServerBucket> = (0..60)
        .map(|m| ServerBucket {
            start: BASE + m * MINUTE_MS,
            count: 12,
            avg: m as f64,
            min: 0.0,
            max: 100.0,
            last: 1.0,
        })
        .collect();
    store
        .ingest_buckets(
            &w(),
            Resolution::M1,
            BASE,
            BASE + HOUR_MS,
            &minutes,
            BASE + HOUR_MS,
        )
        .unwrap();
    // Live data for the next hour, and a few live samples inside the back-filled hour.
    let mut b = Batch::new(BASE + 2 * HOUR_MS);
    for s in 0..(60 * 12) {
        b.push(&w(), BASE + HOUR_MS + s * 5000, 2.0);
    }
    b.push(&w(), BASE + 30_000, 9999.0);
    store.ingest(&b).unwrap();

    let m1 = store
        .range(&w(), BASE, BASE + 2 * HOUR_MS, Resolution::M1)
        .unwrap();
    assert_eq!(m1.len(), 120);
    assert_eq!(
        (m1[0].count, m1[0].max),
        (12, 100.0),
        "server minute (12 samples) beats 1 live sample"
    );
    assert!(m1[60..].iter().all(|b| b.count == 12 && b.avg == 2.0));
    let m15 = store
        .range(&w(), BASE, BASE + 2 * HOUR_MS, Resolution::M15)
        .unwrap();
    assert_eq!(m15.len(), 8);
    assert!(m15.iter().all(|b| b.count == 180));
    assert!(
        (m15[0].avg - 7.0).abs() < 1e-9,
        "mean of minutes 0..15 = 7, got {}",
        m15[0].avg
    );
    let d = store
        .range(&w(), BASE, BASE + DAY_MS, Resolution::D1)
        .unwrap();
    assert_eq!(d[0].count, 2 * 60 * 12);

    let cov = store
        .coverage(&w(), BASE, BASE + 2 * HOUR_MS, Resolution::M1)
        .unwrap();
    assert!(
        cov.gaps
            .last()
            .is_none_or(|g| g.start >= BASE + 2 * HOUR_MS - 5000),
        "{cov:?}"
    );
    let raw_only = store
        .coverage(&w(), BASE, BASE + HOUR_MS, Resolution::RAW)
        .unwrap();
    assert!(
        !raw_only.gaps.is_empty(),
        "minute buckets are not raw coverage"
    );
}
