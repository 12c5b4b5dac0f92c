//! Meter shapes (samples, counters), gaps and coverage, and rejected input.

use super::*;

#[test]
fn gaps_are_reported_not_filled() {
    // Meter 10–12 and 13–14 (1 kW); prices 10–11 and 13–14 only (1000/MWh).
    // Imported 3 kWh; 1 kWh (11–12) unpriced; spot cost 2 × 1.0; grid fee on all 3 kWh.
    let mut meter_points = Vec::new();
    for ts in [
        "2026-06-10T10:00:00Z",
        "2026-06-10T11:00:00Z",
        "2026-06-10T13:00:00Z",
    ] {
        meter_points.push(NetPowerPoint {
            ts: utc(ts),
            w: 1000.0,
        });
    }
    let meter = MeterSeries::NetPower {
        interval_s: 3600,
        points: meter_points,
    };
    let mut p = prices("2026-06-10T10:00:00Z", 60, &[1000.0]);
    p.slots
        .extend(prices("2026-06-10T13:00:00Z", 60, &[1000.0]).slots);
    let mut tariff = bare_tariff();
    tariff.energy.push(EnergyComponent {
        name: "transfer".into(),
        price_per_kwh: 0.2,
        validity: Validity::default(),
    });
    let r = range("2026-06-10T10:00:00Z", "2026-06-10T14:00:00Z");
    let report = compute_cost(&meter, &p, &tariff, r).unwrap();
    close(report.import_kwh, 3.0);
    close(report.spot_cost, 2.0);
    close(report.grid_energy_fee, 0.6);
    let c = &report.coverage;
    assert_eq!(
        c.meter_gaps,
        vec![range("2026-06-10T12:00:00Z", "2026-06-10T13:00:00Z")]
    );
    assert_eq!(
        c.unpriced,
        vec![range("2026-06-10T11:00:00Z", "2026-06-10T12:00:00Z")]
    );
    close(c.metered_fraction, 0.75);
    close(c.priced_fraction, 2.0 / 3.0);
    close(c.unpriced_import_kwh, 1.0);
    assert!(report
        .intervals
        .iter()
        .all(|p| p.start != utc("2026-06-10T12:00:00Z")));
}

#[test]
fn raw_samples_hold_until_the_next_sample_or_max_hold() {
    // 1000 W at 0 s holds 30 s; 2000 W at 30 s holds 60 s (max); 3000 W at 200 s holds 60 s.
    // Energy: 1000×30 + 2000×60 + 3000×60 = 330 000 Ws = 91.666… Wh.
    let t0 = utc("2026-06-10T10:00:00Z");
    let at = |s: i64, w: f64| NetPowerPoint {
        ts: t0 + TimeDelta::seconds(s),
        w,
    };
    let meter = MeterSeries::NetPowerSamples {
        max_hold_s: 60,
        points: vec![at(200, 3000.0), at(0, 1000.0), at(30, 2000.0)],
    };
    let p = prices("2026-06-10T10:00:00Z", 15, &[1000.0]);
    let r = range("2026-06-10T10:00:00Z", "2026-06-10T10:05:00Z");
    let report = compute_cost(&meter, &p, &bare_tariff(), r).unwrap();
    close(report.import_kwh, 330_000.0 / 3_600_000.0);
    assert_eq!(
        report.coverage.meter_gaps,
        vec![
            TimeRange::new(t0 + TimeDelta::seconds(90), t0 + TimeDelta::seconds(200)),
            TimeRange::new(t0 + TimeDelta::seconds(260), t0 + TimeDelta::seconds(300)),
        ]
    );
}

#[test]
fn counters_give_energy_between_readings() {
    // 10:00 (100, 50) → 10:30 (600, 50) → 11:00 (600, 350) Wh:
    // 500 Wh import over 10:00–10:30 (250 Wh at 1.0, 250 Wh at −0.2 → 0.2),
    // 300 Wh export over 10:30–11:00 (150 Wh at 0.5, 150 Wh at 0 → 0.075).
    let reading = |ts: &str, import_wh: f64, export_wh: f64| CounterPoint {
        ts: utc(ts),
        import_wh,
        export_wh,
    };
    let meter = MeterSeries::Counters {
        points: vec![
            reading("2026-06-10T10:00:00Z", 100.0, 50.0),
            reading("2026-06-10T10:30:00Z", 600.0, 50.0),
            reading("2026-06-10T11:00:00Z", 600.0, 350.0),
        ],
    };
    let p = prices("2026-06-10T10:00:00Z", 15, &[1000.0, -200.0, 500.0, 0.0]);
    let r = range("2026-06-10T10:00:00Z", "2026-06-10T11:00:00Z");
    let report = compute_cost(&meter, &p, &bare_tariff(), r).unwrap();
    close(report.import_kwh, 0.5);
    close(report.export_kwh, 0.3);
    close(report.spot_cost, 0.2);
    close(report.export_revenue, 0.075);
}

