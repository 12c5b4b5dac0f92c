//! The fleet's rows from the store: one per site, problems first.

use serde::Serialize;

use super::energy::{site_energy, MonthPeak, Shared, TodayEnergy};
use super::inputs::{FleetReads, SiteInputs, StoredInputs};
use super::state::{classify, SiteState};
use crate::browse::{cached_sites, Cached, SiteRow, SiteRows};
use crate::chart::{stored_prefs_and_tariff, SiteInfo};
use crate::error::Result;
use crate::workspace::Workspace;

/// One site of the fleet.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FleetRow {
    pub site_id: String,
    pub name: String,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub state: SiteState,
    /// The newest stored reading of any of the site's DERs, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub last_reading_ms: Option<i64>,
    /// When the platform last saw one of the site's gateways, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = Option<f64>))]
    pub gateway_seen_ms: Option<i64>,
    /// Whether the site's devices are stored (else meter and gateways are not known yet).
    pub devices_known: bool,
    pub today: Option<TodayEnergy>,
    /// Why today is missing or partial, for a person.
    pub today_note: Option<String>,
    pub peak: Option<MonthPeak>,
    /// Why there is no peak, for a person.
    pub peak_note: Option<String>,
}

/// The fleet as stored: rows problems first, and when the site list was fetched.
pub type FleetRows = Cached<Vec<FleetRow>>;

/// Every site the store knows at `now_ms`, problems first (the longest silent first), then by
/// name; `None` if the site list was never fetched.
pub fn fleet_rows(ws: &Workspace, now_ms: i64) -> Result<Option<FleetRows>> {
    fleet_rows_with(ws, now_ms, FleetReads::Batched)
}

/// [`fleet_rows`], reading the store as `reads` says (the rows are the same either way).
pub fn fleet_rows_with(
    ws: &Workspace,
    now_ms: i64,
    reads: FleetReads,
) -> Result<Option<FleetRows>> {
    let Some(sites) = cached_sites(ws)? else {
        return Ok(None);
    };
    let mut stored = match reads {
        FleetReads::Batched => StoredInputs::fleet(ws, &sites.value)?,
        FleetReads::PerSite => StoredInputs::default(),
    };
    let mut shared = Shared::default();
    let mut rows = Vec::with_capacity(sites.value.len());
    for site in sites.value {
        if reads == FleetReads::PerSite {
            stored.add_site(ws, &site)?;
        }
        let inputs = stored.take(&site);
        rows.push(site_row(
            ws,
            site,
            inputs,
            sites.fetched_at_ms,
            now_ms,
            &mut shared,
        )?);
    }
    sort_problems_first(&mut rows);
    Ok(Some(Cached {
        value: rows,
        fetched_at_ms: sites.fetched_at_ms,
    }))
}

/// One site's row from its stored inputs; `list_fetched_at_ms` stands for the devices' fetch
/// time when they are not stored.
fn site_row(
    ws: &Workspace,
    site: SiteRow,
    inputs: SiteInputs,
    list_fetched_at_ms: i64,
    now_ms: i64,
    shared: &mut Shared,
) -> Result<FleetRow> {
    let SiteInputs {
        devices,
        seen,
        last_reading_ms,
        prefs,
        choices,
    } = inputs;
    let state = classify(now_ms, last_reading_ms, &seen);
    let (devices_known, devices, fetched_at_ms) = match devices {
        Some(c) => (true, c.value, c.fetched_at_ms),
        None => (false, Vec::new(), list_fetched_at_ms),
    };
    let (name, org_id, org_name) = (
        site.name.clone(),
        site.org_id.clone(),
        site.org_name.clone(),
    );
    let site_id = site.id.clone();
    let info = SiteInfo::from_rows(Cached {
        value: (site, devices) as SiteRows,
        fetched_at_ms,
    });
    let energy = if devices_known {
        let priced = stored_prefs_and_tariff(&info, prefs.as_deref(), choices.as_deref());
        site_energy(ws, &info, priced, now_ms, shared)?
    } else {
        let note = "The site's devices are not stored yet; they are fetched when online.";
        super::energy::SiteEnergy {
            today_note: Some(note.into()),
            peak_note: Some(note.into()),
            ..Default::default()
        }
    };
    Ok(FleetRow {
        site_id,
        name,
        org_id,
        org_name,
        state,
        last_reading_ms,
        gateway_seen_ms: seen.0.iter().flatten().max().copied(),
        devices_known,
        today: energy.today,
        today_note: energy.today_note,
        peak: energy.peak,
        peak_note: energy.peak_note,
    })
}

/// Problems first (silent longest first), then by name.
fn sort_problems_first(rows: &mut [FleetRow]) {
    let since = |r: &FleetRow| match r.state {
        SiteState::Silent { since_ms } => since_ms,
        _ => 0,
    };
    rows.sort_by(|a, b| {
        a.state
            .rank()
            .cmp(&b.state.rank())
            .then(since(a).cmp(&since(b)))
            .then(a.name.to_lowercase().cmp(&b.name.to_lowercase()))
            .then(a.site_id.cmp(&b.site_id))
    });
}
