//! `cost`: fetch the site, its grid tariff, meter history and spot prices, then run the pure
//! `novacore::pricing` computation.

use chrono::{DateTime, TimeDelta, Utc};
use chrono_tz::Tz;
use novacore::history::Resolution;
use novacore::models::Site;
use novacore::pricing::{compute_cost, CostReport, MeterSeries, SpotPrices, Tariff, TimeRange};
use serde::Serialize;

use crate::cli::CostArgs;
use crate::connection::Connection;
use crate::error::{CliError, Result};
use crate::output::{Output, Table};

/// Meter history resolution: fine enough for 15-minute prices and quarter-hour peaks.
const METER_RESOLUTION: Resolution = Resolution::QuarterHour;
/// The price service serves at most this many days per request.
const MAX_PRICE_DAYS: i64 = 10;

#[derive(Serialize)]
struct CostOutput<'a> {
    site_id: &'a str,
    site_name: &'a str,
    area: &'a str,
    tariff_id: Option<&'a str>,
    time_zone: &'a str,
    report: &'a CostReport,
}

/// Runs `cost`.
pub async fn run(args: &CostArgs, conn: &Connection, out: Output) -> Result<()> {
    let site = conn.client.sites().get(&args.site).await?;
    let (tariff_id, tariff) = grid_tariff(args, conn, &site).await?;
    let tz: Tz = tariff
        .time_zone
        .parse()
        .map_err(|_| CliError::Usage(format!("unknown time zone {}", tariff.time_zone)))?;
    let from = args.from.resolve(tz);
    let to = args.to.resolve(tz);
    if from >= to {
        return Err(CliError::Usage("--from must be before --to".into()));
    }
    let area = args
        .area
        .clone()
        .or_else(|| site.price_area.clone())
        .ok_or_else(|| {
            CliError::Usage(format!("site {} has no price area; pass --area", site.id))
        })?;
    let meter = meter_series(conn, &site.id, from, to, tz).await?;
    let prices = spot_prices(conn, &area, &args.currency, from, to, tz).await?;
    let report = compute_cost(&meter, &prices, &tariff, TimeRange::new(from, to))?;
    let value = CostOutput {
        site_id: &site.id,
        site_name: &site.name,
        area: &area,
        tariff_id: tariff_id.as_deref(),
        time_zone: &tariff.time_zone,
        report: &report,
    };
    out.emit(&value, || human(&value, &tariff, tz, args.intervals))
}

/// The tariff named by `--tariff`, else the first one at the site's location, else none
/// (spot cost only, said on stderr).
async fn grid_tariff(
    args: &CostArgs,
    conn: &Connection,
    site: &Site,
) -> Result<(Option<String>, Tariff)> {
    let tariffs = conn.client.tariffs();
    let id = match (&args.tariff, &site.location) {
        (Some(id), _) => Some(id.clone()),
        (None, Some(loc)) => tariffs
            .lookup(loc.lat, loc.lon)
            .await?
            .tariffs
            .first()
            .map(|t| t.id.clone()),
        (None, None) => None,
    };
    match id {
        Some(id) => {
            let t = tariffs.tariff(&id).await?;
            Ok((Some(id), Tariff::from_sdk(&t)?))
        }
        None => {
            eprintln!(
                "note: no grid tariff (pass --tariff ID or give the site a location); \
                 computing spot cost only"
            );
            Ok((
                None,
                Tariff {
                    time_zone: site
                        .timezone
                        .clone()
                        .unwrap_or_else(|| "Europe/Stockholm".into()),
                    currency: args.currency.clone(),
                    fixed_per_month: 0.0,
                    energy: vec![],
                    energy_combination: Default::default(),
                    power: vec![],
                    vat_rate: 0.0,
                },
            ))
        }
    }
}

/// Local calendar month bounds around `t` (first instant of the month containing `t`).
fn month_start(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    use chrono::Datelike;
    let d = t
        .with_timezone(&tz)
        .date_naive()
        .with_day(1)
        .unwrap_or_default();
    crate::timearg::TimeArg::Date(d).resolve(tz)
}

fn next_month_start(t: DateTime<Utc>, tz: Tz) -> DateTime<Utc> {
    // 32 days past a month start is always inside the next month.
    month_start(month_start(t, tz) + TimeDelta::days(32), tz)
}

