//! Swedish grid tariffs — **INFERRED** paths `/services/price/tariffs/…` with the legacy
//! Eltariff-API shapes of reference §6.2 (per the lead's wire contract).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::Req;

/// A tariff in a lookup or provider listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TariffSummary {
    /// Tariff id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Product.
    #[serde(default)]
    pub product: Option<String>,
    /// Grid company.
    #[serde(default, alias = "companyName")]
    pub company: Option<String>,
}

/// Result of a lookup by location.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TariffLookup {
    /// Price area at the location.
    #[serde(default)]
    pub area: Option<String>,
    /// Grid company (DSO) id.
    #[serde(default)]
    pub tariff_provider_id: Option<String>,
    /// Tariffs of that DSO.
    #[serde(default)]
    pub tariffs: Vec<TariffSummary>,
}

/// A grid company.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    /// Provider id.
    #[serde(alias = "tariff_provider_id", alias = "provider_id")]
    pub id: String,
    /// Name.
    #[serde(default, alias = "companyName")]
    pub name: Option<String>,
    /// Its tariffs, when listed.
    #[serde(default)]
    pub tariffs: Vec<TariffSummary>,
}

/// Validity interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidPeriod {
    /// Start (inclusive), ISO-8601.
    #[serde(default)]
    pub from_including: Option<String>,
    /// End (exclusive), ISO-8601.
    #[serde(default)]
    pub to_excluding: Option<String>,
}

/// One price component (fixed fee, energy fee, power charge …); unmodelled fields kept in `extra`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Component {
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Component type (`peak` for power charges).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Price excluding VAT (SEK).
    #[serde(default)]
    pub price_ex_vat: Option<f64>,
    /// Price including VAT (SEK).
    #[serde(default)]
    pub price_inc_vat: Option<f64>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// What the price is per: `P1M`, `kWh`, `kW`.
    #[serde(default)]
    pub priced_period: Option<String>,
    /// Nested price (`{priceExVat, priceIncVat, currency}`), the other form of the two above.
    #[serde(default)]
    pub price: Option<ComponentPrice>,
    /// When the component applies (time-of-use).
    #[serde(default)]
    pub valid_period: Option<Value>,
    /// Everything else (`price`, `reference`, `peakIdentificationSettings`, hours …).
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A nested component price.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ComponentPrice {
    /// Excluding VAT.
    #[serde(default)]
    pub price_ex_vat: Option<f64>,
    /// Including VAT.
    #[serde(default)]
    pub price_inc_vat: Option<f64>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
}

impl Component {
    /// Price excluding VAT, top-level or nested.
    pub fn ex_vat(&self) -> Option<f64> {
        self.price_ex_vat
            .or(self.price.as_ref().and_then(|p| p.price_ex_vat))
    }
    /// Price including VAT, top-level or nested.
    pub fn inc_vat(&self) -> Option<f64> {
        self.price_inc_vat
            .or(self.price.as_ref().and_then(|p| p.price_inc_vat))
    }
}

/// The price of one tariff part at a point in time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceAt {
    /// Total excluding VAT (per `unit`), when the server sums it.
    #[serde(default)]
    pub price_ex_vat: Option<f64>,
    /// Total including VAT.
    #[serde(default)]
    pub price_inc_vat: Option<f64>,
    /// Currency.
    #[serde(default)]
    pub currency: Option<String>,
    /// `kWh`, `kW`, `P1M`.
    #[serde(default)]
    pub unit: Option<String>,
    /// The components in force.
    #[serde(default)]
    pub components: Vec<Component>,
    /// Everything else.
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A block of components (`fixedPrice`, `energyPrice`, `powerPrice`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PriceBlock {
    /// How components combine (power price).
    #[serde(default)]
    pub cost_function: Option<String>,
    /// The components.
    #[serde(default)]
    pub components: Vec<Component>,
}

/// A tariff in full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tariff {
    /// Id.
    pub id: String,
    /// Name.
    #[serde(default)]
    pub name: Option<String>,
    /// Description.
    #[serde(default)]
    pub description: Option<String>,
    /// Grid company name.
    #[serde(default)]
    pub company_name: Option<String>,
    /// IANA time zone of the tariff's periods.
    #[serde(default)]
    pub time_zone: Option<String>,
    /// Validity.
    #[serde(default)]
    pub valid_period: Option<ValidPeriod>,
    /// Billing period, e.g. `P1M`.
    #[serde(default)]
    pub billing_period: Option<String>,
    /// Fixed fees.
    #[serde(default)]
    pub fixed_price: PriceBlock,
    /// Energy (transfer) fees, possibly time-of-use.
    #[serde(default)]
    pub energy_price: PriceBlock,
    /// Power (peak) charges.
    #[serde(default)]
    pub power_price: PriceBlock,
}

