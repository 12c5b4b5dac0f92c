//! Reducing a series to what a pixel column can show (M4: first, min, max, last per column).
//!
//! A year of 1-minute data is 525,600 points for ~1,500 columns. Per column we keep the first and
//! last point (so lines join neighbouring columns correctly) and the points holding the minimum and
//! maximum (so every spike survives), plus, for buckets, the smallest `min` and largest `max` (the
//! envelope band). At most 4 line points per column and run, and each column's true extremes exact.

use crate::spec::Bucket;
use chrono::Duration;

/// A present point in drawing terms: epoch milliseconds and display-unit values.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    /// Time, epoch milliseconds.
    pub t: i64,
    /// Smallest value of the bucket.
    pub lo: f64,
    /// Largest value of the bucket.
    pub hi: f64,
    /// Value the line goes through.
    pub avg: f64,
}

/// Joinable points: a run never spans a missing bucket or a hole in time.
pub type Run = Vec<Point>;

/// Splits `points` into runs. Points outside `[from_ms, to_ms)` are dropped, a missing bucket ends a
/// run, and so does a hole: two points more than 1.5 × `step` apart (the ½ step tolerates clock
/// jitter; one missing sample makes a 2 × step hole and always breaks the line).
pub fn split_runs(
    points: &[Bucket],
    step: Duration,
    from_ms: i64,
    to_ms: i64,
    factor: f64,
) -> Vec<Run> {
    let max_gap = step.num_milliseconds().saturating_mul(3) / 2;
    let mut runs: Vec<Run> = Vec::new();
    let mut current: Run = Vec::new();
    for b in points {
        let t = b.ts.timestamp_millis();
        if t < from_ms || t >= to_ms {
            continue;
        }
        if !b.is_present() {
            flush(&mut runs, &mut current);
            continue;
        }
        if let Some(prev) = current.last() {
            if t - prev.t > max_gap {
                flush(&mut runs, &mut current);
            }
        }
        current.push(point_of(b, t, factor));
    }
    flush(&mut runs, &mut current);
    runs
}

/// A present bucket at time `t` in display units.
fn point_of(b: &Bucket, t: i64, factor: f64) -> Point {
    let (a, c, v) = (b.min * factor, b.max * factor, b.avg * factor);
    // Sorted so a negative factor or a sloppy producer (min > avg) still yields lo <= avg <= hi.
    // Plain comparisons, not `f64::min`: a present bucket has no NaN to rule on.
    let (lo, hi) = if a < c { (a, c) } else { (c, a) };
    Point {
        t,
        lo: if v < lo { v } else { lo },
        hi: if v > hi { v } else { hi },
        avg: v,
    }
}

fn flush(runs: &mut Vec<Run>, current: &mut Run) {
    if !current.is_empty() {
        runs.push(std::mem::take(current));
    }
}

/// The summary of one run within one pixel column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ColumnSummary {
    /// Column index, 0-based from the left edge of the plot.
    pub col: u32,
    /// First point (time, avg).
    pub first: (i64, f64),
    /// Point with the smallest avg (earliest on ties).
    pub min: (i64, f64),
    /// Point with the largest avg (earliest on ties).
    pub max: (i64, f64),
    /// Last point (time, avg).
    pub last: (i64, f64),
    /// Smallest bucket `min` in the column.
    pub lo: f64,
    /// Largest bucket `max` in the column.
    pub hi: f64,
    /// Positions in the run of first, min, max and last: their true order when times tie (the
    /// two corners of a price step share one time).
    pub order: [usize; 4],
}

/// Position of `t` in `0..=steps` over `[from_ms, to_ms]`, rounded. The time axis maps with this
/// very function, so a column here is exactly the pixel column the point is drawn in.
pub fn scaled(t: i64, from_ms: i64, to_ms: i64, steps: i32) -> i32 {
    let frac = (t - from_ms) as f64 / (to_ms - from_ms).max(1) as f64;
    (frac * steps as f64).round() as i32
}

