//! Day-ahead spot prices: `GET /services/price/electricity/{AREA}` (reference §6.1).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::time::ts;
use crate::request::Req;

/// One price slot.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PricePoint {
    /// Slot start (UTC).
    #[serde(alias = "start_time", alias = "time", with = "ts")]
    pub datetime: DateTime<Utc>,
    /// Price per MWh in `currency` (may be negative).
    pub price: f64,
}

/// Day-ahead prices of an area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayAhead {
    /// Area, e.g. `SE3`.
    #[serde(default)]
    pub area: String,
    /// Currency actually returned (the service silently falls back to EUR for unknown codes).
    #[serde(default)]
    pub currency: String,
    /// `SEK/MWh`, `EUR/MWh`, `MWH`, …
    #[serde(default)]
    pub unit: Option<String>,
    /// ISO-8601 slot length: `PT15M`, `PT60M`, `PT30M`, `PT1H`.
    #[serde(default)]
    pub resolution: Option<String>,
    /// Time zone of `datetime` values (always UTC so far).
    #[serde(default)]
    pub timezone: Option<String>,
    /// Slots in time order.
    pub prices: Vec<PricePoint>,
}

impl DayAhead {
    /// Slot length from `resolution`, or inferred from the first two slots (default 60 min).
    pub fn slot_length(&self) -> chrono::Duration {
        if let Some(d) = self.resolution.as_deref().and_then(parse_iso_duration) {
            return d;
        }
        match self.prices.as_slice() {
            [a, b, ..] if b.datetime > a.datetime => b.datetime - a.datetime,
            _ => chrono::Duration::minutes(60),
        }
    }

    /// Price per kWh of the slot containing `t` (prices are per MWh on the wire).
    pub fn price_per_kwh_at(&self, t: DateTime<Utc>) -> Option<f64> {
        let len = self.slot_length();
        self.prices
            .iter()
            .find(|p| p.datetime <= t && t < p.datetime + len)
            .map(|p| p.price / 1000.0)
    }
}

/// Parses the `PTnM`/`PTnH` durations the price service uses.
pub fn parse_iso_duration(s: &str) -> Option<chrono::Duration> {
    let rest = s.trim().strip_prefix("PT")?;
    let (num, unit) = rest.split_at(rest.len().checked_sub(1)?);
    let n: i64 = num.parse().ok().filter(|n| *n > 0)?;
    match unit {
        "M" => Some(chrono::Duration::minutes(n)),
        "H" => Some(chrono::Duration::hours(n)),
        _ => None,
    }
}

/// Handle on the price service (keyless).
#[derive(Debug, Clone, Copy)]
pub struct Prices<'a> {
    pub(crate) client: &'a Client,
}

impl Prices<'_> {
    /// Day-ahead prices for `days` days from `date` (the area's local calendar day).
    /// A day not published yet (404) is [`Error::NotPublished`].
    pub async fn day_ahead(
        &self,
        area: &str,
        date: NaiveDate,
        days: u32,
        currency: &str,
    ) -> Result<DayAhead> {
        if area.is_empty() || !area.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(Error::InvalidInput(format!("bad price area {area:?}")));
        }
        let req = Req::get(&[
            "services",
            "price",
            "electricity",
            &area.to_ascii_uppercase(),
        ])
        .public()
        .query("currency", currency.to_ascii_uppercase())
        .query("date", date.format("%Y-%m-%d"))
        .query("days", days.max(1));
        match self.client.send::<DayAhead>(req).await {
            Err(Error::NotFound { .. }) => Err(Error::NotPublished),
            other => other,
        }
    }
}

impl Client {
    /// Spot prices (§6.1).
    pub fn prices(&self) -> Prices<'_> {
        Prices { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_reference_example() {
        let d: DayAhead = serde_json::from_str(
            r#"{"area": "SE3", "currency": "SEK", "unit": "SEK/MWh", "resolution": "PT15M", "timezone": "UTC",
                "prices": [{"datetime": "2026-07-16T22:00:00+00:00", "price": 1079.58},
                           {"datetime": "2026-07-16T22:15:00+00:00", "price": -12.5}]}"#,
        )
        .unwrap();
        assert_eq!(d.slot_length(), chrono::Duration::minutes(15));
        let t = d.prices[1].datetime + chrono::Duration::minutes(14);
        assert_eq!(d.price_per_kwh_at(t), Some(-0.0125));
        assert_eq!(d.price_per_kwh_at(t + chrono::Duration::minutes(1)), None);
    }

    #[test]
    fn durations_and_inference() {
        assert_eq!(
            parse_iso_duration("PT60M"),
            Some(chrono::Duration::hours(1))
        );
        assert_eq!(parse_iso_duration("PT1H"), Some(chrono::Duration::hours(1)));
        assert_eq!(
            parse_iso_duration("PT30M"),
            Some(chrono::Duration::minutes(30))
        );
        assert_eq!(parse_iso_duration("P1D"), None);
        assert_eq!(parse_iso_duration("PTM"), None);
        let d: DayAhead = serde_json::from_str(
            r#"{"prices":[{"start_time":"2026-01-01T00:00:00Z","price":1},{"start_time":"2026-01-01T01:00:00Z","price":2}]}"#,
        )
        .unwrap();
        assert_eq!(d.slot_length(), chrono::Duration::hours(1));
    }
}
