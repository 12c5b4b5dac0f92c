//! Output comparison against golden files rendered by the renderer before its speed-up
//! (commit 8ae9931): SVG byte for byte and PNG pixel for pixel, so an optimisation of the
//! downsampling or drawing path cannot change the picture unnoticed. The cases cover the
//! benchmark's year of 1-minute data (hundreds of points per column), gappy and bucketed series,
//! negative prices, cost bars and both themes. Rewrite after an intended change with
//! `UPDATE_SNAPSHOTS=1 cargo test -p novadesk-charts --test golden`, then look at the files.

mod fixtures;

use novadesk_charts::{render_png, render_svg, ChartSpec, Theme};
use std::path::PathBuf;

fn golden(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

fn updating() -> bool {
    std::env::var("UPDATE_SNAPSHOTS").is_ok_and(|v| v == "1")
}

fn read(path: &PathBuf) -> Vec<u8> {
    std::fs::read(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; run with UPDATE_SNAPSHOTS=1 to create it",
            path.display()
        )
    })
}

/// (width, height, RGB pixels) of a PNG.
fn pixels(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png_bytes))
        .read_info()
        .expect("valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn check_svg(name: &str, spec: &ChartSpec) {
    let svg = render_svg(spec).expect("renders");
    let path = golden(&format!("{name}.svg"));
    if updating() {
        std::fs::write(&path, &svg).expect("write golden");
        return;
    }
    let expected = String::from_utf8(read(&path)).expect("golden SVG is UTF-8");
    if svg != expected {
        let actual = path.with_extension("actual.svg");
        let _ = std::fs::write(&actual, &svg);
        let at = svg
            .bytes()
            .zip(expected.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(svg.len().min(expected.len()));
        panic!(
            "{name}: SVG differs from {} at byte {at} (actual written to {})",
            path.display(),
            actual.display()
        );
    }
}

fn check_png(name: &str, spec: &ChartSpec) {
    let png_bytes = render_png(spec).expect("renders");
    let path = golden(&format!("{name}.png"));
    if updating() {
        std::fs::write(&path, &png_bytes).expect("write golden");
        return;
    }
    let (w, h, got) = pixels(&png_bytes);
    let (ew, eh, want) = pixels(&read(&path));
    assert_eq!((w, h), (ew, eh), "{name}: size");
    let differing: Vec<usize> = got
        .chunks_exact(3)
        .zip(want.chunks_exact(3))
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, _)| i)
        .collect();
    if let Some(&first) = differing.first() {
        let actual = path.with_extension("actual.png");
        let _ = std::fs::write(&actual, &png_bytes);
        panic!(
            "{name}: {} pixels differ from {}, the first at ({}, {}) (actual written to {})",
            differing.len(),
            path.display(),
            first % w as usize,
            first / w as usize,
            actual.display()
        );
    }
}

#[test]
fn year_of_minutes_svg_and_png_match_the_golden_files() {
    let spec = fixtures::year_of_minutes(480, 240);
    check_svg("year_minutes", &spec);
    check_png("year_minutes", &spec);
}

#[test]
fn minutes_without_downsampling_match_the_golden_svg() {
    // Every point drawn: one day keeps the golden file small while exercising the same path.
    let mut spec = fixtures::year_of_minutes(480, 240);
    spec.to = spec.from + chrono::Duration::days(1);
    spec.downsample = false;
    check_svg("day_every_point", &spec);
}

#[test]
fn fixture_pngs_match_the_golden_pixels() {
    // Their SVGs are the snapshots (tests/snapshots.rs); the bitmap strokes lines its own way.
    check_png("day_light", &fixtures::day_chart(Theme::Light));
    check_png("week_soc", &fixtures::week_soc_chart());
}
