//! Eltariff JSON (the shapes the sandbox serves, reference §6.2) mapped into a [`Tariff`].

use serde_json::json;

use super::*;

/// Time-of-use tariff, "other time" deliberately listed first: the mapping must still let the
/// more specific high-load component win.
fn time_of_use() -> serde_json::Value {
    json!({"tariff": {"id": "vattenfall-tid-2026", "timeZone": "Europe/Stockholm", "billingPeriod": "P1M",
        "fixedPrice": {"components": [{"name": "Fast avgift", "priceExVat": null, "price": {"priceExVat": 199.0, "priceIncVat": 248.75, "currency": "SEK"}, "pricedPeriod": "P1M"}]},
        "energyPrice": {"components": [
            {"name": "Övrig tid", "price": {"priceExVat": 0.212, "priceIncVat": 0.265, "currency": "SEK"}, "pricedPeriod": "kWh"},
            {"name": "Höglasttid", "price": {"priceExVat": 0.612, "priceIncVat": 0.765, "currency": "SEK"}, "pricedPeriod": "kWh",
             "validPeriod": {"fromIncluding": "06:00", "toExcluding": "22:00"},
             "weekdays": ["Mon", "Tue", "Wed", "Thu", "Fri"], "months": [11, 12, 1, 2, 3]}]},
        "powerPrice": {"components": []}}})
}

#[test]
fn time_of_use_alternatives_map_to_first_match() {
    let tariff = Tariff::from_eltariff(&time_of_use()).unwrap();
    assert_eq!(tariff.energy_combination, EnergyCombination::FirstMatch);
    assert_eq!(tariff.energy[0].name, "Höglasttid");
    assert_eq!(tariff.energy[0].validity.hours, (6..22).collect::<Vec<_>>());
    assert_eq!(tariff.energy[0].validity.weekdays, vec![1, 2, 3, 4, 5]);
    close(tariff.vat_rate, 0.25);
    close(tariff.fixed_per_month, 199.0);
    assert_eq!(tariff.currency, "SEK");

    // Wednesday 2026-01-14 (local), 1 kW all day: 16 high-load hours × 0.612 + 8 × 0.212.
    let meter = net_buckets("2026-01-13T23:00:00Z", 60, 24, |_| 1000.0);
    let p = prices("2026-01-13T23:00:00Z", 60, &[0.0; 24]);
    let r = range("2026-01-13T23:00:00Z", "2026-01-14T23:00:00Z");
    let report = compute_cost(&meter, &p, &tariff, r).unwrap();
    close(report.grid_energy_fee, 16.0 * 0.612 + 8.0 * 0.212);
    // Saturday 2026-01-17: only "other time".
    let meter = net_buckets("2026-01-16T23:00:00Z", 60, 24, |_| 1000.0);
    let p = prices("2026-01-16T23:00:00Z", 60, &[0.0; 24]);
    let r = range("2026-01-16T23:00:00Z", "2026-01-17T23:00:00Z");
    let report = compute_cost(&meter, &p, &tariff, r).unwrap();
    close(report.grid_energy_fee, 24.0 * 0.212);
}

#[test]
fn power_component_reads_peak_settings() {
    let v = json!({"tariff": {"id": "ellevio-effekt-2026", "timeZone": "Europe/Stockholm",
        "fixedPrice": {"components": [{"name": "Fast avgift", "price": {"priceExVat": 3504.0, "currency": "SEK"}, "pricedPeriod": "P1Y"}]},
        "energyPrice": {"components": [{"name": "Överföringsavgift", "priceExVat": 0.056, "pricedPeriod": "kWh"}]},
        "powerPrice": {"costFunction": "peak", "components": [{"name": "Effektavgift", "type": "peak",
            "price": {"priceExVat": 65.0, "priceIncVat": 81.25, "currency": "SEK"}, "pricedPeriod": "P1M",
            "validPeriod": {"fromIncluding": "2026-01-01", "toExcluding": "2027-01-01"},
            "peakIdentificationSettings": {"peakFunction": "max", "peakIdentificationPeriod": "P1M",
                "peakDuration": "PT15M", "numberOfPeaksForAverageCalculation": 3}}]}}});
    let tariff = Tariff::from_eltariff(&v).unwrap();
    close(tariff.fixed_per_month, 292.0); // 3504 a year
    let p = &tariff.power[0];
    assert_eq!((p.n_peaks, p.peak_duration_minutes), (3, 15));
    close(p.price_per_kw, 65.0);
    assert!(
        p.validity.hours.is_empty(),
        "a date validPeriod is not time of day"
    );
    close(tariff.vat_rate, 0.25);
}

#[test]
fn night_window_wraps_midnight_and_bad_components_are_named() {
    let v = json!({"timeZone": "Europe/Stockholm", "energyPrice": {"components": [
        {"name": "natt", "priceExVat": 0.1, "validPeriod": {"fromIncluding": "22:00:00", "toExcluding": "06:00:00"}}]}});
    let tariff = Tariff::from_eltariff(&v).unwrap();
    assert_eq!(
        tariff.energy[0].validity.hours,
        vec![22, 23, 0, 1, 2, 3, 4, 5]
    );

    let no_price = json!({"energyPrice": {"components": [{"name": "x"}]}});
    match Tariff::from_eltariff(&no_price) {
        Err(PricingError::InvalidTariff { field, .. }) => {
            assert_eq!(field, "energyPrice.components[0]")
        }
        other => panic!("expected InvalidTariff, got {other:?}"),
    }
    let bad_zone = json!({"timeZone": "Nowhere/Land"});
    assert!(matches!(
        Tariff::from_eltariff(&bad_zone),
        Err(PricingError::UnknownTimeZone(_))
    ));
}
