//! `prices` and `tariffs …`: public market data.

use chrono::Utc;

use crate::cli::{PricesArgs, TariffsCmd};
use crate::connection::Connection;
use crate::error::Result;
use crate::output::{opt, Output, Table};

/// Runs `prices`.
pub async fn prices(args: &PricesArgs, conn: &Connection, out: Output) -> Result<()> {
    let date = args.date.unwrap_or_else(|| Utc::now().date_naive());
    let day = conn
        .client
        .prices()
        .day_ahead(&args.area, date, args.days, &args.currency)
        .await?;
    out.emit(&day, || {
        let unit = day
            .unit
            .clone()
            .unwrap_or_else(|| format!("{}/MWh", day.currency));
        let mut text = format!(
            "{} {} ({}, slots of {} min)\n",
            day.area,
            date,
            unit,
            day.slot_length().num_minutes()
        );
        let mut t = Table::new(&["START (UTC)", "PRICE/MWh", "PRICE/kWh"]);
        for p in &day.prices {
            t.row(vec![
                p.datetime.format("%Y-%m-%d %H:%M").to_string(),
                format!("{:.2}", p.price),
                format!("{:.4}", p.price / 1000.0),
            ]);
        }
        text.push_str(&t.render());
        text
    })
}

/// Runs `tariffs …`.
pub async fn tariffs(cmd: &TariffsCmd, conn: &Connection, out: Output) -> Result<()> {
    let tariffs = conn.client.tariffs();
    match cmd {
        TariffsCmd::Lookup { lat, lon } => {
            let found = tariffs.lookup(*lat, *lon).await?;
            out.emit(&found, || {
                let mut t = Table::new(&["ID", "NAME", "COMPANY"]);
                for s in &found.tariffs {
                    t.row(vec![s.id.clone(), opt(&s.name), opt(&s.company)]);
                }
                t.render()
            })
        }
        TariffsCmd::Show { id } => {
            let tariff = tariffs.tariff(id).await?;
            out.emit(&tariff, || {
                let mut text = format!(
                    "{} {} ({}, time zone {})\n",
                    tariff.id,
                    opt(&tariff.name),
                    opt(&tariff.company_name),
                    opt(&tariff.time_zone)
                );
                let mut t = Table::new(&["PART", "NAME", "EX VAT", "INC VAT", "PER"]);
                let parts = [
                    ("fixed", &tariff.fixed_price),
                    ("energy", &tariff.energy_price),
                    ("power", &tariff.power_price),
                ];
                for (part, block) in parts {
                    for c in &block.components {
                        t.row(vec![
                            part.to_string(),
                            opt(&c.name),
                            opt(&c.price_ex_vat),
                            opt(&c.price_inc_vat),
                            opt(&c.priced_period),
                        ]);
                    }
                }
                text.push_str(&t.render());
                text
            })
        }
    }
}
