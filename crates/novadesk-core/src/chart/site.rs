//! The site as the chart needs it (time zone, price area, location, DERs), read from browse's
//! cache of the site and its devices; the pickers' choices and the per-site preferences, cached
//! in the store so the chart works offline.

use chrono_tz::Tz;
use serde::{de::DeserializeOwned, Deserialize, Serialize};

use crate::browse::{cached_site_rows, refresh_site_rows, Cached, SiteRows};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// Price areas the day-ahead service serves (Nord Pool's bidding zones it covers).
pub const PRICE_AREAS: [&str; 14] = [
    "SE1", "SE2", "SE3", "SE4", "NO1", "NO2", "NO3", "NO4", "NO5", "DK1", "DK2", "FI", "DE-LU",
    "EE",
];
/// Currencies the price service answers in.
pub const CURRENCIES: [&str; 2] = ["SEK", "EUR"];

/// When `subject` (a tariff) is priced in a currency the price service does not answer in (a
/// Danish tariff in DKK: the service converts only to SEK and EUR, reference §6.1), the sentence
/// saying its cost cannot be worked out — nothing is converted at a rate the platform does not give.
pub fn unpriceable_currency(subject: &str, tariff_currency: &str) -> Option<String> {
    (!CURRENCIES.contains(&tariff_currency)).then(|| {
        format!(
            "{subject} is priced in {tariff_currency}, and spot prices are published only in {}, so its cost cannot be worked out (nothing is converted).",
            CURRENCIES.join(" and ")
        )
    })
}

/// A DER of the site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerInfo {
    /// DER id.
    pub id: String,
    /// Name on its device.
    pub name: String,
    /// Provisioning type (`solar`, `battery`, `meter`, …).
    pub der_type: String,
}

/// What the chart needs to know about a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SiteInfo {
    /// Site id.
    pub id: String,
    /// Name.
    pub name: String,
    /// IANA time zone (UTC when the site has none or an unknown one).
    pub time_zone: String,
    /// The site's price area, when set.
    pub price_area: Option<String>,
    /// Latitude, longitude (for the grid tariff lookup).
    pub location: Option<(f64, f64)>,
    /// DERs, grid meter first.
    pub ders: Vec<DerInfo>,
    /// When this was fetched, epoch ms.
    pub fetched_at: i64,
}

impl SiteInfo {
    /// The site's time zone.
    pub fn tz(&self) -> Tz {
        self.time_zone.parse().unwrap_or(chrono_tz::UTC)
    }

    /// The grid meter (the DER whose power is the grid connection's).
    pub fn meter(&self) -> Option<&DerInfo> {
        self.ders.iter().find(|d| d.der_type == "meter")
    }

    /// The DER with this id.
    pub fn der(&self, id: &str) -> Option<&DerInfo> {
        self.ders.iter().find(|d| d.id == id)
    }
}

/// One selectable field of a DER.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "FieldView"))]
pub struct FieldOption {
    /// Field name (`W`, `SoC_nom_fract`).
    pub field: String,
    /// For a person: "Power", "State of charge".
    pub label: String,
    /// Platform unit (`W`, `fraction`).
    pub unit: String,
}

/// A DER in the picker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "DerView"))]
pub struct DerOption {
    /// DER id.
    pub id: String,
    /// "Grid meter", "Solar", … plus its name.
    pub label: String,
    /// Provisioning type.
    pub der_type: String,
    /// Fields it reports that the chart can draw.
    pub fields: Vec<FieldOption>,
}

/// A grid tariff to choose.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "TariffView"))]
pub struct TariffChoice {
    /// Tariff id.
    pub id: String,
    /// "Company — name".
    pub label: String,
}

/// The per-site choices, remembered in the store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ChartPrefsView")
)]
pub struct ChartPrefs {
    /// Price area, e.g. `SE3`.
    pub price_area: String,
    /// `SEK` or `EUR`.
    pub currency: String,
    /// Grid tariff id; `None` = the one found for the site's location.
    pub tariff_id: Option<String>,
}

