//! What the picture must show, checked on the SVG output: gaps stay gaps, extremes survive
//! downsampling, negative prices get their colour, bad specs are typed errors.

mod fixtures;

use chrono::Duration;
use fixtures::utc;
use novadesk_charts::*;
use std::collections::BTreeMap;

const SERIES_BLUE: &str = "#2563EB";
const NEGATIVE_PINK: &str = "#DB2777";

/// Points of every `<polyline>` drawn with `stroke` at the data line width (2; legend swatches are 3).
fn polylines(svg: &str, stroke: &str) -> Vec<Vec<(i32, i32)>> {
    let needle = format!("stroke=\"{stroke}\" stroke-width=\"2\" points=\"");
    svg.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &svg[i + needle.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            rest[..end]
                .split_whitespace()
                .filter_map(|xy| {
                    let (x, y) = xy.split_once(',')?;
                    Some((x.parse().ok()?, y.parse().ok()?))
                })
                .collect()
        })
        .collect()
}

fn power_spec(days: i64, step: Duration) -> ChartSpec {
    let from = utc(2026, 1, 5, 0, 0);
    let to = from + Duration::days(days);
    let mut spec = ChartSpec::new(chrono_tz::Europe::Stockholm, from, to);
    spec.width = 800;
    spec.height = 300;
    spec.series.push(Series {
        label: "Grid".into(),
        kind: SeriesKind::Power,
        step,
        points: fixtures::samples(from, to, step, None),
    });
    spec
}

#[test]
fn a_hole_in_time_is_drawn_as_a_gap() {
    let mut spec = power_spec(1, Duration::minutes(5));
    let hole = (
        spec.from + Duration::hours(10),
        spec.from + Duration::hours(12),
    );
    spec.series[0]
        .points
        .retain(|b| b.ts < hole.0 || b.ts >= hole.1);
    let lines = polylines(&render_svg(&spec).expect("renders"), SERIES_BLUE);
    assert_eq!(lines.len(), 2, "one line before and one after the hole");
    let left_end = lines[0].iter().map(|p| p.0).max().unwrap_or_default();
    let right_start = lines[1].iter().map(|p| p.0).min().unwrap_or_default();
    // Two hours of 24 over a ~700 px plot is ~58 px of nothing.
    assert!(
        right_start - left_end > 50,
        "gap is {} px",
        right_start - left_end
    );
}

#[test]
fn a_missing_bucket_breaks_the_line_even_without_a_time_hole() {
    let mut spec = power_spec(1, Duration::minutes(5));
    let ts = spec.series[0].points[100].ts;
    spec.series[0].points[100] = Bucket::missing(ts);
    assert_eq!(
        polylines(&render_svg(&spec).expect("renders"), SERIES_BLUE).len(),
        2
    );
}

#[test]
fn downsampling_keeps_every_columns_extremes_and_shrinks_the_svg() {
    // A week of 1-minute samples with single-sample spikes that a naive decimation would lose.
    let mut spec = power_spec(7, Duration::minutes(1));
    for (i, b) in spec.series[0].points.iter_mut().enumerate() {
        if i % 997 == 0 {
            b.avg = if i % 2 == 0 { 20_000.0 } else { -20_000.0 };
            b.min = b.avg;
            b.max = b.avg;
        }
    }
    let small = render_svg(&spec).expect("renders");
    spec.downsample = false;
    let full = render_svg(&spec).expect("renders");
    assert!(
        small.len() * 5 < full.len(),
        "downsampled {} vs full {} bytes",
        small.len(),
        full.len()
    );

    let extent = |svg: &str| {
        let mut cols: BTreeMap<i32, (i32, i32)> = BTreeMap::new();
        for (x, y) in polylines(svg, SERIES_BLUE).into_iter().flatten() {
            let e = cols.entry(x).or_insert((y, y));
            e.0 = e.0.min(y);
            e.1 = e.1.max(y);
        }
        cols
    };
    let (a, b) = (extent(&small), extent(&full));
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "same columns drawn"
    );
    assert_eq!(a, b, "per-column pixel extremes differ");
}

