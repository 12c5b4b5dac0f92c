//! Telemetry series: min/max envelope band and the line, one path per run (gaps stay gaps).

use super::{Plot, Window};
use crate::downsample::{
    band_outline, band_outline_raw, has_spread, line_points, summarise_run, Run,
};
use crate::error::{Error, Result};
use plotters::prelude::*;

/// Drawing-space points (epoch ms, display value).
type Path = Vec<(i64, f64)>;

/// Draws one series' runs in `colour`.
pub fn draw_series<DB: DrawingBackend>(
    plot: &Plot<DB>,
    runs: &[Run],
    colour: RGBColor,
    window: Window,
) -> Result<()> {
    for run in runs {
        let (band, line): (Path, Path) = if window.downsample {
            let summaries = summarise_run(run, window.from_ms, window.to_ms, window.columns);
            let band = if has_spread(run) {
                band_outline(&summaries)
            } else {
                Vec::new()
            };
            (band, line_points(&summaries))
        } else {
            let band = if has_spread(run) {
                band_outline_raw(run)
            } else {
                Vec::new()
            };
            (band, run.iter().map(|p| (p.t, p.avg)).collect())
        };
        if !band.is_empty() {
            plot.draw(&Polygon::new(band, colour.mix(0.2).filled()))
                .map_err(Error::drawing)?;
        }
        draw_line(plot, line, colour, window.segmented_lines)?;
    }
    Ok(())
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
    for pair in line.windows(2) {
        plot.draw(&PathElement::new(pair.to_vec(), style))
            .map_err(Error::drawing)?;
    }
    Ok(())
}