/// Everything the chart view's pickers need.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChartOptions {
    /// The site.
    pub site: SiteInfo,
    /// DERs and their fields.
    pub ders: Vec<DerOption>,
    /// The remembered (or default) choices.
    pub prefs: ChartPrefs,
    /// Price areas to choose from.
    pub price_areas: Vec<String>,
    /// Currencies to choose from.
    pub currencies: Vec<String>,
    /// Grid tariffs: the one(s) found for the location first, then every provider's.
    pub tariffs: Vec<TariffChoice>,
    /// The tariff found for the site's location.
    pub suggested_tariff_id: Option<String>,
}

/// Settings-key prefixes of every site's preferences and tariff choices (the Fleet view reads
/// each prefix at once).
pub(crate) const PREFS_PREFIX: &str = "chart.prefs.";
pub(crate) const TARIFFS_PREFIX: &str = "chart.tariff_choices.";

pub(crate) fn key_prefs(id: &str) -> String {
    format!("{PREFS_PREFIX}{id}")
}
pub(crate) fn key_tariffs(id: &str) -> String {
    format!("{TARIFFS_PREFIX}{id}")
}
pub(crate) fn key_tariff(id: &str) -> String {
    format!("chart.tariff.{id}")
}

pub(crate) fn load_json<T: DeserializeOwned>(ws: &Workspace, key: &str) -> Result<Option<T>> {
    let text = ws.store().setting(key)?;
    Ok(parse_json(text.as_deref()))
}

/// A stored setting's JSON; a value we cannot read any more (older format) is as good as not
/// cached.
pub(crate) fn parse_json<T: DeserializeOwned>(text: Option<&str>) -> Option<T> {
    text.and_then(|t| serde_json::from_str(t).ok())
}

pub(crate) fn save_json<T: Serialize>(ws: &Workspace, key: &str, value: &T) -> Result<()> {
    let text = serde_json::to_string(value)
        .map_err(|e| Error::InvalidInput(format!("cannot encode {key}: {e}")))?;
    ws.store().set_setting(key, &text)?;
    Ok(())
}

/// The site with its DERs: fetched (and kept) when online, from the cache when not.
pub async fn site_info(ws: &Workspace, site_id: &str) -> Result<SiteInfo> {
    match refresh_site_rows(ws, site_id).await {
        Ok(rows) => Ok(SiteInfo::from_rows(rows)),
        Err(Error::Novacore(e)) if e.is_unreachable() => match cached_site_rows(ws, site_id)? {
            Some(rows) => Ok(SiteInfo::from_rows(rows)),
            None => Err(Error::NotFound(
                "This site has not been opened while online yet, so nothing is cached for it. Connect and try again."
                    .into(),
            )),
        },
        Err(e) => Err(e),
    }
}

/// The cached site when there is one (no network: renders, the export's file name), else
/// fetched as [`site_info`] does.
pub async fn cached_site_info(ws: &Workspace, site_id: &str) -> Result<SiteInfo> {
    match cached_site_rows(ws, site_id)? {
        Some(rows) => Ok(SiteInfo::from_rows(rows)),
        None => site_info(ws, site_id).await,
    }
}

impl SiteInfo {
    /// From the site and devices as browse keeps them: a valid time zone (else UTC), the DERs
    /// grid meter first.
    pub(crate) fn from_rows(rows: Cached<SiteRows>) -> Self {
        let (site, devices) = rows.value;
        let mut ders: Vec<DerInfo> = devices
            .into_iter()
            .flat_map(|d| d.ders)
            .map(|d| DerInfo {
                id: d.id,
                name: d.name,
                der_type: d.der_type,
            })
            .collect();
        ders.sort_by_key(|d| (d.der_type != "meter", d.der_type.clone(), d.name.clone()));
        SiteInfo {
            id: site.id,
            name: site.name,
            time_zone: site
                .timezone
                .filter(|t| t.parse::<Tz>().is_ok())
                .unwrap_or_else(|| "UTC".into()),
            price_area: site.price_area,
            location: site.location,
            ders,
            fetched_at: rows.fetched_at_ms,
        }
    }
}

/// Fields the chart can draw for a DER type.
pub fn fields_of(der_type: &str) -> Vec<FieldOption> {
    let mut out = vec![FieldOption {
        field: "W".into(),
        label: "Power".into(),
        unit: "W".into(),
    }];
    if der_type == "battery" {
        out.push(FieldOption {
            field: "SoC_nom_fract".into(),
            label: "State of charge".into(),
            unit: "fraction".into(),
        });
    }
    out
}

