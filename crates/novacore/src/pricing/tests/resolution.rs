//! Meter at 1 min / 15 min / 1 h against prices at 15 / 60 min, with negative prices.

use super::*;

/// 15-min prices for 10:00–11:00Z: 1000, −200, 500, 0 SEK/MWh.
fn quarter_prices() -> SpotPrices {
    prices("2026-06-10T10:00:00Z", 15, &[1000.0, -200.0, 500.0, 0.0])
}

#[test]
fn one_minute_meter_with_quarter_hour_negative_prices() {
    // Quarter 1: +2000 W → import 0.5 kWh × 1.0 = 0.5
    // Quarter 2: −3000 W → export 0.75 kWh × −0.2 = revenue −0.15 (exporting costs money)
    // Quarter 3: +1200 W → import 0.3 kWh × 0.5 = 0.15
    // Quarter 4:  −600 W → export 0.15 kWh × 0 = 0
    let meter = net_buckets("2026-06-10T10:00:00Z", 1, 60, |i| {
        [2000.0, -3000.0, 1200.0, -600.0][i / 15]
    });
    let mut tariff = bare_tariff();
    tariff.vat_rate = 0.25;
    let r = range("2026-06-10T10:00:00Z", "2026-06-10T11:00:00Z");
    let report = compute_cost(&meter, &quarter_prices(), &tariff, r).unwrap();
    close(report.import_kwh, 0.8);
    close(report.export_kwh, 0.9);
    close(report.spot_cost, 0.65);
    close(report.export_revenue, -0.15);
    close(report.total_ex_vat, 0.80); // 0.65 − (−0.15)
    close(report.vat, 0.1625); // 25 % of the charges only, not of the export
    close(report.total_inc_vat, 0.9625);
    assert_eq!(report.intervals.len(), 60, "one piece per meter minute");
    let second = &report.intervals[15];
    assert_eq!(second.start, utc("2026-06-10T10:15:00Z"));
    close(second.spot_price_per_kwh.unwrap(), -0.2);
    close(second.export_kwh, 0.05); // 3 kW for one minute
    close(second.export_revenue, -0.01); // 0.05 kWh × −0.2
    close(report.coverage.metered_fraction, 1.0);
    close(report.coverage.priced_fraction, 1.0);
    assert!(report.coverage.meter_gaps.is_empty());
}

#[test]
fn hourly_meter_is_spread_evenly_over_quarter_hour_prices() {
    // 4000 W for the hour = 4 kWh, 1 kWh per quarter: 1.0 − 0.2 + 0.5 + 0 = 1.3
    let meter = net_buckets("2026-06-10T10:00:00Z", 60, 1, |_| 4000.0);
    let r = range("2026-06-10T10:00:00Z", "2026-06-10T11:00:00Z");
    let report = compute_cost(&meter, &quarter_prices(), &bare_tariff(), r).unwrap();
    close(report.spot_cost, 1.3);
    let per_piece: Vec<f64> = report.intervals.iter().map(|p| p.import_kwh).collect();
    assert_eq!(per_piece.len(), 4);
    for kwh in per_piece {
        close(kwh, 1.0);
    }
}

#[test]
fn quarter_hour_split_meter_against_hourly_prices() {
    // Import 1000/2000/3000/4000 W per quarter = 0.25+0.5+0.75+1.0 = 2.5 kWh at 0.8 = 2.0;
    // export 400 W in the last quarter = 0.1 kWh at 0.8 = 0.08. Grid fee 0.3/kWh on import = 0.75.
    let start = utc("2026-06-10T10:00:00Z");
    let meter = MeterSeries::SplitPower {
        interval_s: 900,
        points: (0..4)
            .map(|i| SplitPowerPoint {
                ts: start + TimeDelta::minutes(15 * i),
                import_w: 1000.0 * (i + 1) as f64,
                export_w: if i == 3 { 400.0 } else { 0.0 },
            })
            .collect(),
    };
    let mut tariff = bare_tariff();
    tariff.energy.push(EnergyComponent {
        name: "transfer".into(),
        price_per_kwh: 0.3,
        validity: Validity::default(),
    });
    let p = prices("2026-06-10T10:00:00Z", 60, &[800.0]);
    let r = range("2026-06-10T10:00:00Z", "2026-06-10T11:00:00Z");
    let report = compute_cost(&meter, &p, &tariff, r).unwrap();
    close(report.import_kwh, 2.5);
    close(report.spot_cost, 2.0);
    close(report.export_revenue, 0.08);
    close(report.grid_energy_fee, 0.75);
    close(report.total_ex_vat, 2.0 - 0.08 + 0.75);
}

#[test]
fn range_cuts_meter_buckets_pro_rata() {
    // One hourly bucket of 4000 W; the range is its second half: 2 kWh, falling in quarters 3
    // and 4 of quarter_prices(): 1 kWh × 0.5 + 1 kWh × 0 = 0.5
    let meter = net_buckets("2026-06-10T10:00:00Z", 60, 1, |_| 4000.0);
    let r = range("2026-06-10T10:30:00Z", "2026-06-10T11:00:00Z");
    let report = compute_cost(&meter, &quarter_prices(), &bare_tariff(), r).unwrap();
    close(report.import_kwh, 2.0);
    close(report.spot_cost, 0.5);
}