#[test]
fn negative_prices_get_their_own_colour_and_legend_entry() {
    let spec = fixtures::day_chart(Theme::Light);
    let svg = render_svg(&spec).expect("renders");
    assert!(!polylines(&svg, NEGATIVE_PINK).is_empty());
    assert!(svg.contains("Price below zero"));

    let mut positive = spec.clone();
    if let Some(p) = positive.prices.as_mut() {
        p.slots
            .iter_mut()
            .for_each(|s| s.price = s.price.abs() + 0.01);
    }
    let svg = render_svg(&positive).expect("renders");
    assert!(polylines(&svg, NEGATIVE_PINK).is_empty());
    assert!(!svg.contains("Price below zero"));
}

#[test]
fn labels_are_in_the_sites_time_zone() {
    let mut spec = power_spec(1, Duration::minutes(15));
    let svg = render_svg(&spec).expect("renders");
    assert!(svg.contains("Local time (Europe/Stockholm)"));
    // 00:00 UTC on 5 Jan is 01:00 in Stockholm: 6-hourly local ticks are 06:00, 12:00, 18:00.
    assert!(
        svg.contains(">\n06:00\n<") && svg.contains(">\n18:00\n<"),
        "local hour ticks"
    );
    spec.time_zone = chrono_tz::America::New_York;
    let svg = render_svg(&spec).expect("renders");
    // 00:00 UTC is 19:00 the day before in New York: the day label of the 5th is there.
    assert!(svg.contains("Mon 5"), "New York midnight tick");
}

