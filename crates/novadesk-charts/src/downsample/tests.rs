use super::*;
use chrono::{DateTime, Utc};
use proptest::prelude::*;

fn ts(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

fn run_of(values: &[(i64, f64)]) -> Run {
    values
        .iter()
        .map(|&(t, v)| Point {
            t,
            lo: v,
            hi: v,
            avg: v,
        })
        .collect()
}

#[test]
fn a_missing_bucket_and_a_hole_both_break_the_run() {
    let step = Duration::seconds(60);
    let pts = vec![
        Bucket::sample(ts(0), 1.0),
        Bucket::sample(ts(60_000), 2.0),
        Bucket::missing(ts(120_000)),
        Bucket::sample(ts(180_000), 3.0),
        Bucket::sample(ts(240_000 + 20_000), 4.0), // 80 s later: jitter, still joined
        Bucket::sample(ts(400_000), 5.0),          // 140 s later: a hole
    ];
    let runs = split_runs(&pts, step, 0, 1_000_000, 1.0);
    let lens: Vec<usize> = runs.iter().map(Vec::len).collect();
    assert_eq!(lens, vec![2, 2, 1]);
}

#[test]
fn points_outside_the_window_are_dropped_and_units_converted() {
    let pts = vec![
        Bucket::sample(ts(-1), 1000.0),
        Bucket::sample(ts(0), 2000.0),
        Bucket::sample(ts(10), 3000.0),
    ];
    let runs = split_runs(&pts, Duration::milliseconds(10), 0, 10, 1e-3);
    assert_eq!(
        runs,
        vec![vec![Point {
            t: 0,
            lo: 2.0,
            hi: 2.0,
            avg: 2.0
        }]]
    );
}

#[test]
fn line_keeps_first_min_max_last_in_time_order() {
    // One column holding a spike down then up.
    let run = run_of(&[(0, 5.0), (1, -9.0), (2, 7.0), (3, 12.0), (4, 6.0)]);
    let s = summarise_run(&run, 0, 100, 1);
    assert_eq!(
        line_points(&s),
        vec![(0, 5.0), (1, -9.0), (3, 12.0), (4, 6.0)]
    );
}

#[test]
fn band_outline_closes_upper_then_lower_edge() {
    let run: Run = vec![
        Point {
            t: 0,
            lo: -1.0,
            hi: 3.0,
            avg: 1.0,
        },
        Point {
            t: 50,
            lo: 0.0,
            hi: 2.0,
            avg: 1.0,
        },
    ];
    let s = summarise_run(&run, 0, 100, 2);
    assert_eq!(
        band_outline(&s),
        vec![(0, 3.0), (50, 2.0), (50, 0.0), (0, -1.0)]
    );
}

proptest! {
    /// Every pixel column keeps its true extremes: the line's min/max and the band's lo/hi equal a
    /// naive scan of the points in that column, and the line has at most 4 points per column.
    #[test]
    fn columns_preserve_true_min_and_max(
        raw in prop::collection::vec((1i64..5_000, -1e6f64..1e6, 0f64..1e4), 1..2_000),
        columns in 1u32..400,
    ) {
        let mut t = 0i64;
        let run: Run = raw
            .iter()
            .map(|&(dt, v, spread)| {
                t += dt;
                Point { t, lo: v - spread, hi: v + spread, avg: v }
            })
            .collect();
        let (from, to) = (0, t + 1);
        let summaries = summarise_run(&run, from, to, columns);
        let line = line_points(&summaries);
        prop_assert!(line.len() <= 4 * summaries.len());
        for s in &summaries {
            let inside: Vec<&Point> = run.iter().filter(|p| column_of(p.t, from, to, columns) == s.col).collect();
            prop_assert!(!inside.is_empty());
            let naive_min = inside.iter().map(|p| p.avg).fold(f64::INFINITY, f64::min);
            let naive_max = inside.iter().map(|p| p.avg).fold(f64::NEG_INFINITY, f64::max);
            let naive_lo = inside.iter().map(|p| p.lo).fold(f64::INFINITY, f64::min);
            let naive_hi = inside.iter().map(|p| p.hi).fold(f64::NEG_INFINITY, f64::max);
            prop_assert_eq!(s.min.1, naive_min);
            prop_assert_eq!(s.max.1, naive_max);
            prop_assert_eq!(s.lo, naive_lo);
            prop_assert_eq!(s.hi, naive_hi);
            prop_assert_eq!(s.first, (inside[0].t, inside[0].avg));
            let last = inside[inside.len() - 1];
            prop_assert_eq!(s.last, (last.t, last.avg));
            // The drawn line passes through both extremes of this column.
            let in_col: Vec<f64> = line.iter().filter(|p| column_of(p.0, from, to, columns) == s.col).map(|p| p.1).collect();
            prop_assert!(in_col.contains(&naive_min) && in_col.contains(&naive_max));
        }
        // Columns are distinct and increasing.
        prop_assert!(summaries.windows(2).all(|w| w[0].col < w[1].col));
    }

    /// No run ever joins two points further apart than 1.5 steps, nor spans a missing bucket.
    #[test]
    fn runs_never_span_a_gap(
        raw in prop::collection::vec((1i64..200, any::<bool>()), 0..500),
    ) {
        let step = Duration::milliseconds(60);
        let mut t = 0i64;
        let pts: Vec<Bucket> = raw
            .iter()
            .map(|&(dt, present)| {
                t += dt;
                if present { Bucket::sample(ts(t), t as f64) } else { Bucket::missing(ts(t)) }
            })
            .collect();
        let runs = split_runs(&pts, step, 0, i64::MAX, 1.0);
        let present = pts.iter().filter(|b| b.is_present()).count();
        prop_assert_eq!(runs.iter().map(Vec::len).sum::<usize>(), present);
        for run in &runs {
            for w in run.windows(2) {
                prop_assert!(w[1].t - w[0].t <= 90);
                // No missing bucket lies strictly between two joined points.
                let between_missing = pts.iter().any(|b| !b.is_present() && b.ts.timestamp_millis() > w[0].t && b.ts.timestamp_millis() < w[1].t);
                prop_assert!(!between_missing);
            }
        }
    }

    /// The cursor gives exactly `column_of` for any times, sorted or not, inside the window or
    /// outside it, for any window and width (it only skips the division, never changes a column).
    #[test]
    fn column_cursor_equals_column_of(
        from in -1_000_000i64..1_000_000,
        span in -10i64..40_000_000_000,
        columns in 0u32..5_000,
        steps in prop::collection::vec(-2_000_000i64..400_000_000, 1..300),
    ) {
        let to = from + span;
        let mut cursor = ColumnCursor::new(from, to, columns);
        let mut t = from - 1_000_000;
        for dt in steps {
            t += dt;
            prop_assert_eq!(cursor.column(t), column_of(t, from, to, columns), "t = {}", t);
        }
    }

    /// Where the cursor says a column ends is the first time `column_of` puts in a later column,
    /// found here by bisection on `column_of` alone (the cursor takes it from arithmetic).
    #[test]
    fn column_cursor_ends_a_column_at_its_true_edge(
        from in -2_000_000_000_000i64..2_000_000_000_000,
        span in 1i64..40_000_000_000,
        columns in 2u32..5_000,
        at in 0f64..1.0,
    ) {
        let to = from + span;
        let t = from + (span as f64 * at) as i64;
        let mut cursor = ColumnCursor::new(from, to, columns);
        let col = cursor.column(t);
        prop_assume!(col < columns - 1);
        let (mut lo, mut hi) = (t, to);
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if column_of(mid, from, to, columns) > col { hi = mid } else { lo = mid }
        }
        prop_assert_eq!(cursor.hi, hi);
    }

    /// The one-pass reduction equals splitting into runs, then summarising each run, and it
    /// has the same extent for the value axis.
    #[test]
    fn summarise_series_equals_split_then_summarise(
        // Times mostly rise, sometimes step back (a run does not require sorted input).
        raw in prop::collection::vec((-30i64..200, 0u8..10, -1e4f64..1e4, 0f64..50.0), 0..600),
        columns in 1u32..120,
        factor in prop::sample::select(vec![1.0, 1e-3, -1.0]),
        window in (0i64..2_000, 1i64..120_000),
    ) {
        let step = Duration::milliseconds(60);
        let mut t = 0i64;
        let pts: Vec<Bucket> = raw
            .iter()
            .map(|&(dt, kind, v, spread)| {
                t += dt;
                match kind {
                    0 => Bucket::missing(ts(t)),
                    1 => Bucket { ts: ts(t), min: v + spread, max: v - spread, avg: v },
                    2 | 3 => Bucket { ts: ts(t), min: v - spread, max: v + spread, avg: v },
                    _ => Bucket::sample(ts(t), v),
                }
            })
            .collect();
        let (from, to) = (window.0, window.0 + window.1);
        let fused = summarise_series(&pts, step, (from, to, columns), factor);
        let expected = previous_path(&pts, step, (from, to, columns), factor);
        prop_assert_eq!(&fused, &expected);
        // The columns' extent is the points' extent (the axis range comes from the columns).
        let extent = |vs: &mut dyn Iterator<Item = (f64, f64)>| {
            vs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (l, h)| (lo.min(l), hi.max(h)))
        };
        let runs = split_runs(&pts, step, from, to, factor);
        let of_points = extent(&mut runs.iter().flatten().map(|p| (p.lo, p.hi)));
        let of_columns = extent(&mut fused.iter().flat_map(|r| &r.columns).map(|c| (c.lo, c.hi)));
        prop_assert_eq!(of_columns, of_points);
    }
}