/// Which part of a tariff to evaluate at a point in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TariffPart {
    /// `fixedPrice`.
    Fixed,
    /// `energyPrice`.
    Energy,
    /// `powerPrice`.
    Power,
}

/// Handle on grid tariffs.
#[derive(Debug, Clone, Copy)]
pub struct Tariffs<'a> {
    pub(crate) client: &'a Client,
}

const BASE: [&str; 3] = ["services", "price", "tariffs"];

fn path<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    BASE.iter().copied().chain(rest.iter().copied()).collect()
}

/// Unwraps `{"tariff": {...}}` or `{"providers": [...]}` style envelopes.
fn unwrap_key(v: Value, key: &str) -> Value {
    match v {
        Value::Object(mut m) if m.contains_key(key) => m.remove(key).unwrap_or(Value::Null),
        v => v,
    }
}

fn from_value<T: serde::de::DeserializeOwned>(v: Value) -> Result<T> {
    let text = v.to_string();
    serde_json::from_value(v).map_err(|e| Error::decode(e, text.as_bytes()))
}

impl Tariff {
    /// What a half-filled answer lacks, as dotted field names: the time zone its periods are
    /// judged in, and the price of any component. Empty when the tariff can be priced as given
    /// (a tariff with no components at all lacks `energyPrice` and `fixedPrice`).
    pub fn missing_fields(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self
            .time_zone
            .as_deref()
            .is_none_or(|z| z.trim().is_empty())
        {
            out.push("timeZone".to_string());
        }
        if self.fixed_price.components.is_empty() && self.energy_price.components.is_empty() {
            out.push("energyPrice".into());
            out.push("fixedPrice".into());
        }
        for (name, block) in [
            ("fixedPrice", &self.fixed_price),
            ("energyPrice", &self.energy_price),
            ("powerPrice", &self.power_price),
        ] {
            for (i, c) in block.components.iter().enumerate() {
                if c.ex_vat().is_none() {
                    out.push(format!("{name}.components[{i}].priceExVat"));
                }
            }
        }
        out
    }
}

impl Tariffs<'_> {
    /// The tariffs offered at a location: the lookup's list, the one a new connection gets
    /// first. Lenient where the reference is vague: a lookup naming only its grid company
    /// (`tariff_provider_id`, no `tariffs`) is completed from that company's listing.
    pub async fn offered_at(&self, lat: f64, lon: f64) -> Result<Vec<TariffSummary>> {
        let found = self.lookup(lat, lon).await?;
        if !found.tariffs.is_empty() {
            return Ok(found.tariffs);
        }
        match found.tariff_provider_id.as_deref() {
            Some(p) if !p.is_empty() => Ok(self.provider(p).await?.tariffs),
            _ => Ok(Vec::new()),
        }
    }

    /// Tariffs of the grid company serving a location.
    pub async fn lookup(&self, lat: f64, lon: f64) -> Result<TariffLookup> {
        let req = Req::get(&path(&["lookup"]))
            .public()
            .query("lat", lat)
            .query("lon", lon);
        self.client.send(req).await
    }
    /// All grid companies.
    pub async fn providers(&self) -> Result<Vec<Provider>> {
        let v: Value = self
            .client
            .send(Req::get(&path(&["providers"])).public())
            .await?;
        from_value(unwrap_key(v, "providers"))
    }
    /// One grid company with its tariffs.
    pub async fn provider(&self, provider_id: &str) -> Result<Provider> {
        let v: Value = self
            .client
            .send(Req::get(&path(&[provider_id])).public())
            .await?;
        from_value(unwrap_key(v, "provider"))
    }
    /// A tariff in full.
    pub async fn tariff(&self, tariff_id: &str) -> Result<Tariff> {
        let v: Value = self
            .client
            .send(Req::get(&path(&["tariff", tariff_id])).public())
            .await?;
        from_value(unwrap_key(v, "tariff"))
    }
    /// The components of one part of a tariff in force at `datetime` (ISO-8601).
    pub async fn part_at(
        &self,
        tariff_id: &str,
        part: TariffPart,
        datetime: &str,
    ) -> Result<PriceAt> {
        let name = match part {
            TariffPart::Fixed => "fixedPrice",
            TariffPart::Energy => "energyPrice",
            TariffPart::Power => "powerPrice",
        };
        let v: Value = self
            .client
            .send(Req::get(&path(&["tariff", tariff_id, name, datetime])).public())
            .await?;
        from_value(unwrap_key(v, name))
    }
}

