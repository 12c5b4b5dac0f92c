//! Reading an Eltariff-style grid tariff (reference §6.2: `fixedPrice`, `energyPrice`,
//! `powerPrice` blocks of components) into a [`Tariff`].
//!
//! Works on JSON so any model that serialises to that shape (the API response, the SDK's
//! tariff type) can be mapped. Rules:
//! - prices are taken ex VAT (`priceExVat`, top level or under `price`); the VAT rate is the
//!   ratio `priceIncVat / priceExVat − 1` of the first component that has both (0 otherwise);
//! - fixed components are converted to per month from `pricedPeriod` (`P1M`, `P3M`, `P1Y`;
//!   `P1D` counts 365/12 days);
//! - time-of-use validity comes from `hours` (list of hours), `validPeriod` with clock times
//!   (`06:00` – `22:00`, wrapping past midnight), `weekdays` (`Mon`… or 1–7) and `months`;
//!   energy components are alternatives, the most restricted valid one applying
//!   ([`EnergyCombination::FirstMatch`] after sorting by restriction count);
//! - power components: `peakIdentificationSettings.numberOfPeaksForAverageCalculation`
//!   (default 1) and `peakDuration` (`PT1H` default, `PT15M`, `PT30M`).

use serde_json::Value;

use super::error::{PricingError, Result};
use super::tariff::{EnergyCombination, EnergyComponent, PowerComponent, Tariff, Validity};

fn invalid(field: impl Into<String>, message: impl Into<String>) -> PricingError {
    PricingError::InvalidTariff {
        field: field.into(),
        message: message.into(),
    }
}

fn price_field<'a>(c: &'a Value, key: &str) -> Option<&'a Value> {
    // A re-serialised model may carry `"priceExVat": null` next to the nested `price`.
    let present = |v: &&Value| !v.is_null();
    c.get(key)
        .filter(present)
        .or_else(|| c.get("price").and_then(|p| p.get(key)).filter(present))
}

fn ex_vat(c: &Value, field: &str) -> Result<f64> {
    price_field(c, "priceExVat")
        .and_then(Value::as_f64)
        .ok_or_else(|| invalid(field, "component without a numeric priceExVat"))
}

fn components<'a>(t: &'a Value, block: &str) -> &'a [Value] {
    t.get(block)
        .and_then(|b| b.get("components"))
        .and_then(Value::as_array)
        .map_or(&[], Vec::as_slice)
}

/// `"06:00"` / `"06:00:00"` → 6 (only whole hours are meaningful for hour validity).
fn clock_hour(v: Option<&Value>) -> Option<u32> {
    let s = v?.as_str()?;
    let (h, rest) = s.split_once(':')?;
    if rest.contains('-') {
        return None;
    }
    h.parse().ok().filter(|h| *h <= 24)
}

fn weekday_number(v: &Value) -> Option<u32> {
    if let Some(n) = v.as_u64() {
        return u32::try_from(n).ok();
    }
    let s = v.as_str()?.to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .position(|d| s.starts_with(d))
        .map(|i| i as u32 + 1)
}

fn numbers(v: Option<&Value>) -> Vec<u32> {
    v.and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_u64().and_then(|n| u32::try_from(n).ok()))
                .collect()
        })
        .unwrap_or_default()
}

fn validity(c: &Value) -> Validity {
    let mut hours = numbers(c.get("hours"));
    if hours.is_empty() {
        let vp = c.get("validPeriod");
        let from = clock_hour(vp.and_then(|p| p.get("fromIncluding")));
        let to = clock_hour(vp.and_then(|p| p.get("toExcluding")));
        if let (Some(a), Some(b)) = (from, to) {
            hours = if a < b {
                (a..b).collect()
            } else {
                (a..24).chain(0..b).collect()
            };
        }
    }
    let weekdays = c
        .get("weekdays")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(weekday_number).collect())
        .unwrap_or_default();
    Validity {
        months: numbers(c.get("months")),
        weekdays,
        hours,
    }
}