#[test]
fn column_cursor_matches_at_every_millisecond_across_boundaries() {
    for (from, to, columns) in [(0, 1_000, 7), (-3, 10, 4), (5, 6, 3), (0, 999_999, 1_533)] {
        let mut cursor = ColumnCursor::new(from, to, columns);
        for t in from - 5..to + 5 {
            assert_eq!(
                cursor.column(t),
                column_of(t, from, to, columns),
                "t = {t} in [{from}, {to}] over {columns}"
            );
        }
    }
}

proptest! {
    /// The cached clock gives exactly `timestamp_millis`, across days, before 1970, with
    /// sub-second parts, in any order.
    #[test]
    fn millis_cache_equals_timestamp_millis(
        times in prop::collection::vec((-4_000_000_000_000i64..4_000_000_000_000, 0i64..3), 1..200),
    ) {
        let mut cache = MillisCache::default();
        let mut t = 0i64;
        for (jump, small) in times {
            // Mostly small steps within a day, now and then a jump anywhere.
            t = if small == 0 { jump } else { t + jump.rem_euclid(90_000) };
            let dt = DateTime::<Utc>::from_timestamp_millis(t).unwrap_or_default();
            prop_assert_eq!(cache.millis(&dt), dt.timestamp_millis());
        }
    }
}
/// Windows where float rounding in `column_of` puts a column's edge a millisecond past the exact
/// one (found by a search of 2 M random windows: 82 of them); the cursor still ends the column
/// where `column_of` does.
#[test]
fn column_cursor_follows_column_of_where_float_rounding_moves_an_edge() {
    for (from, to, columns, col, exact_edge) in [
        (
            1_466_108_838_447,
            1_491_368_309_467,
            36,
            23,
            1_483_068_768_989,
        ),
        (
            -1_022_847_013_021,
            -1_008_994_312_159,
            78,
            19,
            -1_019_338_861_504,
        ),
    ] {
        assert_eq!(column_of(exact_edge, from, to, columns), col);
        assert_eq!(column_of(exact_edge + 1, from, to, columns), col + 1);
        let mut cursor = ColumnCursor::new(from, to, columns);
        assert_eq!(cursor.column(exact_edge - 1000), col);
        assert_eq!(cursor.hi, exact_edge + 1);
    }
}

