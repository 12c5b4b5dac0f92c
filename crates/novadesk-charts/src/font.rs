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

/// Inserts an `@font-face` carrying the bundled font right after the `<svg …>` opening tag.
pub fn embed_in_svg(svg: &mut String) {
    use base64::Engine as _;
    let Some(end) = svg
        .find("<svg")
        .and_then(|i| svg[i..].find('>').map(|j| i + j + 1))
    else {
        return;
    };
    let data = base64::engine::general_purpose::STANDARD.encode(DEJAVU_SANS);
    let style = format!(
        "\n<defs><style>@font-face{{font-family:\"{FAMILY}\";src:url(data:font/ttf;base64,{data}) format(\"truetype\");}}</style></defs>"
    );
    svg.insert_str(end, &style);
}

/// A text style in the bundled font.
pub fn text(size: f64, colour: RGBColor) -> TextStyle<'static> {
    (FAMILY, size).into_font().color(&colour)
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    #[test]
    fn text_is_measured_with_the_bundled_font_only() {
        ensure_registered().expect("bundled font loads");
        let mut svg = String::new();
        let area = SVGBackend::with_string(&mut svg, (100, 100)).into_drawing_area();
        let (w, _) = area
            .estimate_text_size("Mon 12", &text(12.0, RGBColor(0, 0, 0)))
            .expect("bundled font measures");
        assert!(w > 20 && w < 60, "width {w}");
        // With ab_glyph as the only text engine an unregistered family is an error. If another crate
        // turned on plotters' `ttf` feature, system fonts would answer here and output would vary
        // by machine: this test then fails and says so.
        let unknown: TextStyle = ("No Such Family", 12.0).into_font().into();
        assert!(
            area.estimate_text_size("x", &unknown).is_err(),
            "plotters resolved an unregistered font: system fonts are in use (feature `ttf` enabled?)"
        );
    }
}