fn restrictions(v: &Validity) -> usize {
    [
        v.months.is_empty(),
        v.weekdays.is_empty(),
        v.hours.is_empty(),
    ]
    .iter()
    .filter(|empty| !**empty)
    .count()
}

fn months_per_period(period: Option<&str>, field: &str) -> Result<f64> {
    match period.unwrap_or("P1M") {
        "P1M" => Ok(1.0),
        "P3M" => Ok(3.0),
        "P1Y" | "P12M" => Ok(12.0),
        "P1D" => Ok(12.0 / 365.0),
        other => Err(invalid(field, format!("unsupported pricedPeriod {other}"))),
    }
}

fn peak_minutes(d: Option<&str>, field: &str) -> Result<u32> {
    match d.unwrap_or("PT1H") {
        "PT1H" | "PT60M" => Ok(60),
        "PT30M" => Ok(30),
        "PT15M" => Ok(15),
        other => Err(invalid(field, format!("unsupported peakDuration {other}"))),
    }
}

impl Tariff {
    /// Maps an Eltariff tariff (`{"tariff": {…}}` or the inner object) to a [`Tariff`].
    pub fn from_eltariff(json: &Value) -> Result<Tariff> {
        let t = json.get("tariff").unwrap_or(json);
        let all = ["fixedPrice", "energyPrice", "powerPrice"]
            .iter()
            .flat_map(|b| components(t, b).iter());
        let vat_rate = all
            .clone()
            .find_map(|c| {
                let ex = price_field(c, "priceExVat")?.as_f64()?;
                let inc = price_field(c, "priceIncVat")?.as_f64()?;
                (ex > 0.0).then(|| ((inc / ex - 1.0) * 100.0).round() / 100.0)
            })
            .unwrap_or(0.0);
        let currency = all
            .clone()
            .find_map(|c| price_field(c, "currency")?.as_str())
            .unwrap_or("SEK")
            .to_string();

        let mut fixed_per_month = 0.0;
        for (i, c) in components(t, "fixedPrice").iter().enumerate() {
            let field = format!("fixedPrice.components[{i}]");
            let period = c.get("pricedPeriod").and_then(Value::as_str);
            fixed_per_month += ex_vat(c, &field)? / months_per_period(period, &field)?;
        }

        let mut energy = Vec::new();
        for (i, c) in components(t, "energyPrice").iter().enumerate() {
            let field = format!("energyPrice.components[{i}]");
            energy.push(EnergyComponent {
                name: c
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("energy")
                    .into(),
                price_per_kwh: ex_vat(c, &field)?,
                validity: validity(c),
            });
        }
        // Alternatives: the most specific valid component should win.
        energy.sort_by_key(|c| std::cmp::Reverse(restrictions(&c.validity)));

        let mut power = Vec::new();
        for (i, c) in components(t, "powerPrice").iter().enumerate() {
            let field = format!("powerPrice.components[{i}]");
            let settings = c.get("peakIdentificationSettings");
            let n_peaks = settings
                .and_then(|s| s.get("numberOfPeaksForAverageCalculation"))
                .and_then(Value::as_u64)
                .unwrap_or(1);
            power.push(PowerComponent {
                name: c
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("power")
                    .into(),
                price_per_kw: ex_vat(c, &field)?,
                n_peaks: u32::try_from(n_peaks).map_err(|_| invalid(&field, "too many peaks"))?,
                peak_duration_minutes: peak_minutes(
                    settings
                        .and_then(|s| s.get("peakDuration"))
                        .and_then(Value::as_str),
                    &field,
                )?,
                one_peak_per_day: false,
                validity: validity(c),
            });
        }

        let tariff = Tariff {
            time_zone: t
                .get("timeZone")
                .and_then(Value::as_str)
                .unwrap_or("Europe/Stockholm")
                .into(),
            currency,
            fixed_per_month,
            energy,
            energy_combination: EnergyCombination::FirstMatch,
            power,
            vat_rate,
        };
        tariff.validated_zone()?;
        Ok(tariff)
    }
}
