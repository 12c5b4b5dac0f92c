//! Spot (day-ahead) prices: slots of 15 or 60 minutes (any positive length works), per MWh,
//! possibly negative.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::error::{PricingError, Result};

/// One price slot `[start, start + duration_minutes)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PriceSlot {
    /// Slot start (the API's `datetime`).
    pub start: DateTime<Utc>,
    /// Slot length in minutes (15 for `PT15M`, 60 for `PT60M`/`PT1H`).
    pub duration_minutes: u32,
    /// Price per MWh, ex VAT, in [`SpotPrices::currency`]; may be negative.
    pub price_per_mwh: f64,
}

impl PriceSlot {
    /// Exclusive end of the slot.
    pub fn end(&self) -> DateTime<Utc> {
        self.start
            .checked_add_signed(TimeDelta::minutes(i64::from(self.duration_minutes)))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// A spot price series in one currency.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SpotPrices {
    /// ISO currency code, e.g. `SEK` or `EUR`; must equal the tariff's.
    pub currency: String,
    /// Slots, any order, no overlap; days may mix 15- and 60-minute slots.
    pub slots: Vec<PriceSlot>,
}

impl SpotPrices {
    /// Builds a series of equal slots from `(start, price_per_mwh)` pairs.
    pub fn uniform(
        currency: impl Into<String>,
        duration_minutes: u32,
        prices: impl IntoIterator<Item = (DateTime<Utc>, f64)>,
    ) -> Self {
        Self {
            currency: currency.into(),
            slots: prices
                .into_iter()
                .map(|(start, price_per_mwh)| PriceSlot {
                    start,
                    duration_minutes,
                    price_per_mwh,
                })
                .collect(),
        }
    }

    /// Validated, start-sorted slots.
    pub(crate) fn sorted_slots(&self) -> Result<Vec<PriceSlot>> {
        let mut slots = self.slots.clone();
        slots.sort_by_key(|s| s.start);
        for s in &slots {
            if !super::calendar::in_supported_era(s.start) {
                return Err(PricingError::InvalidPriceSlot {
                    start: s.start,
                    message: "start outside the years 1900-9999".into(),
                });
            }
            if s.duration_minutes == 0 {
                return Err(PricingError::InvalidPriceSlot {
                    start: s.start,
                    message: "duration_minutes must be positive".into(),
                });
            }
            if !s.price_per_mwh.is_finite() {
                return Err(PricingError::InvalidPriceSlot {
                    start: s.start,
                    message: "price is not a finite number".into(),
                });
            }
        }
        for pair in slots.windows(2) {
            if pair[1].start < pair[0].end() {
                return Err(PricingError::InvalidPriceSlot {
                    start: pair[1].start,
                    message: "overlaps the previous slot".into(),
                });
            }
        }
        Ok(slots)
    }
}

/// Where an instant falls in a sorted slot list.
pub(crate) enum SlotAt<'a> {
    /// Inside this slot.
    Priced(&'a PriceSlot),
    /// Not covered; prices resume at this instant (or never, if `None`).
    Unpriced(Option<DateTime<Utc>>),
}

/// Looks up the slot containing `t` in start-sorted, disjoint `slots`.
pub(crate) fn slot_at(slots: &[PriceSlot], t: DateTime<Utc>) -> SlotAt<'_> {
    let idx = slots.partition_point(|s| s.start <= t);
    if idx > 0 && slots[idx - 1].end() > t {
        return SlotAt::Priced(&slots[idx - 1]);
    }
    SlotAt::Unpriced(slots.get(idx).map(|s| s.start))
}
