//! The fast path of the M4 pass: whole chunks of a column folded on raw values and times of day,
//! the same result as [`fold_point`](super::fold_point) point by point, bit for bit (checked by the
//! property test against the previous path in `tests.rs`).

use super::{point_of, Bucket, ColumnSummary};

/// Points per chunk of the fast fold: enough to amortise its per-chunk work, few enough that the
/// chunk straddling a column's end (redone point by point) costs little.
pub(super) const CHUNK: usize = 8;

const NANOS_PER_MILLI: i64 = 1_000_000;

/// What the fast fold needs beyond the points: a factor it can take out of the comparisons and a
/// gap it can check on nanoseconds of the day. `None` when the factor is 0, NaN or infinite
/// (products would tie or be NaN where the raw values do not): the exact path does it all then.
pub(super) struct FastFold {
    pub(super) factor: f64,
    pub(super) gap_ns: u64,
}

impl FastFold {
    pub(super) fn new(factor: f64, max_gap: i64) -> Option<Self> {
        if !factor.is_finite() || factor == 0.0 || max_gap < 0 {
            return None;
        }
        // Any gap over two days stops the fold at midnight anyway: capped so nanoseconds fit.
        let gap_ns = max_gap.min(2 * 86_400_000) * NANOS_PER_MILLI;
        Some(FastFold {
            factor,
            gap_ns: gap_ns as u64,
        })
    }
}

/// A column's bounds in a chunk's terms: one date, and nanoseconds of that day.
pub(super) struct ChunkBounds {
    date: chrono::NaiveDate,
    day_ms: i64,
    /// Lower bound of the previous point's nanoseconds of the day (exact after a chunk, from its
    /// milliseconds before).
    prev_ns: i64,
    /// Every point of the column is before this, in nanoseconds of the day.
    end_ns: i64,
    gap_ns: u64,
}

impl ChunkBounds {
    pub(super) fn new(
        date: chrono::NaiveDate,
        day_ms: i64,
        prev: i64,
        end: i64,
        gap_ns: u64,
    ) -> Self {
        // A time of day is within [0, 86,401 s) (leap second); clamped, both bounds only get
        // stricter: a previous point before the day (not expected: the clock's day is that of
        // the previous point) fails the gap check, an end past the day is never reached.
        let of_day =
            |ms: i64| ms.saturating_sub(day_ms).clamp(-1, 2 * 86_400_000) * NANOS_PER_MILLI;
        let prev_ns = if prev - day_ms < 0 {
            i64::MIN / 2
        } else {
            of_day(prev)
        };
        ChunkBounds {
            date,
            day_ms,
            prev_ns,
            end_ns: of_day(end),
            gap_ns,
        }
    }
}

/// Smaller of two values that are not NaN.
#[inline(always)]
fn min2(a: f64, b: f64) -> f64 {
    if b < a {
        b
    } else {
        a
    }
}

