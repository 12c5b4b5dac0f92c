//! Grid tariffs in the legacy Eltariff shape (reference §6.2, INFERRED paths): for Sweden three
//! grid companies (Ellevio, Vattenfall, Göteborg Energi), for Finland and Denmark their own
//! (Helen Sähköverkko; Radius Elnet east of the Great Belt, Konstant Net west of it), each with
//! tariffs of different shapes — power-based, time-of-use, simple — priced ex/inc VAT in the
//! country's currency (SEK, EUR, DKK: the components' `currency` field) and the country's zone.

use chrono::{DateTime, Datelike, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use serde_json::{json, Value};

/// What a grid company's country decides: currency, VAT, time zone and the words it uses.
struct Market {
    currency: &'static str,
    /// 1 + the VAT rate.
    vat: f64,
    time_zone: Tz,
    fixed_name: &'static str,
    power_name: &'static str,
}

const SWEDEN: Market = Market {
    currency: "SEK",
    vat: 1.25,
    time_zone: chrono_tz::Europe::Stockholm,
    fixed_name: "Fast avgift",
    power_name: "Effektavgift",
};

/// Finland's general VAT rate is 25.5 % since September 2024.
const FINLAND: Market = Market {
    currency: "EUR",
    vat: 1.255,
    time_zone: chrono_tz::Europe::Helsinki,
    fixed_name: "Perusmaksu",
    power_name: "Tehomaksu",
};

const DENMARK: Market = Market {
    currency: "DKK",
    vat: 1.25,
    time_zone: chrono_tz::Europe::Copenhagen,
    fixed_name: "Abonnement",
    power_name: "Effektbetaling",
};

/// The market of a grid company (by its provider id).
fn market(provider_id: &str) -> &'static Market {
    match provider_id {
        "helen" => &FINLAND,
        "radius" | "konstant" => &DENMARK,
        _ => &SWEDEN,
    }
}

/// Roughly where Finland and Denmark are (a sandbox's map: coarse boxes that keep the demo
/// towns, Haparanda, Umeå, Helsingborg and Malmö on their own side of the borders).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Country {
    Sweden,
    Finland,
    /// West of the Great Belt (price area DK1).
    DenmarkWest,
    /// East of it (DK2).
    DenmarkEast,
}

fn country(lat: f64, lon: f64) -> Country {
    let finland = (59.5..70.1).contains(&lat)
        && ((lat < 63.0 && lon >= 19.5) || (lat < 64.5 && lon >= 21.0) || lon >= 24.2);
    let jutland = (54.5..57.8).contains(&lat) && (8.0..11.0).contains(&lon);
    let islands =
        (54.5..56.2).contains(&lat) && (11.0..12.7).contains(&lon) && !(lat > 55.9 && lon > 12.6);
    if finland {
        Country::Finland
    } else if jutland {
        Country::DenmarkWest
    } else if islands {
        Country::DenmarkEast
    } else {
        Country::Sweden
    }
}

/// The spot price area of a position, as the lookup answers it.
pub fn area_for(lat: f64, lon: f64) -> &'static str {
    match country(lat, lon) {
        Country::Finland => "FI",
        Country::DenmarkWest => "DK1",
        Country::DenmarkEast => "DK2",
        Country::Sweden if lat >= 63.5 => "SE1",
        Country::Sweden if lat >= 61.0 => "SE2",
        Country::Sweden if lat >= 56.5 => "SE3",
        Country::Sweden => "SE4",
    }
}

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
    /// (per kW and month ex VAT, number of peaks averaged).
    power: Option<(f64, u32)>,
}

impl Tariff {
    fn market(&self) -> &'static Market {
        market(self.provider_id)
    }
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
    peak_hours(("Höglasttid", "Övrig tid"), high, low, (6, 22), true)
}

