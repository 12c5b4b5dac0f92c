//! Which tariffs to compare: every tariff offered at the site's location (looked up, kept in the
//! store for offline) plus the site's current one (the chart's choice, else the location's).

use crate::chart::{load_json, load_tariff, save_json, tariff_id_for, ChartPrefs, SiteInfo};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

use super::compare::Candidate;

pub(crate) struct Found {
    pub candidates: Vec<Candidate>,
    pub current: Option<String>,
    pub notes: Vec<String>,
    /// The offered list came from the store.
    pub cached: bool,
}

fn key_offered(site_id: &str) -> String {
    format!("whatif.offered.{site_id}")
}

fn unreachable(e: &Error) -> bool {
    matches!(e, Error::Novacore(n) if n.is_unreachable())
}

/// The site's tariff today: the chart's choice, else the one found for its location.
async fn current(
    ws: &Workspace,
    site: &SiteInfo,
    prefs: &ChartPrefs,
    offline: bool,
) -> Result<Option<String>> {
    if offline && prefs.tariff_id.is_none() {
        let cached: Option<serde_json::Value> =
            load_json(ws, &format!("chart.tariff_choices.{}", site.id))?;
        return Ok(cached.and_then(|v| v.get("suggested")?.as_str().map(str::to_string)));
    }
    match tariff_id_for(ws, site, prefs).await {
        Ok(id) => Ok(id),
        Err(e) if unreachable(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The ids offered at the site's location, and whether they came from the store.
async fn offered(
    ws: &Workspace,
    site: &SiteInfo,
    offline: bool,
    requests: &mut u32,
    notes: &mut Vec<String>,
) -> Result<(Vec<String>, bool)> {
    let Some((lat, lon)) = site.location else {
        notes.push(format!(
            "{} has no location, so the tariffs offered there cannot be looked up; only its current tariff is compared.",
            site.name
        ));
        return Ok((Vec::new(), false));
    };
    if !offline {
        *requests += 1;
        match ws
            .novacore(async |c| c.tariffs().offered_at(lat, lon).await)
            .await
        {
            Ok(list) => {
                let ids: Vec<String> = list.into_iter().map(|t| t.id).collect();
                save_json(ws, &key_offered(&site.id), &ids)?;
                return Ok((ids, false));
            }
            Err(e) if e.is_unreachable() => {}
            Err(e) => return Err(e.into()),
        }
    }
    match load_json::<Vec<String>>(ws, &key_offered(&site.id))? {
        Some(ids) => Ok((ids, true)),
        None => {
            notes.push(
                "The tariffs offered at this location are not cached and the server cannot be reached; only the current tariff is compared."
                    .into(),
            );
            Ok((Vec::new(), false))
        }
    }
}

/// Every tariff to price, fetched in full (from the store when cached).
pub(crate) async fn candidates(
    ws: &Workspace,
    site: &SiteInfo,
    prefs: &ChartPrefs,
    offline: bool,
    requests: &mut u32,
) -> Result<Found> {
    let mut notes = Vec::new();
    let current = current(ws, site, prefs, offline).await?;
    let (mut ids, cached) = offered(ws, site, offline, requests, &mut notes).await?;
    if let Some(c) = &current {
        if !ids.contains(c) {
            ids.insert(0, c.clone());
        }
    } else {
        notes.push(format!(
            "The current tariff of {} is not known, so differences to it are not shown; choose it in the chart view.",
            site.name
        ));
    }
    let mut candidates = Vec::new();
    for id in ids {
        match load_tariff(ws, &id, requests).await {
            Ok(tariff) => {
                let name = tariff.name.clone().unwrap_or_else(|| id.clone());
                let label = match tariff.company_name.as_deref() {
                    Some(c) if !name.starts_with(c) => format!("{c} — {name}"),
                    _ => name,
                };
                candidates.push(Candidate {
                    current: current.as_deref() == Some(id.as_str()),
                    id,
                    label,
                    tariff,
                });
            }
            Err(e) if unreachable(&e) => notes.push(format!(
                "Tariff {id} is not cached and the server cannot be reached, so it is left out."
            )),
            Err(Error::Novacore(novacore::Error::NotFound { .. })) => notes.push(format!(
                "The platform lists tariff {id} but does not know it, so it is left out."
            )),
            Err(e) => return Err(e),
        }
    }
    Ok(Found {
        candidates,
        current,
        notes,
        cached,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::chart::DerInfo;
    use crate::{Environment, FakeClock, RecordingEventSink, WorkspaceParts};

    /// A workspace whose server is a closed loopback port: anything that goes to the network fails.
    fn offline_ws() -> Workspace {
        Workspace::in_memory(WorkspaceParts {
            environment: Environment::Sandbox,
            base_url: "http://127.0.0.1:9".into(),
            client: novacore::Client::new("http://127.0.0.1:9").unwrap(),
            identity_id: "idt-test".into(),
            clock: Arc::new(FakeClock::new(chrono::Utc::now())),
            events: Arc::new(RecordingEventSink::new()),
        })
        .unwrap()
    }

    fn site(location: Option<(f64, f64)>) -> SiteInfo {
        SiteInfo {
            id: "sit-1".into(),
            name: "Barn".into(),
            time_zone: "Europe/Stockholm".into(),
            price_area: Some("SE3".into()),
            location,
            ders: vec![DerInfo {
                id: "der-m".into(),
                name: "p1".into(),
                der_type: "meter".into(),
            }],
            fetched_at: 0,
        }
    }

    #[tokio::test]
    async fn a_site_without_location_compares_only_its_current_tariff_and_says_why() {
        let ws = offline_ws();
        let t: novacore::tariffs::Tariff = serde_json::from_value(serde_json::json!({
            "id": "fuse", "name": "Fuse 20A", "companyName": "Grid AB", "timeZone": "Europe/Stockholm",
            "energyPrice": {"components": [{"priceExVat": 0.2}]}}))
        .unwrap();
        save_json(&ws, &crate::chart::key_tariff("fuse"), &t).unwrap();
        let prefs = ChartPrefs {
            price_area: "SE3".into(),
            currency: "SEK".into(),
            tariff_id: Some("fuse".into()),
        };
        let mut requests = 0;
        let found = candidates(&ws, &site(None), &prefs, false, &mut requests)
            .await
            .unwrap();
        assert_eq!(requests, 0, "nothing to look up without a location");
        assert_eq!(found.candidates.len(), 1);
        assert!(found.candidates[0].current);
        assert_eq!(found.candidates[0].label, "Grid AB — Fuse 20A");
        assert_eq!(
            found.notes,
            vec!["Barn has no location, so the tariffs offered there cannot be looked up; only its current tariff is compared."]
        );

        // Neither a location nor a chosen tariff: nothing to compare, and the notes say why.
        let none = ChartPrefs {
            tariff_id: None,
            ..prefs
        };
        let found = candidates(&ws, &site(None), &none, false, &mut requests)
            .await
            .unwrap();
        assert!(found.candidates.is_empty());
        assert_eq!(found.notes.len(), 2, "{:?}", found.notes);
    }
}
