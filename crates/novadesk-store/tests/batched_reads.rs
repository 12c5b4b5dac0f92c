//! The reads a view over every site makes in few queries — every set of a kind, settings by
//! prefix, the newest sample of many series — and the bucket averages served from memory: each
//! equals its one-at-a-time counterpart, and no write (late reading, back-fill, retention,
//! another connection) ever leaves a stale day behind.

use novadesk_store::{
    Batch, Resolution, Resource, RetentionPolicy, SeriesKey, ServerBucket, Store, DAY_MS, HOUR_MS,
    MINUTE_MS,
};
use proptest::prelude::*;

const BASE: i64 = 1_764_000_000_000 / DAY_MS * DAY_MS; // a UTC midnight in Nov 2025

fn key(i: usize) -> SeriesKey {
    SeriesKey::new(format!("der-{i}"), "W")
}

/// What `averages` must equal: the means of `range`.
fn from_range(s: &Store, k: &SeriesKey, from: i64, to: i64, res: Resolution) -> Vec<(i64, f64)> {
    s.range(k, from, to, res)
        .unwrap()
        .into_iter()
        .map(|b| (b.start, b.avg))
        .collect()
}

fn bits(v: &[(i64, f64)]) -> Vec<(i64, u64)> {
    v.iter().map(|(t, x)| (*t, x.to_bits())).collect()
}

/// Five days of minute samples with holes, plus server 15-minute history for days 0..3.
fn world(s: &mut Store, k: &SeriesKey, seed: u64) {
    let mut b = Batch::new(BASE);
    let mut x = seed;
    for m in 0..(5 * 24 * 60) {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        if (x >> 60) % 5 != 0 {
            b.push(k, BASE + m * MINUTE_MS, ((x >> 33) % 5000) as f64 - 2500.0);
        }
    }
    s.ingest(&b).unwrap();
    let server: Vec<ServerBucket> = (0..3 * 96)
        .filter(|i| i % 7 != 0)
        .map(|i| ServerBucket {
            start: BASE + i * 15 * MINUTE_MS,
            count: 15 + (i as u64 % 3),
            avg: 100.0 + i as f64,
            min: 0.0,
            max: 300.0 + i as f64,
            last: 1.0,
        })
        .collect();
    s.ingest_buckets(k, Resolution::M15, BASE, BASE + 3 * DAY_MS, &server, BASE)
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    #[test]
    fn averages_equal_the_range_means_bit_for_bit(
        seed in any::<u64>(),
        from in 0i64..5 * 24 * 60,
        len in 1i64..6 * 24 * 60,
        res in prop_oneof![Just(15i64), Just(60), Just(5), Just(1), Just(120), Just(1440), Just(7)],
    ) {
        let mut s = Store::open_in_memory().unwrap();
        let k = key(1);
        world(&mut s, &k, seed);
        let res = Resolution::from_ms(res * MINUTE_MS).unwrap();
        let (from, to) = (BASE + from * MINUTE_MS + 17, BASE + (from + len) * MINUTE_MS);
        let want = bits(&from_range(&s, &k, from, to, res));
        // Twice: once read from the rollups, once from memory.
        prop_assert_eq!(bits(&s.averages(&k, from, to, res).unwrap()), want.clone());
        prop_assert_eq!(bits(&s.averages(&k, from, to, res).unwrap()), want);
    }
}

#[test]
fn a_late_reading_or_a_back_fill_for_a_past_day_changes_the_averages() {
    let mut s = Store::open_in_memory().unwrap();
    let k = key(1);
    world(&mut s, &k, 7);
    let (from, to) = (BASE, BASE + 5 * DAY_MS);
    let res = Resolution::M15;
    let before = s.averages(&k, from, to, res).unwrap();
    assert_eq!(bits(&before), bits(&from_range(&s, &k, from, to, res)));

    // A late reading in day 3 (no server history there): its bucket's mean moves.
    let late = BASE + 3 * DAY_MS + 5 * HOUR_MS + 30_000;
    let mut b = Batch::new(late);
    b.push(&k, late, 1.0e6);
    s.ingest(&b).unwrap();
    let after = s.averages(&k, from, to, res).unwrap();
    assert_ne!(bits(&after), bits(&before), "the late reading must show");
    assert_eq!(bits(&after), bits(&from_range(&s, &k, from, to, res)));

    // A server back-fill of day 4 that saw more samples than the live data.
    let start = BASE + 4 * DAY_MS;
    let fill = [ServerBucket {
        start,
        count: 900,
        avg: -42.0,
        min: -50.0,
        max: 0.0,
        last: -1.0,
    }];
    s.ingest_buckets(&k, res, start, start + 15 * MINUTE_MS, &fill, start)
        .unwrap();
    let filled = s.averages(&k, from, to, res).unwrap();
    assert!(filled.contains(&(start, -42.0)), "back-fill served");
    assert_eq!(bits(&filled), bits(&from_range(&s, &k, from, to, res)));

    // The other series' cached days are untouched and still right.
    let other = key(2);
    world(&mut s, &other, 9);
    let o = s.averages(&other, from, to, res).unwrap();
    assert_eq!(bits(&o), bits(&from_range(&s, &other, from, to, res)));
}

