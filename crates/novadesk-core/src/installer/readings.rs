//! The last link of the health chain: readings from the DERs of the devices behind a gateway,
//! as the store holds them (the site's live stream) or, failing that, in the last minutes of
//! the site's history.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use novacore::history::Resolution;

use super::gateways::GatewayOwner;
use super::health::{link, HealthLink, LinkKind, LinkStatus};
use crate::browse::{cached_site, cached_sites, refresh_site, refresh_sites, DeviceRow};
use crate::error::{ErrorKind, Result};
use crate::workspace::Workspace;

/// Readings older than this do not count as "seen recently".
pub const RECENT_MS: i64 = 5 * 60 * 1000;

/// The devices behind `serial` per site of the owner organization, from the store.
fn cached_devices(
    ws: &Workspace,
    owner: &GatewayOwner,
    serial: &str,
) -> Result<Vec<(String, DeviceRow)>> {
    let sites = cached_sites(ws)?.map(|c| c.value).unwrap_or_default();
    let mut out = Vec::new();
    for site in sites
        .iter()
        .filter(|s| s.org_id.as_deref() == Some(owner.org_id.as_str()))
    {
        let Some(detail) = cached_site(ws, &site.id)? else {
            continue;
        };
        out.extend(
            detail
                .value
                .devices
                .into_iter()
                .filter(|d| d.gateway_serial.as_deref() == Some(serial))
                .map(|d| (site.id.clone(), d)),
        );
    }
    Ok(out)
}

/// The devices behind `serial`: from the store, else after refreshing the owner organization's
/// sites (a device provisioned elsewhere, or sites never opened here). Offline: what the store has.
pub(super) async fn devices_behind(
    ws: &Workspace,
    owner: &GatewayOwner,
    serial: &str,
) -> Result<Vec<(String, DeviceRow)>> {
    let found = cached_devices(ws, owner, serial)?;
    if !found.is_empty() {
        return Ok(found);
    }
    let refreshed = async {
        let sites = refresh_sites(ws).await?.value;
        let in_org = sites
            .iter()
            .filter(|s| s.org_id.as_deref() == Some(owner.org_id.as_str()));
        for r in futures::future::join_all(in_org.map(|s| refresh_site(ws, &s.id))).await {
            r?;
        }
        Ok::<_, crate::error::Error>(())
    };
    match refreshed.await {
        Ok(()) => cached_devices(ws, owner, serial),
        Err(e) if e.kind() == ErrorKind::Offline => Ok(found),
        Err(e) => Err(e),
    }
}

/// The newest minute with a reading from one of `devices` in the last [`RECENT_MS`] of their
/// sites' history (epoch ms of the minute's start).
async fn newest_in_history(ws: &Workspace, devices: &[(String, DeviceRow)]) -> Result<Option<i64>> {
    let now = ws.now_ms();
    let (Some(from), Some(to)) = (
        DateTime::<Utc>::from_timestamp_millis(now - RECENT_MS),
        DateTime::<Utc>::from_timestamp_millis(now + 60_000),
    ) else {
        return Ok(None);
    };
    let sites: BTreeSet<&str> = devices.iter().map(|(s, _)| s.as_str()).collect();
    let ders: BTreeSet<&str> = devices
        .iter()
        .flat_map(|(_, d)| d.ders.iter().map(|x| x.id.as_str()))
        .collect();
    let ids: BTreeSet<&str> = devices.iter().map(|(_, d)| d.id.as_str()).collect();
    let mut newest = None;
    for site in sites {
        let series = ws
            .novacore(async |c| {
                c.telemetry()
                    .history(site, from..to, Resolution::Minute, None)
                    .await
            })
            .await?;
        for s in series.iter().filter(|s| {
            s.der_id.as_deref().is_some_and(|d| ders.contains(d))
                || s.device_id.as_deref().is_some_and(|d| ids.contains(d))
        }) {
            let at = s
                .points
                .iter()
                .filter(|p| p.n != Some(0) && !p.fields.is_empty())
                .map(|p| p.ts.timestamp_millis())
                .max();
            newest = newest.max(at);
        }
    }
    Ok(newest)
}

/// The readings link of the Zap `serial`, claimed into `owner`'s organization.
pub(crate) async fn readings_link(
    ws: &Workspace,
    owner: &GatewayOwner,
    serial: &str,
) -> Result<HealthLink> {
    let devices = devices_behind(ws, owner, serial).await?;
    if devices.is_empty() {
        return Ok(link(
            LinkKind::Readings,
            LinkStatus::Amber,
            "no devices provisioned through this Zap",
            Some("Provision the Zap's field devices to a site, then switch their publishing on."),
        ));
    }
    let now = ws.now_ms();
    let stored = devices
        .iter()
        .flat_map(|(_, d)| {
            d.ders
                .iter()
                .flat_map(|der| der.latest.iter().map(|l| l.at_ms))
        })
        .max();
    if let Some(at) = stored.filter(|at| now - at <= RECENT_MS) {
        return Ok(link(
            LinkKind::Readings,
            LinkStatus::Green,
            format!("last reading {} s ago", (now - at).max(0) / 1000),
            None,
        ));
    }
    let from_history = match newest_in_history(ws, &devices).await {
        Ok(at) => at,
        Err(e) if e.kind() == ErrorKind::Offline => None,
        Err(e) => return Err(e),
    };
    if let Some(at) = from_history.filter(|at| now - at <= RECENT_MS) {
        return Ok(link(
            LinkKind::Readings,
            LinkStatus::Green,
            format!("readings in history {} min ago", (now - at).max(0) / 60_000),
            None,
        ));
    }
    let newest = stored.max(from_history);
    Ok(link(
        LinkKind::Readings,
        LinkStatus::Red,
        match newest {
            Some(at) => format!("last reading {} min ago", (now - at).max(0) / 60_000),
            None => "no readings yet".into(),
        },
        Some("No recent readings: switch publishing on for the device's DERs on the Zap; if it is on, check the links above."),
    ))
}
