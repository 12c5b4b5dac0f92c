//! Chart benchmark: a year of 1-minute power (525,600 points) with 15-minute prices (35,040 slots)
//! at 1,600 px wide — with downsampling, without, and matplotlib on the same data, in one run.
//!
//! Run: `cargo bench -p novadesk-charts --bench charts`. matplotlib runs from a venv under
//! `target/bench-venv` (made by `make deps-bench`; skipped with a note when unavailable).

use bench_report::{Better, Figure, Row};
use chrono::{Duration, TimeZone, Utc};
use novadesk_charts::{
    render_png, render_svg, Bucket, ChartSpec, EnergyUnit, PriceSeries, PriceSlot, Series,
    SeriesKind,
};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const MINUTES: usize = 525_600;
const SLOTS: usize = 35_040;

fn spec() -> ChartSpec {
    let from = Utc
        .with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("valid time");
    let to = from + Duration::minutes(MINUTES as i64);
    let mut spec = ChartSpec::new(chrono_tz::Europe::Stockholm, from, to);
    spec.width = 1600;
    spec.height = 600;
    spec.title = Some("One year of 1-minute grid power vs 15-minute spot price".into());
    // Deterministic pseudo-noise (xorshift) on top of daily and seasonal cycles.
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let points = (0..MINUTES)
        .map(|i| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let noise = (state % 2000) as f64 - 1000.0;
            let day = (i as f64 / 1440.0 * std::f64::consts::TAU).sin();
            let season = (i as f64 / MINUTES as f64 * std::f64::consts::TAU).cos();
            Bucket::sample(
                from + Duration::minutes(i as i64),
                3000.0 * day + 1500.0 * season + noise,
            )
        })
        .collect();
    spec.series.push(Series {
        label: "Grid".into(),
        kind: SeriesKind::Power,
        step: Duration::minutes(1),
        points,
    });
    let slots = (0..SLOTS)
        .map(|i| {
            let h = i as f64 / 4.0;
            let price =
                0.8 + 0.7 * (h / 24.0 * std::f64::consts::TAU).cos() + 0.3 * (h / 97.0).sin();
            let start = from + Duration::minutes(15 * i as i64);
            PriceSlot {
                start,
                end: start + Duration::minutes(15),
                price,
            }
        })
        .collect();
    spec.prices = Some(PriceSeries {
        currency: "SEK".into(),
        unit: EnergyUnit::KWh,
        slots,
    });
    spec
}

/// Median seconds of `runs` calls and the last output's size.
fn time<F: FnMut() -> usize>(runs: usize, mut f: F) -> (f64, usize) {
    let mut secs = Vec::with_capacity(runs);
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        size = f();
        secs.push(t.elapsed().as_secs_f64());
    }
    secs.sort_by(f64::total_cmp);
    (secs[secs.len() / 2], size)
}

fn target_dir() -> PathBuf {
    // The bench binary lives in target/<profile>/deps/.
    std::env::current_exe()
        .ok()
        .and_then(|p| p.ancestors().nth(3).map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("target"))
}

fn write_data(dir: &Path, spec: &ChartSpec) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let power: Vec<u8> = spec.series[0]
        .points
        .iter()
        .flat_map(|b| b.avg.to_le_bytes())
        .collect();
    std::fs::write(dir.join("power.f64"), power)?;
    let prices: Vec<u8> = spec
        .prices
        .iter()
        .flat_map(|p| p.slots.iter())
        .flat_map(|s| s.price.to_le_bytes())
        .collect();
    std::fs::write(dir.join("prices.f64"), prices)?;
    let meta = format!(
        "{{\"from\": \"{}\", \"power_step_s\": 60, \"price_step_s\": 900, \"width\": {}, \"height\": {}}}",
        spec.from.format("%Y-%m-%dT%H:%M:%S"),
        spec.width,
        spec.height
    );
    std::fs::write(dir.join("meta.json"), meta)
}

