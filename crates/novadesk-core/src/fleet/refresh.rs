//! Fetching what the Fleet view needs and the store lacks, one request at a time (a fleet of
//! 500 sites must not open 500 requests at once): the site list, each organization's gateways,
//! the devices of sites never opened, each site's grid tariff, today's spot prices and the
//! month's meter history. Later refreshes only fetch what is missing.

use novadesk_store::SeriesKey;

use crate::browse::{
    cached_site_rows, kind, read_set, refresh_site_rows, refresh_sites, write_set,
};
use crate::browse::{DeviceRow, GatewayRow};
use crate::chart::{
    cached_tariff_id, chart_prefs, cost_level, cost_span, fetch_missing, load_tariff, local_day,
    local_midnight, remember_location_tariff, CancelToken, HistoryJob, PriceJob, SiteInfo,
};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// Whether an error means "stop: offline or signed out" rather than "skip this site".
fn fatal(e: &Error) -> bool {
    matches!(e, Error::Novacore(n) if n.is_offline() || n.is_auth()) || matches!(e, Error::Store(_))
}

/// How a fleet refresh went (errors other than offline and sign-in skip the site they concern).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FleetRefreshed {
    /// The server became unreachable part way: what was fetched so far is stored.
    pub offline: bool,
    /// What could not be fetched, for a person.
    pub note: Option<String>,
}

/// Refreshes the list of sites and each organization's gateways (what the states need), then,
/// when `deep`, every site's devices, tariff, prices and meter history (what energy and cost
/// need). Offline from the start or signed out, it fails with that error.
pub async fn refresh_fleet(ws: &Workspace, deep: bool) -> Result<FleetRefreshed> {
    let sites = refresh_sites(ws).await?.value;
    let mut trouble: Vec<String> = Vec::new();
    let mut orgs: Vec<&str> = sites.iter().filter_map(|s| s.org_id.as_deref()).collect();
    orgs.sort_unstable();
    orgs.dedup();
    for org in orgs {
        match ws.novacore(async |c| c.gateways().list(org).await).await {
            Ok(list) => {
                let rows: Vec<GatewayRow> = list.into_iter().map(GatewayRow::from).collect();
                write_set(ws, kind::GATEWAY, org, &rows, |g| &g.serial, ws.now_ms())?;
            }
            Err(e) if e.is_offline() || e.is_auth() => return Err(e.into()),
            Err(e) => trouble.push(format!("gateways of an organization ({e})")),
        }
    }
    let mut offline = false;
    if deep {
        for site in &sites {
            match refresh_site_energy(ws, &site.id).await {
                Ok(true) => {}
                Ok(false) => {
                    offline = true;
                    break;
                }
                Err(e) if e.kind() == crate::ErrorKind::Offline => {
                    offline = true;
                    break;
                }
                Err(e) if fatal(&e) => return Err(e),
                Err(e) => trouble.push(format!("{} ({e})", site.name)),
            }
        }
    }
    Ok(FleetRefreshed {
        offline,
        note: (!trouble.is_empty())
            .then(|| format!("Could not fetch everything for: {}.", trouble.join("; "))),
    })
}

/// One site: its devices if never fetched, its tariff, today's prices and the month's meter
/// data. `false` when the server became unreachable.
async fn refresh_site_energy(ws: &Workspace, site_id: &str) -> Result<bool> {
    if read_set::<DeviceRow>(ws, kind::DEVICE, site_id)?.is_none() {
        refresh_site_rows(ws, site_id).await?;
    }
    let Some(rows) = cached_site_rows(ws, site_id)? else {
        return Ok(true);
    };
    let site = SiteInfo::from_rows(rows);
    let Some(meter) = site.meter().cloned() else {
        return Ok(true); // Nothing to price: the row says so.
    };
    let prefs = chart_prefs(ws, &site)?;
    let tariff = match cached_tariff_id(ws, site_id, &prefs)? {
        Some(id) => Some(id),
        None => remember_location_tariff(ws, &site).await?,
    };
    if let Some(id) = tariff {
        let mut requests = 0;
        load_tariff(ws, &id, &mut requests).await?;
    }
    let now = ws.now_ms();
    let tz = site.tz();
    let from = local_midnight(tz, local_day(tz, now));
    let to = now.max(from + 1);
    let span = cost_span(tz, from, to, now);
    let history = [HistoryJob {
        der: Some(meter.id.clone()),
        keys: vec![SeriesKey::new(&meter.id, "W")],
        level: cost_level(from, to),
        from: span.0,
        to: span.1,
    }];
    let prices = PriceJob {
        area: prefs.price_area,
        currency: prefs.currency,
        tz,
        from,
        to,
    };
    let outcome = fetch_missing(
        ws,
        site_id,
        &history,
        Some(&prices),
        &|_| {},
        &CancelToken::new(),
    )
    .await?;
    match outcome.note {
        Some(note) if !outcome.offline => Err(Error::InvalidInput(note)),
        _ => Ok(!outcome.offline),
    }
}
