//! Value ranges of the axes and how their numbers are printed.

use std::ops::Range;

/// Largest magnitude an axis reaches; specs with larger values are refused by validation, since
/// plotters' pixel mapping overflows for values far outside the axis range.
pub const AXIS_LIMIT: f64 = 1e300;

/// A padded axis range covering `lo..hi` and zero (so the zero line is always visible and the
/// sign of every value is obvious). An empty input gives `0..1`.
pub fn padded_range(lo: f64, hi: f64, pad_fraction: f64) -> Range<f64> {
    if !lo.is_finite() || !hi.is_finite() {
        return 0.0..1.0;
    }
    // Clamp so span and padding stay finite: with `hi - lo` = inf the axis range became -inf..inf
    // and the tick search never finished (a render hung on values near f64::MAX).
    let (lo, hi) = (lo.clamp(-AXIS_LIMIT, 0.0), hi.clamp(0.0, AXIS_LIMIT));
    let span = hi - lo;
    if span <= f64::EPSILON {
        return 0.0..1.0;
    }
    let pad = span * pad_fraction;
    let lo = if lo < 0.0 { lo - pad } else { lo };
    (lo)..(hi + pad)
}

/// Accumulates the smallest and largest of many values (NaN ignored).
#[derive(Debug, Clone, Copy)]
pub struct Extent {
    /// Smallest value seen (+inf when none).
    pub lo: f64,
    /// Largest value seen (-inf when none).
    pub hi: f64,
}

impl Default for Extent {
    fn default() -> Self {
        Extent {
            lo: f64::INFINITY,
            hi: f64::NEG_INFINITY,
        }
    }
}

impl Extent {
    /// Includes `v` if it is finite.
    pub fn add(&mut self, v: f64) {
        if v.is_finite() {
            self.lo = self.lo.min(v);
            self.hi = self.hi.max(v);
        }
    }
}

/// Formats an axis number with as many decimals as the axis span needs (span 0.3 → "0.15").
pub fn format_number(v: f64, span: f64) -> String {
    let decimals = if span <= 0.0 || !span.is_finite() {
        2
    } else {
        (2.0 - span.log10().floor()).clamp(0.0, 4.0) as usize
    };
    let s = format!("{v:.decimals$}");
    // "-0.00" reads like a negative value; zero has no sign.
    if s.trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_always_contains_zero_and_data() {
        let r = padded_range(5.0, 10.0, 0.05);
        assert_eq!(r.start, 0.0);
        assert!(r.end > 10.0);
        let r = padded_range(-3.0, -1.0, 0.1);
        assert!(r.start < -3.0);
        assert!((r.end - 0.3).abs() < 1e-12);
        assert_eq!(
            padded_range(f64::INFINITY, f64::NEG_INFINITY, 0.1),
            0.0..1.0
        );
    }

    #[test]
    fn huge_spans_stay_finite() {
        // Regression: a span overflowing to infinity gave an infinite range (render hung).
        let r = padded_range(-f64::MAX, f64::MAX, 0.1);
        assert!(r.start.is_finite() && r.end.is_finite() && r.start < 0.0 && r.end > 0.0);
    }

    #[test]
    fn numbers_get_decimals_by_span() {
        assert_eq!(format_number(1.23456, 0.3), "1.235");
        assert_eq!(format_number(1234.6, 5000.0), "1235");
        assert_eq!(format_number(-0.0001, 1.0), "0.00");
        assert_eq!(format_number(-0.5, 1.0), "-0.50");
    }
}