/// "Grid meter (meter-1)" and the like.
pub fn der_label(der: &DerInfo) -> String {
    let kind = match der.der_type.as_str() {
        "meter" => "Grid meter",
        "solar" | "pv" => "Solar",
        "battery" => "Battery",
        "ev_charger_port" | "ev_charger" | "v2x_charger" => "EV charger",
        other => other,
    };
    if der.name.is_empty() {
        kind.to_string()
    } else {
        format!("{kind} ({})", der.name)
    }
}

/// Defaults for a site never configured: its own price area, the area's currency, tariff by location.
fn default_prefs(site: &SiteInfo) -> ChartPrefs {
    let area = site
        .price_area
        .clone()
        .filter(|a| !a.is_empty())
        .unwrap_or_else(|| "SE3".into());
    let currency = if area.starts_with("SE") { "SEK" } else { "EUR" };
    ChartPrefs {
        price_area: area,
        currency: currency.into(),
        tariff_id: None,
    }
}

/// The remembered preferences of a site, or its defaults.
pub fn chart_prefs(ws: &Workspace, site: &SiteInfo) -> Result<ChartPrefs> {
    Ok(load_json(ws, &key_prefs(&site.id))?.unwrap_or_else(|| default_prefs(site)))
}

/// The site's preferences and the tariff to price with, from the stored texts of its
/// preferences and tariff choices: what [`chart_prefs`] and [`cached_tariff_id`] read, for a
/// caller that read every site's settings at once.
pub(crate) fn stored_prefs_and_tariff(
    site: &SiteInfo,
    prefs: Option<&str>,
    choices: Option<&str>,
) -> (ChartPrefs, Option<String>) {
    let prefs = parse_json(prefs).unwrap_or_else(|| default_prefs(site));
    let tariff = prefs
        .tariff_id
        .clone()
        .or_else(|| parse_json::<CachedChoices>(choices).and_then(|c| c.suggested));
    (prefs, tariff)
}

/// Remembers the site's price area, currency and tariff (checked first).
pub fn set_chart_prefs(ws: &Workspace, site_id: &str, prefs: ChartPrefs) -> Result<ChartPrefs> {
    crate::input::id("site", site_id)?;
    let area = prefs.price_area.trim().to_ascii_uppercase();
    if area.is_empty()
        || area.len() > 16
        || !area.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        return Err(Error::InvalidInput(
            "That is not a price area; choose one such as SE3.".into(),
        ));
    }
    let currency = prefs.currency.trim().to_ascii_uppercase();
    if !CURRENCIES.contains(&currency.as_str()) {
        return Err(Error::InvalidInput("Prices come in SEK or EUR.".into()));
    }
    let tariff_id = match prefs.tariff_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(crate::input::id("tariff", t)?.to_string()),
    };
    let clean = ChartPrefs {
        price_area: area,
        currency,
        tariff_id,
    };
    save_json(ws, &key_prefs(site_id), &clean)?;
    Ok(clean)
}