/// Everything `summarise_series` returns, as bits: equal here means identical output, the sign of
/// a zero and NaNs included.
fn bits_of(runs: &[ColumnRun]) -> Vec<(bool, Vec<[u64; 14]>)> {
    let pair = |p: (i64, f64)| [p.0 as u64, p.1.to_bits()];
    runs.iter()
        .map(|r| {
            let cols = r
                .columns
                .iter()
                .map(|c| {
                    let [a, b] = pair(c.first);
                    let [d, e] = pair(c.min);
                    let [f, g] = pair(c.max);
                    let [h, k] = pair(c.last);
                    let o = c.order.map(|x| x as u64);
                    [
                        u64::from(c.col),
                        a,
                        b,
                        d,
                        e,
                        f,
                        g,
                        h,
                        k,
                        c.lo.to_bits(),
                        c.hi.to_bits(),
                        o[0],
                        o[1],
                        o[2] ^ (o[3] << 32),
                    ]
                })
                .collect();
            (r.spread, cols)
        })
        .collect()
}

/// One bucket's shape: (time step kind, extra nanoseconds, value kind, value pick, value, spread).
type TestBucket = (u8, u32, u8, u8, f64, f64);

fn test_bucket() -> impl Strategy<Value = TestBucket> {
    (
        0u8..40,
        0u32..1_000_000,
        0u8..40,
        any::<u8>(),
        -5e3f64..5e3,
        prop_oneof![2 => Just(0.0), 1 => 0f64..20.0],
    )
}

