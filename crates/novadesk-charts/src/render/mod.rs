//! Drawing a validated spec on any plotters backend (SVG and bitmap share this code, so they match).

mod legend;
mod overlays;
pub(crate) mod prepare;
pub(crate) mod prices;
mod series;
mod wide_segments;

use crate::downsample::summarise_series;
use crate::error::{Error, Result};
use crate::font;
use crate::scale::format_number;
use crate::spec::{ChartSpec, SeriesKind};
use crate::theme::Palette;
use crate::time_axis::TimeAxis;
use legend::{Entry, Swatch};
use plotters::chart::DualCoordChartContext;
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use prepare::{prepare, Prepared, SeriesData};
use std::ops::Range;

/// The plotting area of one axis pair: time (epoch ms) × value.
pub(crate) type Plot<DB> = DrawingArea<DB, Cartesian2d<TimeAxis, RangedCoordf64>>;

/// The time window and pixel columns shared by every drawing step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    pub from_ms: i64,
    pub to_ms: i64,
    pub columns: u32,
    pub downsample: bool,
    /// Stroke wide lines one segment at a time. The bitmap backend turns a whole wide path into
    /// one polygon, and a path that doubles back (every M4 column does) fills with holes; SVG
    /// renderers join strokes properly, so SVG keeps one compact path.
    pub segmented_lines: bool,
}

const LEFT_AXIS: u32 = 72;
const RIGHT_AXIS_WITH_PRICES: u32 = 72;
const RIGHT_AXIS_WITHOUT: u32 = 16;
const X_AXIS: u32 = 44;
/// Roughly the width a tick label plus breathing room needs ("Mon 12", "14:00").
const PX_PER_TICK: u32 = 90;
/// Share of the body height given to the main plot when a cost panel is present.
const MAIN_SHARE: f64 = 0.72;

/// Draws `spec` onto `root`.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    kind: Option<SeriesKind>,
    segmented_lines: bool,
) -> Result<()> {
    let pal = Palette::of(spec.theme);
    root.fill(&pal.background).map_err(Error::drawing)?;
    let data = prepare(spec, kind, plot_columns(spec));

    let entries = legend_entries(spec, &pal);
    let header_h = legend::header_height(root, spec.title.is_some(), &entries)?;
    let (header, body) = root.split_vertically(header_h);
    legend::draw_header(&header, spec.title.as_deref(), &entries, &pal)?;

    let (main, cost_area) = if spec.cost.is_some() {
        let h = body.dim_in_pixel().1 as f64;
        let (a, b) = body.split_vertically((h * MAIN_SHARE).round() as u32);
        (a, Some(b))
    } else {
        (body, None)
    };
    draw_main(
        &main,
        spec,
        kind,
        &data,
        &pal,
        (cost_area.is_none(), segmented_lines),
    )?;
    if let (Some(area), Some(cost)) = (cost_area, &spec.cost) {
        let mut chart = build(&area, spec, data.cost_range.clone(), None, true)?;
        let window = window_of(&chart, spec, &data, segmented_lines);
        let span = data.cost_range.end - data.cost_range.start;
        let y_fmt = |v: &f64| format_number(*v, span);
        let caption = format!("Cost ({})", cost.currency);
        mesh(
            &mut chart,
            &pal,
            (&caption, 4),
            Some(&axis_caption(spec)),
            &y_fmt,
        )?;
        overlays::draw_cost_bars(chart.plotting_area(), cost, &pal, window)?;
    }
    root.present().map_err(Error::drawing)
}

