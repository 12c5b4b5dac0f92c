//! The result of a cost computation: totals, the breakdown behind them and the data coverage.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A half-open UTC time range `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimeRange {
    /// Inclusive start.
    pub from: DateTime<Utc>,
    /// Exclusive end.
    pub to: DateTime<Utc>,
}

impl TimeRange {
    /// Builds `[from, to)`.
    pub fn new(from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        Self { from, to }
    }

    /// Length in seconds.
    pub fn seconds(&self) -> f64 {
        (self.to - self.from).num_milliseconds() as f64 / 1000.0
    }
}

/// Costs of one piece of time: a meter interval cut at price-slot and local-hour boundaries.
/// Amounts are ex VAT; `total` excludes the power charge and fixed fee (they are monthly).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IntervalCost {
    /// Piece start.
    pub start: DateTime<Utc>,
    /// Piece end (exclusive).
    pub end: DateTime<Utc>,
    /// Imported energy, kWh.
    pub import_kwh: f64,
    /// Exported energy, kWh.
    pub export_kwh: f64,
    /// Spot price per kWh in this piece, `None` when no price slot covers it.
    pub spot_price_per_kwh: Option<f64>,
    /// `import_kwh × spot price` (0 when unpriced).
    pub spot_cost: f64,
    /// `export_kwh × spot price` (0 when unpriced; negative when the price is negative).
    pub export_revenue: f64,
    /// Grid energy fee per kWh applicable here (sum of valid components).
    pub grid_fee_per_kwh: f64,
    /// `import_kwh × grid_fee_per_kwh`.
    pub grid_energy_fee: f64,
    /// `spot_cost − export_revenue + grid_energy_fee`.
    pub total: f64,
}

/// One of the peaks a power charge was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Peak {
    /// Start of the peak window (a local hour start for `PT1H`).
    pub start: DateTime<Utc>,
    /// Average import power over the window, kW.
    pub kw: f64,
}

/// A power charge for one billing month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerChargeMonth {
    /// Name of the tariff's power component.
    pub component: String,
    /// Local year and month of the billing month.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// The billing month's UTC bounds.
    pub month_range: TimeRange,
    /// The highest windows, highest first (fewer than `n_peaks` when data is short).
    pub peaks: Vec<Peak>,
    /// Whether `n_peaks` peaks were found.
    pub complete: bool,
    /// Average of `peaks`, kW (0 without peaks).
    pub average_kw: f64,
    /// `average_kw × price_per_kw`: what the whole month costs.
    pub month_charge: f64,
    /// The range's share of the month (by duration).
    pub share: f64,
    /// `month_charge × share`: the part attributed to the range.
    pub charge: f64,
}

/// The fixed fee attributed to one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FixedFeeMonth {
    /// Local year.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// The month's UTC bounds.
    pub month_range: TimeRange,
    /// The range's share of the month (by duration).
    pub share: f64,
    /// `fixed_per_month × share`.
    pub charge: f64,
}

/// How much of the range the inputs actually covered. Missing data is never invented.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Fraction of the range covered by meter data (0–1).
    pub metered_fraction: f64,
    /// Fraction of the metered time that also had a spot price (0–1).
    pub priced_fraction: f64,
    /// Parts of the range without meter data.
    pub meter_gaps: Vec<TimeRange>,
    /// Metered parts of the range without a spot price.
    pub unpriced: Vec<TimeRange>,
    /// Energy imported while unpriced (not in `spot_cost`), kWh.
    pub unpriced_import_kwh: f64,
    /// Energy exported while unpriced (not in `export_revenue`), kWh.
    pub unpriced_export_kwh: f64,
}

/// Everything a cost computation found for a range. Amounts in [`CostReport::currency`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostReport {
    /// The range computed.
    pub range: TimeRange,
    /// Currency of every amount.
    pub currency: String,
    /// Energy imported in the range, kWh.
    pub import_kwh: f64,
    /// Energy exported in the range, kWh.
    pub export_kwh: f64,
    /// Spot cost of the import.
    pub spot_cost: f64,
    /// Spot revenue of the export.
    pub export_revenue: f64,
    /// Grid energy (transfer) fee.
    pub grid_energy_fee: f64,
    /// Power charge attributed to the range (sum of `power_months[].charge`).
    pub power_charge: f64,
    /// Fixed fee attributed to the range (sum of `fixed_months[].charge`).
    pub fixed_fee: f64,
    /// `spot_cost − export_revenue + grid_energy_fee + power_charge + fixed_fee`.
    pub total_ex_vat: f64,
    /// `vat_rate × (spot_cost + grid_energy_fee + power_charge + fixed_fee)`.
    pub vat: f64,
    /// `total_ex_vat + vat`.
    pub total_inc_vat: f64,
    /// Power charge per component and billing month, with the peaks used.
    pub power_months: Vec<PowerChargeMonth>,
    /// Fixed fee per month.
    pub fixed_months: Vec<FixedFeeMonth>,
    /// Per-piece costs, in time order (for a "cost per interval" chart overlay).
    pub intervals: Vec<IntervalCost>,
    /// What the inputs covered.
    pub coverage: Coverage,
}
