//! Building the cost inputs from the SDK's own models: day-ahead prices, telemetry history
//! and grid tariffs, so the app and the CLI map them the same way.

use crate::history::{Resolution, Series};
use crate::prices::DayAhead;

use super::error::Result;
use super::meter::{MeterSeries, NetPowerPoint};
use super::spot::{PriceSlot, SpotPrices};
use super::tariff::Tariff;

impl Tariff {
    /// Maps the SDK's grid tariff (see [`Tariff::from_eltariff`] for the rules).
    pub fn from_sdk(tariff: &crate::tariffs::Tariff) -> Result<Tariff> {
        // The SDK model serialises back to the Eltariff shape, unknown fields included.
        let json = serde_json::to_value(tariff).map_err(|e| {
            super::error::PricingError::InvalidTariff {
                field: "tariff".into(),
                message: e.to_string(),
            }
        })?;
        Tariff::from_eltariff(&json)
    }
}

impl SpotPrices {
    /// Joins day-ahead responses (any slot length each) into one series. The currency is the
    /// one the service actually returned (it falls back to EUR for unknown codes), so a
    /// mismatch with the tariff surfaces as [`super::PricingError::CurrencyMismatch`].
    /// Slots repeated across responses are kept once.
    pub fn from_day_ahead<'a>(days: impl IntoIterator<Item = &'a DayAhead>) -> SpotPrices {
        let mut currency = String::new();
        let mut slots = Vec::new();
        for day in days {
            if currency.is_empty() {
                currency = day.currency.clone();
            }
            let minutes = day
                .slot_length()
                .num_minutes()
                .clamp(1, i64::from(u32::MAX)) as u32;
            slots.extend(day.prices.iter().map(|p| PriceSlot {
                start: p.datetime,
                duration_minutes: minutes,
                price_per_mwh: p.price,
            }));
        }
        slots.sort_by_key(|s| s.start);
        slots.dedup_by_key(|s| s.start);
        SpotPrices { currency, slots }
    }
}

impl MeterSeries {
    /// The grid meter's average power buckets from a history series at `resolution`
    /// (field `W`, its `avg`). Buckets without a `W` average are gaps, not zeros.
    pub fn from_history(series: &Series, resolution: Resolution) -> MeterSeries {
        MeterSeries::NetPower {
            interval_s: resolution
                .duration()
                .num_seconds()
                .clamp(1, i64::from(u32::MAX)) as u32,
            points: series
                .points
                .iter()
                .filter_map(|b| {
                    Some(NetPowerPoint {
                        ts: b.ts,
                        w: b.fields.get("W")?.avg?,
                    })
                })
                .collect(),
        }
    }
}
