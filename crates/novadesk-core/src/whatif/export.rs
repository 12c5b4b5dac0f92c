//! The comparison as CSV (one row per tariff: the ranked columns, then the cost of each month) and
//! the monthly chart (grouped bars, drawn by novadesk-charts).

use std::path::Path;

use novadesk_charts::{BarSeries, GroupedBarSpec, Theme};

use super::{what_if, MonthSpan, TariffRow, WhatIfOutput, WhatIfRequest};
use crate::chart::{write_atomically, CancelToken};
use crate::error::Result;
use crate::workspace::Workspace;

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

fn amount(v: Option<f64>) -> String {
    v.map(|v| format!("{v:.2}")).unwrap_or_default()
}

/// The CSV text: amounts in the output's currency with two decimals, empty where unknown.
pub fn what_if_csv(out: &WhatIfOutput) -> String {
    let cur = &out.currency;
    let mut header: Vec<String> = ["rank", "tariff_id", "tariff", "current"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for col in [
        "total incl. VAT",
        "difference to current",
        "spot energy",
        "energy fee",
        "power charge",
        "fixed fee",
        "VAT",
    ] {
        header.push(format!("{col} [{cur}]"));
    }
    for m in &out.months {
        header.push(format!("{} [{cur}]", m.label));
    }
    header.push("problem".into());
    let mut text = header
        .iter()
        .map(|h| quote(h))
        .collect::<Vec<_>>()
        .join(",");
    text.push('\n');
    for r in &out.rows {
        let c = r.cost.as_ref();
        let mut row = vec![
            r.rank.map(|n| n.to_string()).unwrap_or_default(),
            quote(&r.tariff_id),
            quote(&r.label),
            if r.current { "yes" } else { "" }.into(),
            amount(c.map(|c| c.total_inc_vat)),
            amount(r.difference),
            amount(c.map(|c| c.spot_cost - c.export_revenue)),
            amount(c.map(|c| c.grid_energy_fee)),
            amount(c.map(|c| c.power_charge)),
            amount(c.map(|c| c.fixed_fee)),
            amount(c.map(|c| c.vat)),
        ];
        row.extend(r.monthly.iter().map(|m| amount(*m)));
        row.push(quote(r.problem.as_deref().unwrap_or("")));
        text.push_str(&row.join(","));
        text.push('\n');
    }
    text
}

/// Compares (fetching what is missing, as [`what_if`] does) and writes the CSV to `path`
/// atomically. Returns the bytes written.
pub async fn export_what_if(ws: &Workspace, req: &WhatIfRequest, path: &Path) -> Result<u64> {
    let out = what_if(ws, req, &|_| {}, &CancelToken::new()).await?;
    let text = what_if_csv(&out);
    write_atomically(path, text.as_bytes())?;
    Ok(text.len() as u64)
}

/// The monthly cost per priced tariff as grouped bars.
pub(super) fn monthly_chart(
    req: &WhatIfRequest,
    currency: &str,
    months: &[MonthSpan],
    rows: &[TariffRow],
) -> Result<String> {
    let spec = GroupedBarSpec {
        width: req.width,
        height: req.height,
        theme: if req.dark { Theme::Dark } else { Theme::Light },
        unit: format!("{currency} per month, incl. VAT"),
        categories: months.iter().map(|m| m.label.clone()).collect(),
        series: rows
            .iter()
            .filter(|r| r.cost.is_some())
            .map(|r| BarSeries {
                label: if r.current {
                    format!("{} (today)", r.label)
                } else {
                    r.label.clone()
                },
                values: r.monthly.clone(),
            })
            .collect(),
    };
    Ok(novadesk_charts::render_grouped_bars_svg(&spec)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whatif::WhatIfCoverage;

    #[test]
    fn csv_has_one_row_per_tariff_with_units_months_and_the_reason_for_gaps() {
        let summary: crate::chart::CostSummary = serde_json::from_value(serde_json::json!({
            "currency": "SEK", "tariff_id": "a", "import_kwh": 10.0, "export_kwh": 1.0,
            "spot_cost": 5.0, "export_revenue": 0.5, "grid_energy_fee": 2.0, "power_charge": 3.0,
            "fixed_fee": 100.0, "total_ex_vat": 109.5, "vat": 27.5, "total_inc_vat": 137.0,
            "peaks": [], "metered_fraction": 1.0, "priced_fraction": 1.0
        }))
        .unwrap();
        let out = WhatIfOutput {
            site_id: "s".into(),
            site_name: "Site".into(),
            time_zone: "UTC".into(),
            from_ms: 0,
            to_ms: 1,
            price_area: "SE3".into(),
            currency: "SEK".into(),
            current_tariff_id: Some("a".into()),
            rows: vec![
                TariffRow {
                    tariff_id: "a".into(),
                    label: "Grid, Inc — A".into(),
                    current: true,
                    rank: Some(1),
                    cost: Some(summary),
                    difference: Some(0.0),
                    monthly: vec![Some(137.0)],
                    problem: None,
                },
                TariffRow {
                    tariff_id: "h".into(),
                    label: "H".into(),
                    current: false,
                    rank: None,
                    cost: None,
                    difference: None,
                    monthly: vec![None],
                    problem: Some("H is half-filled: no timeZone.".into()),
                },
            ],
            months: vec![MonthSpan {
                label: "Jan 2026".into(),
                from_ms: 0,
                to_ms: 1,
            }],
            chart_svg: String::new(),
            coverage: WhatIfCoverage {
                metered_fraction: 1.0,
                priced_fraction: 1.0,
                meter_gaps: Vec::new(),
                unpriced: Vec::new(),
                summary: String::new(),
            },
            notes: Vec::new(),
            offline: false,
            tariffs_cached: false,
            cached_at: None,
            network_requests: 0,
        };
        assert_eq!(
            what_if_csv(&out),
            "rank,tariff_id,tariff,current,total incl. VAT [SEK],difference to current [SEK],spot energy [SEK],energy fee [SEK],power charge [SEK],fixed fee [SEK],VAT [SEK],Jan 2026 [SEK],problem\n\
             1,a,\"Grid, Inc — A\",yes,137.00,0.00,4.50,2.00,3.00,100.00,27.50,137.00,\n\
             ,h,H,,,,,,,,,,H is half-filled: no timeZone.\n"
        );
    }
}
