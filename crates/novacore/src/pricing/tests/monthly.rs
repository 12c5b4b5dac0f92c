//! Month boundary: fixed fee prorated per calendar month, power charge from each month's peaks.

use super::*;

/// Hourly meter over local 2026-01-01 00:00 .. 2026-02-02 00:00 (Stockholm = UTC+1 in winter):
/// 1 kW base with a few peaks (local times): Jan 5 17:00 5 kW, Jan 10 08:00 6 kW,
/// Jan 10 09:00 4 kW, Jan 31 18:00 3 kW, Feb 1 19:00 7 kW.
fn winter_meter() -> MeterSeries {
    let start = utc("2025-12-31T23:00:00Z");
    let hours = (31 + 1) * 24;
    let peak = |local_utc: &str| (utc(local_utc) - start).num_hours() as usize;
    let peaks = [
        (peak("2026-01-05T16:00:00Z"), 5000.0),
        (peak("2026-01-10T07:00:00Z"), 6000.0),
        (peak("2026-01-10T08:00:00Z"), 4000.0),
        (peak("2026-01-31T17:00:00Z"), 3000.0),
        (peak("2026-02-01T18:00:00Z"), 7000.0),
    ];
    net_buckets("2025-12-31T23:00:00Z", 60, hours, |i| {
        peaks
            .iter()
            .find(|(h, _)| *h == i)
            .map_or(1000.0, |(_, w)| *w)
    })
}

fn power(one_peak_per_day: bool) -> PowerComponent {
    PowerComponent {
        name: "effekt".into(),
        price_per_kw: 50.0,
        n_peaks: 3,
        peak_duration_minutes: 60,
        one_peak_per_day,
        validity: Validity::default(),
    }
}

/// Local Jan 31 00:00 .. Feb 2 00:00: 24 h of January (744 h) and 24 h of February (672 h).
fn boundary_range() -> TimeRange {
    range("2026-01-30T23:00:00Z", "2026-02-01T23:00:00Z")
}

#[test]
fn fixed_fee_is_prorated_per_calendar_month() {
    // 744/month: January 744 × 24/744 = 24; February 744 × 24/672 = 26.571428…
    let mut tariff = bare_tariff();
    tariff.fixed_per_month = 744.0;
    let p = prices("2026-01-30T23:00:00Z", 60, &[0.0; 48]);
    let report = compute_cost(&winter_meter(), &p, &tariff, boundary_range()).unwrap();
    let months: Vec<_> = report
        .fixed_months
        .iter()
        .map(|m| (m.year, m.month))
        .collect();
    assert_eq!(months, vec![(2026, 1), (2026, 2)]);
    close(report.fixed_months[0].charge, 24.0);
    close(report.fixed_months[1].charge, 744.0 * 24.0 / 672.0);
    close(report.fixed_fee, 24.0 + 744.0 / 28.0);
}

#[test]
fn power_charge_uses_each_months_own_peaks() {
    // January top 3: 6, 5, 4 kW → avg 5 kW × 50 = 250/month; share 24/744.
    // February (data only on Feb 1): 7, 1, 1 kW → avg 3 kW × 50 = 150/month; share 24/672.
    let mut tariff = bare_tariff();
    tariff.power.push(power(false));
    let p = prices("2026-01-30T23:00:00Z", 60, &[0.0; 48]);
    let report = compute_cost(&winter_meter(), &p, &tariff, boundary_range()).unwrap();
    let jan = &report.power_months[0];
    assert_eq!((jan.year, jan.month), (2026, 1));
    let jan_peaks: Vec<_> = jan.peaks.iter().map(|p| (p.start, p.kw)).collect();
    assert_eq!(
        jan_peaks,
        vec![
            (utc("2026-01-10T07:00:00Z"), 6.0),
            (utc("2026-01-05T16:00:00Z"), 5.0),
            (utc("2026-01-10T08:00:00Z"), 4.0),
        ]
    );
    close(jan.month_charge, 250.0);
    close(jan.charge, 250.0 * 24.0 / 744.0);
    let feb = &report.power_months[1];
    assert_eq!(feb.peaks[0].start, utc("2026-02-01T18:00:00Z"));
    close(feb.average_kw, 3.0);
    close(feb.charge, 150.0 * 24.0 / 672.0);
    close(report.power_charge, jan.charge + feb.charge);
    assert!(jan.complete && feb.complete);
}