#[test]
fn retention_cut_days_are_not_served_from_memory() {
    let mut s = Store::open_in_memory().unwrap();
    let k = key(1);
    world(&mut s, &k, 3);
    let (from, to) = (BASE, BASE + 5 * DAY_MS);
    let h = Resolution::H1;
    let before = s.averages(&k, from, to, h).unwrap();
    assert!(before.iter().any(|(t, _)| *t < BASE + DAY_MS));
    // Keep 15-minute rollups for 4 days (cut in whole 4-day blobs) and hourly ones for 2 days.
    let policy = RetentionPolicy {
        raw_days: Some(1),
        m15_days: Some(1),
        h1_days: Some(1),
        ..Default::default()
    };
    s.retain(&policy, BASE + 40 * DAY_MS).unwrap();
    let after = s.averages(&k, from, to, h).unwrap();
    assert_eq!(bits(&after), bits(&from_range(&s, &k, from, to, h)));
    assert!(after.len() < before.len(), "cut days gone: {after:?}");
}

#[test]
fn another_connections_write_is_seen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store.db");
    let mut a = Store::open(&path).unwrap();
    let k = key(1);
    world(&mut a, &k, 5);
    let (from, to) = (BASE, BASE + 5 * DAY_MS);
    let res = Resolution::M15;
    let before = a.averages(&k, from, to, res).unwrap();
    {
        let mut b = Store::open(&path).unwrap();
        let mut batch = Batch::new(BASE);
        batch.push(&k, BASE + 4 * DAY_MS + 1_000, 9.0e6);
        b.ingest(&batch).unwrap();
    }
    let after = a.averages(&k, from, to, res).unwrap();
    assert_ne!(bits(&after), bits(&before));
    assert_eq!(bits(&after), bits(&from_range(&a, &k, from, to, res)));
}

#[test]
fn latest_many_equals_latest_of_each() {
    let mut s = Store::open_in_memory().unwrap();
    let mut b = Batch::new(BASE);
    // 40 series with data (some newest in an earlier hour), one asked twice, some never stored,
    // and another field of the same DERs.
    for i in 0..40 {
        let end = BASE + (i as i64 % 3) * HOUR_MS + i as i64 * 1_000;
        b.extend(
            &key(i),
            (0..5).map(|j| (end - j * 60_000, (i * 10 + j as usize) as f64)),
        );
        b.push(&SeriesKey::new(format!("der-{i}"), "SoC"), end + 5, 0.5);
    }
    s.ingest(&b).unwrap();
    let mut keys: Vec<SeriesKey> = (0..45).map(key).collect();
    keys.push(key(3));
    keys.push(SeriesKey::new("der-2", "SoC"));
    let many = s.latest_many(&keys).unwrap();
    let one: Vec<_> = keys.iter().map(|k| s.latest(k).unwrap()).collect();
    assert_eq!(many, one);
    assert!(many[0].is_some() && many[44].is_none());
    // Few keys take the one-by-one path: same answers.
    assert_eq!(s.latest_many(&keys[..3]).unwrap(), one[..3].to_vec());
}

#[test]
fn resource_sets_and_settings_by_prefix_equal_one_at_a_time() {
    let mut s = Store::open_in_memory().unwrap();
    for site in 0..5 {
        let items: Vec<Resource> = (0..site)
            .map(|d| Resource {
                id: format!("dev-{site}-{d}"),
                body: serde_json::json!({ "n": d }),
            })
            .collect();
        s.upsert_resources("device", &format!("sit-{site}"), &items, 100 + site as i64)
            .unwrap();
    }
    s.upsert_resources("gateway", "org-1", &[], 5).unwrap();
    let sets = s.resource_sets("device").unwrap();
    assert_eq!(sets.len(), 5);
    for (parent, set) in &sets {
        assert_eq!(Some(set), s.resources("device", parent).unwrap().as_ref());
    }
    assert!(sets["sit-0"].items.is_empty(), "fetched, none there");
    assert_eq!(s.resource_sets("member").unwrap().len(), 0);

    for (k, v) in [
        ("chart.prefs.sit-1", "a"),
        ("chart.prefs.sit-2", "b"),
        ("chart.prefs", "not under the prefix"),
        ("chart.prefsX", "nor this"),
        ("chart.tariff.t1", "c"),
        ("a", "d"),
    ] {
        s.set_setting(k, v).unwrap();
    }
    let got = s.settings_with_prefix("chart.prefs.").unwrap();
    let keys: Vec<&str> = got.keys().map(String::as_str).collect();
    assert_eq!(keys, ["chart.prefs.sit-1", "chart.prefs.sit-2"]);
    assert_eq!(got["chart.prefs.sit-2"], "b");
    assert!(s.settings_with_prefix("zzz").unwrap().is_empty());
}
