//! The header: optional title and a legend row (wrapping when it does not fit).

use crate::error::{Error, Result};
use crate::font;
use crate::theme::Palette;
use plotters::coord::Shift;
use plotters::prelude::*;

/// How a legend entry's swatch looks.
#[derive(Debug, Clone, Copy)]
pub enum Swatch {
    /// A short line.
    Line(RGBColor),
    /// A filled box drawn with transparency.
    Area(RGBColor, f64),
    /// A triangle marker.
    Marker(RGBColor),
}

/// One legend entry.
pub struct Entry {
    /// How it looks.
    pub swatch: Swatch,
    /// What it says.
    pub text: String,
}

const TITLE_H: i32 = 28;
const ROW_H: i32 = 22;
const SWATCH_W: i32 = 22;
const GAP: i32 = 18;
const LEFT: i32 = 12;
const LEGEND_SIZE: f64 = 13.0;

fn positions<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    entries: &[Entry],
) -> Result<Vec<(i32, i32)>> {
    let width = area.dim_in_pixel().0 as i32;
    let style = font::text(LEGEND_SIZE, RGBColor(0, 0, 0));
    let (mut x, mut row) = (LEFT, 0);
    let mut out = Vec::with_capacity(entries.len());
    for e in entries {
        let (w, _) = area
            .estimate_text_size(&e.text, &style)
            .map_err(Error::drawing)?;
        let need = SWATCH_W + 6 + w as i32;
        if x > LEFT && x + need > width - LEFT {
            x = LEFT;
            row += 1;
        }
        out.push((x, row));
        x += need + GAP;
    }
    Ok(out)
}

/// Height the header needs.
pub fn header_height<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: bool,
    entries: &[Entry],
) -> Result<u32> {
    let rows = positions(area, entries)?
        .iter()
        .map(|p| p.1 + 1)
        .max()
        .unwrap_or(0);
    Ok((if title { TITLE_H } else { 6 } + rows * ROW_H + 4) as u32)
}

/// Draws title and legend into `area` (the header strip).
pub fn draw_header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: Option<&str>,
    entries: &[Entry],
    pal: &Palette,
) -> Result<()> {
    let mut top = 6;
    if let Some(t) = title {
        area.draw(&Text::new(
            t.to_string(),
            (LEFT, 6),
            font::text(17.0, pal.text),
        ))
        .map_err(Error::drawing)?;
        top = TITLE_H;
    }
    let style = font::text(LEGEND_SIZE, pal.text);
    for (e, (x, row)) in entries.iter().zip(positions(area, entries)?) {
        let y = top + row * ROW_H;
        let mid = y + 8;
        match e.swatch {
            Swatch::Line(c) => area.draw(&PathElement::new(
                vec![(x, mid), (x + SWATCH_W, mid)],
                c.stroke_width(3),
            )),
            Swatch::Area(c, alpha) => area.draw(&Rectangle::new(
                [(x, mid - 6), (x + SWATCH_W, mid + 6)],
                c.mix(alpha).filled(),
            )),
            Swatch::Marker(c) => {
                area.draw(&TriangleMarker::new((x + SWATCH_W / 2, mid), 6, c.filled()))
            }
        }
        .map_err(Error::drawing)?;
        area.draw(&Text::new(
            e.text.clone(),
            (x + SWATCH_W + 6, y + 1),
            style.clone(),
        ))
        .map_err(Error::drawing)?;
    }
    Ok(())
}