/// Pixel column of time `t` when `[from_ms, to_ms]` spans `columns` pixel columns.
pub fn column_of(t: i64, from_ms: i64, to_ms: i64, columns: u32) -> u32 {
    let last = columns.saturating_sub(1);
    scaled(t, from_ms, to_ms, last as i32).clamp(0, last as i32) as u32
}

/// First time (epoch ms) that falls in column `col` (the column's left edge), clamped to the window.
pub fn column_start(col: u32, from_ms: i64, to_ms: i64, columns: u32) -> i64 {
    let steps = columns.saturating_sub(1).max(1) as i128;
    let span = (to_ms - from_ms) as i128;
    // Column c holds positions in [c - 0.5, c + 0.5) pixels.
    let t = from_ms as i128 + (span * (2 * col as i128 - 1)).div_euclid(2 * steps);
    (t as i64).clamp(from_ms, to_ms)
}

/// Maps times to pixel columns exactly as [`column_of`] does, but evaluates it about once per
/// column instead of once per point: after mapping `t` to column `c` it finds, by bisection on
/// `column_of` itself, the first time of the next column, so later times up to there are compared,
/// not divided and rounded. `column_of` is non-decreasing in `t`, which makes that span exact.
#[derive(Debug, Clone)]
pub struct ColumnCursor {
    from_ms: i64,
    to_ms: i64,
    columns: u32,
    col: u32,
    /// Times in `[lo, hi)` are known to map to `col`.
    lo: i64,
    hi: i64,
}

impl ColumnCursor {
    /// A cursor over `[from_ms, to_ms]` spanning `columns` pixel columns.
    pub fn new(from_ms: i64, to_ms: i64, columns: u32) -> Self {
        ColumnCursor {
            from_ms,
            to_ms,
            columns,
            col: 0,
            lo: 1,
            hi: 0,
        }
    }

    /// The column of `t`, equal to `column_of(t, from_ms, to_ms, columns)`.
    #[inline]
    pub fn column(&mut self, t: i64) -> u32 {
        if t >= self.lo && t < self.hi {
            return self.col;
        }
        let col = column_of(t, self.from_ms, self.to_ms, self.columns);
        self.col = col;
        self.lo = t;
        self.hi = self.next_column_start(col, t);
        col
    }

