//! Cost computation speed: a month and a year of meter data at 1 min and 15 min against
//! 15-minute spot prices and a tariff with time-of-use fees and a 3-peak power charge.
//! Run: `cargo bench -p novacore --bench pricing`.

use std::time::Instant;

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

fn run(label: &str, start: DateTime<Utc>, days: i64, meter_minutes: i64) {
    let n = days * 24 * 60 / meter_minutes;
    let meter = MeterSeries::NetPower {
        interval_s: (meter_minutes * 60) as u32,
        points: (0..n)
            .map(|i| NetPowerPoint {
                ts: start + TimeDelta::minutes(i * meter_minutes),
                w: ((i % 97) as f64 - 40.0) * 50.0,
            })
            .collect(),
    };
    let slots = days * 96;
    let prices = SpotPrices::uniform(
        "SEK",
        15,
        (0..slots).map(|i| {
            (
                start + TimeDelta::minutes(15 * i),
                (i % 50) as f64 * 20.0 - 100.0,
            )
        }),
    );
    let range = TimeRange::new(start, start + TimeDelta::days(days));
    let tariff = tariff();
    let rounds = 5;
    let t0 = Instant::now();
    let mut pieces = 0;
    for _ in 0..rounds {
        let report = compute_cost(&meter, &prices, &tariff, range).expect("valid inputs");
        pieces = report.intervals.len();
    }
    let per = t0.elapsed().as_secs_f64() / f64::from(rounds);
    println!(
        "| {label:<28} | {n:>9} | {pieces:>9} | {:>9.2} | {:>10.1} |",
        per * 1000.0,
        n as f64 / per / 1e6
    );
}

fn main() {
    let start: DateTime<Utc> = "2025-12-31T23:00:00Z".parse().expect("timestamp");
    println!("| case                         | meter pts |    pieces |   ms/call | M pts/s    |");
    println!("|------------------------------|-----------|-----------|-----------|------------|");
    run("month, 1-min meter", start, 31, 1);
    run("month, 15-min meter", start, 31, 15);
    run("year, 15-min meter", start, 365, 15);
    run("year, 1-min meter", start, 365, 1);
}