/// A higher price in `hours` on winter (November–March) days (`weekdays_only`: Monday–Friday),
/// a lower one otherwise.
fn peak_hours(
    names: (&'static str, &'static str),
    high: f64,
    low: f64,
    hours: (u32, u32),
    weekdays_only: bool,
) -> Vec<EnergyPart> {
    vec![
        EnergyPart {
            name: names.0,
            ex_vat: high,
            hours: Some(hours),
            weekdays_only,
            months: Some(&[11, 12, 1, 2, 3]),
        },
        EnergyPart {
            name: names.1,
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
        // Finland (EUR).
        Tariff {
            id: "helen-teho-2026", name: "Helen Tehosiirto", product: "effekt", provider_id: "helen",
            company: "Helen Sähköverkko Oy", description: "Power-based: the month's highest hourly peak, plus a low transfer price.",
            fixed_month_ex: 9.90, energy: flat("Siirtomaksu", 0.0188), power: Some((2.85, 1)),
        },
        Tariff {
            id: "helen-yleis-2026", name: "Helen Yleissiirto", product: "enkeltariff", provider_id: "helen",
            company: "Helen Sähköverkko Oy", description: "General transfer: a basic monthly fee and a flat transfer price.",
            fixed_month_ex: 5.58, energy: flat("Siirtomaksu", 0.0398), power: None,
        },
        Tariff {
            id: "helen-aika-2026", name: "Helen Aikasiirto", product: "tidstariff", provider_id: "helen",
            company: "Helen Sähköverkko Oy", description: "Time-of-use: a day price 07-22 November-March, a night and summer price otherwise.",
            fixed_month_ex: 7.17, energy: peak_hours(("Päivä", "Yö ja kesä"), 0.0478, 0.0279, (7, 22), false), power: None,
        },
        // Denmark (DKK): east of the Great Belt.
        Tariff {
            id: "radius-tid-2026", name: "Radius Nettarif C time", product: "tidstariff", provider_id: "radius",
            company: "Radius Elnet A/S", description: "Time-of-use: a peak price 17-21 November-March, a lower one otherwise.",
            fixed_month_ex: 35.0, energy: peak_hours(("Spidslast", "Lavlast"), 0.94, 0.26, (17, 21), false), power: None,
        },
        Tariff {
            id: "radius-flad-2026", name: "Radius Nettarif C flad", product: "enkeltariff", provider_id: "radius",
            company: "Radius Elnet A/S", description: "Simple: a monthly subscription and a flat network price.",
            fixed_month_ex: 35.0, energy: flat("Nettarif", 0.43), power: None,
        },
        Tariff {
            id: "radius-effekt-2026", name: "Radius Effekttarif", product: "effekt", provider_id: "radius",
            company: "Radius Elnet A/S", description: "Power-based: the average of the 3 highest hourly peaks of the month.",
            fixed_month_ex: 45.0, energy: flat("Nettarif", 0.14), power: Some((32.0, 3)),
        },
        // Denmark (DKK): west of the Great Belt.
        Tariff {
            id: "konstant-tid-2026", name: "Konstant Nettarif C time", product: "tidstariff", provider_id: "konstant",
            company: "Konstant Net A/S", description: "Time-of-use: a peak price 17-21 November-March, a lower one otherwise.",
            fixed_month_ex: 30.0, energy: peak_hours(("Spidslast", "Lavlast"), 0.81, 0.22, (17, 21), false), power: None,
        },
        Tariff {
            id: "konstant-flad-2026", name: "Konstant Nettarif C flad", product: "enkeltariff", provider_id: "konstant",
            company: "Konstant Net A/S", description: "Simple: a monthly subscription and a flat network price.",
            fixed_month_ex: 30.0, energy: flat("Nettarif", 0.37), power: None,
        },
        Tariff {
            id: "konstant-effekt-2026", name: "Konstant Effekttarif", product: "effekt", provider_id: "konstant",
            company: "Konstant Net A/S", description: "Power-based: the average of the 3 highest hourly peaks of the month.",
            fixed_month_ex: 40.0, energy: flat("Nettarif", 0.12), power: Some((28.0, 3)),
        },
    ]
}

fn round4(v: f64) -> f64 {
    (v * 10000.0).round() / 10000.0
}

fn price(ex: f64, m: &Market) -> Value {
    json!({"priceExVat": round4(ex), "priceIncVat": round4(ex * m.vat), "currency": m.currency})
}

fn energy_json(p: &EnergyPart, m: &Market) -> Value {
    let mut v = json!({"name": p.name, "type": "fixed", "reference": "consumption", "price": price(p.ex_vat, m), "pricedPeriod": "kWh", "unit": "kWh"});
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
    let m = t.market();
    match t.power {
        Some((per_kw, n)) => json!({"costFunction": "peak", "components": [{
            "name": m.power_name, "type": "peak", "reference": "consumption", "price": price(per_kw, m),
            "pricedPeriod": "P1M", "unit": "kW", "validPeriod": {"fromIncluding": "2026-01-01", "toExcluding": "2027-01-01"},
            "peakIdentificationSettings": {"peakFunction": "max", "peakIdentificationPeriod": "P1M", "peakDuration": "PT1H",
                                           "numberOfPeaksForAverageCalculation": n}}]}),
        None => json!({"components": []}),
    }
}

fn fixed_json(t: &Tariff) -> Value {
    let m = t.market();
    json!({"components": [{"name": m.fixed_name, "type": "fixed", "price": price(t.fixed_month_ex, m), "pricedPeriod": "P1M"}]})
}

fn tariff_json(t: &Tariff) -> Value {
    let m = t.market();
    json!({"id": t.id, "name": t.name, "description": t.description, "product": t.product, "companyName": t.company,
           "providerId": t.provider_id, "direction": "consumption", "timeZone": m.time_zone.name(), "lastUpdated": "2026-01-01T00:00:00Z",
           "validPeriod": {"fromIncluding": "2026-01-01", "toExcluding": "2027-01-01"}, "billingPeriod": "P1M",
           "fixedPrice": fixed_json(t), "energyPrice": {"components": t.energy.iter().map(|p| energy_json(p, m)).collect::<Vec<_>>()},
           "powerPrice": power_json(t)})
}

fn summary(t: &Tariff) -> Value {
    json!({"id": t.id, "name": t.name, "description": t.description, "product": t.product, "company": t.company})
}

/// The tariff serving a position: Finland → Helen, Denmark → Radius (east) or Konstant (west);
/// in Sweden the west coast → Göteborg Energi, north → Vattenfall, else Ellevio.
pub fn tariff_for(lat: f64, lon: f64) -> &'static str {
    match country(lat, lon) {
        Country::Finland => return "helen-teho-2026",
        Country::DenmarkWest => return "konstant-tid-2026",
        Country::DenmarkEast => return "radius-tid-2026",
        Country::Sweden => {}
    }
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
    let m = t.market();
    let local = at.with_timezone(&m.time_zone);
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
            (json!([energy_json(part, m)]), part.ex_vat, "kWh")
        }
        _ => return None,
    };
    Some(
        json!({"tariff_id": id, "component": kind, "datetime": at.to_rfc3339(), "unit": unit,
                "priceExVat": round4(total), "priceIncVat": round4(total * m.vat),
                "currency": m.currency, "components": components}),
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
        assert_eq!(providers()["count"], 6);
    }

    #[test]
    fn finnish_and_danish_positions_get_their_own_companies_currency_and_zone() {
        for (lat, lon, area, first, currency, zone, vat) in [
            (
                60.17,
                24.94,
                "FI",
                "helen-teho-2026",
                "EUR",
                "Europe/Helsinki",
                1.255,
            ),
            (
                55.68,
                12.57,
                "DK2",
                "radius-tid-2026",
                "DKK",
                "Europe/Copenhagen",
                1.25,
            ),
            (
                56.16,
                10.20,
                "DK1",
                "konstant-tid-2026",
                "DKK",
                "Europe/Copenhagen",
                1.25,
            ),
        ] {
            assert_eq!(area_for(lat, lon), area);
            let l = lookup(lat, lon, area, false);
            let list = l["tariffs"].as_array().unwrap();
            assert_eq!(list[0]["id"], first, "{l}");
            assert_eq!(list.len(), 3);
            for s in list {
                let t = &tariff(s["id"].as_str().unwrap(), false).unwrap()["tariff"];
                assert_eq!(t["timeZone"], zone);
                for kind in ["fixedPrice", "energyPrice", "powerPrice"] {
                    for c in t[kind]["components"].as_array().unwrap() {
                        assert_eq!(c["price"]["currency"], currency, "{t}");
                        let (ex, inc) = (
                            c["price"]["priceExVat"].as_f64().unwrap(),
                            c["price"]["priceIncVat"].as_f64().unwrap(),
                        );
                        assert!((inc - round4(ex * vat)).abs() < 1e-9, "{t}");
                    }
                }
            }
        }
        // The neighbours stay Swedish.
        for (lat, lon, area) in [
            (55.60, 13.00, "SE4"),
            (56.05, 12.69, "SE4"),
            (65.83, 24.14, "SE1"),
            (63.83, 20.26, "SE1"),
            (57.71, 11.97, "SE3"),
        ] {
            assert_eq!(area_for(lat, lon), area, "{lat},{lon}");
            assert!(
                !tariff_for(lat, lon).starts_with("helen")
                    && !tariff_for(lat, lon).starts_with("radius")
                    && !tariff_for(lat, lon).starts_with("konstant")
            );
        }
        // A Danish time-of-use price at 18:00 local in January is the peak price; at 22:00 it is not.
        let p = |t| price_at("radius-tid-2026", "energyPrice", t).unwrap();
        let peak = p(Utc.with_ymd_and_hms(2026, 1, 14, 17, 0, 0).unwrap());
        assert_eq!(
            (peak["priceExVat"].as_f64(), peak["currency"].as_str()),
            (Some(0.94), Some("DKK"))
        );
        assert_eq!(
            p(Utc.with_ymd_and_hms(2026, 1, 14, 21, 0, 0).unwrap())["priceExVat"],
            0.26
        );
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
