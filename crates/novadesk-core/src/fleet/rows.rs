//! The fleet's rows from the store: one per site, problems first.

use std::collections::HashMap;

use novadesk_store::SeriesKey;
use serde::Serialize;

use super::energy::{site_energy, MonthPeak, Shared, TodayEnergy};
use super::state::{classify, GatewaysSeen, SiteState};
use crate::browse::{cached_sites, kind, read_set, Cached, DeviceRow, GatewayRow, SiteRows};
use crate::chart::SiteInfo;
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
    let Some(sites) = cached_sites(ws)? else {
        return Ok(None);
    };
    let mut gateways: HashMap<String, HashMap<String, Option<i64>>> = HashMap::new();
    let mut shared = Shared::default();
    let mut rows = Vec::with_capacity(sites.value.len());
    for site in sites.value {
        let devices = read_set::<DeviceRow>(ws, kind::DEVICE, &site.id)?;
        let org = site.org_id.clone().unwrap_or_default();
        if !gateways.contains_key(&org) {
            let seen = read_set::<GatewayRow>(ws, kind::GATEWAY, &org)?
                .map(|c| c.value)
                .unwrap_or_default()
                .into_iter()
                .map(|g| (g.serial, g.last_seen_ms))
                .collect();
            gateways.insert(org.clone(), seen);
        }
        let org_gateways = &gateways[&org];
        let (devices_known, devices, fetched_at_ms) = match devices {
            Some(c) => (true, c.value, c.fetched_at_ms),
            None => (false, Vec::new(), sites.fetched_at_ms),
        };
        let mut serials: Vec<&str> = devices
            .iter()
            .filter_map(|d| d.gateway_serial.as_deref())
            .collect();
        serials.sort_unstable();
        serials.dedup();
        // A serial missing from the organization's stored gateway list is unknown, not unseen.
        let seen = GatewaysSeen(
            serials
                .iter()
                .filter_map(|s| org_gateways.get(*s).copied())
                .collect(),
        );
        let last_reading_ms = newest_reading(ws, &devices)?;
        let state = classify(now_ms, last_reading_ms, &seen);
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
            site_energy(ws, &info, now_ms, &mut shared)?
        } else {
            let note = "The site's devices are not stored yet; they are fetched when online.";
            super::energy::SiteEnergy {
                today_note: Some(note.into()),
                peak_note: Some(note.into()),
                ..Default::default()
            }
        };
        rows.push(FleetRow {
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
        });
    }
    sort_problems_first(&mut rows);
    Ok(Some(Cached {
        value: rows,
        fetched_at_ms: sites.fetched_at_ms,
    }))
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

/// The newest stored power reading among the site's DERs.
fn newest_reading(ws: &Workspace, devices: &[DeviceRow]) -> Result<Option<i64>> {
    let store = ws.store();
    let mut newest = None;
    for der in devices.iter().flat_map(|d| &d.ders) {
        if let Some((at, _)) = store.latest(&SeriesKey::new(&der.id, "W"))? {
            newest = newest.max(Some(at));
        }
    }
    Ok(newest)
}
