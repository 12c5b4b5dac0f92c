//! Overlays: shaded not-cached ranges, peak markers, and the cost-per-interval bars.

use super::{Plot, Window};
use crate::downsample::{column_of, column_start};
use crate::error::{Error, Result};
use crate::font;
use crate::scale::format_number;
use crate::spec::{CostOverlay, PeakMarker, TimeRange};
use crate::theme::Palette;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// Shades each missing range over the full height of the plot.
pub fn draw_missing<DB: DrawingBackend>(
    plot: &Plot<DB>,
    missing: &[TimeRange],
    y: &Range<f64>,
    pal: &Palette,
    window: Window,
) -> Result<()> {
    for r in missing {
        let (start, end) = (
            r.start.timestamp_millis().max(window.from_ms),
            r.end.timestamp_millis().min(window.to_ms),
        );
        if start < end {
            let rect = Rectangle::new(
                [(start, y.end), (end, y.start)],
                pal.missing.mix(0.22).filled(),
            );
            plot.draw(&rect).map_err(Error::drawing)?;
        }
    }
    Ok(())
}

/// Marks peaks with a triangle and "label value unit".
pub fn draw_peaks<DB: DrawingBackend>(
    plot: &Plot<DB>,
    peaks: &[PeakMarker],
    factor: f64,
    unit: &str,
    y: &Range<f64>,
    pal: &Palette,
    window: Window,
) -> Result<()> {
    let style = font::text(12.0, pal.peak);
    for p in peaks {
        let t = p.ts.timestamp_millis();
        if t < window.from_ms || t >= window.to_ms {
            continue;
        }
        let v = p.value * factor;
        // A peak is a billing figure: one decade more precision than the axis labels.
        let text = format!(
            "{} {} {}",
            p.label,
            format_number(v, (y.end - y.start) / 10.0),
            unit
        );
        // Keep the label inside the plot: left of the marker near the right edge, below it near
        // the top.
        let near_right = (t - window.from_ms) as f64 > 0.8 * (window.to_ms - window.from_ms) as f64;
        let near_top = v > y.end - 0.15 * (y.end - y.start);
        let (h, dx) = if near_right {
            (HPos::Right, -6)
        } else {
            (HPos::Left, 6)
        };
        let dy = if near_top { 4 } else { -22 };
        let marker = EmptyElement::at((t, v))
            + TriangleMarker::new((0, -6), 6, pal.peak.filled())
            + Text::new(text, (dx, dy), style.pos(Pos::new(h, VPos::Top)));
        plot.draw(&marker).map_err(Error::drawing)?;
    }
    Ok(())
}

/// Cost bars: one per interval, or when intervals are narrower than a pixel, per column the
/// largest cost and the largest revenue (extremes survive, like the lines).
pub fn draw_cost_bars<DB: DrawingBackend>(
    plot: &Plot<DB>,
    cost: &CostOverlay,
    pal: &Palette,
    window: Window,
) -> Result<()> {
    let visible: Vec<(i64, i64, f64)> = cost
        .slots
        .iter()
        .map(|s| {
            (
                s.start.timestamp_millis().max(window.from_ms),
                s.end.timestamp_millis().min(window.to_ms),
                s.amount,
            )
        })
        .filter(|(a, b, v)| a < b && v.is_finite())
        .collect();
    let bars: Vec<(i64, i64, f64, f64)> =
        if window.downsample && visible.len() > window.columns as usize {
            per_column(&visible, window)
        } else {
            visible
                .iter()
                .map(|&(a, b, v)| (a, b, v.min(0.0), v.max(0.0)))
                .collect()
        };
    for (a, b, neg, pos) in bars {
        if pos > 0.0 {
            plot.draw(&Rectangle::new(
                [(a, pos), (b, 0.0)],
                pal.cost.mix(0.75).filled(),
            ))
            .map_err(Error::drawing)?;
        }
        if neg < 0.0 {
            plot.draw(&Rectangle::new(
                [(a, 0.0), (b, neg)],
                pal.revenue.mix(0.75).filled(),
            ))
            .map_err(Error::drawing)?;
        }
    }
    Ok(())
}

/// Per pixel column: (column start, column end, most negative, most positive).
fn per_column(visible: &[(i64, i64, f64)], window: Window) -> Vec<(i64, i64, f64, f64)> {
    let edge = |c: u32| column_start(c, window.from_ms, window.to_ms, window.columns);
    let mut out: Vec<(u32, f64, f64)> = Vec::new();
    for &(a, _, v) in visible {
        let col = column_of(a, window.from_ms, window.to_ms, window.columns);
        match out.last_mut() {
            Some(last) if last.0 == col => {
                last.1 = last.1.min(v);
                last.2 = last.2.max(v);
            }
            _ => out.push((col, v.min(0.0), v.max(0.0))),
        }
    }
    out.into_iter()
        .map(|(c, neg, pos)| (edge(c), edge(c + 1), neg, pos))
        .collect()
}