/// The pickers' choices for a site.
pub async fn chart_options(ws: &Workspace, site_id: &str) -> Result<ChartOptions> {
    let site = site_info(ws, site_id).await?;
    let prefs = chart_prefs(ws, &site)?;
    let (tariffs, suggested) = tariff_choices(ws, &site).await?;
    let ders = site
        .ders
        .iter()
        .map(|d| DerOption {
            id: d.id.clone(),
            label: der_label(d),
            der_type: d.der_type.clone(),
            fields: fields_of(&d.der_type),
        })
        .collect();
    Ok(ChartOptions {
        ders,
        prefs,
        price_areas: PRICE_AREAS.iter().map(|s| s.to_string()).collect(),
        currencies: CURRENCIES.iter().map(|s| s.to_string()).collect(),
        tariffs,
        suggested_tariff_id: suggested,
        site,
    })
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct CachedChoices {
    tariffs: Vec<TariffChoice>,
    suggested: Option<String>,
}

/// The tariff for the site's location first, then every provider's tariffs (cached for offline).
async fn tariff_choices(
    ws: &Workspace,
    site: &SiteInfo,
) -> Result<(Vec<TariffChoice>, Option<String>)> {
    match fetch_tariff_choices(ws, site).await {
        Ok(c) => {
            save_json(ws, &key_tariffs(&site.id), &c)?;
            Ok((c.tariffs, c.suggested))
        }
        Err(e) if e.is_offline() || !e.is_auth() => {
            let c: CachedChoices = load_json(ws, &key_tariffs(&site.id))?.unwrap_or_default();
            Ok((c.tariffs, c.suggested))
        }
        Err(e) => Err(e.into()),
    }
}

async fn fetch_tariff_choices(ws: &Workspace, site: &SiteInfo) -> novacore::Result<CachedChoices> {
    let label = |s: &novacore::tariffs::TariffSummary, company: Option<&str>| {
        let name = s.name.clone().unwrap_or_else(|| s.id.clone());
        match s.company.as_deref().or(company) {
            Some(c) => format!("{c} — {name}"),
            None => name,
        }
    };
    let mut out = CachedChoices::default();
    if let Some((lat, lon)) = site.location {
        let found = ws
            .novacore(async |c| c.tariffs().lookup(lat, lon).await)
            .await?;
        out.suggested = found.tariffs.first().map(|t| t.id.clone());
        out.tariffs
            .extend(found.tariffs.iter().map(|t| TariffChoice {
                id: t.id.clone(),
                label: label(t, None),
            }));
    }
    let providers = ws.novacore(async |c| c.tariffs().providers().await).await?;
    for p in providers {
        let listed = if p.tariffs.is_empty() {
            ws.novacore(async |c| c.tariffs().provider(&p.id).await)
                .await?
                .tariffs
        } else {
            p.tariffs
        };
        for t in &listed {
            if !out.tariffs.iter().any(|c| c.id == t.id) {
                out.tariffs.push(TariffChoice {
                    id: t.id.clone(),
                    label: label(t, p.name.as_deref()),
                });
            }
        }
    }
    Ok(out)
}

/// The tariff to price with as far as the store knows (no network): the chosen one, else the
/// one found for the location when the chart or the Fleet view last looked.
pub(crate) fn cached_tariff_id(
    ws: &Workspace,
    site_id: &str,
    prefs: &ChartPrefs,
) -> Result<Option<String>> {
    if let Some(id) = &prefs.tariff_id {
        return Ok(Some(id.clone()));
    }
    Ok(load_json::<CachedChoices>(ws, &key_tariffs(site_id))?.and_then(|c| c.suggested))
}

/// Looks up the tariff for the site's location when the store has none yet and keeps what was
/// found (the chart's picker fills in every provider's tariffs when it opens).
pub(crate) async fn remember_location_tariff(
    ws: &Workspace,
    site: &SiteInfo,
) -> Result<Option<String>> {
    if let Some(c) = load_json::<CachedChoices>(ws, &key_tariffs(&site.id))? {
        if c.suggested.is_some() {
            return Ok(c.suggested);
        }
    }
    let Some((lat, lon)) = site.location else {
        return Ok(None);
    };
    let found = ws
        .novacore(async |c| c.tariffs().lookup(lat, lon).await)
        .await?;
    let choices = CachedChoices {
        tariffs: found
            .tariffs
            .iter()
            .map(|t| TariffChoice {
                id: t.id.clone(),
                label: t.name.clone().unwrap_or_else(|| t.id.clone()),
            })
            .collect(),
        suggested: found.tariffs.first().map(|t| t.id.clone()),
    };
    save_json(ws, &key_tariffs(&site.id), &choices)?;
    Ok(choices.suggested)
}

/// The tariff to price with: the chosen one, else the one cached or found for the location.
pub(crate) async fn tariff_id_for(
    ws: &Workspace,
    site: &SiteInfo,
    prefs: &ChartPrefs,
) -> Result<Option<String>> {
    if let Some(id) = &prefs.tariff_id {
        return Ok(Some(id.clone()));
    }
    if let Some(c) = load_json::<CachedChoices>(ws, &key_tariffs(&site.id))? {
        if c.suggested.is_some() {
            return Ok(c.suggested);
        }
    }
    let Some((lat, lon)) = site.location else {
        return Ok(None);
    };
    let found = ws
        .novacore(async |c| c.tariffs().lookup(lat, lon).await)
        .await?;
    Ok(found.tariffs.first().map(|t| t.id.clone()))
}