#[test]
fn one_peak_per_day_skips_second_peak_of_a_day() {
    // Distinct days: Jan 10 6 kW, Jan 5 5 kW, Jan 31 3 kW → avg 14/3 kW × 50.
    let mut tariff = bare_tariff();
    tariff.power.push(power(true));
    let p = prices("2026-01-30T23:00:00Z", 60, &[0.0; 48]);
    let report = compute_cost(&winter_meter(), &p, &tariff, boundary_range()).unwrap();
    let jan = &report.power_months[0];
    let kws: Vec<f64> = jan.peaks.iter().map(|p| p.kw).collect();
    assert_eq!(kws, vec![6.0, 5.0, 3.0]);
    close(jan.month_charge, 50.0 * 14.0 / 3.0);
}

#[test]
fn hourly_peak_is_the_hours_average_not_the_highest_quarter() {
    // Quarters of 8, 0, 0, 0 kW make a 2 kW hour; the next hour of 3 kW flat is higher.
    let meter = net_buckets("2026-01-10T07:00:00Z", 15, 8, |i| match i {
        0 => 8000.0,
        4..=7 => 3000.0,
        _ => 0.0,
    });
    let mut tariff = bare_tariff();
    tariff.power.push(PowerComponent {
        n_peaks: 1,
        ..power(false)
    });
    let p = prices("2026-01-10T07:00:00Z", 60, &[0.0, 0.0]);
    let r = range("2026-01-10T07:00:00Z", "2026-01-10T09:00:00Z");
    let report = compute_cost(&meter, &p, &tariff, r).unwrap();
    let peaks = &report.power_months[0].peaks;
    assert_eq!(peaks.len(), 1);
    assert_eq!(peaks[0].start, utc("2026-01-10T08:00:00Z"));
    close(peaks[0].kw, 3.0);
}

#[test]
fn power_validity_limits_which_hours_can_peak() {
    // Only local hours 07..=19 on weekdays count: Jan 10 2026 is a Saturday, so its peaks drop
    // out; January's top 3 become Jan 5 17:00 5 kW and two 1 kW base hours.
    let mut tariff = bare_tariff();
    tariff.power.push(PowerComponent {
        validity: Validity {
            weekdays: (1..=5).collect(),
            hours: (7..=19).collect(),
            ..Validity::default()
        },
        ..power(false)
    });
    let p = prices("2026-01-30T23:00:00Z", 60, &[0.0; 48]);
    let report = compute_cost(&winter_meter(), &p, &tariff, boundary_range()).unwrap();
    let kws: Vec<f64> = report.power_months[0].peaks.iter().map(|p| p.kw).collect();
    assert_eq!(kws, vec![5.0, 1.0, 1.0]);
}

#[test]
fn the_days_of_a_month_add_up_to_the_month() {
    // Proration rule: costing each local day of January separately and summing gives exactly
    // the cost of the whole month, monthly charges included.
    let mut tariff = bare_tariff();
    tariff.fixed_per_month = 300.0;
    tariff.power.push(power(true));
    tariff.energy.push(EnergyComponent {
        name: "transfer".into(),
        price_per_kwh: 0.25,
        validity: Validity::default(),
    });
    let meter = winter_meter();
    let p = prices(
        "2025-12-31T23:00:00Z",
        60,
        &(0..32 * 24)
            .map(|i| (i % 7) as f64 * 100.0 - 150.0)
            .collect::<Vec<_>>(),
    );
    let month = range("2025-12-31T23:00:00Z", "2026-01-31T23:00:00Z");
    let whole = compute_cost(&meter, &p, &tariff, month).unwrap();
    let mut sum = 0.0;
    let mut day = month.from;
    while day < month.to {
        let next = day + TimeDelta::days(1);
        sum += compute_cost(&meter, &p, &tariff, TimeRange::new(day, next))
            .unwrap()
            .total_ex_vat;
        day = next;
    }
    assert!(
        (sum - whole.total_ex_vat).abs() < 1e-6,
        "{sum} vs {}",
        whole.total_ex_vat
    );
    close(whole.fixed_fee, 300.0);
    close(whole.power_months[0].share, 1.0);
}
