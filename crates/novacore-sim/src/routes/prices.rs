//! Price service (reference §6.1) and grid tariffs (legacy shape, INFERRED paths).

use axum::extract::{Path, State};
use axum::Json;
use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::error::{Error, Result};
use crate::extract::ApiQuery;
use crate::state::AppState;
use crate::world::{prices, tariffs};

/// `?currency=&date=&days=`.
#[derive(Debug, Deserialize)]
pub struct PriceQuery {
    /// SEK or EUR (others silently EUR, as the real service does).
    pub currency: Option<String>,
    /// First local day, YYYY-MM-DD (default today).
    pub date: Option<String>,
    /// 1..=10 (default 1).
    pub days: Option<String>,
}

/// `GET /services/price/electricity/{area}`.
pub async fn electricity(
    State(sim): State<AppState>,
    Path(area): Path<String>,
    ApiQuery(q): ApiQuery<PriceQuery>,
) -> Result<Json<Value>> {
    let area = area.to_uppercase();
    if prices::area(&area).is_none() {
        return Err(Error::NotFound(format!("Area '{area}' not supported")));
    }
    let now = sim.clock.now();
    let date = match &q.date {
        Some(d) => NaiveDate::parse_from_str(d, "%Y-%m-%d")
            .ok()
            .filter(|d| (2000..=2100).contains(&chrono::Datelike::year(d)))
            .ok_or_else(|| {
                Error::BadRequest("date: expected YYYY-MM-DD between 2000 and 2100".into())
            })?,
        None => prices::local_today(&area, now),
    };
    let days: i64 = match &q.days {
        Some(d) => d
            .parse()
            .ok()
            .filter(|n| (1..=10).contains(n))
            .ok_or_else(|| Error::BadRequest("days: expected 1..10".into()))?,
        None => 1,
    };
    let sek = q
        .currency
        .as_deref()
        .is_some_and(|c| c.eq_ignore_ascii_case("SEK"));
    let (currency, rate) = if sek {
        ("SEK", prices::SEK_PER_EUR)
    } else {
        ("EUR", 1.0)
    };
    let mut out = Vec::new();
    for i in 0..days {
        let d = date + Duration::days(i);
        if !prices::published(&area, d, now) {
            return Err(Error::NotFound(format!(
                "prices for {area} on {d} are not published yet"
            )));
        }
        for (t, p) in prices::day_prices_eur(sim.cfg.seed, &area, d) {
            out.push(json!({"datetime": t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string(), "price": ((p * rate) * 100.0).round() / 100.0}));
        }
    }
    Ok(Json(
        json!({"area": area, "currency": currency, "unit": format!("{currency}/MWh"), "resolution": "PT15M",
                   "timezone": "UTC", "prices": out}),
    ))
}

/// Whether the `half_tariff` fault is on.
fn half_tariff(sim: &AppState) -> bool {
    crate::state::lock(&sim.faults).spec().half_tariff
}

/// `?lat=&lon=`.
#[derive(Debug, Deserialize)]
pub struct LatLon {
    /// Latitude.
    pub lat: String,
    /// Longitude.
    pub lon: String,
}

/// `GET /services/price/tariffs/lookup`.
pub async fn tariff_lookup(
    State(sim): State<AppState>,
    ApiQuery(q): ApiQuery<LatLon>,
) -> Result<Json<Value>> {
    let lat: f64 = q
        .lat
        .parse()
        .ok()
        .filter(|v: &f64| (-90.0..=90.0).contains(v))
        .ok_or_else(|| Error::BadRequest("lat: expected -90..90".into()))?;
    let lon: f64 = q
        .lon
        .parse()
        .ok()
        .filter(|v: &f64| (-180.0..=180.0).contains(v))
        .ok_or_else(|| Error::BadRequest("lon: expected -180..180".into()))?;
    let area = tariffs::area_for(lat, lon);
    Ok(Json(tariffs::lookup(lat, lon, area, half_tariff(&sim))))
}

/// `GET /services/price/tariffs/providers`.
pub async fn tariff_providers() -> Json<Value> {
    Json(tariffs::providers())
}

/// `GET /services/price/tariffs/{provider_id}`.
pub async fn tariff_provider(Path(id): Path<String>) -> Result<Json<Value>> {
    tariffs::provider(&id)
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("provider {id} not found")))
}

/// `GET /services/price/tariffs/tariff/{tariff_id}`.
pub async fn tariff(State(sim): State<AppState>, Path(id): Path<String>) -> Result<Json<Value>> {
    tariffs::tariff(&id, half_tariff(&sim))
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("tariff {id} not found")))
}

/// `GET /services/price/tariffs/tariff/{tariff_id}/{kind}/{datetime}`.
pub async fn tariff_price(
    Path((id, kind, at)): Path<(String, String, String)>,
) -> Result<Json<Value>> {
    if !matches!(kind.as_str(), "fixedPrice" | "energyPrice" | "powerPrice") {
        return Err(Error::BadRequest(
            "kind: one of fixedPrice, energyPrice, powerPrice".into(),
        ));
    }
    let ms = crate::routes::telemetry::parse_time("datetime", &at)?;
    let at = chrono::DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| Error::BadRequest("datetime: out of range".into()))?;
    tariffs::price_at(&id, &kind, at)
        .map(Json)
        .ok_or_else(|| Error::NotFound(format!("tariff {id} not found")))
}
