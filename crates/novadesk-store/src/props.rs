//! Property tests of the private encodings and the coverage arithmetic.

use proptest::prelude::*;

use crate::bucket::{aggregate, Agg, Resolution};
use crate::chunk;
use crate::codec::{get_increasing, get_runs, get_values, put_increasing, put_runs, put_values};
use crate::coverage::{insert, report, Covered, Merge};

/// Any f64 bit pattern (NaN payloads, ±inf, −0.0, subnormals) plus "sensor-like" decimals.
fn any_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(m, s)| m as f64 / 10f64.powi(s as i32)),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(-0.0),
    ]
}

/// Finite values that are decimals up to float rounding (float sums of 0.01 steps, as rollup sums
/// are), mixed with exact decimals, −0.0, and any finite bit pattern (tiny, huge, subnormal).
fn near_decimal_value() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => prop::collection::vec(-100_000i64..100_000, 1..20)
            .prop_map(|ms| ms.iter().map(|&m| m as f64 / 100.0).sum::<f64>()),
        1 => (-1_000_000i64..1_000_000, 0u32..4).prop_map(|(m, s)| m as f64 / 10f64.powi(s as i32)),
        1 => Just(-0.0),
        1 => any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |v| v.is_finite()),
    ]
}

proptest! {
    #[test]
    fn near_decimal_columns_round_trip_bit_exactly(
        values in prop::collection::vec(near_decimal_value(), 0..200),
    ) {
        let mut out = Vec::new();
        put_values(&mut out, &values);
        let mut pos = 0;
        let back = get_values(&out, &mut pos, values.len()).unwrap();
        prop_assert_eq!(pos, out.len());
        let bits: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
        let back_bits: Vec<u64> = back.iter().map(|v| v.to_bits()).collect();
        prop_assert_eq!(bits, back_bits);
        // Truncated columns are errors, never panics.
        for cut in 0..out.len() {
            let mut pos = 0;
            prop_assert!(get_values(&out[..cut], &mut pos, values.len()).is_err());
        }
    }

    #[test]
    fn values_round_trip_bit_exactly(values in prop::collection::vec(any_value(), 0..200)) {
        let mut out = Vec::new();
        put_values(&mut out, &values);
        let mut pos = 0;
        let back = get_values(&out, &mut pos, values.len()).unwrap();
        prop_assert_eq!(pos, out.len());
        let bits: Vec<u64> = values.iter().map(|v| v.to_bits()).collect();
        let back_bits: Vec<u64> = back.iter().map(|v| v.to_bits()).collect();
        prop_assert_eq!(bits, back_bits);
    }

    #[test]
    fn increasing_and_runs_round_trip(mut ts in prop::collection::vec(0i64..1_000_000_000_000, 0..300),
                                      counts in prop::collection::vec(0u64..100, 0..300)) {
        ts.sort_unstable();
        ts.dedup();
        let mut out = Vec::new();
        put_increasing(&mut out, &ts);
        put_runs(&mut out, &counts);
        let mut pos = 0;
        prop_assert_eq!(get_increasing(&out, &mut pos, ts.len()).unwrap(), ts);
        prop_assert_eq!(get_runs(&out, &mut pos, counts.len()).unwrap(), counts);
        prop_assert_eq!(pos, out.len());
    }

    #[test]
    fn chunk_round_trips_any_samples(offsets in prop::collection::btree_set(0i64..chunk::SPAN_MS, 0..200),
                                     values in prop::collection::vec(any_value(), 200)) {
        let start = 125_000 * chunk::SPAN_MS;
        let samples: Vec<(i64, f64)> = offsets.iter().zip(&values).map(|(o, v)| (start + o, *v)).collect();
        let back = chunk::decode(start, &chunk::encode(start, &samples)).unwrap();
        prop_assert_eq!(back.len(), samples.len());
        for (a, b) in back.iter().zip(&samples) {
            prop_assert_eq!(a.0, b.0);
            prop_assert_eq!(a.1.to_bits(), b.1.to_bits());
        }
    }

    #[test]
    fn garbage_never_panics(data in prop::collection::vec(any::<u8>(), 0..64)) {
        let _ = chunk::decode(0, &data);
    }

    #[test]
    fn aggregate_matches_naive(samples in prop::collection::btree_map(0i64..10_000_000, -1e6f64..1e6, 1..300)) {
        let res = Resolution::M15;
        let got = aggregate(samples.iter().map(|(t, v)| Agg::sample(*t, *v)), res);
        let mut starts: Vec<i64> = samples.keys().map(|t| res.floor(*t)).collect();
        starts.dedup();
        prop_assert_eq!(got.len(), starts.len());
        for (a, s) in got.iter().zip(starts) {
            let inb: Vec<f64> = samples.range(s..s + res.as_ms()).map(|(_, v)| *v).collect();
            prop_assert_eq!(a.start, s);
            prop_assert_eq!(a.count, inb.len() as u64);
            prop_assert_eq!(a.min, inb.iter().cloned().fold(f64::INFINITY, f64::min));
            prop_assert_eq!(a.max, inb.iter().cloned().fold(f64::NEG_INFINITY, f64::max));
            prop_assert_eq!(a.last, *inb.last().unwrap());
            prop_assert!((a.sum - inb.iter().sum::<f64>()).abs() <= 1e-6 * inb.len() as f64 * 1e6);
        }
    }
}

