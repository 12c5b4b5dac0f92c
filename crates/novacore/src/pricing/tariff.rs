//! The grid (DSO) tariff: fixed fee, time-of-use energy fee and power (peak) charge.
//!
//! Plain serde types so the SDK can map the Eltariff-style models (reference §6.2) into them.
//! All prices are ex VAT in [`Tariff::currency`]; VAT is added once, on the total.

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::error::{PricingError, Result};

/// When a tariff component applies, in the tariff's local time. An empty list means "always".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validity {
    /// Months 1–12.
    #[serde(default)]
    pub months: Vec<u32>,
    /// ISO weekdays 1 (Monday) – 7 (Sunday).
    #[serde(default)]
    pub weekdays: Vec<u32>,
    /// Local clock hours 0–23 (hour `h` is `[h:00, h+1:00)`).
    #[serde(default)]
    pub hours: Vec<u32>,
}

impl Validity {
    /// Whether the component applies at instant `t` (judged by its local month, weekday, hour).
    pub fn contains(&self, t: DateTime<Utc>, tz: Tz) -> bool {
        let local = t.with_timezone(&tz);
        let ok = |list: &[u32], v: u32| list.is_empty() || list.contains(&v);
        ok(&self.months, local.month())
            && ok(&self.weekdays, local.weekday().number_from_monday())
            && ok(&self.hours, local.hour())
    }

    fn validate(&self, field: &str) -> Result<()> {
        let check = |list: &[u32], lo: u32, hi: u32, name: &str| match list
            .iter()
            .find(|v| **v < lo || **v > hi)
        {
            Some(v) => Err(PricingError::InvalidTariff {
                field: format!("{field}.{name}"),
                message: format!("{v} is outside {lo}..={hi}"),
            }),
            None => Ok(()),
        };
        check(&self.months, 1, 12, "months")?;
        check(&self.weekdays, 1, 7, "weekdays")?;
        check(&self.hours, 0, 23, "hours")
    }
}

/// How energy components valid at the same instant combine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnergyCombination {
    /// All valid components add up (a base fee plus a high-load surcharge).
    #[default]
    Sum,
    /// Only the first valid component, in list order, applies (alternatives such as
    /// "high-load time" listed before "other time").
    FirstMatch,
}

/// A per-kWh fee on imported energy, valid at some times (e.g. "high-load hours 06–22 Nov–Mar").
/// How simultaneous components combine is [`Tariff::energy_combination`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnergyComponent {
    /// Display name.
    pub name: String,
    /// Fee per imported kWh, ex VAT.
    pub price_per_kwh: f64,
    /// When it applies.
    #[serde(default)]
    pub validity: Validity,
}

/// A power (peak) charge: each billing month (local calendar month), the average of the
/// `n_peaks` highest average import powers over `peak_duration_minutes` windows, times
/// `price_per_kw`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PowerComponent {
    /// Display name.
    pub name: String,
    /// Price per kW of the averaged peak, per month, ex VAT.
    pub price_per_kw: f64,
    /// How many peaks are averaged (Eltariff `numberOfPeaksForAverageCalculation`).
    pub n_peaks: u32,
    /// Window length in minutes, a divisor of 60; 60 for `PT1H` (the default).
    #[serde(default = "sixty")]
    pub peak_duration_minutes: u32,
    /// Count at most one peak per local day (a common Swedish rule).
    #[serde(default)]
    pub one_peak_per_day: bool,
    /// Which windows may count as peaks (judged at the window start).
    #[serde(default)]
    pub validity: Validity,
}

fn sixty() -> u32 {
    60
}

/// A grid tariff.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tariff {
    /// IANA time zone in which hours, days and months are judged, e.g. `Europe/Stockholm`.
    pub time_zone: String,
    /// ISO currency code of every price here.
    pub currency: String,
    /// Fixed fee per calendar month, ex VAT.
    #[serde(default)]
    pub fixed_per_month: f64,
    /// Time-of-use energy fee components.
    #[serde(default)]
    pub energy: Vec<EnergyComponent>,
    /// How simultaneously valid energy components combine.
    #[serde(default)]
    pub energy_combination: EnergyCombination,
    /// Power charges.
    #[serde(default)]
    pub power: Vec<PowerComponent>,
    /// VAT rate as a fraction (0.25 in Sweden), applied to every charge but not to export revenue.
    #[serde(default)]
    pub vat_rate: f64,
}

impl Tariff {
    /// No grid fees and no VAT: for counting a meter's energy (and its spot cost) where the grid
    /// tariff is unknown — the report's kWh do not depend on the tariff, its totals then hold
    /// only the spot part.
    pub fn energy_only(time_zone: impl Into<String>, currency: impl Into<String>) -> Self {
        Self {
            time_zone: time_zone.into(),
            currency: currency.into(),
            fixed_per_month: 0.0,
            energy: Vec::new(),
            energy_combination: EnergyCombination::Sum,
            power: Vec::new(),
            vat_rate: 0.0,
        }
    }

    /// Parses the time zone and checks every field's domain.
    pub(crate) fn validated_zone(&self) -> Result<Tz> {
        let tz: Tz = self
            .time_zone
            .parse()
            .map_err(|_| PricingError::UnknownTimeZone(self.time_zone.clone()))?;
        let invalid = |field: String, message: &str| PricingError::InvalidTariff {
            field,
            message: message.into(),
        };
        if !self.fixed_per_month.is_finite() {
            return Err(invalid("fixed_per_month".into(), "not a finite number"));
        }
        if !self.vat_rate.is_finite() || self.vat_rate < 0.0 {
            return Err(invalid("vat_rate".into(), "must be a finite number >= 0"));
        }
        for (i, c) in self.energy.iter().enumerate() {
            if !c.price_per_kwh.is_finite() {
                return Err(invalid(format!("energy[{i}].price_per_kwh"), "not finite"));
            }
            c.validity.validate(&format!("energy[{i}].validity"))?;
        }
        for (i, c) in self.power.iter().enumerate() {
            if !c.price_per_kw.is_finite() {
                return Err(invalid(format!("power[{i}].price_per_kw"), "not finite"));
            }
            if c.n_peaks == 0 {
                return Err(invalid(format!("power[{i}].n_peaks"), "must be >= 1"));
            }
            let d = c.peak_duration_minutes;
            if d == 0 || 60 % d != 0 {
                return Err(invalid(
                    format!("power[{i}].peak_duration_minutes"),
                    "must divide 60 (e.g. 15, 30, 60)",
                ));
            }
            c.validity.validate(&format!("power[{i}].validity"))?;
        }
        Ok(tz)
    }

    /// The energy fee per kWh at `t`: the valid components, combined per
    /// [`Tariff::energy_combination`] (0 when none is valid).
    pub(crate) fn energy_fee_per_kwh(&self, t: DateTime<Utc>, tz: Tz) -> f64 {
        let mut valid = self.energy.iter().filter(|c| c.validity.contains(t, tz));
        match self.energy_combination {
            EnergyCombination::Sum => valid.map(|c| c.price_per_kwh).sum(),
            EnergyCombination::FirstMatch => valid.next().map_or(0.0, |c| c.price_per_kwh),
        }
    }
}
