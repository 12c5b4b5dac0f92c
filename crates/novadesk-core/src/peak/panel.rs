//! The site view's "Power peak" panel: which tariff and meter it works from ([`peak_site`]), the
//! meter history it needs ([`fetch_peak_history`]), and the report from the store plus the live
//! stream's latest snapshot ([`peak_report`]). Every power component of the tariff is evaluated
//! (a tariff may charge e.g. the month's peaks and, on top, the winter weekdays' daytime peaks).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use novacore::pricing::{NetPowerPoint, PowerComponent, Tariff};
use novadesk_store::{Bucket, Resolution, SeriesKey, Store, MINUTE_MS};

use super::alert::{drawing_text, headline, warning_text};
use super::projection::{project_all, MeterPiece, PeakInputs, PeakStatus};
use crate::chart::cancel::CancelToken;
use crate::chart::cost::{cost_span, load_tariff};
use crate::chart::fetch::{fetch_missing, HistoryJob};
use crate::chart::site::{chart_prefs, tariff_id_for};
use crate::chart::{cached_site_info, site_info, SiteInfo};
use crate::error::{Error, Result};
use crate::live::SiteLive;
use crate::workspace::Workspace;

/// What the panel shows for a site.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PeakReport {
    /// The site.
    pub site_id: String,
    /// Whether the site's grid tariff has a power charge (no panel otherwise).
    pub applies: bool,
    /// Why there are no numbers, or what to know about them, as a sentence.
    pub note: Option<String>,
    /// The numbers, when they can be computed: the component the warning is about (the one that
    /// would add the most), else the first whose window counts now, else the first.
    pub status: Option<PeakStatus>,
    /// Every power component's numbers, in the tariff's order (`status` is one of them).
    pub components: Vec<PeakStatus>,
    /// The banner's sentence when the projection would set a new charged peak.
    pub warning: Option<String>,
    /// "Drawing: House 31.2 kW, …" with the warning.
    pub drawing: Option<String>,
}

impl PeakReport {
    fn note(site_id: &str, applies: bool, note: impl Into<String>) -> Self {
        PeakReport {
            site_id: site_id.into(),
            applies,
            note: Some(note.into()),
            status: None,
            components: Vec::new(),
            warning: None,
            drawing: None,
        }
    }
}

/// What the panel works from: the site, its power-charged tariff and grid meter, or why not.
#[derive(Debug, Clone)]
pub struct PeakSite {
    /// The site.
    pub site: SiteInfo,
    /// The mapped tariff (with at least one power component), when usable.
    pub tariff: Option<Tariff>,
    /// The grid meter's power series.
    pub meter: Option<SeriesKey>,
    /// The report to show when there are no numbers to compute.
    pub blocked: Option<PeakReport>,
}

/// A power component the platform returned without its price or its peak count: nothing is
/// guessed (the Eltariff mapping would default the count to 1), the panel says what is missing.
fn half_filled(t: &novacore::tariffs::Tariff) -> Option<String> {
    let name = t.name.clone().unwrap_or_else(|| t.id.clone());
    for c in &t.power_price.components {
        let count = c
            .extra
            .get("peakIdentificationSettings")
            .and_then(|s| s.get("numberOfPeaksForAverageCalculation"))
            .and_then(serde_json::Value::as_u64);
        let missing = match (c.ex_vat(), count) {
            (None, None) => "a price per kW or a number of peaks",
            (None, Some(_)) => "a price per kW",
            (Some(_), None) => "the number of peaks that set it",
            (Some(_), Some(_)) => continue,
        };
        return Some(format!(
            "The grid tariff \"{name}\" has a power charge without {missing}, so the peak cost cannot be worked out. Nothing is estimated."
        ));
    }
    None
}

/// Reads the site, its tariff (chosen in the chart or found for its location) and its meter.
pub async fn peak_site(ws: &Workspace, site_id: &str) -> Result<PeakSite> {
    peak_site_of(ws, site_info(ws, site_id).await?).await
}

/// [`peak_site`] from the cached site when there is one (the background monitor: no request per
/// site it already knows).
pub async fn cached_peak_site(ws: &Workspace, site_id: &str) -> Result<PeakSite> {
    peak_site_of(ws, cached_site_info(ws, site_id).await?).await
}