impl Client {
    /// Grid tariffs (§6.2, inferred paths).
    pub fn tariffs(&self) -> Tariffs<'_> {
        Tariffs { client: self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_legacy_tariff_shape() {
        let v: Value = serde_json::from_str(
            r#"{"tariff":{"id":"t1","name":"Säkring 20A","companyName":"Ellevio","timeZone":"Europe/Stockholm",
              "validPeriod":{"fromIncluding":"2026-01-01","toExcluding":"2027-01-01"},"billingPeriod":"P1M",
              "fixedPrice":{"components":[{"name":"Abonnemang","priceExVat":300,"priceIncVat":375,"currency":"SEK","pricedPeriod":"P1M"}]},
              "energyPrice":{"components":[{"name":"Höglast","priceExVat":0.5,"priceIncVat":0.625,"pricedPeriod":"kWh",
                 "validPeriod":{"hours":"06-22"}}]},
              "powerPrice":{"costFunction":"average","components":[{"type":"peak","reference":"main","price":{"priceExVat":50},
                 "peakIdentificationSettings":{"numberOfPeaksForAverageCalculation":3}}]}}}"#,
        )
        .unwrap();
        let t: Tariff = from_value(unwrap_key(v, "tariff")).unwrap();
        assert_eq!(t.company_name.as_deref(), Some("Ellevio"));
        assert_eq!(t.fixed_price.components[0].price_inc_vat, Some(375.0));
        assert!(t.energy_price.components[0].valid_period.is_some());
        let peak = &t.power_price.components[0];
        assert_eq!(peak.kind.as_deref(), Some("peak"));
        assert_eq!(peak.ex_vat(), Some(50.0));
        assert_eq!(t.fixed_price.components[0].ex_vat(), Some(300.0));
        assert!(peak.extra.contains_key("peakIdentificationSettings"));
        let l: TariffLookup = serde_json::from_str(
            r#"{"lat":59.3,"lon":18.0,"area":"SE3","tariff_provider_id":"ellevio","count_total":1,
                "tariffs":[{"id":"t1","name":"n","description":"d","product":"p","company":"Ellevio"}]}"#,
        )
        .unwrap();
        assert_eq!(l.tariffs[0].company.as_deref(), Some("Ellevio"));
        assert!(t.missing_fields().is_empty());
    }

    #[test]
    fn a_half_filled_tariff_names_what_it_lacks() {
        let t: Tariff = serde_json::from_str(
            r#"{"id":"h","fixedPrice":{"components":[{"name":"Fast","pricedPeriod":"P1M"}]},
                "energyPrice":{"components":[{"name":"E","price":{"priceExVat":0.2}}]}}"#,
        )
        .unwrap();
        assert_eq!(
            t.missing_fields(),
            vec!["timeZone", "fixedPrice.components[0].priceExVat"]
        );
        let empty: Tariff =
            serde_json::from_str(r#"{"id":"e","timeZone":"Europe/Stockholm"}"#).unwrap();
        assert_eq!(empty.missing_fields(), vec!["energyPrice", "fixedPrice"]);
    }
}