    /// First time after `t` (which maps to `col`) that maps to a later column.
    fn next_column_start(&self, col: u32, t: i64) -> i64 {
        let at = |x: i64| column_of(x, self.from_ms, self.to_ms, self.columns);
        if col >= self.columns.saturating_sub(1) {
            // The last column takes everything after (column_of clamps).
            return i64::MAX;
        }
        // `to_ms` maps to the last column when the window is well formed; otherwise keep the
        // cache to this one time rather than guess.
        let mut hi = self.to_ms;
        if self.to_ms <= self.from_ms || hi <= t || at(hi) <= col {
            return t.saturating_add(1);
        }
        // The edge by exact arithmetic (the first time at or past position col + ½) is the answer
        // unless float rounding in `column_of` moves it by a millisecond: checked, bisected if not.
        let steps = i128::from(self.columns.saturating_sub(1).max(1));
        let span = i128::from(self.to_ms - self.from_ms);
        let edge = i128::from(self.from_ms)
            + (span * (2 * i128::from(col) + 1) + 2 * steps - 1) / (2 * steps);
        if let Ok(edge) = i64::try_from(edge) {
            for e in [edge, edge + 1, edge - 1] {
                if e > t && at(e) > col && at(e - 1) <= col {
                    return e;
                }
            }
        }
        let mut lo = t;
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if at(mid) > col {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }
}

/// Adds point `i` of a run, in the column `s` summarises, to `s`.
#[inline(always)]
fn fold_point(s: &mut ColumnSummary, i: usize, p: Point) {
    s.last = (p.t, p.avg);
    s.order[3] = i;
    if p.avg < s.min.1 {
        s.min = (p.t, p.avg);
        s.order[1] = i;
    }
    if p.avg > s.max.1 {
        s.max = (p.t, p.avg);
        s.order[2] = i;
    }
    if p.lo < s.lo {
        s.lo = p.lo;
    }
    if p.hi > s.hi {
        s.hi = p.hi;
    }
}

/// Adds point `i` of a run (in column `col`) to the run's column summaries.
fn add_to_columns(out: &mut Vec<ColumnSummary>, i: usize, p: Point, col: u32) {
    match out.last_mut() {
        Some(s) if s.col == col => fold_point(s, i, p),
        _ => out.push(ColumnSummary {
            col,
            first: (p.t, p.avg),
            min: (p.t, p.avg),
            max: (p.t, p.avg),
            last: (p.t, p.avg),
            lo: p.lo,
            hi: p.hi,
            order: [i; 4],
        }),
    }
}

/// Summarises a run (sorted by time) per pixel column.
pub fn summarise_run(run: &[Point], from_ms: i64, to_ms: i64, columns: u32) -> Vec<ColumnSummary> {
    summarise_points(run.iter().copied(), from_ms, to_ms, columns)
}

/// [`summarise_run`] over points that need not be collected first.
pub fn summarise_points(
    run: impl IntoIterator<Item = Point>,
    from_ms: i64,
    to_ms: i64,
    columns: u32,
) -> Vec<ColumnSummary> {
    let mut cursor = ColumnCursor::new(from_ms, to_ms, columns);
    let mut out: Vec<ColumnSummary> = Vec::new();
    for (i, p) in run.into_iter().enumerate() {
        add_to_columns(&mut out, i, p, cursor.column(p.t));
    }
    out
}

/// `DateTime::timestamp_millis` for times that mostly share a date with the previous one: the
/// day's start is computed once per date (the calendar arithmetic was the largest cost of the
/// M4 pass over a year of minutes), the time of day is read from its fields.
#[derive(Debug, Default)]
pub struct MillisCache {
    day: Option<(chrono::NaiveDate, i64)>,
}

impl MillisCache {
    /// Equal to `ts.timestamp_millis()`.
    #[inline]
    pub fn millis(&mut self, ts: &chrono::DateTime<chrono::Utc>) -> i64 {
        use chrono::Timelike;
        let naive = ts.naive_utc();
        let date = naive.date();
        let day_ms = match self.day {
            Some((d, ms)) if d == date => ms,
            _ => {
                let ms = date
                    .and_time(chrono::NaiveTime::MIN)
                    .and_utc()
                    .timestamp_millis();
                self.day = Some((date, ms));
                ms
            }
        };
        let time = naive.time();
        day_ms
            + i64::from(time.num_seconds_from_midnight()) * 1000
            + i64::from(time.nanosecond() / 1_000_000)
    }
}

/// A run already reduced to its pixel columns.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRun {
    /// Its column summaries, as [`summarise_run`] gives them.
    pub columns: Vec<ColumnSummary>,
    /// Whether any of its points is a real bucket (see [`has_spread`]).
    pub spread: bool,
}

