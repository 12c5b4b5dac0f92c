//! Swedish grid tariffs in the legacy Eltariff shape (reference §6.2, INFERRED paths): three
//! realistic tariffs — power-based (Ellevio), time-of-use (Vattenfall), simple fuse-based
//! (Göteborg Energi) — with prices ex/inc VAT in SEK.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use serde_json::{json, Value};

const VAT: f64 = 1.25;

/// An energy price component valid in some hours/weekdays/months.
struct EnergyPart {
    name: &'static str,
    ex_vat: f64,
    hours: Option<(u32, u32)>,
    weekdays_only: bool,
    months: Option<&'static [u32]>,
}

/// A tariff.
struct Tariff {
    id: &'static str,
    name: &'static str,
    product: &'static str,
    provider_id: &'static str,
    company: &'static str,
    description: &'static str,
    fixed_month_ex: f64,
    energy: Vec<EnergyPart>,
    /// (SEK/kW/month ex VAT, number of peaks averaged).
    power: Option<(f64, u32)>,
}

fn all() -> Vec<Tariff> {
    vec![
        Tariff {
            id: "ellevio-effekt-2026", name: "Ellevio Effekttariff 16-25A", product: "effekt", provider_id: "ellevio",
            company: "Ellevio AB", description: "Power-based: the average of the 3 highest hourly peaks of the month (night hours count half).",
            fixed_month_ex: 292.0,
            energy: vec![EnergyPart { name: "Överföringsavgift", ex_vat: 0.056, hours: None, weekdays_only: false, months: None }],
            power: Some((65.0, 3)),
        },
        Tariff {
            id: "vattenfall-tid-2026", name: "Vattenfall Tidstariff T4", product: "tidstariff", provider_id: "vattenfall",
            company: "Vattenfall Eldistribution AB", description: "Time-of-use: high-load price 06-22 on weekdays November-March.",
            fixed_month_ex: 199.0,
            energy: vec![
                EnergyPart { name: "Höglasttid", ex_vat: 0.612, hours: Some((6, 22)), weekdays_only: true, months: Some(&[11, 12, 1, 2, 3]) },
                EnergyPart { name: "Övrig tid", ex_vat: 0.212, hours: None, weekdays_only: false, months: None },
            ],
            power: None,
        },
        Tariff {
            id: "goteborg-enkel-2026", name: "Göteborg Energi Enkeltariff 20A", product: "enkeltariff", provider_id: "goteborg-energi",
            company: "Göteborg Energi Nät AB", description: "Simple fuse-based tariff: fixed monthly fee and a flat energy price.",
            fixed_month_ex: 208.0,
            energy: vec![EnergyPart { name: "Elöverföring", ex_vat: 0.20, hours: None, weekdays_only: false, months: None }],
            power: None,
        },
    ]
}

fn price(ex: f64) -> Value {
    json!({"priceExVat": (ex * 10000.0).round() / 10000.0, "priceIncVat": (ex * VAT * 10000.0).round() / 10000.0, "currency": "SEK"})
}

fn energy_json(p: &EnergyPart) -> Value {
    let mut v = json!({"name": p.name, "type": "fixed", "reference": "consumption", "price": price(p.ex_vat), "pricedPeriod": "kWh", "unit": "kWh"});
    if let Some((a, b)) = p.hours {
        v["validPeriod"] =
            json!({"fromIncluding": format!("{a:02}:00"), "toExcluding": format!("{b:02}:00")});
        v["hours"] = json!((a..b).collect::<Vec<_>>());
    }
    if p.weekdays_only {
        v["weekdays"] = json!(["Mon", "Tue", "Wed", "Thu", "Fri"]);
    }
    if let Some(m) = p.months {
        v["months"] = json!(m);
    }
    v
}

fn power_json(t: &Tariff) -> Value {
    match t.power {
        Some((sek_kw, n)) => json!({"costFunction": "peak", "components": [{
            "name": "Effektavgift", "type": "peak", "reference": "consumption", "price": price(sek_kw),
            "pricedPeriod": "P1M", "unit": "kW", "validPeriod": {"fromIncluding": "2026-01-01", "toExcluding": "2027-01-01"},
            "peakIdentificationSettings": {"peakFunction": "max", "peakIdentificationPeriod": "P1M", "peakDuration": "PT1H",
                                           "numberOfPeaksForAverageCalculation": n}}]}),
        None => json!({"components": []}),
    }
}

fn fixed_json(t: &Tariff) -> Value {
    json!({"components": [{"name": "Fast avgift", "type": "fixed", "price": price(t.fixed_month_ex), "pricedPeriod": "P1M"}]})
}

fn tariff_json(t: &Tariff) -> Value {
    json!({"id": t.id, "name": t.name, "description": t.description, "product": t.product, "companyName": t.company,
           "providerId": t.provider_id, "direction": "consumption", "timeZone": "Europe/Stockholm", "lastUpdated": "2026-01-01T00:00:00Z",
           "validPeriod": {"fromIncluding": "2026-01-01", "toExcluding": "2027-01-01"}, "billingPeriod": "P1M",
           "fixedPrice": fixed_json(t), "energyPrice": {"components": t.energy.iter().map(energy_json).collect::<Vec<_>>()},
           "powerPrice": power_json(t)})
}