/// (python, or the reason matplotlib is unavailable). The venv and its pinned packages come from
/// `.ci/install-bench.sh` (`make deps-bench`); the bench never installs anything itself.
fn python_with_matplotlib(target: &Path) -> Result<PathBuf, String> {
    let python = target.join("bench-venv").join("bin/python");
    let has = Command::new(&python)
        .args(["-c", "import matplotlib, numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if has {
        Ok(python)
    } else {
        Err(format!(
            "no matplotlib in {} — run `make deps-bench` (.ci/install-bench.sh)",
            python.display()
        ))
    }
}

fn json_number(json: &str, key: &str) -> Option<f64> {
    let rest = &json[json.find(&format!("\"{key}\":"))? + key.len() + 3..];
    rest.trim_start()
        .split([',', '}'])
        .next()?
        .trim()
        .parse()
        .ok()
}

fn main() {
    // `cargo test --benches` passes --bench too; only run the heavy work for `cargo bench`.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let spec = spec();
    let mut full = spec.clone();
    full.downsample = false;

    let (ds_s, ds_bytes) = time(9, || render_svg(&spec).expect("render").len());
    let (png_s, png_bytes) = time(5, || render_png(&spec).expect("render").len());
    let (full_s, full_bytes) = time(3, || render_svg(&full).expect("render").len());
    // The downsampling step alone: the year of minutes to M4 column summaries, as the renderer
    // does it (split into runs and reduced in one pass).
    let columns = novadesk_charts::plot_columns(&spec);
    let (from_ms, to_ms) = (spec.from.timestamp_millis(), spec.to.timestamp_millis());
    let power = &spec.series[0];
    let (m4_s, m4_cols) = time(9, || {
        let runs = novadesk_charts::columns::summarise_series(
            &power.points,
            power.step,
            (from_ms, to_ms, columns),
            1e-3,
        );
        runs.iter().map(|r| r.columns.len()).sum()
    });
    // The previous path, for comparison: every point into a Vec of runs, then M4 per run.
    let (m4_old_s, _) = time(5, || {
        let runs =
            novadesk_charts::columns::split_runs(&power.points, power.step, from_ms, to_ms, 1e-3);
        runs.iter()
            .map(|r| novadesk_charts::columns::summarise_run(r, from_ms, to_ms, columns).len())
            .sum()
    });

    // The floor: one read of every point (a year of 40-byte buckets is 21 MB, beyond the caches),
    // so the ~1 ms goal can be judged against what this machine's memory allows.
    let (floor_s, _) = time(9, || {
        let sum: f64 = std::hint::black_box(&power.points)
            .iter()
            .map(|b| b.avg)
            .sum();
        usize::from(std::hint::black_box(sum) > 0.0)
    });

    let target = target_dir();
    let data_dir = target.join("bench-data/charts");
    // Keep our outputs beside matplotlib's so they can be compared by eye.
    let _ = write_data(&data_dir, &spec)
        .and_then(|()| {
            std::fs::write(
                data_dir.join("ours.svg"),
                render_svg(&spec).expect("render"),
            )
        })
        .and_then(|()| {
            std::fs::write(
                data_dir.join("ours.png"),
                render_png(&spec).expect("render"),
            )
        });
    let mpl = python_with_matplotlib(&target).and_then(|py| {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/matplotlib_bench.py");
        let out = Command::new(py)
            .arg(script)
            .arg(&data_dir)
            .arg(data_dir.join("matplotlib.svg"))
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(String::from_utf8_lossy(&out.stderr).into_owned());
        }
        let json = String::from_utf8_lossy(&out.stdout).into_owned();
        let render = json_number(&json, "render_s").ok_or("no render_s in matplotlib output")?;
        let load = json_number(&json, "load_s").unwrap_or(0.0);
        let import = json_number(&json, "import_s").unwrap_or(0.0);
        let bytes = json_number(&json, "svg_bytes").ok_or("no svg_bytes in matplotlib output")?;
        Ok((render, load, import, bytes as usize))
    });

    println!();
    println!("novadesk-charts bench: {MINUTES} 1-min power points + {SLOTS} 15-min price slots, 1600x600 px");
    println!(
        "{:<34} {:>12} {:>14} {:>12}",
        "renderer", "time (ms)", "output bytes", "vs ours"
    );
    let row = |name: &str, s: f64, bytes: usize| {
        println!(
            "{:<34} {:>12.1} {:>14} {:>11.1}x",
            name,
            s * 1e3,
            bytes,
            s / ds_s
        );
    };
    row("SVG, downsampled (M4, ours)", ds_s, ds_bytes);
    row("PNG, downsampled (M4, ours)", png_s, png_bytes);
    row("SVG, every point (no downsampling)", full_s, full_bytes);
    println!(
        "{:<34} {:>12.2} {:>14} {:>12}",
        "M4 alone (525,600 points)",
        m4_s * 1e3,
        format!("{m4_cols} cols"),
        ""
    );
    println!(
        "{:<34} {:>12.2}",
        "  previous path: runs Vec, then M4",
        m4_old_s * 1e3
    );
    println!(
        "{:<34} {:>12.2}",
        "  floor: one read of every point",
        floor_s * 1e3
    );
    let command = "cargo bench -p novadesk-charts --bench charts";
    let ms = |s: f64| Figure::new(s * 1e3, "ms");
    let full_peer = ("every point (no downsampling)", ms(full_s));
    let mut rows = vec![
        Row::new(
            "charts",
            "1 y of 1-min power + 15-min prices, SVG 1600 px",
            ms(ds_s),
            Better::Lower,
            command,
        )
        .peer(full_peer.0, full_peer.1.clone())
        .goal("<= 10 ms", Some(10.0))
        .note(&format!("{ds_bytes} B SVG (every point: {full_bytes} B)")),
        Row::new(
            "charts",
            "same chart, PNG 1600x600",
            ms(png_s),
            Better::Lower,
            command,
        )
        .peer(full_peer.0, full_peer.1)
        .goal("<= 30 ms", Some(30.0))
        .note(&format!("{png_bytes} B PNG")),
        Row::new(
            "charts",
            "M4 downsampling alone, 525,600 points",
            ms(m4_s),
            Better::Lower,
            command,
        )
        .peer("split into runs, then M4 (previous path)", ms(m4_old_s))
        .goal("~1 ms", Some(1.5))
        .note(&format!("{m4_cols} column summaries")),
        Row::new(
            "charts",
            "M4 downsampling alone vs its memory floor",
            ms(m4_s),
            Better::Lower,
            command,
        )
        .peer("one read of every point (sum of values)", ms(floor_s))
        .note("the floor bounds any pass over the 21 MB of buckets"),
    ];
    if let Ok((render, _, _, bytes)) = &mpl {
        rows.push(
            Row::new(
                "charts",
                "SVG vs matplotlib (plot + savefig)",
                ms(ds_s),
                Better::Lower,
                command,
            )
            .peer("matplotlib", ms(*render))
            .note(&format!(
                "matplotlib SVG {bytes} B; import and array loading not counted"
            )),
        );
    }
    bench_report::record("charts", &rows);
    match mpl {
        Ok((render, load, import, bytes)) => {
            row("matplotlib SVG (plot + savefig)", render, bytes);
            println!("  matplotlib also spent {:.0} ms importing and {:.0} ms loading arrays (not counted)", import * 1e3, load * 1e3);
            println!(
                "size ratios vs ours: no-downsampling {:.1}x, matplotlib {:.1}x",
                full_bytes as f64 / ds_bytes as f64,
                bytes as f64 / ds_bytes as f64
            );
        }
        Err(e) => {
            println!("matplotlib: skipped ({e})");
            println!(
                "size ratio vs ours: no-downsampling {:.1}x",
                full_bytes as f64 / ds_bytes as f64
            );
        }
    }
}
