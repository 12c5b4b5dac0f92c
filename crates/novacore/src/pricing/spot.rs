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

/// Walks start-sorted, disjoint slots for non-decreasing instants, answering what a binary
/// search would (the slot containing `t`, or where prices resume) in amortised O(1): the cost
/// calculation asks once per meter piece, and pieces come in time order.
pub(crate) struct SlotCursor<'a> {
    slots: &'a [PriceSlot],
    /// Number of slots starting at or before the last instant asked about.
    idx: usize,
    /// End of `slots[idx - 1]`, computed once per slot.
    prev_end: Option<DateTime<Utc>>,
}

impl<'a> SlotCursor<'a> {
    pub(crate) fn new(slots: &'a [PriceSlot]) -> Self {
        Self {
            slots,
            idx: 0,
            prev_end: None,
        }
    }

    /// The slot containing `t` with its end, or `None` with the instant prices resume (if ever).
    /// `t` must not be earlier than in the previous call.
    pub(crate) fn at(
        &mut self,
        t: DateTime<Utc>,
    ) -> (Option<&'a PriceSlot>, Option<DateTime<Utc>>) {
        while self.slots.get(self.idx).is_some_and(|s| s.start <= t) {
            self.idx += 1;
            self.prev_end = None;
        }
        if let Some(prev) = self.idx.checked_sub(1).map(|i| &self.slots[i]) {
            let end = *self.prev_end.get_or_insert_with(|| prev.end());
            if end > t {
                return (Some(prev), Some(end));
            }
        }
        (None, self.slots.get(self.idx).map(|s| s.start))
    }
}