async fn peak_site_of(ws: &Workspace, site: SiteInfo) -> Result<PeakSite> {
    let site_id = site.id.clone();
    let site_id = site_id.as_str();
    let blocked = |site: SiteInfo, report: PeakReport| PeakSite {
        site,
        tariff: None,
        meter: None,
        blocked: Some(report),
    };
    let prefs = chart_prefs(ws, &site)?;
    let offline = |e: &Error| matches!(e, Error::Novacore(n) if n.is_unreachable());
    let id = match tariff_id_for(ws, &site, &prefs).await {
        Ok(Some(id)) => id,
        Ok(None) => {
            let r = PeakReport::note(site_id, false, "No grid tariff is known for this site.");
            return Ok(blocked(site, r));
        }
        Err(e) if offline(&e) => {
            let r = PeakReport::note(
                site_id,
                false,
                "The grid tariff is not cached and the server cannot be reached.",
            );
            return Ok(blocked(site, r));
        }
        Err(e) => return Err(e),
    };
    let mut requests = 0;
    let sdk = match load_tariff(ws, &id, &mut requests).await {
        Ok(t) => t,
        Err(e) if offline(&e) => {
            let r = PeakReport::note(
                site_id,
                false,
                "The grid tariff is not cached and the server cannot be reached.",
            );
            return Ok(blocked(site, r));
        }
        Err(e) => return Err(e),
    };
    if sdk.power_price.components.is_empty() {
        let r = PeakReport::note(
            site_id,
            false,
            "The site's grid tariff has no power charge.",
        );
        return Ok(blocked(site, r));
    }
    if let Some(sentence) = half_filled(&sdk) {
        return Ok(blocked(site, PeakReport::note(site_id, true, sentence)));
    }
    let tariff = match Tariff::from_sdk(&sdk) {
        Ok(t) => t,
        Err(e) => {
            let r = PeakReport::note(
                site_id,
                true,
                format!("The grid tariff cannot be used for the power charge ({e})."),
            );
            return Ok(blocked(site, r));
        }
    };
    let Some(meter) = site.meter().map(|m| SeriesKey::new(&m.id, "W")) else {
        let r = PeakReport::note(
            site_id,
            true,
            "This site has no grid meter DER, so its power peaks cannot be measured.",
        );
        return Ok(blocked(site, r));
    };
    Ok(PeakSite {
        site,
        tariff: Some(tariff),
        meter: Some(meter),
        blocked: None,
    })
}

/// Store level for the month's data: one whose buckets tile every component's peak window.
fn month_level(power: &[PowerComponent]) -> Resolution {
    let level = |c: &PowerComponent| match c.peak_duration_minutes {
        d if d % 15 == 0 => Resolution::M15,
        d if d % 5 == 0 => Resolution::M5,
        _ => Resolution::M1,
    };
    power
        .iter()
        .map(level)
        .min_by_key(|r| r.as_ms())
        .unwrap_or(Resolution::M15)
}

