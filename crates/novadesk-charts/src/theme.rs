//! Colours of the light and dark themes.

use crate::spec::Theme;
use plotters::style::RGBColor;

/// All colours one chart uses.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    /// Image background.
    pub background: RGBColor,
    /// Text and axis labels.
    pub text: RGBColor,
    /// Axis lines.
    pub axis: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Zero line of the value axis.
    pub zero: RGBColor,
    /// Shading of ranges not in the cache.
    pub missing: RGBColor,
    /// Series colours, cycled.
    pub series: [RGBColor; 5],
    /// Spot price step line (price >= 0).
    pub price: RGBColor,
    /// Spot price below zero (line, fill and price zero line).
    pub negative_price: RGBColor,
    /// Cost bars (money paid).
    pub cost: RGBColor,
    /// Revenue bars (negative cost).
    pub revenue: RGBColor,
    /// Peak markers.
    pub peak: RGBColor,
}

impl Palette {
    /// The palette of `theme`.
    pub fn of(theme: Theme) -> Self {
        match theme {
            Theme::Light => Palette {
                background: RGBColor(255, 255, 255),
                text: RGBColor(31, 35, 40),
                axis: RGBColor(107, 114, 128),
                grid: RGBColor(229, 231, 235),
                zero: RGBColor(156, 163, 175),
                missing: RGBColor(156, 163, 175),
                series: [
                    RGBColor(37, 99, 235),
                    RGBColor(22, 163, 74),
                    RGBColor(147, 51, 234),
                    RGBColor(8, 145, 178),
                    RGBColor(202, 138, 4),
                ],
                price: RGBColor(234, 88, 12),
                negative_price: RGBColor(219, 39, 119),
                cost: RGBColor(220, 38, 38),
                revenue: RGBColor(22, 163, 74),
                peak: RGBColor(185, 28, 28),
            },
            Theme::Dark => Palette {
                background: RGBColor(17, 24, 39),
                text: RGBColor(229, 231, 235),
                axis: RGBColor(156, 163, 175),
                grid: RGBColor(55, 65, 81),
                zero: RGBColor(107, 114, 128),
                missing: RGBColor(107, 114, 128),
                series: [
                    RGBColor(96, 165, 250),
                    RGBColor(74, 222, 128),
                    RGBColor(192, 132, 252),
                    RGBColor(34, 211, 238),
                    RGBColor(250, 204, 21),
                ],
                price: RGBColor(251, 146, 60),
                negative_price: RGBColor(244, 114, 182),
                cost: RGBColor(248, 113, 113),
                revenue: RGBColor(74, 222, 128),
                peak: RGBColor(252, 165, 165),
            },
        }
    }

    /// Colour of the `i`-th series.
    pub fn series_colour(&self, i: usize) -> RGBColor {
        self.series[i % self.series.len()]
    }
}
