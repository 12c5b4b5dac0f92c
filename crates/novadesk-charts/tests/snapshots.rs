//! SVG snapshots compared byte for byte (the bundled font makes text layout identical everywhere).
//! Rewrite them after an intended change with `UPDATE_SNAPSHOTS=1 cargo test -p novadesk-charts`,
//! then look at the new files before committing them.

mod fixtures;

use novadesk_charts::{render_png, render_svg, ChartSpec, Theme};
use std::path::PathBuf;

fn check_snapshot(name: &str, spec: &ChartSpec) {
    let svg = render_svg(spec).expect("renders");
    assert_eq!(
        svg,
        render_svg(spec).expect("renders"),
        "{name}: rendering is not deterministic"
    );
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.svg"));
    if std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1") {
        std::fs::write(&path, &svg).expect("write snapshot");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    });
    if svg != expected {
        let actual = path.with_extension("actual.svg");
        let _ = std::fs::write(&actual, &svg);
        panic!(
            "{name}: SVG differs from {} (actual written to {})",
            path.display(),
            actual.display()
        );
    }
}

#[test]
fn day_chart_light() {
    check_snapshot("day_light", &fixtures::day_chart(Theme::Light));
}

#[test]
fn day_chart_dark() {
    check_snapshot("day_dark", &fixtures::day_chart(Theme::Dark));
}

#[test]
fn week_of_state_of_charge() {
    check_snapshot("week_soc", &fixtures::week_soc_chart());
}

#[test]
fn year_of_daily_buckets_with_eur_per_mwh() {
    check_snapshot("year", &fixtures::year_chart());
}

#[test]
fn png_decodes_with_the_requested_size_and_theme_background() {
    for (theme, bg) in [
        (Theme::Light, [255u8, 255, 255]),
        (Theme::Dark, [17, 24, 39]),
    ] {
        let spec = fixtures::day_chart(theme);
        let bytes = render_png(&spec).expect("renders");
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("valid PNG header");
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).expect("valid PNG data");
        assert_eq!((info.width, info.height), (spec.width, spec.height));
        assert_eq!(info.color_type, png::ColorType::Rgb);
        let px = |x: usize, y: usize| {
            let i = (y * info.width as usize + x) * 3;
            [buf[i], buf[i + 1], buf[i + 2]]
        };
        assert_eq!(
            px(info.width as usize - 1, info.height as usize - 1),
            bg,
            "{theme:?} background"
        );
        // Something was drawn: the series colour appears.
        let series = if theme == Theme::Light {
            [37u8, 99, 235]
        } else {
            [96, 165, 250]
        };
        let found = buf.chunks_exact(3).any(|p| p == series);
        assert!(found, "{theme:?}: series colour not found in the bitmap");
    }
}

#[test]
fn png_dense_lines_are_solid_between_column_extremes() {
    use chrono::Duration;
    use novadesk_charts::{Bucket, Series, SeriesKind};
    // A week of noisy 1-minute samples: many samples per pixel column, so each column is one
    // vertical stroke between its extremes and must be painted without holes.
    let from = fixtures::utc(2026, 1, 5, 0, 0);
    let mut spec = ChartSpec::new(chrono_tz::Europe::Stockholm, from, from + Duration::days(7));
    spec.width = 400;
    spec.height = 300;
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let points = (0..7 * 1440)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state % 2000) as f64 - 1000.0;
            let day = (i as f64 / 1440.0 * std::f64::consts::TAU).sin();
            Bucket::sample(from + Duration::minutes(i), 3000.0 * day + noise)
        })
        .collect();
    spec.series.push(Series {
        label: "Grid".into(),
        kind: SeriesKind::Power,
        step: Duration::minutes(1),
        points,
    });
    let bytes = render_png(&spec).expect("renders");
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("valid PNG");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    let blue = [37u8, 99, 235];
    let (w, h) = (info.width as usize, info.height as usize);
    let mut holes = 0;
    for x in 100..300 {
        let painted: Vec<usize> = (0..h)
            .filter(|&y| buf[(y * w + x) * 3..(y * w + x) * 3 + 3] == blue)
            .collect();
        let (Some(top), Some(bottom)) = (painted.first(), painted.last()) else {
            panic!("column {x}: nothing drawn");
        };
        holes += bottom - top + 1 - painted.len();
    }
    // Joining 2 px segments can leave a single-pixel notch where a stroke meets the next
    // column's connector; stroking the whole path as one polygon left thousands of holes.
    assert!(
        holes <= 3,
        "{holes} unpainted pixels inside the columns' strokes"
    );
}
