//! Turning the spec into drawable data (display units, runs, extents) before any layout.

use crate::downsample::{split_runs, summarise_series, ColumnRun, Run};
use crate::scale::{padded_range, Extent};
use crate::spec::{ChartSpec, SeriesKind};
use std::ops::Range;

/// One series ready to draw, in display units.
pub enum SeriesData {
    /// Every point, split into runs (no downsampling).
    Points(Vec<Run>),
    /// Runs reduced to `columns` pixel columns.
    Columns {
        /// The runs' column summaries.
        runs: Vec<ColumnRun>,
        /// The plot width they were reduced to.
        columns: u32,
    },
}

/// Drawable data of a spec.
pub struct Prepared {
    /// Per series, its runs.
    pub series: Vec<SeriesData>,
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

/// Splits series into runs (reduced to `columns` pixel columns when the spec downsamples) and
/// finds the axis ranges (zero lines of both axes aligned).
pub fn prepare(spec: &ChartSpec, kind: Option<SeriesKind>, columns: u32) -> Prepared {
    let (from_ms, to_ms) = (spec.from.timestamp_millis(), spec.to.timestamp_millis());
    let factor = kind.map_or(1.0, SeriesKind::display_factor);
    let mut values = Extent::default();
    let series = spec
        .series
        .iter()
        .map(|s| {
            if spec.downsample {
                let window = (from_ms, to_ms, columns);
                let runs = summarise_series(&s.points, s.step, window, factor);
                for c in runs.iter().flat_map(|r| &r.columns) {
                    values.add(c.lo);
                    values.add(c.hi);
                }
                SeriesData::Columns { runs, columns }
            } else {
                let runs = split_runs(&s.points, s.step, from_ms, to_ms, factor);
                for p in runs.iter().flatten() {
                    values.add(p.lo);
                    values.add(p.hi);
                }
                SeriesData::Points(runs)
            }
        })
        .collect();
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
        series,
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

/// Widens the ranges so zero sits at the same height on both axes: one zero line then serves
/// both, and "below zero" means the same on the left and the right. The common height is the one
/// that widens either range least; when even that would squash one axis to under 4/7 of its
/// height (say, prices all below zero against power mostly above) the ranges stay as they are and
/// each axis draws its own zero line.
pub fn align_zero(a: Range<f64>, b: Range<f64>) -> (Range<f64>, Range<f64>) {
    const MAX_GROWTH: f64 = 1.75;
    let (fa, fb) = (zero_fraction(&a), zero_fraction(&b));
    let (lo, hi) = (fa.min(fb), fa.max(fb));
    let mut best: Option<(f64, Range<f64>, Range<f64>)> = None;
    for i in 0..=40 {
        let f = lo + (hi - lo) * i as f64 / 40.0;
        let (Some(a2), Some(b2)) = (with_zero_at(&a, f), with_zero_at(&b, f)) else {
            continue;
        };
        let growth = (span(&a2) / span(&a)).max(span(&b2) / span(&b));
        if best.as_ref().is_none_or(|(g, _, _)| growth < *g) {
            best = Some((growth, a2, b2));
        }
    }
    match best {
        Some((growth, a2, b2)) if growth <= MAX_GROWTH => (a2, b2),
        _ => (a, b),
    }
}

/// Height of zero in `r` as a fraction from the bottom.
pub fn zero_fraction(r: &Range<f64>) -> f64 {
    -r.start / span(r)
}

fn span(r: &Range<f64>) -> f64 {
    r.end - r.start
}

/// The smallest widening of `r` (which contains zero) that puts zero at fraction `f`.
fn with_zero_at(r: &Range<f64>, f: f64) -> Option<Range<f64>> {
    let fr = zero_fraction(r);
    if (f - fr).abs() < 1e-12 {
        Some(r.clone())
    } else if f > fr {
        // More room below zero: lower the start.
        (f < 1.0).then(|| (-f * r.end / (1.0 - f)).min(r.start)..r.end)
    } else {
        // More room above zero: raise the end.
        (f > 0.0).then(|| r.start..(-r.start * (1.0 - f) / f).max(r.end))
    }
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
        // Both still contain their data, and neither grew more than the limit.
        assert!(a.start <= -2.0 && a.end >= 8.0 && b.start <= -0.5 && b.end >= 0.5);
        assert!(span(&a) <= 1.75 * 10.0 && span(&b) <= 1.75 * 1.0);
    }

    #[test]
    fn the_alignment_widens_the_range_that_costs_least() {
        // Prices mostly below zero against mostly positive power: zero meets in the middle,
        // each axis widened by under half (extending only the power axis would need 3.3x).
        let (a, b) = align_zero(-1.0..4.0, -0.4..0.2);
        assert!((zero_fraction(&a) - zero_fraction(&b)).abs() < 1e-9);
        assert!(span(&a) <= 1.5 * 5.0, "power axis {a:?}");
        assert!(span(&b) <= 1.5 * 0.6, "price axis {b:?}");
        assert!(a.start <= -1.0 && a.end >= 4.0 && b.start <= -0.4 && b.end >= 0.2);
    }

    #[test]
    fn hopeless_alignment_leaves_both_ranges_alone() {
        assert_eq!(align_zero(0.0..4.0, -0.4..0.0), (0.0..4.0, -0.4..0.0));
    }

    #[test]
    fn all_positive_ranges_are_untouched() {
        assert_eq!(align_zero(0.0..5.0, 0.0..2.0), (0.0..5.0, 0.0..2.0));
    }
}