fn utc(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

/// The local month's start and the earliest current window's start, epoch ms.
fn spans(site: &PeakSite, now: i64) -> Result<Option<(i64, i64)>> {
    let Some(tariff) = &site.tariff else {
        return Ok(None);
    };
    let mut w0 = now;
    for comp in &tariff.power {
        let (window, _) = tariff.peak_window(comp, utc(now))?;
        w0 = w0.min(window.from.timestamp_millis());
    }
    let tz = tariff.time_zone.parse().unwrap_or(chrono_tz::UTC);
    let (month_start, _) = cost_span(tz, w0, w0 + 1, now);
    Ok(Some((month_start, w0)))
}

/// Fetches the month's meter history the store lacks (the window at minute resolution).
/// Returns whether the server could not be reached (the report then works from the cache).
pub async fn fetch_peak_history(ws: &Workspace, site: &PeakSite) -> Result<bool> {
    let (Some(meter), Some(tariff)) = (&site.meter, &site.tariff) else {
        return Ok(false);
    };
    let now = ws.now_ms();
    let Some((month_start, w0)) = spans(site, now)? else {
        return Ok(false);
    };
    let job = |level, from, to| HistoryJob {
        der: Some(meter.der_id.clone()),
        keys: vec![meter.clone()],
        level,
        from,
        to,
    };
    // An empty span (the month's first hour) is no request: `fetch_missing` skips it.
    let jobs = [
        job(month_level(&tariff.power), month_start, w0),
        job(Resolution::M1, w0, now),
    ];
    let outcome =
        fetch_missing(ws, &site.site.id, &jobs, None, &|_| {}, &CancelToken::new()).await?;
    Ok(outcome.offline)
}

/// The panel's report now, from the store and the live stream's latest snapshot.
pub fn peak_report(ws: &Workspace, site: &PeakSite, live: Option<&SiteLive>) -> Result<PeakReport> {
    if let Some(r) = &site.blocked {
        return Ok(r.clone());
    }
    let (Some(meter), Some(tariff)) = (&site.meter, &site.tariff) else {
        return Ok(PeakReport::note(&site.site.id, false, "No power charge."));
    };
    let now = ws.now_ms();
    let Some((month_start, w0)) = spans(site, now)? else {
        return Ok(PeakReport::note(&site.site.id, false, "No power charge."));
    };
    let level = month_level(&tariff.power);
    let store = ws.store();
    let month: Vec<NetPowerPoint> = stored(&store, meter, month_start, w0, level)?
        .into_iter()
        .map(|b| NetPowerPoint {
            ts: utc(b.start),
            w: b.avg,
        })
        .collect();
    let window: Vec<MeterPiece> = stored(&store, meter, w0, now, Resolution::M1)?
        .into_iter()
        .map(|b| MeterPiece {
            start_ms: b.start,
            end_ms: (b.start + MINUTE_MS).min(now),
            w: b.avg,
        })
        .collect();
    let latest = store.latest(meter)?;
    drop(store);
    let mut components = project_all(PeakInputs {
        tariff,
        month: &month,
        month_interval_s: (level.as_ms() / 1000) as u32,
        window: &window,
        now: utc(now),
        link: live.map(|l| l.state),
        flow: live.map(|l| &l.flow),
    })?;
    for status in &mut components {
        if let Some((ts, _)) = latest.filter(|(ts, _)| *ts >= status.window_start_ms) {
            status.last_reading_ms = Some(ts);
        }
    }
    let status = headline(&components).cloned();
    let warns = status.as_ref().is_some_and(PeakStatus::warns);
    Ok(PeakReport {
        site_id: site.site.id.clone(),
        applies: true,
        note: status.as_ref().and_then(source_note),
        warning: warns.then(|| warning_text(&components)),
        drawing: status.as_ref().filter(|_| warns).and_then(drawing_text),
        status,
        components,
    })
}

/// The stored buckets of `from..to`; none when the span is empty (the month's first hour, the
/// window's first millisecond), which the store would refuse as a range.
fn stored(
    store: &Store,
    key: &SeriesKey,
    from: i64,
    to: i64,
    level: Resolution,
) -> Result<Vec<Bucket>> {
    if from >= to {
        return Ok(Vec::new());
    }
    Ok(store.range(key, from, to, level)?)
}

/// What to know about where the numbers come from.
fn source_note(status: &PeakStatus) -> Option<String> {
    use super::projection::PeakSource;
    match status.source {
        PeakSource::Live if status.window_counts => None,
        PeakSource::Live => Some("This hour does not count toward the power charge.".into()),
        PeakSource::Cached => Some(
            "The live stream dropped: working from the cached readings up to the last one, assuming its power holds to the end of the hour."
                .into(),
        ),
        PeakSource::NoReadings => Some("No grid meter reading in this hour yet.".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sdk(power: &str) -> novacore::tariffs::Tariff {
        serde_json::from_str(&format!(
            r#"{{"id":"t","name":"Effekt","timeZone":"Europe/Stockholm","powerPrice":{{"components":[{power}]}}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn a_half_filled_power_charge_is_a_sentence_not_a_guess() {
        let full = sdk(
            r#"{"type":"peak","price":{"priceExVat":65},"peakIdentificationSettings":{"numberOfPeaksForAverageCalculation":3}}"#,
        );
        assert_eq!(half_filled(&full), None);
        let no_count = sdk(r#"{"type":"peak","price":{"priceExVat":65}}"#);
        let s = half_filled(&no_count).unwrap();
        assert!(s.contains("without the number of peaks"), "{s}");
        let no_price = sdk(
            r#"{"type":"peak","peakIdentificationSettings":{"numberOfPeaksForAverageCalculation":3}}"#,
        );
        assert!(half_filled(&no_price)
            .unwrap()
            .contains("without a price per kW"));
        let neither = sdk(r#"{"type":"peak"}"#);
        assert!(half_filled(&neither)
            .unwrap()
            .contains("without a price per kW or a number of peaks"));
    }
}
