//! Telemetry series: min/max envelope band and the line, one path per run (gaps stay gaps).

use super::{Plot, Window};
use crate::downsample::{
    band_outline, band_outline_raw, has_spread, line_points, ColumnRun, ColumnSummary, Run,
};
use crate::error::{Error, Result};
use plotters::prelude::*;

/// Drawing-space points (epoch ms, display value).
type Path = Vec<(i64, f64)>;

/// Draws one series' runs in `colour`, every point (no downsampling).
pub fn draw_series<DB: DrawingBackend>(
    plot: &Plot<DB>,
    runs: &[Run],
    colour: RGBColor,
    window: Window,
) -> Result<()> {
    for run in runs {
        let band = if has_spread(run) {
            band_outline_raw(run)
        } else {
            Vec::new()
        };
        draw_run(
            plot,
            band,
            run.iter().map(|p| (p.t, p.avg)).collect(),
            colour,
            window,
        )?;
    }
    Ok(())
}

/// Draws one series' runs, reduced to pixel columns, in `colour`.
///
/// Runs that fit in one pixel column (gappy data: a point, a gap, a point…) are merged per
/// column into one vertical stroke over their extremes. Nothing is joined across a gap (the
/// stroke stays inside the column), and the element count stays in the order of the column
/// count however fragmented the data is.
pub fn draw_column_runs<DB: DrawingBackend>(
    plot: &Plot<DB>,
    runs: &[ColumnRun],
    colour: RGBColor,
    window: Window,
) -> Result<()> {
    let mut pending: Option<ColumnSummary> = None;
    for run in runs {
        let summaries = &run.columns;
        if let [only] = summaries.as_slice() {
            pending = match pending {
                Some(p) if p.col == only.col => Some(merge(p, only)),
                other => {
                    draw_column(plot, other, colour, window)?;
                    Some(*only)
                }
            };
            continue;
        }
        draw_column(plot, pending.take(), colour, window)?;
        let band = if run.spread {
            band_outline(summaries)
        } else {
            Vec::new()
        };
        draw_run(plot, band, line_points(summaries), colour, window)?;
    }
    draw_column(plot, pending, colour, window)
}

/// A run's envelope band (if any) under its line.
fn draw_run<DB: DrawingBackend>(
    plot: &Plot<DB>,
    band: Path,
    line: Path,
    colour: RGBColor,
    window: Window,
) -> Result<()> {
    if !band.is_empty() {
        plot.draw(&Polygon::new(band, colour.mix(0.2).filled()))
            .map_err(Error::drawing)?;
    }
    draw_line(plot, line, colour, window.segmented_lines)
}

/// Extremes of two summaries of the same column.
fn merge(a: ColumnSummary, b: &ColumnSummary) -> ColumnSummary {
    ColumnSummary {
        min: if b.min.1 < a.min.1 { b.min } else { a.min },
        max: if b.max.1 > a.max.1 { b.max } else { a.max },
        last: b.last,
        lo: a.lo.min(b.lo),
        hi: a.hi.max(b.hi),
        ..a
    }
}

/// One column of merged short runs: envelope and value range as vertical strokes, or a dot.
fn draw_column<DB: DrawingBackend>(
    plot: &Plot<DB>,
    column: Option<ColumnSummary>,
    colour: RGBColor,
    window: Window,
) -> Result<()> {
    let Some(c) = column else { return Ok(()) };
    let t = c.first.0;
    if c.lo < c.min.1 || c.hi > c.max.1 {
        let band = vec![(t, c.lo), (t, c.hi)];
        stroke(
            plot,
            band,
            colour.mix(0.2).stroke_width(2),
            window.segmented_lines,
        )?;
    }
    let line = if c.min.1 < c.max.1 {
        vec![(t, c.min.1), (t, c.max.1)]
    } else {
        vec![(t, c.min.1)]
    };
    draw_line(plot, line, colour, window.segmented_lines)
}

/// A path, or a dot when the run is a single point (an isolated sample must stay visible).
pub fn draw_line<DB: DrawingBackend>(
    plot: &Plot<DB>,
    line: Path,
    colour: RGBColor,
    segmented: bool,
) -> Result<()> {
    match line.as_slice() {
        [] => Ok(()),
        [only] => plot
            .draw(&Circle::new(*only, 2, colour.filled()))
            .map_err(Error::drawing),
        _ => stroke(plot, line, colour.stroke_width(2), segmented),
    }
}

/// Strokes a path whole, or segment by segment (see `Window::segmented_lines`).
pub fn stroke<DB: DrawingBackend>(
    plot: &Plot<DB>,
    line: Path,
    style: ShapeStyle,
    segmented: bool,
) -> Result<()> {
    if !segmented {
        return plot
            .draw(&PathElement::new(line, style))
            .map_err(Error::drawing);
    }
    plot.draw(&super::wide_segments::WideSegments::new(line, style))
        .map_err(Error::drawing)
}
