//! The comparison itself, pure: every tariff priced by `novacore::pricing::compute_cost` over the
//! same meter data and spot prices — once over the whole period (the table, equal to the chart's
//! cost summary) and once per month on that month's slice of the inputs (the monthly chart).

use chrono::{DateTime, Utc};

use novacore::pricing::{
    compute_cost, CostReport, MeterSeries, PricingError, SpotPrices, Tariff, TimeRange,
};

use crate::chart::CostSummary;

/// A tariff to price: its id, what to call it, and the platform's answer.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    pub id: String,
    pub label: String,
    pub current: bool,
    pub tariff: novacore::tariffs::Tariff,
}

/// One tariff's outcome before ranking.
#[derive(Debug, Clone)]
pub(crate) struct Priced {
    pub id: String,
    pub label: String,
    pub current: bool,
    /// The whole period, or why the tariff cannot be priced.
    pub result: std::result::Result<(CostReport, CostSummary), String>,
    /// Total incl. VAT per month (aligned with the months given), `None` for unpriced tariffs.
    pub monthly: Vec<Option<f64>>,
}

fn dt(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// The inputs restricted to `[from, to)` (a month: its meter data decides its power charge).
fn slice(
    meter: &MeterSeries,
    prices: &SpotPrices,
    from: i64,
    to: i64,
) -> (MeterSeries, SpotPrices) {
    let (a, b) = (dt(from), dt(to));
    let meter = match meter {
        MeterSeries::NetPower { interval_s, points } => MeterSeries::NetPower {
            interval_s: *interval_s,
            points: points
                .iter()
                .filter(|p| p.ts >= a && p.ts < b)
                .cloned()
                .collect(),
        },
        other => other.clone(),
    };
    let prices = SpotPrices {
        currency: prices.currency.clone(),
        slots: prices
            .slots
            .iter()
            .filter(|s| {
                s.start < b
                    && s.start + chrono::Duration::minutes(i64::from(s.duration_minutes)) > a
            })
            .cloned()
            .collect(),
    };
    (meter, prices)
}

/// Why a tariff cannot be priced, as a sentence: half-filled answers are named, never guessed.
fn refusal(c: &Candidate) -> Option<String> {
    let missing = c.tariff.missing_fields();
    (!missing.is_empty()).then(|| {
        format!(
            "{} is half-filled: the platform gave no {}, so it is left out rather than guessed.",
            c.label,
            missing.join(", ")
        )
    })
}

/// Prices every candidate over `period`, and per month over `months` (whole local months
/// touching the period; each is priced over its part inside the period).
pub(crate) fn price_all(
    candidates: &[Candidate],
    meter: &MeterSeries,
    prices: &SpotPrices,
    period: (i64, i64),
    months: &[(i64, i64)],
) -> Vec<Priced> {
    let sliced: Vec<(MeterSeries, SpotPrices)> = months
        .iter()
        // Whole months: a month's power charge needs all its meter data, inside the period or not.
        .map(|(a, b)| slice(meter, prices, *a, *b))
        .collect();
    candidates
        .iter()
        .map(|c| {
            let result = price_one(c, meter, prices, period);
            let monthly = match &result {
                Ok(_) => months
                    .iter()
                    .zip(&sliced)
                    .map(|((a, b), (m, p))| {
                        let range = (*a.max(&period.0), *b.min(&period.1));
                        price_one(c, m, p, range).ok().map(|(r, _)| r.total_inc_vat)
                    })
                    .collect(),
                Err(_) => vec![None; months.len()],
            };
            Priced {
                id: c.id.clone(),
                label: c.label.clone(),
                current: c.current,
                result,
                monthly,
            }
        })
        .collect()
}

fn price_one(
    c: &Candidate,
    meter: &MeterSeries,
    prices: &SpotPrices,
    (from, to): (i64, i64),
) -> std::result::Result<(CostReport, CostSummary), String> {
    if let Some(why) = refusal(c) {
        return Err(why);
    }
    let tariff = Tariff::from_sdk(&c.tariff)
        .map_err(|e| format!("{} cannot be used ({e}), so it is left out.", c.label))?;
    match compute_cost(meter, prices, &tariff, TimeRange::new(dt(from), dt(to))) {
        Ok(report) => {
            let summary = CostSummary::from_report(&report, &c.id);
            Ok((report, summary))
        }
        Err(PricingError::CurrencyMismatch { spot, tariff }) => Err(
            crate::chart::unpriceable_currency(&c.label, &tariff).unwrap_or_else(|| format!(
                "{} is priced in {tariff} but the spot prices are in {spot}; choose {tariff} in the chart's currency to compare it.",
                c.label
            )),
        ),
        Err(e) => Err(format!("{} could not be priced: {e}.", c.label)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use novacore::pricing::{NetPowerPoint, PriceSlot};

    const H: i64 = 3_600_000;
    // 2026-01-01T00:00Z and 2026-03-01T00:00Z: whole UTC months (the tariffs below are in UTC).
    const JAN: i64 = 1_767_225_600_000;
    const FEB: i64 = JAN + 31 * 24 * H;
    const MAR: i64 = FEB + 28 * 24 * H;

    fn tariff(json: serde_json::Value) -> novacore::tariffs::Tariff {
        serde_json::from_value(json).unwrap()
    }

    fn candidates() -> Vec<Candidate> {
        let price = |ex: f64| serde_json::json!({"priceExVat": ex, "priceIncVat": ex * 1.25, "currency": "SEK"});
        let power = tariff(serde_json::json!({"id": "power", "timeZone": "UTC",
            "fixedPrice": {"components": [{"price": price(100.0), "pricedPeriod": "P1M"}]},
            "energyPrice": {"components": [{"price": price(0.05)}]},
            "powerPrice": {"components": [{"type": "peak", "price": price(50.0),
                "peakIdentificationSettings": {"numberOfPeaksForAverageCalculation": 2}}]}}));
        let fuse = tariff(serde_json::json!({"id": "fuse", "timeZone": "UTC",
            "fixedPrice": {"components": [{"price": price(300.0), "pricedPeriod": "P1M"}]},
            "energyPrice": {"components": [{"price": price(0.25)}]}}));
        let half = tariff(serde_json::json!({"id": "half",
            "energyPrice": {"components": [{"name": "E"}]}}));
        let c = |id: &str, t, current| Candidate {
            id: id.into(),
            label: format!("Tariff {id}"),
            current,
            tariff: t,
        };
        vec![
            c("power", power, true),
            c("fuse", fuse, false),
            c("half", half, false),
        ]
    }

    fn inputs() -> (MeterSeries, SpotPrices) {
        // 2 kW every hour of January and February, one 6 kW hour in February.
        let points = (0..(MAR - JAN) / H)
            .map(|i| NetPowerPoint {
                ts: dt(JAN + i * H),
                w: if i == 900 { 6000.0 } else { 2000.0 },
            })
            .collect();
        let slots = (0..(MAR - JAN) / H)
            .map(|i| PriceSlot {
                start: dt(JAN + i * H),
                duration_minutes: 60,
                price_per_mwh: 400.0 + (i % 24) as f64 * 10.0,
            })
            .collect();
        (
            MeterSeries::NetPower {
                interval_s: 3600,
                points,
            },
            SpotPrices {
                currency: "SEK".into(),
                slots,
            },
        )
    }

    #[test]
    fn totals_are_pricings_and_months_add_up_to_them() {
        let (meter, prices) = inputs();
        let months = [(JAN, FEB), (FEB, MAR)];
        let priced = price_all(&candidates(), &meter, &prices, (JAN, MAR), &months);
        for p in priced.iter().filter(|p| p.id != "half") {
            let (report, summary) = p.result.as_ref().unwrap();
            // The table's numbers are compute_cost's, called directly on the same inputs.
            let c = candidates().into_iter().find(|c| c.id == p.id).unwrap();
            let direct = compute_cost(
                &meter,
                &prices,
                &Tariff::from_sdk(&c.tariff).unwrap(),
                TimeRange::new(dt(JAN), dt(MAR)),
            )
            .unwrap();
            assert_eq!(report, &direct);
            assert_eq!(summary.total_inc_vat, direct.total_inc_vat);
            let sum: f64 = p.monthly.iter().map(|m| m.unwrap()).sum();
            assert!(
                (sum - direct.total_inc_vat).abs() < 1e-6,
                "{} {sum} {}",
                p.id,
                direct.total_inc_vat
            );
        }
        let power = &priced[0].result.as_ref().unwrap().1;
        // February's two highest hours: 6 kW and 2 kW → 4 kW × 50; January's 2 kW × 50.
        assert!(
            (power.power_charge - (4.0 * 50.0 + 2.0 * 50.0)).abs() < 1e-9,
            "{power:?}"
        );
        assert!((power.fixed_fee - 200.0).abs() < 1e-9);
    }

    #[test]
    fn a_half_filled_tariff_is_refused_with_what_it_lacks() {
        let (meter, prices) = inputs();
        let priced = price_all(
            &candidates(),
            &meter,
            &prices,
            (JAN, MAR),
            &[(JAN, FEB), (FEB, MAR)],
        );
        let half = priced.iter().find(|p| p.id == "half").unwrap();
        let why = half.result.as_ref().unwrap_err();
        assert!(
            why.contains("half-filled") && why.contains("timeZone") && why.contains("priceExVat"),
            "{why}"
        );
        assert_eq!(half.monthly, vec![None, None]);
    }

    #[test]
    fn another_currency_is_a_sentence_not_a_number() {
        let (meter, mut prices) = inputs();
        prices.currency = "EUR".into();
        let priced = price_all(&candidates()[..1], &meter, &prices, (JAN, MAR), &[]);
        let why = priced[0].result.as_ref().unwrap_err();
        assert!(
            why.contains("priced in SEK") && why.contains("EUR"),
            "{why}"
        );
    }
}