#[test]
fn bad_input_is_a_typed_error() {
    let meter = net_buckets("2026-06-10T10:00:00Z", 60, 1, |_| 1000.0);
    let p = prices("2026-06-10T10:00:00Z", 60, &[1.0]);
    let r = range("2026-06-10T10:00:00Z", "2026-06-10T11:00:00Z");
    let ok = bare_tariff();

    let backwards = range("2026-06-10T11:00:00Z", "2026-06-10T10:00:00Z");
    assert!(matches!(
        compute_cost(&meter, &p, &ok, backwards),
        Err(PricingError::InvalidRange { .. })
    ));
    let mut eur = p.clone();
    eur.currency = "EUR".into();
    assert!(matches!(
        compute_cost(&meter, &eur, &ok, r),
        Err(PricingError::CurrencyMismatch { .. })
    ));
    let mut zone = ok.clone();
    zone.time_zone = "Mars/Olympus".into();
    assert_eq!(
        compute_cost(&meter, &p, &zone, r),
        Err(PricingError::UnknownTimeZone("Mars/Olympus".into()))
    );
    let mut hour = ok.clone();
    hour.energy.push(EnergyComponent {
        name: "x".into(),
        price_per_kwh: 1.0,
        validity: Validity {
            hours: vec![24],
            ..Validity::default()
        },
    });
    match compute_cost(&meter, &p, &hour, r) {
        Err(PricingError::InvalidTariff { field, .. }) => {
            assert_eq!(field, "energy[0].validity.hours")
        }
        other => panic!("expected InvalidTariff, got {other:?}"),
    }
    let overlapping = net_buckets("2026-06-10T10:00:00Z", 60, 2, |_| 1.0);
    let MeterSeries::NetPower { mut points, .. } = overlapping else {
        unreachable!()
    };
    points[1].ts = utc("2026-06-10T10:30:00Z");
    let overlapping = MeterSeries::NetPower {
        interval_s: 3600,
        points,
    };
    assert_eq!(
        compute_cost(&overlapping, &p, &ok, r),
        Err(PricingError::OverlappingMeterData {
            ts: utc("2026-06-10T10:30:00Z")
        })
    );
    let nan = net_buckets("2026-06-10T10:00:00Z", 60, 1, |_| f64::NAN);
    assert!(matches!(
        compute_cost(&nan, &p, &ok, r),
        Err(PricingError::InvalidMeterValue { .. })
    ));
    let ancient = net_buckets("0100-01-01T00:00:00Z", 60, 1, |_| 1.0);
    assert!(matches!(
        compute_cost(&ancient, &p, &ok, r),
        Err(PricingError::InvalidMeterValue { .. })
    ));
    let mut far = p.clone();
    far.slots[0].start = DateTime::<Utc>::MAX_UTC;
    assert!(matches!(
        compute_cost(&meter, &far, &ok, r),
        Err(PricingError::InvalidPriceSlot { .. })
    ));
    let reset = MeterSeries::Counters {
        points: vec![
            CounterPoint {
                ts: utc("2026-06-10T10:00:00Z"),
                import_wh: 500.0,
                export_wh: 0.0,
            },
            CounterPoint {
                ts: utc("2026-06-10T10:30:00Z"),
                import_wh: 10.0,
                export_wh: 0.0,
            },
        ],
    };
    assert_eq!(
        compute_cost(&reset, &p, &ok, r),
        Err(PricingError::CounterDecreased {
            ts: utc("2026-06-10T10:30:00Z")
        })
    );
}

#[test]
fn inputs_decode_from_plain_json_with_defaults() {
    let tariff: Tariff = serde_json::from_str(
        r#"{"time_zone":"Europe/Stockholm","currency":"SEK","fixed_per_month":300,
            "energy":[{"name":"day","price_per_kwh":0.5,"validity":{"hours":[6,7]}}],
            "power":[{"name":"peak","price_per_kw":45,"n_peaks":3}],"vat_rate":0.25}"#,
    )
    .unwrap();
    assert_eq!(tariff.power[0].peak_duration_minutes, 60);
    assert!(tariff.energy[0].validity.months.is_empty());
    let meter: MeterSeries = serde_json::from_str(
        r#"{"kind":"net_power","interval_s":900,"points":[{"ts":"2026-06-10T10:00:00Z","w":-250.5}]}"#,
    )
    .unwrap();
    assert!(matches!(
        meter,
        MeterSeries::NetPower {
            interval_s: 900,
            ..
        }
    ));
}

#[test]
fn an_energy_only_tariff_counts_energy_and_spot_cost_and_charges_nothing_else() {
    let t = Tariff::energy_only("Europe/Stockholm", "SEK");
    assert_eq!(t, bare_tariff());
    // 2 kW import for an hour, then 1 kW export for an hour, at 500 SEK/MWh.
    let meter = MeterSeries::NetPower {
        interval_s: 3600,
        points: vec![
            NetPowerPoint {
                ts: utc("2026-06-10T10:00:00Z"),
                w: 2000.0,
            },
            NetPowerPoint {
                ts: utc("2026-06-10T11:00:00Z"),
                w: -1000.0,
            },
        ],
    };
    let p = prices("2026-06-10T10:00:00Z", 60, &[500.0, 500.0]);
    let report = compute_cost(
        &meter,
        &p,
        &t,
        range("2026-06-10T10:00:00Z", "2026-06-10T12:00:00Z"),
    )
    .unwrap();
    close(report.import_kwh, 2.0);
    close(report.export_kwh, 1.0);
    close(report.spot_cost, 1.0);
    close(
        report.grid_energy_fee + report.power_charge + report.fixed_fee + report.vat,
        0.0,
    );
    assert!(report.power_months.is_empty());
}
