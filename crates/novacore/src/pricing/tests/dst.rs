//! DST change days in Stockholm: 29 March 2026 has 23 local hours (02:00 is skipped),
//! 25 October 2026 has 25 (02:00 happens twice).

use super::*;

/// Base fee 0.1/kWh always, 0.5/kWh in local hours 06–21, 1.0/kWh in local hour 02 only.
fn time_of_use_tariff(fixed_per_month: f64) -> Tariff {
    let mut t = bare_tariff();
    t.fixed_per_month = fixed_per_month;
    let comp = |name: &str, price: f64, hours: Vec<u32>| EnergyComponent {
        name: name.into(),
        price_per_kwh: price,
        validity: Validity {
            hours,
            ..Validity::default()
        },
    };
    t.energy = vec![
        comp("base", 0.1, vec![]),
        comp("day", 0.5, (6..=21).collect()),
        comp("two-o'clock", 1.0, vec![2]),
    ];
    t
}

#[test]
fn spring_forward_day_has_23_hours() {
    // Local day 2026-03-29 = 2026-03-28T23:00Z .. 2026-03-29T22:00Z, 23 h of 1000 W = 23 kWh.
    // Grid fee: base 23 × 0.1 = 2.3; day hours 06..=21 = 16 h × 0.5 = 8.0; hour 02 doesn't exist.
    // Spot 100/MWh → 23 × 0.1 = 2.3. Fixed: March has 743 h; 743/month × 23/743 = 23.
    let meter = net_buckets("2026-03-28T20:00:00Z", 60, 30, |_| 1000.0);
    let p = prices("2026-03-28T20:00:00Z", 60, &[100.0; 30]);
    let r = range("2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z");
    let report = compute_cost(&meter, &p, &time_of_use_tariff(743.0), r).unwrap();
    close(report.import_kwh, 23.0);
    close(report.grid_energy_fee, 2.3 + 8.0);
    close(report.spot_cost, 2.3);
    close(report.fixed_fee, 23.0);
    assert_eq!(report.fixed_months.len(), 1);
    close(report.total_ex_vat, 2.3 + 10.3 + 23.0);
}

#[test]
fn fall_back_day_has_25_hours_and_hour_two_twice() {
    // Local day 2026-10-25 = 2026-10-24T22:00Z .. 2026-10-25T23:00Z, 25 h of 1000 W = 25 kWh.
    // Grid fee: base 2.5; day 16 × 0.5 = 8.0; hour 02 twice × 1.0 = 2.0. Fixed: 745/745 h × 25.
    let meter = net_buckets("2026-10-24T20:00:00Z", 60, 30, |_| 1000.0);
    let p = prices("2026-10-24T20:00:00Z", 60, &[100.0; 30]);
    let r = range("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z");
    let report = compute_cost(&meter, &p, &time_of_use_tariff(745.0), r).unwrap();
    close(report.import_kwh, 25.0);
    close(report.grid_energy_fee, 2.5 + 8.0 + 2.0);
    close(report.fixed_fee, 25.0);
    let two_oclock: Vec<_> = report
        .intervals
        .iter()
        .filter(|p| p.grid_fee_per_kwh > 1.0)
        .map(|p| p.start)
        .collect();
    assert_eq!(
        two_oclock,
        vec![utc("2026-10-25T00:00:00Z"), utc("2026-10-25T01:00:00Z")]
    );
}

#[test]
fn hourly_peaks_follow_local_hours_on_the_fall_back_day() {
    // Both 02:00 local hours are separate peak windows: 5 kW at 00:00Z and 3 kW at 01:00Z.
    let meter = net_buckets("2026-10-24T22:00:00Z", 60, 25, |i| match i {
        2 => 5000.0,
        3 => 3000.0,
        _ => 0.0,
    });
    let mut tariff = bare_tariff();
    tariff.power.push(PowerComponent {
        name: "peak".into(),
        price_per_kw: 10.0,
        n_peaks: 2,
        peak_duration_minutes: 60,
        one_peak_per_day: false,
        validity: Validity::default(),
    });
    let p = prices("2026-10-24T22:00:00Z", 60, &[0.0; 25]);
    let r = range("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z");
    let report = compute_cost(&meter, &p, &tariff, r).unwrap();
    let month = &report.power_months[0];
    let peaks: Vec<_> = month.peaks.iter().map(|p| (p.start, p.kw)).collect();
    assert_eq!(
        peaks,
        vec![
            (utc("2026-10-25T00:00:00Z"), 5.0),
            (utc("2026-10-25T01:00:00Z"), 3.0)
        ]
    );
    close(month.month_charge, 40.0); // avg 4 kW × 10
    close(month.share, 25.0 / 745.0);
}
