//! Every SDK model's decoding, one model per input (picked by the first byte): the single-object
//! form and the list form (`decode_page`: a bare array or an `{items|data, next_cursor}`
//! envelope), plus the lenient parsers the models use (timestamps, keys, durations, tokens,
//! Eltariff). Oracle: no panic; a decoded model's `Debug` renders.
#![no_main]

use libfuzzer_sys::fuzz_target;
use novacore::models::page::decode_page;
use novacore::{history, models, prices, pricing, public, tariffs};
use serde::de::DeserializeOwned;

fn decode<T: DeserializeOwned + std::fmt::Debug>(body: &[u8]) {
    if let Ok(v) = serde_json::from_slice::<T>(body) {
        let _ = format!("{v:?}");
    }
    if let Ok(p) = decode_page::<T>(body) {
        let _ = format!("{:?}", p.items);
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let text = std::str::from_utf8(body).unwrap_or("");
    match pick % 32 {
        0 => decode::<models::Organization>(body),
        1 => decode::<models::Member>(body),
        2 => decode::<models::Role>(body),
        3 => decode::<models::Site>(body),
        4 => decode::<models::Location>(body),
        5 => decode::<models::Device>(body),
        6 => decode::<models::Der>(body),
        7 => decode::<models::ProvisionResponse>(body),
        8 => decode::<models::ProvisionRequest>(body),
        9 => {
            decode::<models::Gateway>(body);
            if let Ok(g) = serde_json::from_slice::<models::Gateway>(body) {
                let _ = g.decoded_public_key();
            }
        }
        10 => decode::<models::ClaimResponse>(body),
        11 => decode::<models::ClaimRequest>(body),
        12 => decode::<models::Reading>(body),
        13 => decode::<history::Series>(body),
        14 => decode::<history::Aggregate>(body),
        15 => decode::<history::Resolution>(body),
        16 => decode::<tariffs::TariffSummary>(body),
        17 => decode::<tariffs::TariffLookup>(body),
        18 => decode::<tariffs::Tariff>(body),
        19 => decode::<public::Cell>(body),
        20 => decode::<public::CellStats>(body),
        21 => decode::<public::DeviceType>(body),
        22 => decode::<public::DerType>(body),
        23 => decode::<prices::DayAhead>(body),
        24 => decode::<prices::PricePoint>(body),
        25 => decode::<pricing::Tariff>(body),
        26 => decode::<pricing::SpotPrices>(body),
        27 => decode::<pricing::MeterSeries>(body),
        28 => {
            if let Ok(v) = serde_json::from_slice(body) {
                let _ = pricing::Tariff::from_eltariff(&v);
            }
        }
        29 => {
            let _ = models::time::parse_str(text);
            let _ = prices::parse_iso_duration(text);
        }
        30 => {
            if let Ok(k) = models::PublicKey::parse(text) {
                let _ = k.to_hex();
            }
        }
        _ => {
            let _ = novacore::auth::jwt::expiry(text);
            decode::<novacore::auth::RegisteredIdentity>(body);
        }
    }
});
