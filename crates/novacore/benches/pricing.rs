//! Cost computation speed: a month and a year of meter data at 1 min and 15 min against
//! 15-minute spot prices and a tariff with time-of-use fees and a 3-peak power charge.
//! Floor in the same run: one pass over the same meter points multiplying each by its slot's spot
//! price (no tariff, no calendar, no peaks) — what any cost computation must at least do.
//! Run: `cargo bench -p novacore --bench pricing`.

use std::hint::black_box;
use std::time::Instant;

use bench_report::{Better, Figure, Row};

use chrono::{DateTime, TimeDelta, Utc};
use novacore::pricing::{
    compute_cost, EnergyCombination, EnergyComponent, MeterSeries, NetPowerPoint, PowerComponent,
    SpotPrices, Tariff, TimeRange, Validity,
};

fn tariff() -> Tariff {
    Tariff {
        time_zone: "Europe/Stockholm".into(),
        currency: "SEK".into(),
        fixed_per_month: 300.0,
        energy: vec![
            EnergyComponent {
                name: "base".into(),
                price_per_kwh: 0.25,
                validity: Validity::default(),
            },
            EnergyComponent {
                name: "high load".into(),
                price_per_kwh: 0.5,
                validity: Validity {
                    months: vec![1, 2, 3, 11, 12],
                    weekdays: (1..=5).collect(),
                    hours: (6..=21).collect(),
                },
            },
        ],
        energy_combination: EnergyCombination::Sum,
        power: vec![PowerComponent {
            name: "peak".into(),
            price_per_kw: 45.0,
            n_peaks: 3,
            peak_duration_minutes: 60,
            one_peak_per_day: true,
            validity: Validity::default(),
        }],
        vat_rate: 0.25,
    }
}

/// The floor: Σ energy × spot price over `points`, the price looked up by 15-minute slot.
fn floor_cost(points: &[NetPowerPoint], start: DateTime<Utc>, prices: &[f64], minutes: i64) -> f64 {
    let hours = minutes as f64 / 60.0;
    let start_ms = start.timestamp_millis();
    points
        .iter()
        .map(|p| {
            let slot = ((p.ts.timestamp_millis() - start_ms) / 900_000) as usize;
            p.w / 1000.0 * hours * prices.get(slot).copied().unwrap_or(0.0)
        })
        .sum()
}

/// Prints the case's line; returns its row (ms per call against the floor's).
fn run(label: &str, start: DateTime<Utc>, days: i64, meter_minutes: i64) -> Row {
    let n = days * 24 * 60 / meter_minutes;
    let points: Vec<NetPowerPoint> = (0..n)
        .map(|i| NetPowerPoint {
            ts: start + TimeDelta::minutes(i * meter_minutes),
            w: ((i % 97) as f64 - 40.0) * 50.0,
        })
        .collect();
    let slots = days * 96;
    let slot_prices: Vec<f64> = (0..slots).map(|i| (i % 50) as f64 * 20.0 - 100.0).collect();
    let prices = SpotPrices::uniform(
        "SEK",
        15,
        slot_prices
            .iter()
            .enumerate()
            .map(|(i, p)| (start + TimeDelta::minutes(15 * i as i64), *p)),
    );
    let rounds = 5;
    let t0 = Instant::now();
    for _ in 0..rounds {
        black_box(floor_cost(
            black_box(&points),
            start,
            &slot_prices,
            meter_minutes,
        ));
    }
    let floor = t0.elapsed().as_secs_f64() / f64::from(rounds);
    let meter = MeterSeries::NetPower {
        interval_s: (meter_minutes * 60) as u32,
        points,
    };
    let range = TimeRange::new(start, start + TimeDelta::days(days));
    let tariff = tariff();
    let t0 = Instant::now();
    let mut pieces = 0;
    for _ in 0..rounds {
        let report = compute_cost(&meter, &prices, &tariff, range).expect("valid inputs");
        pieces = report.intervals.len();
    }
    let per = t0.elapsed().as_secs_f64() / f64::from(rounds);
    println!(
        "| {label:<28} | {n:>9} | {pieces:>9} | {:>9.2} | {:>10.1} | {:>9.3} |",
        per * 1000.0,
        n as f64 / per / 1e6,
        floor * 1000.0
    );
    Row::new(
        "core",
        &format!("pricing: compute_cost, {label}"),
        Figure::new(per * 1000.0, "ms"),
        Better::Lower,
        "cargo bench -p novacore --bench pricing",
    )
    .peer(
        "one pass energy × spot price",
        Figure::new(floor * 1000.0, "ms"),
    )
    .note(&format!(
        "{n} meter points, 15-min prices, 3-peak power tariff"
    ))
}

fn main() {
    let start: DateTime<Utc> = "2025-12-31T23:00:00Z".parse().expect("timestamp");
    println!("| case                         | meter pts |    pieces |   ms/call | M pts/s    | floor ms  |");
    println!("|------------------------------|-----------|-----------|-----------|------------|-----------|");
    let rows = [
        run("month, 1-min meter", start, 31, 1),
        run("month, 15-min meter", start, 31, 15),
        run("year, 15-min meter", start, 365, 15),
        run("year, 1-min meter", start, 365, 1),
    ];
    bench_report::record("pricing", &rows);
}