/// Larger of two values that are not NaN.
#[inline(always)]
fn max2(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// Nearest larger value of a finite `x` (`f64::next_up` needs Rust 1.86).
fn next_up(x: f64) -> f64 {
    if x == 0.0 {
        f64::from_bits(1)
    } else if x > 0.0 {
        f64::from_bits(x.to_bits() + 1)
    } else {
        f64::from_bits(x.to_bits() - 1)
    }
}

/// Nearest smaller value of a finite `x`.
fn next_down(x: f64) -> f64 {
    -next_up(-x)
}

/// A chunk's values (not NaN) reduced by `pick` as a tree: log2(CHUNK) dependent steps, not
/// CHUNK - 1.
#[inline(always)]
fn tree(mut v: [f64; CHUNK], pick: impl Fn(f64, f64) -> f64) -> f64 {
    let mut n = CHUNK;
    while n > 1 {
        n /= 2;
        for k in 0..n {
            v[k] = pick(v[k], v[k + n]);
        }
    }
    v[0]
}

/// Smallest of a chunk's values (not NaN).
#[inline(always)]
fn min_of(v: [f64; CHUNK]) -> f64 {
    tree(v, min2)
}

/// Largest of a chunk's values (not NaN).
#[inline(always)]
fn max_of(v: [f64; CHUNK]) -> f64 {
    tree(v, max2)
}

/// Nanoseconds of its day of a bucket's time.
#[inline(always)]
fn nanos_of_day(b: &Bucket) -> i64 {
    use chrono::Timelike;
    let time = b.ts.naive_utc().time();
    i64::from(time.num_seconds_from_midnight()) * 1_000_000_000 + i64::from(time.nanosecond())
}

/// Folds into the column summary `acc` the longest run of whole chunks from `points[i..]` (points
/// `n..` of the run) in which every point continues the column — same date, present, not before
/// the previous point, within the gap, before the column's end. Returns how many points it
/// folded and the last one's time; the same result as [`fold_point`] point by point, bit for bit.
///
/// The per-point work is branch-free and on raw values: times are compared as nanoseconds of the
/// day against bounds converted once, not converted to epoch milliseconds; extremes are taken on
/// the raw values, and the factor applied to the segment's extremes only, which gives the same
/// values since multiplying by a finite non-zero factor is monotonic (decreasing when negative).
/// Where that leaves a choice — the earliest point holding an extreme (found from each chunk's
/// extremes, kept in `extremes`), the sign of a zero, whether products that differ raw still
/// differ — points are looked at again, once per segment.
#[allow(clippy::too_many_arguments)]
// Out of line: inlined into `summarise_series` by the release profile's whole-program LTO, the
// pass took 1.5-1.7 ms instead of 1.1-1.3 (same bench, same run).
#[inline(never)]
pub(super) fn fold_segment(
    points: &[Bucket],
    i: usize,
    acc: &mut ColumnSummary,
    n: usize,
    spread: &mut bool,
    bounds: &mut ChunkBounds,
    factor: f64,
    extremes: &mut Vec<(f64, f64)>,
) -> Option<(usize, i64)> {
    extremes.clear();
    let (mut seg_min, mut seg_max) = (f64::INFINITY, f64::NEG_INFINITY);
    let (mut seg_lo, mut seg_hi) = (f64::INFINITY, f64::NEG_INFINITY);
    let mut seg_equal = true;
    let mut end = i;
    while let Some(chunk) = points.get(end..end + CHUNK) {
        let chunk: &[Bucket; CHUNK] = chunk.try_into().expect("CHUNK points");
        let mut prev_ns = bounds.prev_ns;
        let (mut other_day, mut widest) = (false, 0u64);
        for b in chunk {
            let t = nanos_of_day(b);
            other_day |= b.ts.naive_utc().date() != bounds.date;
            // Not before the previous point, at most the gap after it (in whole milliseconds the
            // gap may be a little more; the exact path decides those).
            widest = widest.max(t.wrapping_sub(prev_ns) as u64);
            prev_ns = t;
        }
        // Non-decreasing from the previous point, so all are in the column if the last one is.
        let mut ok = !other_day & (widest <= bounds.gap_ns) & (prev_ns < bounds.end_ns);
        let avg_min = min_of(chunk.map(|b| b.avg));
        let avg_max = max_of(chunk.map(|b| b.avg));
        let mut equal = true;
        for b in chunk {
            // False for a NaN too.
            equal &= (b.min == b.avg) & (b.max == b.avg);
        }
        let (lo, hi) = if equal {
            (avg_min, avg_max)
        } else {
            // Buckets with a spread: a NaN or an infinity anywhere makes the sum not finite.
            let sum: f64 = chunk.iter().map(|b| b.min + b.max + b.avg).sum();
            ok &= sum.is_finite();
            let lo = min_of(chunk.map(|b| min2(b.min, b.max)));
            let hi = max_of(chunk.map(|b| max2(b.min, b.max)));
            (min2(lo, avg_min), max2(hi, avg_max))
        };
        // Present: no NaN (ruled out above) and no infinity (it would be an extreme).
        if !(ok && lo.is_finite() && hi.is_finite()) {
            break;
        }
        bounds.prev_ns = prev_ns;
        extremes.push((avg_min, avg_max));
        seg_min = min2(seg_min, avg_min);
        seg_max = max2(seg_max, avg_max);
        seg_lo = min2(seg_lo, lo);
        seg_hi = max2(seg_hi, hi);
        seg_equal &= equal;
        end += CHUNK;
    }
    if end == i {
        return None;
    }
    let segment = &points[i..end];
    let t_of = |b: &Bucket| bounds.day_ms + nanos_of_day(b) / NANOS_PER_MILLI;
    // The earliest point whose product is `p`, the product of the raw extreme `x`; `raw_min`:
    // whether `x` is the raw minimum (the other raw values are above it) or the raw maximum.
    let earliest = |x: f64, p: f64, raw_min: bool| -> usize {
        let next = if raw_min { next_up(x) } else { next_down(x) };
        let of_chunk = |e: &(f64, f64)| if raw_min { e.0 } else { e.1 };
        if next * factor == p {
            // Another raw value has the same product: compare products.
            return segment
                .iter()
                .position(|b| b.avg * factor == p)
                .expect("the extreme");
        }
        let c = extremes
            .iter()
            .position(|e| of_chunk(e) == x)
            .expect("a chunk's extreme");
        c * CHUNK
            + segment[c * CHUNK..]
                .iter()
                .position(|b| b.avg == x)
                .expect("the chunk's extreme")
    };
    // Extremes of the products: those of the raw values, swapped by a negative factor.
    let (min_raw, max_raw, lo, hi) = if factor > 0.0 {
        (seg_min, seg_max, seg_lo * factor, seg_hi * factor)
    } else {
        (seg_max, seg_min, seg_hi * factor, seg_lo * factor)
    };
    // The products' minimum comes from the raw minimum when the factor is positive, from the
    // raw maximum when it is negative; their maximum the other way round.
    let positive = factor > 0.0;
    let p = min_raw * factor;
    if p < acc.min.1 {
        let j = earliest(min_raw, p, positive);
        acc.min = (t_of(&segment[j]), segment[j].avg * factor);
        acc.order[1] = n + j;
    }
    let p = max_raw * factor;
    if p > acc.max.1 {
        let j = earliest(max_raw, p, !positive);
        acc.max = (t_of(&segment[j]), segment[j].avg * factor);
        acc.order[2] = n + j;
    }
    // A non-zero value has one representation; a zero's sign is that of the earliest point.
    if lo < acc.lo {
        acc.lo = if lo == 0.0 {
            segment
                .iter()
                .map(|b| point_of(b, 0, factor).lo)
                .find(|&lo| lo == 0.0)
                .expect("the lowest")
        } else {
            lo
        };
    }
    if hi > acc.hi {
        acc.hi = if hi == 0.0 {
            segment
                .iter()
                .map(|b| point_of(b, 0, factor).hi)
                .find(|&hi| hi == 0.0)
                .expect("the highest")
        } else {
            hi
        };
    }
    // Equal raw values have equal products; unequal ones are multiplied out to be sure.
    if !*spread && !seg_equal {
        *spread = segment.iter().any(|b| {
            let p = point_of(b, 0, factor);
            p.hi > p.lo
        });
    }
    let last = &segment[segment.len() - 1];
    let t = t_of(last);
    acc.last = (t, last.avg * factor);
    acc.order[3] = n + segment.len() - 1;
    Some((segment.len(), t))
}