fn draw_main<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    kind: Option<SeriesKind>,
    data: &Prepared,
    pal: &Palette,
    (x_labels, segmented_lines): (bool, bool),
) -> Result<()> {
    let mut chart = build(
        area,
        spec,
        data.value_range.clone(),
        spec.prices.as_ref().map(|_| data.price_range.clone()),
        x_labels,
    )?;
    let window = window_of(&chart, spec, data, segmented_lines);
    let caption = kind.map_or_else(String::new, |k| {
        format!("{} ({})", capitalise(k.name()), k.display_unit())
    });
    let span = data.value_range.end - data.value_range.start;
    let y_fmt = |v: &f64| format_number(*v, span);
    let x_caption = axis_caption(spec);
    mesh(
        &mut chart,
        pal,
        (&caption, 7),
        x_labels.then_some(x_caption.as_str()),
        &y_fmt,
    )?;

    let plot = chart.plotting_area();
    let y = &data.value_range;
    overlays::draw_missing(plot, &spec.missing, y, pal, window)?;
    // Usually one zero line serves both axes (their ranges are aligned on zero, see align_zero).
    plot.draw(&PathElement::new(
        vec![(window.from_ms, 0.0), (window.to_ms, 0.0)],
        pal.zero.stroke_width(1),
    ))
    .map_err(Error::drawing)?;
    for (i, (s, drawn)) in spec.series.iter().zip(&data.series).enumerate() {
        let colour = pal.series_colour(i);
        match drawn {
            SeriesData::Points(runs) => series::draw_series(plot, runs, colour, window)?,
            SeriesData::Columns { runs, columns } if *columns == window.columns => {
                series::draw_column_runs(plot, runs, colour, window)?;
            }
            SeriesData::Columns { .. } => {
                // The plot came out another width than predicted: reduce again to the real one.
                let w = (window.from_ms, window.to_ms, window.columns);
                let runs = summarise_series(&s.points, s.step, w, data.factor);
                series::draw_column_runs(plot, &runs, colour, window)?;
            }
        }
    }
    if let Some(prices) = &spec.prices {
        let span = data.price_range.end - data.price_range.start;
        let p_fmt = |v: &f64| format_number(*v, span);
        chart
            .configure_secondary_axes()
            .y_desc(prices.unit_label())
            .label_style(font::text(12.0, pal.text))
            .axis_desc_style(font::text(13.0, pal.text))
            .axis_style(pal.axis)
            .y_labels(7)
            .y_label_formatter(&p_fmt)
            .draw()
            .map_err(Error::drawing)?;
        let aligned = (prepare::zero_fraction(&data.value_range)
            - prepare::zero_fraction(&data.price_range))
        .abs()
            < 1e-6;
        if !aligned {
            chart
                .borrow_secondary()
                .plotting_area()
                .draw(&PathElement::new(
                    vec![(window.from_ms, 0.0), (window.to_ms, 0.0)],
                    pal.negative_price.stroke_width(1),
                ))
                .map_err(Error::drawing)?;
        }
        prices::draw_prices(
            chart.borrow_secondary().plotting_area(),
            prices,
            pal,
            window,
        )?;
    }
    let unit = kind.map_or("", SeriesKind::display_unit);
    overlays::draw_peaks(
        chart.plotting_area(),
        &spec.peaks,
        data.factor,
        unit,
        y,
        pal,
        window,
    )
}

type Chart<'a, DB> = DualCoordChartContext<
    'a,
    DB,
    Cartesian2d<TimeAxis, RangedCoordf64>,
    Cartesian2d<TimeAxis, RangedCoordf64>,
>;

fn right_axis(spec: &ChartSpec) -> u32 {
    if spec.prices.is_some() {
        RIGHT_AXIS_WITH_PRICES
    } else {
        RIGHT_AXIS_WITHOUT
    }
}

/// Width in pixels of the plot area (the number of pixel columns the time range spans).
pub(crate) fn plot_columns(spec: &ChartSpec) -> u32 {
    // 8 px margin on each side, as `build` sets.
    spec.width
        .saturating_sub(LEFT_AXIS + right_axis(spec) + 16)
        .max(1)
}

fn build<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    spec: &ChartSpec,
    y: Range<f64>,
    secondary: Option<Range<f64>>,
    x_labels: bool,
) -> Result<Chart<'a, DB>> {
    let right = right_axis(spec);
    let max_ticks = (plot_columns(spec) / PX_PER_TICK).max(2) as usize;
    let x = TimeAxis::new(spec.from, spec.to, spec.time_zone, max_ticks);
    let chart = ChartBuilder::on(area)
        .margin_left(8)
        .margin_right(8)
        .margin_top(6)
        .margin_bottom(if x_labels { 4 } else { 0 })
        .set_label_area_size(LabelAreaPosition::Left, LEFT_AXIS)
        .set_label_area_size(LabelAreaPosition::Right, right)
        .set_label_area_size(LabelAreaPosition::Bottom, if x_labels { X_AXIS } else { 4 })
        .build_cartesian_2d(x.clone(), y)
        .map_err(Error::drawing)?
        .set_secondary_coord(x, secondary.unwrap_or(0.0..1.0));
    Ok(chart)
}

