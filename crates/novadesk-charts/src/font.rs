//! The bundled font: DejaVu Sans, registered with plotters' ab_glyph text engine.
//!
//! Text is measured and rasterised from these bytes only (never a system font), so layout and
//! pixels are identical on every machine. License: assets/DejaVuSans-LICENSE.txt.

use crate::error::{Error, Result};
use plotters::style::{FontStyle, IntoFont, RGBColor, TextStyle};
use std::sync::OnceLock;

/// Font family name used in every text style (and written into SVG `font-family`).
pub const FAMILY: &str = "DejaVu Sans";

static DEJAVU_SANS: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
static REGISTERED: OnceLock<bool> = OnceLock::new();

/// Registers the bundled font once per process.
pub fn ensure_registered() -> Result<()> {
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FAMILY, FontStyle::Normal, DEJAVU_SANS).is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::Font)
    }
}

/// A text style in the bundled font.
pub fn text(size: f64, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&colour)
}
