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
        let runs = split_runs(&pts, step, from, to, factor);
        let expected: Vec<ColumnRun> = runs
            .iter()
            .map(|r| ColumnRun { columns: summarise_run(r, from, to, columns), spread: has_spread(r) })
            .collect();
        prop_assert_eq!(&fused, &expected);
        // The columns' extent is the points' extent (the axis range comes from the columns).
        let extent = |vs: &mut dyn Iterator<Item = (f64, f64)>| {
            vs.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), (l, h)| (lo.min(l), hi.max(h)))
        };
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
