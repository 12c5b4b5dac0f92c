//! Checks a spec before drawing so bad input becomes a typed error, never a panic or a wrong picture.

use crate::error::{Error, Result};
use crate::spec::{ChartSpec, SeriesKind};
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
        if let Some(index) = first_unsorted(s.points.iter().map(|p| p.ts)) {
            return Err(Error::UnsortedPoints {
                series: s.label.clone(),
                index,
            });
        }
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
    check_magnitudes(spec)?;
    Ok(kind)
}

/// Refuses finite values beyond the axis limit (non-finite ones are gaps and stay allowed).
fn check_magnitudes(spec: &ChartSpec) -> Result<()> {
    let too_big = |v: f64| v.is_finite() && v.abs() > crate::scale::AXIS_LIMIT;
    let first = |what: &'static str, mut values: Box<dyn Iterator<Item = bool> + '_>| match values
        .position(|bad| bad)
    {
        Some(index) => Err(Error::ValueOutOfRange { what, index }),
        None => Ok(()),
    };
    for s in &spec.series {
        first(
            "series point",
            Box::new(
                s.points
                    .iter()
                    .map(|p| too_big(p.min) || too_big(p.max) || too_big(p.avg)),
            ),
        )?;
    }
    if let Some(p) = &spec.prices {
        first(
            "price slot",
            Box::new(p.slots.iter().map(|s| too_big(s.price))),
        )?;
    }
    if let Some(c) = &spec.cost {
        first(
            "cost slot",
            Box::new(c.slots.iter().map(|s| too_big(s.amount))),
        )?;
    }
    first(
        "peak marker",
        Box::new(spec.peaks.iter().map(|p| too_big(p.value))),
    )
}

fn first_unsorted(times: impl Iterator<Item = DateTime<Utc>>) -> Option<usize> {
    let mut prev: Option<DateTime<Utc>> = None;
    for (i, t) in times.enumerate() {
        if prev.is_some_and(|p| t <= p) {
            return Some(i);
        }
        prev = Some(t);
    }
    None
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
