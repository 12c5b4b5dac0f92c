//! Property test: the fast `compute_cost` gives exactly the report of the original one
//! ([`super::reference`]) over random meter data, spot slots, tariffs and ranges.
//!
//! Reports are compared through their `Debug` text, which prints every float's shortest
//! round-trip form (so `-0.0` differs from `0.0`): equal text means bit-equal floats.

use chrono::{DateTime, TimeDelta, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::reference;
use super::*;

const ZONES: [&str; 5] = [
    "Europe/Stockholm",
    "Europe/Stockholm",
    "Asia/Kolkata",
    "Australia/Lord_Howe", // 30-minute DST shift
    "America/New_York",
];

/// Instants near DST changes and month ends in Stockholm (and elsewhere), where local hours and
/// months are irregular.
const ANCHORS: [&str; 6] = [
    "2026-03-28T20:00:00Z",
    "2026-10-24T20:00:00Z",
    "2026-01-30T12:00:00Z",
    "2026-04-04T10:00:00Z", // Lord Howe autumn change
    "2026-11-01T02:00:00Z", // New York autumn change
    "2026-06-10T00:00:00Z",
];

fn instant(rng: &mut StdRng) -> DateTime<Utc> {
    let anchor: DateTime<Utc> = ANCHORS[rng.gen_range(0..ANCHORS.len())].parse().unwrap();
    anchor + TimeDelta::minutes(rng.gen_range(-36 * 60..36 * 60))
}

/// Sub-minute misalignment, sometimes below a millisecond (the arithmetic truncates to ms).
fn jitter(rng: &mut StdRng) -> TimeDelta {
    match rng.gen_range(0..6) {
        0 => TimeDelta::seconds(rng.gen_range(1..60)),
        1 => TimeDelta::nanoseconds(rng.gen_range(1..2_000_000)),
        _ => TimeDelta::zero(),
    }
}

fn watts(rng: &mut StdRng) -> f64 {
    match rng.gen_range(0..8) {
        0 => 0.0,
        1 => -rng.gen_range(0.0..6000.0), // export
        _ => rng.gen_range(-2000.0..9000.0),
    }
}

fn meter(rng: &mut StdRng, start: DateTime<Utc>) -> MeterSeries {
    let step_min = [1, 15, 60][rng.gen_range(0..3)];
    let n = match step_min {
        1 => rng.gen_range(1..3000),
        15 => rng.gen_range(1..3200), // up to a month
        _ => rng.gen_range(1..800),
    };
    let gap_p = [0.0, 0.02, 0.3][rng.gen_range(0..3)];
    let start = start + jitter(rng);
    let ts: Vec<_> = (0..n)
        .filter(|_| !rng.gen_bool(gap_p))
        .map(|i| start + TimeDelta::minutes(step_min * i))
        .collect();
    let interval_s = (step_min * 60) as u32;
    match rng.gen_range(0..6) {
        0 => MeterSeries::SplitPower {
            interval_s,
            points: ts
                .iter()
                .map(|&ts| SplitPowerPoint {
                    ts,
                    import_w: watts(rng).max(0.0),
                    export_w: (-watts(rng)).max(0.0),
                })
                .collect(),
        },
        1 => MeterSeries::NetPowerSamples {
            max_hold_s: rng.gen_range(30..2 * interval_s),
            points: ts
                .iter()
                .map(|&ts| NetPowerPoint { ts, w: watts(rng) })
                .collect(),
        },
        2 => {
            let (mut imp, mut exp) = (1e6, 5e5);
            MeterSeries::Counters {
                points: ts
                    .iter()
                    .map(|&ts| {
                        imp += rng.gen_range(0.0..500.0);
                        exp += rng.gen_range(0.0..200.0);
                        CounterPoint {
                            ts,
                            import_wh: imp,
                            export_wh: exp,
                        }
                    })
                    .collect(),
            }
        }
        _ => {
            let mut points: Vec<_> = ts
                .iter()
                .map(|&ts| NetPowerPoint { ts, w: watts(rng) })
                .collect();
            if rng.gen_bool(0.2) {
                points.reverse(); // any order is allowed
            }
            MeterSeries::NetPower { interval_s, points }
        }
    }
}

fn spot(rng: &mut StdRng, start: DateTime<Utc>) -> SpotPrices {
    let mut slots = Vec::new();
    let mut t = start - TimeDelta::hours(rng.gen_range(0..30)) + jitter(rng);
    let gap_p = [0.0, 0.05, 0.3][rng.gen_range(0..3)];
    let mixed = rng.gen_bool(0.3);
    let mut minutes = [15, 60][rng.gen_range(0..2)];
    for _ in 0..rng.gen_range(0..4000) {
        if mixed && rng.gen_bool(0.02) {
            minutes = 75 - minutes; // switch between 15 and 60
        }
        if !rng.gen_bool(gap_p) {
            slots.push(PriceSlot {
                start: t,
                duration_minutes: minutes,
                price_per_mwh: rng.gen_range(-300.0..3000.0),
            });
        }
        t += TimeDelta::minutes(i64::from(minutes));
    }
    SpotPrices {
        currency: "SEK".into(),
        slots,
    }
}

fn validity(rng: &mut StdRng) -> Validity {
    let mut v = Validity::default();
    if rng.gen_bool(0.4) {
        v.hours = (rng.gen_range(0..8)..rng.gen_range(12..24)).collect();
    }
    if rng.gen_bool(0.3) {
        v.weekdays = (1..=5).collect();
    }
    if rng.gen_bool(0.3) {
        v.months = vec![11, 12, 1, 2, 3];
    }
    v
}

/// The Sandbox's tariff shapes (flat or time-of-use energy fee, fixed fee, hourly power charge
/// with 1, 3 or 5 peaks, VAT 25 %) plus randomised ones: several power components, 15/30/60-min
/// windows, one peak per day, restricted validity.
fn tariff(rng: &mut StdRng, zone: &str) -> Tariff {
    let mut t = Tariff {
        time_zone: zone.into(),
        currency: "SEK".into(),
        fixed_per_month: [0.0, 199.0, 292.0][rng.gen_range(0..3)],
        energy: vec![],
        energy_combination: EnergyCombination::Sum,
        power: vec![],
        vat_rate: [0.0, 0.25][rng.gen_range(0..2)],
    };
    let energy = |name: &str, price: f64, validity: Validity| EnergyComponent {
        name: name.into(),
        price_per_kwh: price,
        validity,
    };
    let power = |n_peaks: u32, minutes: u32, per_day: bool, validity: Validity| PowerComponent {
        name: format!("peak{n_peaks}"),
        price_per_kw: 65.0,
        n_peaks,
        peak_duration_minutes: minutes,
        one_peak_per_day: per_day,
        validity,
    };
    match rng.gen_range(0..4) {
        0 => t.energy = vec![energy("flat", 0.056, Validity::default())],
        1 => {
            // The Sandbox's time-of-use shape: high-load weekdays 06-22 Nov-Mar, else low.
            t.energy_combination = EnergyCombination::FirstMatch;
            t.energy = vec![
                energy(
                    "high",
                    0.56,
                    Validity {
                        months: vec![11, 12, 1, 2, 3],
                        weekdays: (1..=5).collect(),
                        hours: (6..22).collect(),
                    },
                ),
                energy("low", 0.18, Validity::default()),
            ];
        }
        2 => {
            t.energy = (0..rng.gen_range(1..4))
                .map(|i| energy(&format!("e{i}"), rng.gen_range(-0.1..0.9), validity(rng)))
                .collect();
            if rng.gen_bool(0.5) {
                t.energy_combination = EnergyCombination::FirstMatch;
            }
        }
        _ => {}
    }
    match rng.gen_range(0..4) {
        0 => {
            t.power = vec![power(
                [1, 3, 5][rng.gen_range(0..3)],
                60,
                false,
                Validity::default(),
            )]
        }
        1 => {
            t.power = (0..rng.gen_range(1..4))
                .map(|_| {
                    power(
                        rng.gen_range(1..6),
                        [15, 30, 60][rng.gen_range(0..3)],
                        rng.gen_bool(0.5),
                        validity(rng),
                    )
                })
                .collect()
        }
        _ => {}
    }
    t
}

#[test]
fn fast_compute_cost_equals_the_reference_exactly() {
    let mut rng = StdRng::seed_from_u64(0x5eed_c057);
    let mut compared = 0;
    for case in 0..400 {
        let zone = ZONES[rng.gen_range(0..ZONES.len())];
        let start = instant(&mut rng);
        let meter = meter(&mut rng, start);
        let prices = spot(&mut rng, start);
        let tariff = tariff(&mut rng, zone);
        let from = start + TimeDelta::minutes(rng.gen_range(-120..3000)) + jitter(&mut rng);
        let to = from + TimeDelta::minutes(rng.gen_range(-10..20000)) + jitter(&mut rng);
        let range = TimeRange::new(from, to);
        let fast = compute_cost(&meter, &prices, &tariff, range);
        let slow = reference::compute_cost(&meter, &prices, &tariff, range);
        compared += usize::from(slow.is_ok());
        assert_eq!(
            format!("{fast:?}"),
            format!("{slow:?}"),
            "case {case}: {zone} {range:?}"
        );
    }
    assert!(compared > 300, "only {compared} cases computed a report");
}
