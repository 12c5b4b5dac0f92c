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

fn flat(name: &'static str, ex_vat: f64) -> Vec<EnergyPart> {
    vec![EnergyPart {
        name,
        ex_vat,
        hours: None,
        weekdays_only: false,
        months: None,
    }]
}

/// High-load price 06-22 on winter weekdays, a lower one otherwise.
fn time_of_use(high: f64, low: f64) -> Vec<EnergyPart> {
    vec![
        EnergyPart {
            name: "Höglasttid",
            ex_vat: high,
            hours: Some((6, 22)),
            weekdays_only: true,
            months: Some(&[11, 12, 1, 2, 3]),
        },
        EnergyPart {
            name: "Övrig tid",
            ex_vat: low,
            hours: None,
            weekdays_only: false,
            months: None,
        },
    ]
}

/// Every grid company offers several tariffs of different shapes; the first of each company is
/// the one `lookup` names first (its ids are what the chart view and older tests know).
#[rustfmt::skip]
fn all() -> Vec<Tariff> {
    vec![
        Tariff {
            id: "ellevio-effekt-2026", name: "Ellevio Effekttariff 16-25A", product: "effekt", provider_id: "ellevio",
            company: "Ellevio AB", description: "Power-based: the average of the 3 highest hourly peaks of the month (night hours count half).",
            fixed_month_ex: 292.0, energy: flat("Överföringsavgift", 0.056), power: Some((65.0, 3)),
        },
        Tariff {
            id: "ellevio-tid-2026", name: "Ellevio Tidstariff 16-25A", product: "tidstariff", provider_id: "ellevio",
            company: "Ellevio AB", description: "Time-of-use: high-load price 06-22 on weekdays November-March.",
            fixed_month_ex: 255.0, energy: time_of_use(0.56, 0.18), power: None,
        },
        Tariff {
            id: "ellevio-sakring16-2026", name: "Ellevio Säkringstariff 16A", product: "enkeltariff", provider_id: "ellevio",
            company: "Ellevio AB", description: "Simple fuse-based tariff (16 A): fixed monthly fee and a flat energy price.",
            fixed_month_ex: 270.0, energy: flat("Överföringsavgift", 0.26), power: None,
        },
        Tariff {
            id: "ellevio-sakring25-2026", name: "Ellevio Säkringstariff 25A", product: "enkeltariff", provider_id: "ellevio",
            company: "Ellevio AB", description: "Simple fuse-based tariff (25 A): a higher fixed fee and a lower energy price.",
            fixed_month_ex: 420.0, energy: flat("Överföringsavgift", 0.16), power: None,
        },
        Tariff {
            id: "vattenfall-tid-2026", name: "Vattenfall Tidstariff T4", product: "tidstariff", provider_id: "vattenfall",
            company: "Vattenfall Eldistribution AB", description: "Time-of-use: high-load price 06-22 on weekdays November-March.",
            fixed_month_ex: 199.0, energy: time_of_use(0.612, 0.212), power: None,
        },
        Tariff {
            id: "vattenfall-enkel-2026", name: "Vattenfall Enkeltariff E4", product: "enkeltariff", provider_id: "vattenfall",
            company: "Vattenfall Eldistribution AB", description: "Simple fuse-based tariff: fixed monthly fee and a flat energy price.",
            fixed_month_ex: 183.0, energy: flat("Elöverföring", 0.346), power: None,
        },
        Tariff {
            id: "vattenfall-effekt-2026", name: "Vattenfall Effekttariff", product: "effekt", provider_id: "vattenfall",
            company: "Vattenfall Eldistribution AB", description: "Power-based: the average of the 5 highest hourly peaks of the month.",
            fixed_month_ex: 240.0, energy: flat("Elöverföring", 0.09), power: Some((48.0, 5)),
        },
        Tariff {
            id: "goteborg-enkel-2026", name: "Göteborg Energi Enkeltariff 20A", product: "enkeltariff", provider_id: "goteborg-energi",
            company: "Göteborg Energi Nät AB", description: "Simple fuse-based tariff: fixed monthly fee and a flat energy price.",
            fixed_month_ex: 208.0, energy: flat("Elöverföring", 0.20), power: None,
        },
        Tariff {
            id: "goteborg-effekt-2026", name: "Göteborg Energi Effekttariff", product: "effekt", provider_id: "goteborg-energi",
            company: "Göteborg Energi Nät AB", description: "Power-based: the month's highest hourly peak.",
            fixed_month_ex: 150.0, energy: flat("Elöverföring", 0.07), power: Some((40.0, 1)),
        },
        Tariff {
            id: "goteborg-tid-2026", name: "Göteborg Energi Tidstariff", product: "tidstariff", provider_id: "goteborg-energi",
            company: "Göteborg Energi Nät AB", description: "Time-of-use: high-load price 06-22 on weekdays November-March.",
            fixed_month_ex: 230.0, energy: time_of_use(0.45, 0.15), power: None,
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

/// Id of the tariff the `half_tariff` fault adds to every lookup: listed, but its detail lacks
/// the time zone and the energy price (a platform answer the app must refuse, not guess).
pub const HALF_FILLED_ID: &str = "halvfylld-2026";

fn half_filled_summary() -> Value {
    json!({"id": HALF_FILLED_ID, "name": "Nätbolaget Halvfylld", "description": "Half-filled on purpose (fault `half_tariff`).",
           "product": "effekt", "company": "Nätbolaget AB"})
}

fn half_filled_detail() -> Value {
    json!({"tariff": {"id": HALF_FILLED_ID, "name": "Nätbolaget Halvfylld", "companyName": "Nätbolaget AB", "billingPeriod": "P1M",
           "fixedPrice": {"components": [{"name": "Fast avgift", "pricedPeriod": "P1M"}]},
           "energyPrice": {"components": [{"name": "Överföringsavgift", "pricedPeriod": "kWh"}]}}})
}

/// `GET …/lookup?lat=&lon=`: every tariff of the grid company serving the position, the one a
/// new connection gets first; with `half_filled`, also the half-filled tariff.
pub fn lookup(lat: f64, lon: f64, area: &str, half_filled: bool) -> Value {
    let id = tariff_for(lat, lon);
    let ts = all();
    let provider = ts
        .iter()
        .find(|t| t.id == id)
        .map_or("ellevio", |t| t.provider_id);
    let mut list: Vec<Value> = ts
        .iter()
        .filter(|t| t.provider_id == provider)
        .map(summary)
        .collect();
    if half_filled {
        list.push(half_filled_summary());
    }
    json!({"lat": lat, "lon": lon, "area": area, "tariff_provider_id": provider, "count_total": list.len(),
           "last_update": "2026-01-01T00:00:00Z", "tariffs": list})
}

/// `GET …/providers`.
pub fn providers() -> Value {
    let ts = all();
    let mut list: Vec<Value> = Vec::new();
    for t in &ts {
        if list.iter().any(|p| p["id"] == t.provider_id) {
            continue;
        }
        let count = ts.iter().filter(|o| o.provider_id == t.provider_id).count();
        list.push(json!({"id": t.provider_id, "name": t.company, "tariff_count": count}));
    }
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

/// `GET …/tariff/{id}` (the half-filled tariff exists only while its fault is on).
pub fn tariff(id: &str, half_filled: bool) -> Option<Value> {
    if half_filled && id == HALF_FILLED_ID {
        return Some(half_filled_detail());
    }
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
    fn each_company_offers_tariffs_of_different_shapes_the_serving_one_first() {
        for (lat, lon, first) in [
            (59.33, 18.07, "ellevio-effekt-2026"),
            (57.71, 11.97, "goteborg-enkel-2026"),
            (65.58, 22.15, "vattenfall-tid-2026"),
        ] {
            let l = lookup(lat, lon, "SE3", false);
            let list = l["tariffs"].as_array().unwrap();
            assert_eq!(list[0]["id"], first);
            assert!(list.len() >= 3, "{l}");
            assert_eq!(l["count_total"], list.len());
            let products: std::collections::BTreeSet<&str> = list
                .iter()
                .map(|t| t["product"].as_str().unwrap())
                .collect();
            assert_eq!(
                products.len(),
                3,
                "power, time-of-use and fuse-based: {products:?}"
            );
            for t in list {
                assert!(tariff(t["id"].as_str().unwrap(), false).is_some());
            }
        }
        assert_eq!(
            lookup(59.33, 18.07, "SE3", false)["tariffs"]
                .as_array()
                .unwrap()
                .len(),
            4
        );
        assert_eq!(providers()["count"], 3);
    }

    #[test]
    fn the_half_filled_tariff_exists_only_behind_its_fault() {
        let l = lookup(57.71, 11.97, "SE3", true);
        assert_eq!(
            l["tariffs"].as_array().unwrap().last().unwrap()["id"],
            HALF_FILLED_ID
        );
        assert!(tariff(HALF_FILLED_ID, false).is_none());
        let t = tariff(HALF_FILLED_ID, true).unwrap();
        assert!(t["tariff"].get("timeZone").is_none());
        assert!(t["tariff"]["energyPrice"]["components"][0]
            .get("price")
            .is_none());
    }

    #[test]
    fn lookup_by_region() {
        assert_eq!(tariff_for(57.71, 11.97), "goteborg-enkel-2026");
        assert_eq!(tariff_for(65.58, 22.15), "vattenfall-tid-2026");
        assert_eq!(tariff_for(59.33, 18.07), "ellevio-effekt-2026");
    }
}
