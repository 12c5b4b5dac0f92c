//! Turning the spec into drawable data (display units, runs, extents) before any layout.

use crate::downsample::{split_runs, Run};
use crate::scale::{padded_range, Extent};
use crate::spec::{ChartSpec, SeriesKind};
use std::ops::Range;

/// Drawable data of a spec.
pub struct Prepared {
    /// Per series: its runs in display units.
    pub runs: Vec<Vec<Run>>,
    /// Value axis range (display unit).
    pub value_range: Range<f64>,
    /// Price axis range.
    pub price_range: Range<f64>,
    /// Cost panel axis range.
    pub cost_range: Range<f64>,
    /// Factor from platform to display unit.
    pub factor: f64,
    /// Window in epoch ms.
    pub from_ms: i64,
    /// Window end in epoch ms (exclusive).
    pub to_ms: i64,
}

/// Splits series into runs and finds the axis ranges (zero lines of both axes aligned).
pub fn prepare(spec: &ChartSpec, kind: Option<SeriesKind>) -> Prepared {
    let (from_ms, to_ms) = (spec.from.timestamp_millis(), spec.to.timestamp_millis());
    let factor = kind.map_or(1.0, SeriesKind::display_factor);
    let runs: Vec<Vec<Run>> = spec
        .series
        .iter()
        .map(|s| split_runs(&s.points, s.step, from_ms, to_ms, factor))
        .collect();

    let mut values = Extent::default();
    for p in runs.iter().flatten().flatten() {
        values.add(p.lo);
        values.add(p.hi);
    }
    for p in &spec.peaks {
        let t = p.ts.timestamp_millis();
        if t >= from_ms && t < to_ms {
            values.add(p.value * factor);
        }
    }
    let mut value_range = padded_range(values.lo, values.hi, 0.08);
    if kind == Some(SeriesKind::StateOfCharge) && values.lo >= 0.0 && values.hi <= 100.0 {
        value_range = 0.0..100.0;
    }

    let mut prices = Extent::default();
    if let Some(p) = &spec.prices {
        for s in p.slots.iter().filter(|s| {
            overlaps(
                s.start.timestamp_millis(),
                s.end.timestamp_millis(),
                from_ms,
                to_ms,
            )
        }) {
            prices.add(s.price);
        }
    }
    let price_range = padded_range(prices.lo, prices.hi, 0.08);
    let (value_range, price_range) = align_zero(value_range, price_range);

    let mut costs = Extent::default();
    if let Some(c) = &spec.cost {
        for s in c.slots.iter().filter(|s| {
            overlaps(
                s.start.timestamp_millis(),
                s.end.timestamp_millis(),
                from_ms,
                to_ms,
            )
        }) {
            costs.add(s.amount);
        }
    }
    let cost_range = padded_range(costs.lo, costs.hi, 0.08);
    Prepared {
        runs,
        value_range,
        price_range,
        cost_range,
        factor,
        from_ms,
        to_ms,
    }
}

/// True when `[a0, a1)` and `[b0, b1)` share time.
pub fn overlaps(a0: i64, a1: i64, b0: i64, b1: i64) -> bool {
    a0 < b1 && b0 < a1
}

/// Extends the lower end of one range so zero sits at the same height on both axes: one zero line
/// then serves both, and "below zero" means the same on the left and the right.
pub fn align_zero(a: Range<f64>, b: Range<f64>) -> (Range<f64>, Range<f64>) {
    let frac = |r: &Range<f64>| -r.start / (r.end - r.start);
    let f = frac(&a).max(frac(&b));
    // Both ranges contain zero (padded_range), so f is in [0, 1]; at 1 there is nothing above zero.
    if f >= 0.999 {
        return (a, b);
    }
    let lower = |r: Range<f64>| {
        let start = -f * r.end / (1.0 - f);
        start.min(r.start)..r.end
    };
    (lower(a), lower(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_is_at_the_same_height_on_both_axes() {
        let (a, b) = align_zero(-2.0..8.0, -0.5..0.5);
        let fa = -a.start / (a.end - a.start);
        let fb = -b.start / (b.end - b.start);
        assert!((fa - fb).abs() < 1e-9, "{fa} vs {fb}");
        assert!(a.start <= -2.0 && b.start <= -0.5);
        assert_eq!((a.end, b.end), (8.0, 0.5));
    }

    #[test]
    fn all_positive_ranges_are_untouched() {
        assert_eq!(align_zero(0.0..5.0, 0.0..2.0), (0.0..5.0, 0.0..2.0));
    }
}
