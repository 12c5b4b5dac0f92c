//! The one error type of the cost computation: every rejection names the bad input.

use chrono::{DateTime, Utc};

/// Why a cost computation was refused. Inputs are validated up front, so a computation
/// either fails with one of these or produces a full [`super::CostReport`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PricingError {
    /// The requested range is empty, reversed, or outside the years 1900–9999.
    #[error("invalid range {from} .. {to}: `from` must be before `to`, both in 1900-9999")]
    InvalidRange {
        /// Range start.
        from: DateTime<Utc>,
        /// Range end.
        to: DateTime<Utc>,
    },
    /// The tariff names a time zone chrono-tz does not know.
    #[error("unknown time zone `{0}` in tariff")]
    UnknownTimeZone(String),
    /// Spot prices and tariff are in different currencies (ask the price API for the tariff's currency).
    #[error("currency mismatch: spot prices in {spot}, tariff in {tariff}")]
    CurrencyMismatch {
        /// Currency of the spot prices.
        spot: String,
        /// Currency of the tariff.
        tariff: String,
    },
    /// A tariff field is out of its domain (e.g. hour 24, month 13, zero peaks, negative VAT).
    #[error("invalid tariff field `{field}`: {message}")]
    InvalidTariff {
        /// Dotted path of the offending field.
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// A meter point is unusable (non-finite value, negative counter/power where only >= 0 is allowed).
    #[error("invalid meter value at {ts}: {message}")]
    InvalidMeterValue {
        /// Timestamp of the offending point.
        ts: DateTime<Utc>,
        /// What is wrong with it.
        message: String,
    },
    /// Two meter points cover the same time (duplicate timestamps or overlapping buckets).
    #[error("meter points overlap at {ts}")]
    OverlappingMeterData {
        /// Start of the second, overlapping point.
        ts: DateTime<Utc>,
    },
    /// A cumulative energy counter went down (meter replaced or reset); split the series there.
    #[error("energy counter decreased at {ts}")]
    CounterDecreased {
        /// Timestamp of the reading that is lower than its predecessor.
        ts: DateTime<Utc>,
    },
    /// A series-level interval or duration is zero.
    #[error("invalid duration `{field}`: must be positive")]
    InvalidDuration {
        /// Name of the field.
        field: String,
    },
    /// A price is unusable or two price slots overlap.
    #[error("invalid price slot at {start}: {message}")]
    InvalidPriceSlot {
        /// Start of the offending slot.
        start: DateTime<Utc>,
        /// What is wrong with it.
        message: String,
    },
}

/// Result alias of the pricing module.
pub type Result<T> = std::result::Result<T, PricingError>;