fn mesh<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    pal: &Palette,
    (y_caption, y_labels): (&str, usize),
    x_caption: Option<&str>,
    y_fmt: &dyn Fn(&f64) -> String,
) -> Result<()> {
    let no_label = |_: &i64| String::new();
    let mut mesh = chart.configure_mesh();
    mesh.bold_line_style(pal.grid)
        .max_light_lines(0)
        .axis_style(pal.axis)
        .label_style(font::text(12.0, pal.text))
        .axis_desc_style(font::text(13.0, pal.text))
        .y_desc(y_caption)
        .y_labels(y_labels)
        .y_label_formatter(y_fmt);
    match x_caption {
        Some(c) => mesh.x_desc(c),
        None => mesh.x_label_formatter(&no_label),
    };
    mesh.draw().map_err(Error::drawing)
}

/// The downsampling window, from the chart's actual plot area.
fn window_of<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    spec: &ChartSpec,
    data: &Prepared,
    segmented_lines: bool,
) -> Window {
    Window {
        from_ms: data.from_ms,
        to_ms: data.to_ms,
        columns: chart.plotting_area().dim_in_pixel().0.max(1),
        downsample: spec.downsample,
        segmented_lines,
    }
}

fn axis_caption(spec: &ChartSpec) -> String {
    format!("Local time ({})", spec.time_zone.name())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

fn legend_entries(spec: &ChartSpec, pal: &Palette) -> Vec<Entry> {
    let mut out: Vec<Entry> = spec
        .series
        .iter()
        .enumerate()
        .map(|(i, s)| Entry {
            swatch: Swatch::Line(pal.series_colour(i)),
            text: format!("{} ({})", s.label, s.kind.display_unit()),
        })
        .collect();
    if let Some(p) = &spec.prices {
        out.push(Entry {
            swatch: Swatch::Line(pal.price),
            text: format!("Spot price ({})", p.unit_label()),
        });
        if p.slots.iter().any(|s| s.price < 0.0) {
            out.push(Entry {
                swatch: Swatch::Area(pal.negative_price, 0.5),
                text: "Price below zero".into(),
            });
        }
    }
    if let Some(c) = &spec.cost {
        out.push(Entry {
            swatch: Swatch::Area(pal.cost, 0.75),
            text: format!("Cost ({})", c.currency),
        });
        if c.slots.iter().any(|s| s.amount < 0.0) {
            out.push(Entry {
                swatch: Swatch::Area(pal.revenue, 0.75),
                text: format!("Revenue ({})", c.currency),
            });
        }
    }
    if !spec.missing.is_empty() {
        out.push(Entry {
            swatch: Swatch::Area(pal.missing, 0.35),
            text: "Not cached".into(),
        });
    }
    if !spec.peaks.is_empty() {
        out.push(Entry {
            swatch: Swatch::Marker(pal.peak),
            text: "Power peak".into(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{EnergyUnit, PriceSeries};
    use chrono::{TimeZone, Utc};

    #[test]
    fn plot_columns_matches_the_built_chart() {
        let from = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let mut spec = ChartSpec::new(chrono_tz::UTC, from, from + chrono::Duration::days(1));
        for prices in [false, true] {
            spec.prices = prices.then(|| PriceSeries {
                currency: "EUR".into(),
                unit: EnergyUnit::MWh,
                slots: vec![],
            });
            for width in [240, 333, 800, 1600] {
                spec.width = width;
                let mut svg = String::new();
                let root = SVGBackend::with_string(&mut svg, (width, 300)).into_drawing_area();
                let chart = build(&root, &spec, 0.0..1.0, None, true).expect("builds");
                let actual = chart.plotting_area().dim_in_pixel().0;
                assert_eq!(
                    plot_columns(&spec),
                    actual,
                    "width {width}, prices {prices}"
                );
            }
        }
    }
}