/// The value of a test bucket in one of the series' palettes: anything; ties and zeros of both
/// signs; adjacent doubles whose products by 1e-3 coincide; values whose products overflow.
fn test_value(palette: u8, pick: u8, v: f64) -> f64 {
    const TIES: [f64; 5] = [-0.0, 0.0, 1.0, -1.0, 2.0];
    match palette {
        0 => match pick % 8 {
            0..=3 => v,
            4 | 5 => TIES[usize::from(pick / 8) % TIES.len()],
            6 => 4000.0 + f64::from(pick / 8 % 6) * 2f64.powi(-41),
            _ => [f64::MAX, -f64::MAX, 1e300, 5e-324, -5e-324][usize::from(pick / 8) % 5],
        },
        // Zeros and one sign, so that a zero is an extreme.
        1 => [-0.0, 0.0, 1.0][usize::from(pick) % 3],
        2 => [-0.0, 0.0, -1.0][usize::from(pick) % 3],
        3 => 4000.0 + f64::from(pick % 6) * 2f64.powi(-41),
        _ => [f64::MAX, 1e300, 2e300, 1e308][usize::from(pick) % 4],
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    /// The optimised pass gives, bit for bit, what the previous path gives (split into runs,
    /// summarise each, spread of each): on dense series long enough for its fast path, with
    /// missing and non-finite buckets, holes, clock jitter, repeated and backward times,
    /// sub-millisecond parts and leap seconds, ties and signed zeros, products that coincide or
    /// overflow, any factor (negative, zero, NaN), windows cutting the series, across midnight and
    /// before 1970.
    #[test]
    fn summarise_series_is_bit_for_bit_the_previous_path(
        day in -30_000i64..30_000,
        start_of_day in prop_oneof![3 => -7_200_000i64..600_000, 1 => 0i64..86_400_000],
        step_ms in prop::sample::select(vec![60_000i64, 1_000, 15, 3_600_000, 86_400_000]),
        palette in prop_oneof![2 => Just(0u8), 1 => 1u8..5],
        raw in prop::collection::vec(test_bucket(), 0..1_500),
        columns in prop_oneof![3 => 1u32..40, 1 => 1u32..1_600],
        factor in prop::sample::select(vec![1.0, 1e-3, -1.0, -2.5e-3, 0.0, 1e-310, 3e300, f64::NAN, f64::INFINITY]),
        window in (-0.2f64..0.6, 0.0f64..1.5),
        window_at_points in any::<Option<(prop::sample::Index, prop::sample::Index)>>(),
    ) {
        let step = Duration::milliseconds(step_ms);
        let mut t_ns = i128::from(day * 86_400_000 + start_of_day) * 1_000_000;
        let step_ns = i128::from(step_ms) * 1_000_000;
        let mut pts: Vec<Bucket> = Vec::with_capacity(raw.len());
        for &(time_kind, nanos, value_kind, pick, v, spread) in &raw {
            let v = test_value(palette, pick, v);
            t_ns += match time_kind {
                0 => 0,                                  // same time again
                1 => -step_ns / 3,                       // back in time
                2 => step_ns * 2,                        // a hole
                3 => step_ns * 3 / 2,                    // just at the gap
                4 => step_ns * 3 / 2 + 1_000_000,        // just past it
                5..=7 => step_ns + step_ns / 4,          // jitter
                8 => i128::from(nanos),                  // sub-millisecond
                _ => step_ns,
            };
            let ms = t_ns.div_euclid(1_000_000) as i64;
            let mut ts = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
            if time_kind == 9 {
                // A leap second: the same day's 23:59:59 with its extra second.
                let date = ts.date_naive();
                ts = date.and_hms_nano_opt(23, 59, 59, 1_000_000_000 + nanos).map_or(ts, |d| d.and_utc());
            } else if time_kind == 10 {
                ts = DateTime::<Utc>::from_timestamp(ms.div_euclid(1000), (ms.rem_euclid(1000) as u32) * 1_000_000 + nanos % 1_000_000).unwrap_or(ts);
            }
            pts.push(match value_kind {
                0 => Bucket::missing(ts),
                1 => Bucket { ts, min: v + spread, max: v - spread, avg: v },
                2 | 3 => Bucket { ts, min: v - spread, max: v + spread, avg: v },
                4 => Bucket { ts, min: v + spread, max: v + 2.0 * spread, avg: v },
                5 => Bucket { ts, min: f64::NEG_INFINITY, max: v, avg: v },
                6 => Bucket { ts, min: v, max: f64::NAN, avg: v },
                7 => Bucket { ts, min: v, max: v, avg: f64::INFINITY },
                // Raw values that differ by a little (their products may not) or by a factor.
                8..=10 => Bucket { ts, min: v, max: v + v.abs() * f64::EPSILON, avg: v },
                11 => Bucket { ts, min: v * 0.5, max: v, avg: v },
                // Zeros of both signs in one bucket.
                12 if v == 0.0 => Bucket { ts, min: -0.0, max: 0.0, avg: v },
                13 => Bucket::sample(ts, if v < 0.0 { f64::NEG_INFINITY } else { f64::INFINITY }),
                _ => Bucket::sample(ts, v),
            });
        }
        let first = pts.first().map_or(0, |b| b.ts.timestamp_millis());
        let last = pts.last().map_or(0, |b| b.ts.timestamp_millis());
        let span = (last - first).max(1) as f64;
        let (from, to) = match window_at_points {
            // From and to exactly at points' times: the edges of the window, and of columns.
            Some((a, b)) if !pts.is_empty() => {
                let (a, b) = (a.get(&pts).ts.timestamp_millis(), b.get(&pts).ts.timestamp_millis());
                (a.min(b), a.max(b))
            }
            _ => {
                let from = first + (span * window.0) as i64;
                (from, from + (span * window.1) as i64)
            }
        };
        let fused = summarise_series(&pts, step, (from, to, columns), factor);
        let expected = previous_path(&pts, step, (from, to, columns), factor);
        prop_assert_eq!(bits_of(&fused), bits_of(&expected));
    }
}

/// The previous path's result: split into runs, summarise each, the spread of each.
fn previous_path(
    pts: &[Bucket],
    step: Duration,
    window: (i64, i64, u32),
    factor: f64,
) -> Vec<ColumnRun> {
    let (from, to, columns) = window;
    split_runs(pts, step, from, to, factor)
        .iter()
        .map(|r| ColumnRun {
            columns: summarise_run(r, from, to, columns),
            spread: has_spread(r),
        })
        .collect()
}

/// A dense series through a leap second (23:59:59 with a second second, chrono's fraction
/// >= 1 s) folds as the previous path does, whatever the columns.
#[test]
fn summarise_series_through_a_leap_second() {
    let date = chrono::NaiveDate::from_ymd_opt(2016, 12, 31).expect("a date");
    let at = |secs: u32, nanos: u32| {
        date.and_hms_nano_opt(23, 59, secs, nanos)
            .expect("a time")
            .and_utc()
    };
    let mut pts = Vec::new();
    for k in 0..400u32 {
        // 23:59:58.000 onwards every 15 ms; 23:59:59 lasts two seconds.
        let ms = k * 15;
        let ts = if ms < 2_000 {
            at(58 + ms / 1000, ms % 1000 * 1_000_000)
        } else if ms < 3_000 {
            at(59, (ms - 1_000) * 1_000_000)
        } else {
            date.succ_opt()
                .expect("a date")
                .and_hms_milli_opt(0, 0, (ms - 3_000) / 1000, (ms - 3_000) % 1000)
                .expect("a time")
                .and_utc()
        };
        pts.push(Bucket::sample(ts, f64::from(k % 37) - f64::from(k % 11)));
    }
    let from = pts[0].ts.timestamp_millis();
    for columns in [1, 2, 3, 5, 8, 13, 40] {
        for to in [from + 2_500, from + 6_000] {
            for factor in [1.0, -1e-3] {
                let window = (from, to, columns);
                let step = Duration::milliseconds(15);
                assert_eq!(
                    bits_of(&summarise_series(&pts, step, window, factor)),
                    bits_of(&previous_path(&pts, step, window, factor)),
                    "{columns} columns to {to}, factor {factor}"
                );
            }
        }
    }
}

/// Where a zero of either sign is a column's extreme, it is the earliest point's zero, as point by
/// point (the fast path takes extremes per field, so it must look again).
#[test]
fn summarise_series_keeps_the_earliest_zero() {
    let step = Duration::seconds(1);
    // 24 points in one column; the first has hi = +0 (from its avg), a later one -0 (its fields).
    let pts: Vec<Bucket> = (0..24)
        .map(|k| {
            let ts = DateTime::<Utc>::from_timestamp(k, 0).expect("a time");
            match k {
                0 => Bucket::sample(ts, -2.0),
                9 => Bucket {
                    ts,
                    min: -1.0,
                    max: -1.0,
                    avg: 0.0,
                },
                12 => Bucket {
                    ts,
                    min: -0.0,
                    max: -0.0,
                    avg: -1.0,
                },
                _ => Bucket::sample(ts, -1.5),
            }
        })
        .collect();
    for factor in [1.0, -1.0] {
        let pts: Vec<Bucket> = pts
            .iter()
            .map(|b| {
                if factor < 0.0 {
                    Bucket {
                        min: -b.max,
                        max: -b.min,
                        avg: -b.avg,
                        ..*b
                    }
                } else {
                    *b
                }
            })
            .collect();
        let window = (0, 24_000, 1);
        assert_eq!(
            bits_of(&summarise_series(&pts, step, window, factor)),
            bits_of(&previous_path(&pts, step, window, factor)),
            "factor {factor}"
        );
    }
}