fn interval() -> impl Strategy<Value = Covered> {
    (0i64..1000, 1i64..200, 0i64..5).prop_map(|(s, len, f)| Covered {
        start: s,
        end: s + len,
        fetched_at: f,
    })
}

/// Naive model: per unit time step, the newest fetched_at covering it.
fn naive(intervals: &[Covered], t: i64) -> Option<i64> {
    intervals
        .iter()
        .filter(|c| c.start <= t && t < c.end)
        .map(|c| c.fetched_at)
        .max()
}

proptest! {
    #[test]
    fn report_tiles_the_query_and_matches_naive(ivs in prop::collection::vec(interval(), 0..12),
                                                from in 0i64..600, len in 1i64..800) {
        let to = from + len;
        let rep = report(&ivs, from, to);
        let mut pieces: Vec<(i64, i64, Option<i64>)> = rep.covered.iter().map(|c| (c.start, c.end, Some(c.fetched_at)))
            .chain(rep.gaps.iter().map(|g| (g.start, g.end, None))).collect();
        pieces.sort_unstable();
        prop_assert_eq!(pieces.first().map(|p| p.0), Some(from));
        prop_assert_eq!(pieces.last().map(|p| p.1), Some(to));
        for w in pieces.windows(2) {
            prop_assert_eq!(w[0].1, w[1].0, "pieces must tile without overlap");
        }
        for (a, b, f) in pieces {
            prop_assert!(a < b);
            for t in a..b {
                prop_assert_eq!(naive(&ivs, t), f, "at t={}", t);
            }
        }
        for w in rep.gaps.windows(2) {
            prop_assert!(w[0].end < w[1].start, "adjacent gaps must be merged");
        }
    }

    #[test]
    fn replace_insert_keeps_disjoint_and_newest_wins(seq in prop::collection::vec(interval(), 1..10)) {
        let mut stored: Vec<Covered> = Vec::new();
        for (i, c) in seq.iter().enumerate() {
            stored = insert(&stored, Covered { fetched_at: i as i64, ..*c }, Merge::Replace);
        }
        for w in stored.windows(2) {
            prop_assert!(w[0].end <= w[1].start);
        }
        for t in 0..1200 {
            // The latest inserted interval covering t decides; nothing else covers t.
            let want = seq.iter().enumerate().rev().find(|(_, c)| c.start <= t && t < c.end).map(|(i, _)| i as i64);
            prop_assert_eq!(naive(&stored, t), want);
        }
    }

    #[test]
    fn join_insert_is_a_union_with_slack(seq in prop::collection::vec(interval(), 1..10), slack in 0i64..20) {
        let mut stored: Vec<Covered> = Vec::new();
        for c in &seq {
            stored = insert(&stored, *c, Merge::Join(slack));
        }
        for w in stored.windows(2) {
            prop_assert!(w[0].end + slack < w[1].start, "joinable intervals left apart: {:?}", w);
        }
        for t in 0..1200 {
            if seq.iter().any(|c| c.start <= t && t < c.end) {
                prop_assert!(naive(&stored, t).is_some());
            }
        }
    }
}