#[test]
fn peaks_are_marked_with_value_in_display_units() {
    let mut spec = power_spec(1, Duration::minutes(15));
    spec.peaks.push(PeakMarker {
        ts: spec.from + Duration::hours(3),
        value: 7_250.0,
        label: "Peak 1".into(),
    });
    let svg = render_svg(&spec).expect("renders");
    assert!(
        svg.contains("Peak 1 7.25 kW"),
        "peak label with kW value: {}",
        svg.lines()
            .filter(|l| l.contains("Peak"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn bad_specs_are_typed_errors() {
    let good = power_spec(1, Duration::minutes(15));

    let mut s = good.clone();
    s.width = 10;
    assert!(matches!(render_svg(&s), Err(Error::InvalidSize { .. })));
    s.width = MAX_SIDE + 1;
    assert!(matches!(render_png(&s), Err(Error::TooLarge { .. })));

    let mut s = good.clone();
    s.to = s.from;
    assert!(matches!(render_svg(&s), Err(Error::EmptyRange { .. })));

    let mut s = good.clone();
    s.series[0].points.swap(3, 4);
    assert!(matches!(
        render_svg(&s),
        Err(Error::UnsortedPoints { index: 4, .. })
    ));

    let mut s = good.clone();
    s.series[0].step = Duration::zero();
    assert!(matches!(render_svg(&s), Err(Error::InvalidStep { .. })));

    let mut s = good.clone();
    let mut soc = s.series[0].clone();
    soc.kind = SeriesKind::StateOfCharge;
    s.series.push(soc);
    assert!(matches!(render_svg(&s), Err(Error::MixedKinds { .. })));

    let mut s = fixtures::day_chart(Theme::Light);
    if let Some(p) = s.prices.as_mut() {
        p.slots.swap(1, 2);
    }
    assert!(matches!(
        render_svg(&s),
        Err(Error::InvalidSlot { what: "price", .. })
    ));

    let mut s = good.clone();
    s.peaks.push(PeakMarker {
        ts: s.from,
        value: f64::NAN,
        label: "P".into(),
    });
    assert!(matches!(
        render_svg(&s),
        Err(Error::InvalidPeak { index: 0, .. })
    ));

    let mut s = good;
    s.missing.push(TimeRange {
        start: s.to,
        end: s.from,
    });
    assert!(matches!(
        render_svg(&s),
        Err(Error::InvalidSlot {
            what: "missing range",
            ..
        })
    ));
}

#[test]
fn an_empty_chart_still_renders_axes() {
    let spec = ChartSpec::new(
        chrono_tz::Europe::Stockholm,
        utc(2026, 1, 1, 0, 0),
        utc(2026, 1, 2, 0, 0),
    );
    let svg = render_svg(&spec).expect("renders");
    assert!(svg.contains("Local time (Europe/Stockholm)"));
    assert!(render_png(&spec).expect("renders").starts_with(b"\x89PNG"));
}

#[test]
fn the_font_can_be_embedded_in_the_svg() {
    let mut spec = power_spec(1, Duration::minutes(15));
    let plain = render_svg(&spec).expect("renders");
    assert!(!plain.contains("@font-face"));
    spec.embed_font_in_svg = true;
    let embedded = render_svg(&spec).expect("renders");
    let start = embedded.find("base64,").expect("font data") + "base64,".len();
    let end = start + embedded[start..].find(')').expect("end of data");
    use base64::Engine as _;
    let font = base64::engine::general_purpose::STANDARD
        .decode(&embedded[start..end])
        .expect("valid base64");
    assert_eq!(&font[..4], &[0, 1, 0, 0], "a TrueType font");
    assert!(embedded.find("<svg").expect("svg") < embedded.find("@font-face").expect("style"));
    // Apart from the inserted style, the drawing is unchanged.
    let i = embedded.find("\n<defs><style>").expect("inserted block");
    let j = embedded.find("</style></defs>").expect("end of block") + "</style></defs>".len();
    assert_eq!(format!("{}{}", &embedded[..i], &embedded[j..]), plain);
}

/// `(x, y, width, height)` of every `<rect>` filled with `fill`.
fn rects(svg: &str, fill: &str) -> Vec<(i32, i32, i32, i32)> {
    let attr = |tag: &str, name: &str| -> Option<i32> {
        let needle = format!(" {name}=\"");
        let start = tag.find(&needle)? + needle.len();
        tag[start..].split('"').next()?.parse().ok()
    };
    svg.split("<rect")
        .skip(1)
        .filter(|tag| tag.contains(&format!("fill=\"{fill}\"")))
        .filter_map(|tag| {
            Some((
                attr(tag, "x")?,
                attr(tag, "y")?,
                attr(tag, "width")?,
                attr(tag, "height")?,
            ))
        })
        .collect()
}

#[test]
fn cost_bars_are_reduced_per_column_keeping_the_largest() {
    let from = utc(2026, 1, 1, 0, 0);
    let mut spec = ChartSpec::new(
        chrono_tz::Europe::Stockholm,
        from,
        from + Duration::days(365),
    );
    spec.width = 800;
    spec.height = 400;
    let slots: Vec<CostSlot> = (0..365 * 96)
        .map(|i| {
            let start = from + Duration::minutes(15 * i);
            // Mostly small costs, one large cost and one large revenue.
            let amount = match i {
                10_000 => 50.0,
                20_000 => -30.0,
                _ => ((i % 7) as f64 - 2.0) * 0.5,
            };
            CostSlot {
                start,
                end: start + Duration::minutes(15),
                amount,
            }
        })
        .collect();
    spec.cost = Some(CostOverlay {
        currency: "SEK".into(),
        slots,
    });
    let small = render_svg(&spec).expect("renders");
    spec.downsample = false;
    let full = render_svg(&spec).expect("renders");
    let (red, green) = ("#DC2626", "#16A34A");
    // Bars only: the legend swatches (same colours) sit in the header above y = 60.
    let rects = |svg: &str, fill: &str| -> Vec<(i32, i32, i32, i32)> {
        rects(svg, fill).into_iter().filter(|r| r.1 > 60).collect()
    };
    assert!(
        rects(&small, red).len() <= 800,
        "{} cost bars for 800 px",
        rects(&small, red).len()
    );
    for fill in [red, green] {
        let top = |svg: &str| rects(svg, fill).iter().map(|r| r.1).min();
        let bottom = |svg: &str| rects(svg, fill).iter().map(|r| r.1 + r.3).max();
        assert!(top(&small).is_some(), "{fill}: no bars");
        assert_eq!(top(&small), top(&full), "{fill}: tallest bar top");
        assert_eq!(bottom(&small), bottom(&full), "{fill}: deepest bar bottom");
    }
}

#[test]
fn fragmented_data_stays_small_and_keeps_its_extremes() {
    // A month of 1-minute data with every third sample missing: ~14,400 runs of two points.
    let mut spec = power_spec(30, Duration::minutes(1));
    spec.series[0].points = spec.series[0]
        .points
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 3 != 2)
        .map(|(_, b)| *b)
        .collect();
    let columns = plot_columns(&spec) as usize;
    let small = render_svg(&spec).expect("renders");
    let elements = small
        .matches(&format!("stroke=\"{SERIES_BLUE}\" stroke-width=\"2\""))
        .count()
        + small.matches(&format!("fill=\"{SERIES_BLUE}\"")).count();
    assert!(
        elements <= 3 * columns,
        "{elements} series elements for {columns} columns"
    );
    // Topmost and bottommost pixels of the series match drawing every run.
    spec.downsample = false;
    let full = render_svg(&spec).expect("renders");
    let ys = |svg: &str| {
        let ys: Vec<i32> = polylines(svg, SERIES_BLUE)
            .into_iter()
            .flatten()
            .map(|p| p.1)
            .collect();
        (ys.iter().min().copied(), ys.iter().max().copied())
    };
    assert_eq!(ys(&small), ys(&full));
}

/// Extreme but valid specs (a range at the very end of time, a huge step) render or fail with a
/// typed error; they never panic.
#[test]
fn extreme_ranges_and_steps_do_not_panic() {
    let to = chrono::DateTime::<chrono::Utc>::MAX_UTC;
    for (span, step) in [
        (Duration::hours(6), Duration::minutes(5)),
        (Duration::days(400), Duration::days(1)),
        (Duration::days(3), Duration::MAX),
    ] {
        let from = to - span;
        let mut spec = ChartSpec::new(chrono_tz::Europe::Stockholm, from, to);
        spec.width = 800;
        spec.height = 300;
        spec.series.push(Series {
            label: "Grid".into(),
            kind: SeriesKind::Power,
            step,
            points: vec![
                Bucket::sample(from, 1.0),
                Bucket::sample(from + span / 2, -2.0),
                Bucket::sample(to - Duration::milliseconds(1), 3.0),
            ],
        });
        let svg = render_svg(&spec).expect("a valid spec renders");
        assert!(svg.starts_with("<svg"));
    }
}

/// Extreme and non-finite values (series, prices, costs) render or fail with a typed error;
/// they never panic in the axis or bar arithmetic.
#[test]
fn extreme_values_do_not_panic() {
    for (a, b) in [
        (f64::MAX, -f64::MAX),
        (f64::NAN, 1.0),
        (f64::INFINITY, f64::NEG_INFINITY),
        (1e-300, 1e-300),
        (1e299, -1e299),
    ] {
        let mut spec = power_spec(1, Duration::hours(1));
        for (i, p) in spec.series[0].points.iter_mut().enumerate() {
            *p = Bucket::sample(p.ts, if i % 2 == 0 { a } else { b });
        }
        let (from, mid, to) = (spec.from, spec.from + Duration::hours(12), spec.to);
        spec.prices = Some(PriceSeries {
            currency: "SEK".into(),
            unit: EnergyUnit::KWh,
            slots: vec![
                PriceSlot {
                    start: from,
                    end: mid,
                    price: a,
                },
                PriceSlot {
                    start: mid,
                    end: to,
                    price: b,
                },
            ],
        });
        spec.cost = Some(CostOverlay {
            currency: "SEK".into(),
            slots: vec![
                CostSlot {
                    start: from,
                    end: mid,
                    amount: a,
                },
                CostSlot {
                    start: mid,
                    end: to,
                    amount: b,
                },
            ],
        });
        spec.peaks.push(PeakMarker {
            ts: mid,
            value: 1e299,
            label: "Peak".into(),
        });
        // Regression: values near f64::MAX made the axis span infinite and the render hang.
        match render_svg(&spec) {
            Ok(svg) => {
                assert!(svg.starts_with("<svg"))
            }
            Err(e) => {
                assert!(matches!(e, Error::ValueOutOfRange { .. }), "{e}")
            }
        }
    }
}