fn summary(t: &Tariff) -> Value {
    json!({"id": t.id, "name": t.name, "description": t.description, "product": t.product, "company": t.company})
}

/// The tariff serving a position: west coast → Göteborg Energi, north → Vattenfall, else Ellevio.
pub fn tariff_for(lat: f64, lon: f64) -> &'static str {
    if lat < 59.0 && lon < 13.5 {
        "goteborg-enkel-2026"
    } else if lat >= 61.0 {
        "vattenfall-tid-2026"
    } else {
        "ellevio-effekt-2026"
    }
}

/// `GET …/lookup?lat=&lon=`.
pub fn lookup(lat: f64, lon: f64, area: &str) -> Value {
    let id = tariff_for(lat, lon);
    let ts = all();
    let t = ts.iter().find(|t| t.id == id).unwrap_or(&ts[0]);
    json!({"lat": lat, "lon": lon, "area": area, "tariff_provider_id": t.provider_id, "count_total": 1,
           "last_update": "2026-01-01T00:00:00Z", "tariffs": [summary(t)]})
}

/// `GET …/providers`.
pub fn providers() -> Value {
    let list: Vec<Value> = all()
        .iter()
        .map(|t| json!({"id": t.provider_id, "name": t.company, "tariff_count": 1}))
        .collect();
    json!({"providers": list, "count": list.len()})
}

/// `GET …/{provider_id}`.
pub fn provider(id: &str) -> Option<Value> {
    let list: Vec<Value> = all()
        .iter()
        .filter(|t| t.provider_id == id)
        .map(summary)
        .collect();
    (!list.is_empty()).then(|| json!({"id": id, "tariffs": list, "count": list.len()}))
}

/// `GET …/tariff/{id}`.
pub fn tariff(id: &str) -> Option<Value> {
    all()
        .iter()
        .find(|t| t.id == id)
        .map(|t| json!({"tariff": tariff_json(t)}))
}

/// `GET …/tariff/{id}/{kind}/{datetime}`: the components applying at `at` and their sum.
pub fn price_at(id: &str, kind: &str, at: DateTime<Utc>) -> Option<Value> {
    let ts = all();
    let t = ts.iter().find(|t| t.id == id)?;
    let local = at.with_timezone(&chrono_tz::Europe::Stockholm);
    let (components, total, unit) = match kind {
        "fixedPrice" => (fixed_json(t)["components"].clone(), t.fixed_month_ex, "P1M"),
        "powerPrice" => (
            power_json(t)["components"].clone(),
            t.power.map_or(0.0, |p| p.0),
            "kW",
        ),
        "energyPrice" => {
            let weekday = !matches!(local.weekday(), Weekday::Sat | Weekday::Sun);
            let part = t.energy.iter().find(|p| {
                p.hours.is_none_or(|(a, b)| (a..b).contains(&local.hour()))
                    && (!p.weekdays_only || weekday)
                    && p.months.is_none_or(|m| m.contains(&local.month()))
            })?;
            (json!([energy_json(part)]), part.ex_vat, "kWh")
        }
        _ => return None,
    };
    Some(
        json!({"tariff_id": id, "component": kind, "datetime": at.to_rfc3339(), "unit": unit,
                "priceExVat": (total * 10000.0).round() / 10000.0, "priceIncVat": (total * VAT * 10000.0).round() / 10000.0,
                "currency": "SEK", "components": components}),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn time_of_use_switches_by_hour_and_season() {
        let winter_day = Utc.with_ymd_and_hms(2026, 1, 14, 10, 0, 0).unwrap();
        let winter_night = Utc.with_ymd_and_hms(2026, 1, 14, 23, 0, 0).unwrap();
        let summer_day = Utc.with_ymd_and_hms(2026, 7, 15, 10, 0, 0).unwrap();
        let p = |t| {
            price_at("vattenfall-tid-2026", "energyPrice", t).unwrap()["priceExVat"]
                .as_f64()
                .unwrap()
        };
        assert_eq!(p(winter_day), 0.612);
        assert_eq!(p(winter_night), 0.212);
        assert_eq!(p(summer_day), 0.212);
        let pw = price_at("ellevio-effekt-2026", "powerPrice", winter_day).unwrap();
        assert_eq!(
            pw["components"][0]["peakIdentificationSettings"]["numberOfPeaksForAverageCalculation"],
            3
        );
        assert!(price_at("nope", "energyPrice", winter_day).is_none());
    }

    #[test]
    fn lookup_by_region() {
        assert_eq!(tariff_for(57.71, 11.97), "goteborg-enkel-2026");
        assert_eq!(tariff_for(65.58, 22.15), "vattenfall-tid-2026");
        assert_eq!(tariff_for(59.33, 18.07), "ellevio-effekt-2026");
    }
}
