//! Grouped bars: one group per category (a month), one bar per series (a tariff) — the What-if
//! view's monthly cost per tariff. Same font, palette and size limits as the time charts.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::error::{Error, Result};
use crate::font;
use crate::scale::format_number;
use crate::spec::Theme;
use crate::theme::Palette;
use crate::validate::{MAX_SIDE, MIN_HEIGHT, MIN_WIDTH};

/// One series of bars: a value per category, `None` where it is unknown (no bar drawn).
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    /// Legend text.
    pub label: String,
    /// One value per category, in the spec's unit.
    pub values: Vec<Option<f64>>,
}

/// What to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupedBarSpec {
    /// Image width, px.
    pub width: u32,
    /// Image height, px.
    pub height: u32,
    /// Colours.
    pub theme: Theme,
    /// Value axis caption, e.g. "SEK per month".
    pub unit: String,
    /// Category labels along the bottom ("Jan 2026").
    pub categories: Vec<String>,
    /// The bars of each category, legend order.
    pub series: Vec<BarSeries>,
}

fn check(spec: &GroupedBarSpec) -> Result<()> {
    let (width, height) = (spec.width, spec.height);
    if width < MIN_WIDTH || height < MIN_HEIGHT {
        return Err(Error::InvalidSize {
            width,
            height,
            min_width: MIN_WIDTH,
            min_height: MIN_HEIGHT,
        });
    }
    if width > MAX_SIDE || height > MAX_SIDE {
        return Err(Error::TooLarge {
            width,
            height,
            max: MAX_SIDE,
        });
    }
    for (index, s) in spec.series.iter().enumerate() {
        if s.values.len() != spec.categories.len() {
            return Err(Error::InvalidSlot {
                what: "bar series",
                index,
                reason: "needs one value per category",
            });
        }
        if s.values
            .iter()
            .flatten()
            .any(|v| !v.is_finite() || v.abs() > 1e300)
        {
            return Err(Error::ValueOutOfRange {
                what: "bar series",
                index,
            });
        }
    }
    Ok(())
}

/// Renders grouped bars as an SVG document.
pub fn render_grouped_bars_svg(spec: &GroupedBarSpec) -> Result<String> {
    check(spec)?;
    font::ensure_registered()?;
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (spec.width, spec.height)).into_drawing_area();
        draw(&root, spec)?;
    }
    Ok(out)
}

fn draw<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, spec: &GroupedBarSpec) -> Result<()> {
    let pal = Palette::of(spec.theme);
    root.fill(&pal.background).map_err(Error::drawing)?;
    let values = spec.series.iter().flat_map(|s| s.values.iter().flatten());
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let hi = if hi <= lo {
        lo + 1.0
    } else {
        hi + (hi - lo) * 0.08
    };
    let n = spec.categories.len().max(1);
    // Legend entries flow left to right and wrap: long tariff names must not be cut off.
    let style = font::text(12.0, pal.text);
    let mut places = Vec::with_capacity(spec.series.len());
    let (mut x, mut y) = (80i32, 8i32);
    for s in &spec.series {
        let (w, _) = root
            .estimate_text_size(&s.label, &style)
            .map_err(Error::drawing)?;
        let w = w as i32 + 32;
        if x > 80 && x + w > spec.width as i32 - 8 {
            (x, y) = (80, y + 20);
        }
        places.push((x, y));
        x += w;
    }
    let legend_h = (y + 20) as u32;
    let (legend, body) = root.split_vertically(legend_h);
    let mut chart = ChartBuilder::on(&body)
        .margin(8)
        .x_label_area_size(32)
        .y_label_area_size(72)
        .build_cartesian_2d(0.0..n as f64, lo..hi)
        .map_err(Error::drawing)?;
    let label_every = (n * 70 / (spec.width as usize).max(1)).max(1);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(pal.grid)
        .bold_line_style(pal.grid)
        .axis_style(pal.axis)
        .x_labels(0)
        .y_label_formatter(&|y| format_number(*y, hi - lo))
        .y_desc(spec.unit.as_str())
        .label_style(font::text(12.0, pal.text))
        .axis_desc_style(font::text(12.0, pal.text))
        .draw()
        .map_err(Error::drawing)?;
    // Bars sit in 80 % of each category's width, side by side.
    let k = spec.series.len().max(1) as f64;
    let bar_w = 0.8 / k;
    for (si, s) in spec.series.iter().enumerate() {
        let colour = pal.series[si % pal.series.len()];
        let bars = s.values.iter().enumerate().filter_map(|(ci, v)| {
            let v = (*v)?;
            let x0 = ci as f64 + 0.1 + bar_w * si as f64;
            Some(Rectangle::new(
                [(x0, 0.0f64.max(lo)), (x0 + bar_w * 0.92, v)],
                colour.filled(),
            ))
        });
        chart.draw_series(bars).map_err(Error::drawing)?;
    }
    // Category labels centred under their group (plotters' own ticks fall on round numbers).
    let centred = style.pos(Pos::new(HPos::Center, VPos::Top));
    for (i, label) in spec.categories.iter().enumerate().step_by(label_every) {
        let (x, y) = chart.backend_coord(&(i as f64 + 0.5, lo));
        root.draw(&Text::new(label.clone(), (x, y + 6), centred.clone()))
            .map_err(Error::drawing)?;
    }
    for (si, (s, (x, y))) in spec.series.iter().zip(places).enumerate() {
        let colour = pal.series[si % pal.series.len()];
        legend
            .draw(&Rectangle::new([(x, y), (x + 12, y + 12)], colour.filled()))
            .map_err(Error::drawing)?;
        legend
            .draw(&Text::new(s.label.clone(), (x + 16, y - 1), style.clone()))
            .map_err(Error::drawing)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(values: Vec<Option<f64>>) -> GroupedBarSpec {
        GroupedBarSpec {
            width: 640,
            height: 320,
            theme: Theme::Light,
            unit: "SEK per month".into(),
            categories: vec!["Jan 2026".into(), "Feb 2026".into()],
            series: vec![
                BarSeries {
                    label: "Power tariff".into(),
                    values,
                },
                BarSeries {
                    label: "Fuse tariff".into(),
                    values: vec![Some(900.0), Some(-50.0)],
                },
            ],
        }
    }

    #[test]
    fn draws_a_bar_per_known_value_with_the_legend_and_month_labels() {
        let svg = render_grouped_bars_svg(&spec(vec![Some(1200.5), None])).unwrap();
        assert!(svg.contains("Power tariff") && svg.contains("Fuse tariff"));
        assert!(svg.contains("Jan 2026") && svg.contains("Feb 2026"));
        assert!(svg.contains("SEK per month"));
        // Three known values, three bars (plus the two legend swatches).
        assert_eq!(svg.matches("<rect").count() - 1, 3 + 2, "{svg}");
    }

    #[test]
    fn bad_input_is_a_typed_error() {
        assert!(matches!(
            render_grouped_bars_svg(&spec(vec![Some(1.0)])),
            Err(Error::InvalidSlot { .. })
        ));
        assert!(matches!(
            render_grouped_bars_svg(&spec(vec![Some(f64::NAN), None])),
            Err(Error::ValueOutOfRange { .. })
        ));
        let mut small = spec(vec![None, None]);
        small.width = 10;
        assert!(matches!(
            render_grouped_bars_svg(&small),
            Err(Error::InvalidSize { .. })
        ));
    }
}
