//! Electricity cost of a site for any time range: spot energy cost and export revenue, the grid
//! tariff's energy fee, power (peak) charge and fixed fee, VAT, and per-interval costs.
//!
//! Pure computation, no I/O. Inputs are plain serde types ([`MeterSeries`], [`SpotPrices`],
//! [`Tariff`]); [`compute_cost`] returns a [`CostReport`]. Adapters build them from the SDK's
//! models: [`MeterSeries::from_history`], [`SpotPrices::from_day_ahead`], [`Tariff::from_sdk`]
//! (or [`Tariff::from_eltariff`] for raw Eltariff JSON).
//!
//! ```
//! use novacore::pricing::*;
//! let t0: chrono::DateTime<chrono::Utc> = "2026-06-10T10:00:00Z".parse().unwrap();
//! let meter = MeterSeries::NetPower {
//!     interval_s: 3600,
//!     points: vec![NetPowerPoint { ts: t0, w: 2000.0 }], // 2 kWh imported
//! };
//! let prices = SpotPrices::uniform("SEK", 60, [(t0, 500.0)]); // 0.50 SEK/kWh
//! let tariff: Tariff = serde_json::from_str(
//!     r#"{"time_zone":"Europe/Stockholm","currency":"SEK","vat_rate":0.25}"#,
//! ).unwrap();
//! let range = TimeRange::new(t0, t0 + chrono::TimeDelta::hours(1));
//! let report = compute_cost(&meter, &prices, &tariff, range).unwrap();
//! assert!((report.spot_cost - 1.0).abs() < 1e-9);
//! assert!((report.total_inc_vat - 1.25).abs() < 1e-9);
//! ```
//!
//! Rules (all documented on the types too):
//! - **Time**: instants are UTC; hours, weekdays and months are judged in the tariff's time zone,
//!   so DST days have 23 or 25 hours and billing months follow local midnight.
//! - **Resolution**: meter data at any resolution, prices at any slot length. A meter interval's
//!   energy is split over price slots and local hours in proportion to time (constant power
//!   assumed inside one meter interval).
//! - **Grid energy fee**: components valid at the same time add up
//!   ([`EnergyCombination::Sum`]) or the first valid one applies
//!   ([`EnergyCombination::FirstMatch`], used for Eltariff alternatives).
//! - **Power charge**: per local month, the average of the `n_peaks` highest windows (hourly
//!   for `PT1H`, aligned to local hours; optionally one per day), times the price per kW; the
//!   report lists the peaks (window start + kW).
//! - **Gaps**: missing meter data is not invented; it shows in [`Coverage::meter_gaps`].
//!   Metered time without a spot price counts for energy and grid fee but not for spot cost or
//!   export revenue; it shows in [`Coverage::unpriced`].
//! - **Monthly charges**: the fixed fee and the power charge of each local month are attributed
//!   to the range by its share of the month's duration (a range covering half of the hours of a
//!   month pays half); the power charge's peaks come from all the given meter data of that month.
//! - **Signs**: `total_ex_vat = spot_cost − export_revenue + grid_energy_fee + power_charge +
//!   fixed_fee`; negative prices make negative spot costs and negative export revenue.
//! - **VAT**: `vat_rate` applies to every charge (including a negative spot cost) but not to
//!   export revenue.

mod calendar;
mod eltariff;
mod energy;
mod error;
mod from_sdk;
mod meter;
mod peaks;
mod report;
mod spot;
mod tariff;

#[cfg(test)]
mod tests;

pub use error::{PricingError, Result};
pub use meter::{CounterPoint, MeterSeries, NetPowerPoint, SplitPowerPoint};
pub use report::{
    CostReport, Coverage, FixedFeeMonth, IntervalCost, Peak, PowerChargeMonth, TimeRange,
};
pub use spot::{PriceSlot, SpotPrices};
pub use tariff::{EnergyCombination, EnergyComponent, PowerComponent, Tariff, Validity};

