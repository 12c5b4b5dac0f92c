//! What the fleet's rows read from the store, two ways that must agree: the whole fleet's, per
//! kind in a few queries ([`StoredInputs::fleet`]: every device set, every gateway set, every
//! site's preferences and tariff choices, the newest reading of every DER), or one site's with
//! its own reads ([`StoredInputs::add_site`], the per-site path the batched one is measured and
//! tested against).

use std::collections::{BTreeMap, HashMap};

use novadesk_store::SeriesKey;

use super::state::GatewaysSeen;
use crate::browse::{kind, read_set, read_sets, Cached, DeviceRow, GatewayRow, SiteRow};
use crate::chart::{key_prefs, key_tariffs, PREFS_PREFIX, TARIFFS_PREFIX};
use crate::error::Result;
use crate::workspace::Workspace;

/// How the rows read the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FleetReads {
    /// Per kind for the whole fleet, in a few queries (what the view uses).
    Batched,
    /// Each site on its own (one query or more per site and kind): the reference the batched
    /// read is tested against, and the bench's peer.
    PerSite,
}

/// The stored inputs of the rows, by site, organization and DER.
#[derive(Default)]
pub(crate) struct StoredInputs {
    /// Device sets by site id.
    devices: BTreeMap<String, Cached<Vec<DeviceRow>>>,
    /// Gateways' last-seen times by organization id and serial.
    gateways: HashMap<String, HashMap<String, Option<i64>>>,
    /// The newest stored power reading by DER id.
    latest: HashMap<String, i64>,
    /// The stored settings' texts by site id.
    prefs: BTreeMap<String, String>,
    choices: BTreeMap<String, String>,
}

/// One site's share of the inputs, as its row takes them.
pub(crate) struct SiteInputs {
    pub devices: Option<Cached<Vec<DeviceRow>>>,
    pub seen: GatewaysSeen,
    pub last_reading_ms: Option<i64>,
    /// The stored texts of the site's chart preferences and tariff choices.
    pub prefs: Option<String>,
    pub choices: Option<String>,
}

fn power(der_id: &str) -> SeriesKey {
    SeriesKey::new(der_id, "W")
}

fn seen_by_serial(gateways: Vec<GatewayRow>) -> HashMap<String, Option<i64>> {
    gateways
        .into_iter()
        .map(|g| (g.serial, g.last_seen_ms))
        .collect()
}

impl StoredInputs {
    /// The whole fleet's, per kind.
    pub fn fleet(ws: &Workspace, sites: &[SiteRow]) -> Result<Self> {
        let devices = read_sets::<DeviceRow>(ws, kind::DEVICE)?;
        let gateways = read_sets::<GatewayRow>(ws, kind::GATEWAY)?
            .into_iter()
            .map(|(org, c)| (org, seen_by_serial(c.value)))
            .collect();
        let ders: Vec<&str> = sites
            .iter()
            .filter_map(|s| devices.get(&s.id))
            .flat_map(|c| &c.value)
            .flat_map(|d| &d.ders)
            .map(|der| der.id.as_str())
            .collect();
        let keys: Vec<SeriesKey> = ders.iter().map(|id| power(id)).collect();
        let store = ws.store();
        let latest = ders
            .iter()
            .zip(store.latest_many(&keys)?)
            .filter_map(|(id, newest)| Some((id.to_string(), newest?.0)))
            .collect();
        let by_site = |prefix: &str| -> Result<BTreeMap<String, String>> {
            Ok(store
                .settings_with_prefix(prefix)?
                .into_iter()
                .filter_map(|(k, v)| Some((k.strip_prefix(prefix)?.to_string(), v)))
                .collect())
        };
        let (prefs, choices) = (by_site(PREFS_PREFIX)?, by_site(TARIFFS_PREFIX)?);
        drop(store);
        Ok(Self {
            devices,
            gateways,
            latest,
            prefs,
            choices,
        })
    }

    /// Adds one site's, with its own reads (its organization's gateways once per organization,
    /// as the per-site path always did).
    pub fn add_site(&mut self, ws: &Workspace, site: &SiteRow) -> Result<()> {
        if let Some(devices) = read_set::<DeviceRow>(ws, kind::DEVICE, &site.id)? {
            self.devices.insert(site.id.clone(), devices);
        }
        let org = site.org_id.clone().unwrap_or_default();
        if let std::collections::hash_map::Entry::Vacant(slot) = self.gateways.entry(org) {
            let gateways = read_set::<GatewayRow>(ws, kind::GATEWAY, slot.key())?;
            slot.insert(gateways.map_or_else(HashMap::new, |g| seen_by_serial(g.value)));
        }
        let store = ws.store();
        let ders = self
            .devices
            .get(&site.id)
            .into_iter()
            .flat_map(|c| &c.value);
        for der in ders.flat_map(|d| &d.ders) {
            if let Some((at, _)) = store.latest(&power(&der.id))? {
                self.latest.insert(der.id.clone(), at);
            }
        }
        for (map, key) in [
            (&mut self.prefs, key_prefs(&site.id)),
            (&mut self.choices, key_tariffs(&site.id)),
        ] {
            if let Some(text) = store.setting(&key)? {
                map.insert(site.id.clone(), text);
            }
        }
        Ok(())
    }

    /// Hands over `site`'s share.
    pub fn take(&mut self, site: &SiteRow) -> SiteInputs {
        let devices = self.devices.remove(&site.id);
        let org = site.org_id.as_deref().unwrap_or_default();
        let listed = devices.iter().flat_map(|c| &c.value);
        let mut serials: Vec<&str> = listed
            .clone()
            .filter_map(|d| d.gateway_serial.as_deref())
            .collect();
        serials.sort_unstable();
        serials.dedup();
        // A serial missing from the organization's stored gateway list is unknown, not unseen.
        let seen = match self.gateways.get(org) {
            Some(known) => serials
                .iter()
                .filter_map(|s| known.get(*s).copied())
                .collect(),
            None => Vec::new(),
        };
        let last_reading_ms = listed
            .flat_map(|d| &d.ders)
            .filter_map(|der| self.latest.get(&der.id).copied())
            .max();
        SiteInputs {
            seen: GatewaysSeen(seen),
            last_reading_ms,
            prefs: self.prefs.remove(&site.id),
            choices: self.choices.remove(&site.id),
            devices,
        }
    }
}