/// The site's grid meter over the billing months of the range (the power charge needs the
/// whole months' peaks), up to now.
async fn meter_series(
    conn: &Connection,
    site_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: Tz,
) -> Result<MeterSeries> {
    let hist_from = month_start(from, tz);
    let hist_to = next_month_start(to - TimeDelta::milliseconds(1), tz).min(Utc::now());
    if hist_from < hist_to {
        // Ask for the meter DER only when the site lists one: a month of every DER is large.
        let meter_der = match conn.client.sites().devices(site_id).await {
            Ok(devices) => devices
                .into_iter()
                .flat_map(|d| d.ders)
                .find(|d| d.der_type == "meter")
                .map(|d| d.id),
            Err(_) => None,
        };
        let series = conn
            .client
            .telemetry()
            .history(
                site_id,
                hist_from..hist_to,
                METER_RESOLUTION,
                meter_der.as_deref(),
            )
            .await?;
        let meters: Vec<_> = series
            .iter()
            .filter(|s| s.kind.as_deref() == Some("meter"))
            .collect();
        if meters.len() > 1 {
            eprintln!(
                "note: the site has {} meters; using the first",
                meters.len()
            );
        }
        if let Some(m) = meters.first() {
            return Ok(MeterSeries::from_history(m, METER_RESOLUTION));
        } else {
            eprintln!("note: no meter telemetry for site {site_id}; energy counts as missing");
        }
    }
    Ok(MeterSeries::NetPower {
        interval_s: METER_RESOLUTION.duration().num_seconds() as u32,
        points: Vec::new(),
    })
}

/// Spot prices for every local day the range touches; unpublished days are left out (the
/// report's coverage shows them as unpriced).
async fn spot_prices(
    conn: &Connection,
    area: &str,
    currency: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: Tz,
) -> Result<SpotPrices> {
    let first = from.with_timezone(&tz).date_naive();
    let last = (to - TimeDelta::milliseconds(1))
        .with_timezone(&tz)
        .date_naive();
    let mut responses = Vec::new();
    let mut day = first;
    while day <= last {
        let days = ((last - day).num_days() + 1).min(MAX_PRICE_DAYS);
        match conn
            .client
            .prices()
            .day_ahead(area, day, days as u32, currency)
            .await
        {
            Ok(d) => responses.push(d),
            Err(novacore::Error::NotPublished) => {
                eprintln!("note: {area} prices from {day} are not published yet");
            }
            Err(e) => return Err(e.into()),
        }
        day += TimeDelta::days(days);
    }
    let mut prices = SpotPrices::from_day_ahead(&responses);
    if prices.currency.is_empty() {
        prices.currency = currency.to_string();
    }
    Ok(prices)
}

fn local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string()
}

fn human(v: &CostOutput<'_>, tariff: &Tariff, tz: Tz, intervals: bool) -> String {
    let r = v.report;
    let c = &r.currency;
    let mut s = format!(
        "{} ({}), {} → {} {}\narea {}, tariff {}\n\n",
        v.site_name,
        v.site_id,
        local(r.range.from, tz),
        local(r.range.to, tz),
        tz,
        v.area,
        v.tariff_id.unwrap_or("none")
    );
    s.push_str(&format!(
        "imported {:.3} kWh, exported {:.3} kWh\n",
        r.import_kwh, r.export_kwh
    ));
    let mut t = Table::new(&["", c]);
    let vat_label = format!("VAT ({:.0} %)", tariff.vat_rate * 100.0);
    for (label, amount) in [
        ("spot cost", r.spot_cost),
        ("export revenue", 0.0 - r.export_revenue + 0.0),
        ("grid energy fee", r.grid_energy_fee),
        ("power charge", r.power_charge),
        ("fixed fee", r.fixed_fee),
        ("total ex VAT", r.total_ex_vat),
        (vat_label.as_str(), r.vat),
        ("total inc VAT", r.total_inc_vat),
    ] {
        t.row(vec![label.to_string(), format!("{amount:>10.2}")]);
    }
    s.push_str(&t.render());
    for m in &r.power_months {
        let peaks: Vec<String> = m
            .peaks
            .iter()
            .map(|p| format!("{:.2} kW at {}", p.kw, local(p.start, tz)))
            .collect();
        s.push_str(&format!(
            "\n{} {}-{:02}: average {:.2} kW → {:.2} for the month, {:.1} % of it in range; peaks: {}",
            m.component,
            m.year,
            m.month,
            m.average_kw,
            m.month_charge,
            m.share * 100.0,
            peaks.join(", ")
        ));
    }
    let cov = &r.coverage;
    s.push_str(&format!(
        "\ncoverage: meter {:.1} %, priced {:.1} %",
        cov.metered_fraction * 100.0,
        cov.priced_fraction * 100.0
    ));
    for g in cov.meter_gaps.iter().take(5) {
        s.push_str(&format!(
            "\n  no meter data {} → {}",
            local(g.from, tz),
            local(g.to, tz)
        ));
    }
    if cov.meter_gaps.len() > 5 {
        s.push_str(&format!("\n  … {} more gaps", cov.meter_gaps.len() - 5));
    }
    if intervals {
        let mut t = Table::new(&["START", "IMPORT kWh", "EXPORT kWh", "SPOT/kWh", "TOTAL"]);
        for i in &r.intervals {
            t.row(vec![
                local(i.start, tz),
                format!("{:.4}", i.import_kwh),
                format!("{:.4}", i.export_kwh),
                i.spot_price_per_kwh
                    .map_or_else(|| "-".into(), |p| format!("{p:.4}")),
                format!("{:.4}", i.total),
            ]);
        }
        s.push_str("\n\n");
        s.push_str(&t.render());
    }
    s
}