/// Computes the cost of `range` from a meter series, spot prices and a grid tariff.
///
/// Meter data outside `range` is used only for the power charge's monthly peaks.
pub fn compute_cost(
    meter: &MeterSeries,
    prices: &SpotPrices,
    tariff: &Tariff,
    range: TimeRange,
) -> Result<CostReport> {
    let era = calendar::in_supported_era;
    if range.from >= range.to || !era(range.from) || !era(range.to) {
        return Err(PricingError::InvalidRange {
            from: range.from,
            to: range.to,
        });
    }
    let tz = tariff.validated_zone()?;
    if !prices.currency.eq_ignore_ascii_case(&tariff.currency) {
        return Err(PricingError::CurrencyMismatch {
            spot: prices.currency.clone(),
            tariff: tariff.currency.clone(),
        });
    }
    let slots = prices.sorted_slots()?;
    let intervals = meter.to_intervals()?;

    let costs = energy::energy_costs(&intervals, &slots, tariff, tz, range);
    let power_months = peaks::power_charges(&intervals, tariff, tz, range);
    let fixed_months = peaks::fixed_fees(tariff, tz, range);

    let sums = PieceSums::of(&costs.pieces);
    let (import_kwh, export_kwh) = (sums.import_kwh, sums.export_kwh);
    let (spot_cost, export_revenue) = (sums.spot_cost, sums.export_revenue);
    let grid_energy_fee = sums.grid_energy_fee;
    let power_charge: f64 = power_months.iter().map(|m| m.charge).sum();
    let fixed_fee: f64 = fixed_months.iter().map(|m| m.charge).sum();
    let charges = spot_cost + grid_energy_fee + power_charge + fixed_fee;
    let total_ex_vat = charges - export_revenue;
    let vat = tariff.vat_rate * charges;

    let metered_s: f64 = costs.metered.iter().map(TimeRange::seconds).sum();
    let unpriced_s: f64 = costs.unpriced.iter().map(TimeRange::seconds).sum();
    let coverage = Coverage {
        metered_fraction: metered_s / range.seconds(),
        priced_fraction: if metered_s > 0.0 {
            (metered_s - unpriced_s) / metered_s
        } else {
            0.0
        },
        meter_gaps: energy::complement(range, &costs.metered),
        unpriced_import_kwh: sums.unpriced_import_kwh,
        unpriced_export_kwh: sums.unpriced_export_kwh,
        unpriced: costs.unpriced,
    };

    Ok(CostReport {
        range,
        currency: tariff.currency.clone(),
        import_kwh,
        export_kwh,
        spot_cost,
        export_revenue,
        grid_energy_fee,
        power_charge,
        fixed_fee,
        total_ex_vat,
        vat,
        total_inc_vat: total_ex_vat + vat,
        power_months,
        fixed_months,
        intervals: costs.pieces,
        coverage,
    })
}

/// The report's sums over the pieces, in one pass: a year of 1-minute pieces is tens of
/// megabytes, so seven passes cost more than the additions.
struct PieceSums {
    import_kwh: f64,
    export_kwh: f64,
    spot_cost: f64,
    export_revenue: f64,
    grid_energy_fee: f64,
    unpriced_import_kwh: f64,
    unpriced_export_kwh: f64,
}

impl PieceSums {
    fn of(pieces: &[IntervalCost]) -> Self {
        // `Iterator::sum`'s own start value and left-to-right order, so each total is
        // bit-equal to summing its field alone.
        let zero = std::iter::empty::<f64>().sum::<f64>();
        let mut s = PieceSums {
            import_kwh: zero,
            export_kwh: zero,
            spot_cost: zero,
            export_revenue: zero,
            grid_energy_fee: zero,
            unpriced_import_kwh: zero,
            unpriced_export_kwh: zero,
        };
        for p in pieces {
            s.import_kwh += p.import_kwh;
            s.export_kwh += p.export_kwh;
            s.spot_cost += p.spot_cost;
            s.export_revenue += p.export_revenue;
            s.grid_energy_fee += p.grid_energy_fee;
            if p.spot_price_per_kwh.is_none() {
                s.unpriced_import_kwh += p.import_kwh;
                s.unpriced_export_kwh += p.export_kwh;
            }
        }
        s
    }
}