/// [`split_runs`] then [`summarise_run`] of each run and [`has_spread`], in one pass that never
/// materialises the points (a year of minutes is 525,600 of them). The axis extent of the kept
/// points is that of the columns' `lo` and `hi`.
pub fn summarise_series(
    points: &[Bucket],
    step: Duration,
    (from_ms, to_ms, columns): (i64, i64, u32),
    factor: f64,
) -> Vec<ColumnRun> {
    let max_gap = step.num_milliseconds().saturating_mul(3) / 2;
    let mut cursor = ColumnCursor::new(from_ms, to_ms, columns);
    let mut clock = MillisCache::default();
    let fast = FastFold::new(factor, max_gap);
    let mut extremes = Vec::new();
    let mut runs: Vec<ColumnRun> = Vec::new();
    // The run being built: its summaries, spread, length and last time.
    let mut current: Option<(ColumnRun, usize, i64)> = None;
    let mut i = 0;
    while let Some(b) = points.get(i) {
        i += 1;
        let t = clock.millis(&b.ts);
        if t < from_ms || t >= to_ms {
            continue;
        }
        if !b.is_present() {
            runs.extend(current.take().map(|c| c.0));
            continue;
        }
        if current.as_ref().is_some_and(|c| t - c.2 > max_gap) {
            runs.extend(current.take().map(|c| c.0));
        }
        let (run, len, last) = current.get_or_insert_with(|| {
            (
                ColumnRun {
                    columns: Vec::new(),
                    spread: false,
                },
                0,
                t,
            )
        });
        let p = point_of(b, t, factor);
        add_to_columns(&mut run.columns, *len, p, cursor.column(t));
        run.spread |= p.hi > p.lo;
        *len += 1;
        *last = t;
        // The points that follow in the same column, run and window: the bulk of a dense series,
        // folded into the column's summary here without the checks above (the profile's cost),
        // mostly by whole chunks (`fold_segment`), point by point where a chunk does not qualify.
        // Folded into a copy held in registers, written back once per column.
        let s = run.columns.last_mut().expect("a column was just added");
        let (mut acc, mut n, mut prev) = (*s, *len, *last);
        let mut spread = run.spread;
        let (column_start, column_end) = (cursor.lo, cursor.hi.min(to_ms));
        'column: loop {
            // Whole chunks while every point of one continues the column (most of a dense series).
            if let (Some(fast), Some((date, day_ms))) = (&fast, clock.day) {
                let mut bounds = ChunkBounds::new(date, day_ms, prev, column_end, fast.gap_ns);
                let folded = fold_segment(
                    points,
                    i,
                    &mut acc,
                    n,
                    &mut spread,
                    &mut bounds,
                    fast.factor,
                    &mut extremes,
                );
                if let Some((len, t)) = folded {
                    n += len;
                    i += len;
                    prev = t;
                }
            }
            // Then point by point, with every check, over the chunk that did not qualify.
            for _ in 0..CHUNK {
                let Some(b) = points.get(i) else {
                    break 'column;
                };
                let t = clock.millis(&b.ts);
                if t < column_start || t >= column_end || t - prev > max_gap || !b.is_present() {
                    break 'column;
                }
                let p = point_of(b, t, factor);
                fold_point(&mut acc, n, p);
                spread |= p.hi > p.lo;
                n += 1;
                prev = t;
                i += 1;
            }
        }
        (*s, *len, *last) = (acc, n, prev);
        run.spread |= spread;
    }
    runs.extend(current.map(|c| c.0));
    runs
}

/// The line through a run's column summaries: first/min/max/last of each column in run order,
/// repeated points removed.
pub fn line_points(summaries: &[ColumnSummary]) -> Vec<(i64, f64)> {
    let mut out = Vec::with_capacity(summaries.len() * 4);
    for s in summaries {
        let mut four = [
            (s.order[0], s.first),
            (s.order[1], s.min),
            (s.order[2], s.max),
            (s.order[3], s.last),
        ];
        four.sort_by_key(|p| p.0);
        for (_, p) in four {
            if out.last() != Some(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Closed outline of the min/max envelope of a run: upper edge left to right, lower edge back.
pub fn band_outline(summaries: &[ColumnSummary]) -> Vec<(i64, f64)> {
    let mut upper = Vec::with_capacity(summaries.len() * 2);
    let mut lower = Vec::with_capacity(summaries.len() * 2);
    for s in summaries {
        upper.push((s.first.0, s.hi));
        lower.push((s.first.0, s.lo));
        if s.last.0 != s.first.0 {
            upper.push((s.last.0, s.hi));
            lower.push((s.last.0, s.lo));
        }
    }
    lower.reverse();
    upper.extend(lower);
    upper
}

/// The same outline for every point of a run (no downsampling).
pub fn band_outline_raw(run: &[Point]) -> Vec<(i64, f64)> {
    let mut out: Vec<(i64, f64)> = run.iter().map(|p| (p.t, p.hi)).collect();
    out.extend(run.iter().rev().map(|p| (p.t, p.lo)));
    out
}

/// True when any point of the run is a real bucket (min < max) and a band is worth drawing.
pub fn has_spread(run: &[Point]) -> bool {
    run.iter().any(|p| p.hi > p.lo)
}

mod fast_fold;
use fast_fold::{fold_segment, ChunkBounds, FastFold, CHUNK};

#[cfg(test)]
mod tests;
