//! Checks a spec before drawing so bad input becomes a typed error, never a panic or a wrong picture.

use crate::error::{Error, Result};
use crate::spec::{Bucket, ChartSpec, SeriesKind};
use chrono::{DateTime, Utc};

/// Smallest chart that still has room for axes, labels and a plot.
pub const MIN_WIDTH: u32 = 240;
/// See [`MIN_WIDTH`].
pub const MIN_HEIGHT: u32 = 160;
/// Largest side accepted (a 8192² RGB buffer is 200 MB; beyond that is a mistake, not a chart).
pub const MAX_SIDE: u32 = 8192;

/// Validates `spec`; returns the kind of the value axis (`None` when there are no series).
pub fn check(spec: &ChartSpec) -> Result<Option<SeriesKind>> {
    if spec.width < MIN_WIDTH || spec.height < MIN_HEIGHT {
        return Err(Error::InvalidSize {
            width: spec.width,
            height: spec.height,
            min_width: MIN_WIDTH,
            min_height: MIN_HEIGHT,
        });
    }
    if spec.width > MAX_SIDE || spec.height > MAX_SIDE {
        return Err(Error::TooLarge {
            width: spec.width,
            height: spec.height,
            max: MAX_SIDE,
        });
    }
    if spec.from >= spec.to {
        return Err(Error::EmptyRange {
            from: spec.from.to_rfc3339(),
            to: spec.to.to_rfc3339(),
        });
    }
    let kind = spec.series.first().map(|s| s.kind);
    // The first too-large point of each series, found in the same pass as the order check (a
    // second pass over a year of minutes costs milliseconds); reported after the other checks,
    // in the order they always ran.
    let mut too_big_points = Vec::with_capacity(spec.series.len());
    for s in &spec.series {
        if let Some(k) = kind {
            if s.kind != k {
                return Err(Error::MixedKinds {
                    series: s.label.clone(),
                    expected: k.name(),
                    found: s.kind.name(),
                });
            }
        }
        if s.step <= chrono::Duration::zero() {
            return Err(Error::InvalidStep {
                series: s.label.clone(),
            });
        }
        let (unsorted, big) = scan_points(&s.points);
        if let Some(index) = unsorted {
            return Err(Error::UnsortedPoints {
                series: s.label.clone(),
                index,
            });
        }
        too_big_points.push(big);
    }
    if let Some(p) = &spec.prices {
        check_slots("price", p.slots.iter().map(|s| (s.start, s.end)))?;
    }
    if let Some(c) = &spec.cost {
        check_slots("cost", c.slots.iter().map(|s| (s.start, s.end)))?;
    }
    // Missing ranges may overlap (they come from several series); they only need to be non-empty.
    for (index, r) in spec.missing.iter().enumerate() {
        if r.end <= r.start {
            return Err(Error::InvalidSlot {
                what: "missing range",
                index,
                reason: "end is not after start",
            });
        }
    }
    for (index, p) in spec.peaks.iter().enumerate() {
        if !p.value.is_finite() {
            return Err(Error::InvalidPeak {
                index,
                label: p.label.clone(),
            });
        }
    }
    check_magnitudes(spec, &too_big_points)?;
    Ok(kind)
}

/// Refuses finite values beyond the axis limit (non-finite ones are gaps and stay allowed).
fn check_magnitudes(spec: &ChartSpec, too_big_points: &[Option<usize>]) -> Result<()> {
    // Plain loops (a boxed iterator here cost a virtual call per point: ~1 ms a year of minutes).
    fn first<T>(what: &'static str, items: &[T], bad: impl Fn(&T) -> bool) -> Result<()> {
        match items.iter().position(bad) {
            Some(index) => Err(Error::ValueOutOfRange { what, index }),
            None => Ok(()),
        }
    }
    if let Some(&index) = too_big_points.iter().flatten().next() {
        return Err(Error::ValueOutOfRange {
            what: "series point",
            index,
        });
    }
    if let Some(p) = &spec.prices {
        first("price slot", &p.slots, |s| too_big(s.price))?;
    }
    if let Some(c) = &spec.cost {
        first("cost slot", &c.slots, |s| too_big(s.amount))?;
    }
    first("peak marker", &spec.peaks, |p| too_big(p.value))
}

fn too_big(v: f64) -> bool {
    v.is_finite() && v.abs() > crate::scale::AXIS_LIMIT
}

/// One pass over a series: (first point not after its predecessor, first point too large).
fn scan_points(points: &[Bucket]) -> (Option<usize>, Option<usize>) {
    let mut prev: Option<DateTime<Utc>> = None;
    let mut big = None;
    for (i, p) in points.iter().enumerate() {
        if prev.is_some_and(|q| p.ts <= q) {
            return (Some(i), big);
        }
        prev = Some(p.ts);
        if big.is_none() && (too_big(p.min) || too_big(p.max) || too_big(p.avg)) {
            big = Some(i);
        }
    }
    (None, big)
}

fn check_slots(
    what: &'static str,
    slots: impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>)>,
) -> Result<()> {
    let mut prev_end: Option<DateTime<Utc>> = None;
    for (index, (start, end)) in slots.enumerate() {
        if end <= start {
            return Err(Error::InvalidSlot {
                what,
                index,
                reason: "end is not after start",
            });
        }
        if prev_end.is_some_and(|p| start < p) {
            return Err(Error::InvalidSlot {
                what,
                index,
                reason: "overlaps or precedes the previous slot",
            });
        }
        prev_end = Some(end);
    }
    Ok(())
}
