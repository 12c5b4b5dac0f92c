//! The commissioning report of a claimed Zap: the facts gathered from the Zap (identity, firmware,
//! Wi-Fi, field devices), the platform (its organization, the devices and DERs provisioned
//! through it) and the health chain at hand-over; signed by the Zap itself; with a printable page.
//! Verifying a file: the SDK's checks, plus, when the platform answers, that the key is the
//! gateway's there. Format, canonical bytes and the checks are the SDK's ([`novacore::report`]).

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};
use novacore::report::{
    self, CheckKind, CheckStatus, ReportBody, ReportDer, ReportDevice, ReportGateway, ReportLink,
    ReportProvisioned, ReportWifi, SignedReport, Verification,
};
use serde::Serialize;

/// Largest report file read (the SDK's bound).
pub use novacore::report::MAX_REPORT_BYTES;

use super::field_devices::field_devices;
use super::gateways::{cached_gateway_owners, refresh_gateway_owners};
use super::health::{check_health, LinkStatus};
use super::readings::devices_behind;
use super::report_html::render_html;
use super::zap;
use crate::browse::DeviceRow;
use crate::error::{Error, ErrorKind, Result};
use crate::workspace::Workspace;

/// A made report: the file's JSON, its printable page, and what names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MadeReport {
    pub serial: String,
    /// SHA-256 of the canonical body, the digest the Zap signed.
    pub digest: String,
    /// `commissioning-<serial>-<YYYYMMDD-HHMMSS>` (no extension).
    pub file_stem: String,
    pub json: String,
    pub html: String,
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn rfc3339_ms(ms: Option<i64>) -> Option<String> {
    ms.and_then(DateTime::<Utc>::from_timestamp_millis)
        .map(rfc3339)
}

fn status_text(s: LinkStatus) -> String {
    match s {
        LinkStatus::Green => "green",
        LinkStatus::Amber => "amber",
        LinkStatus::Red => "red",
        LinkStatus::Unchecked => "unchecked",
    }
    .into()
}

fn provisioned(site_id: &str, d: &DeviceRow) -> ReportProvisioned {
    ReportProvisioned {
        device_id: d.id.clone(),
        site_id: d.site_id.clone().or_else(|| Some(site_id.to_string())),
        name: d.name.clone(),
        device_type: d.device_type.clone(),
        state: d.state.clone(),
        created_at: rfc3339_ms(d.created_at_ms),
        ders: d
            .ders
            .iter()
            .map(|x| ReportDer {
                id: x.id.clone(),
                name: x.name.clone(),
                der_type: x.der_type.clone(),
            })
            .collect(),
    }
}

/// Makes the report of the claimed Zap at `address` and has the Zap sign it. The Zap must answer
/// (it signs) and be claimed into one of your organizations (its devices there are listed).
pub async fn make_report(ws: &Workspace, address: &str) -> Result<MadeReport> {
    let client = zap::client(address)?;
    let crypto = client.crypto().await.map_err(zap::failure(&client))?;
    let system = client.system().await.map_err(zap::failure(&client))?;
    let serial = crypto.serial_number.clone();
    let owners = match refresh_gateway_owners(ws).await {
        Ok(o) => o,
        Err(e) if e.kind() == ErrorKind::Offline => cached_gateway_owners(ws)?,
        Err(e) => return Err(e),
    };
    let Some(owner) = owners.owner(&serial).cloned() else {
        return Err(Error::InvalidInput(format!(
            "{serial} is not claimed into one of your organizations: claim it first, a commissioning report is for a claimed gateway."
        )));
    };
    let on_zap = field_devices(address).await?;
    let behind = devices_behind(ws, &owner, &serial).await?;
    let mut by_hardware: BTreeMap<&str, (&str, &DeviceRow)> = BTreeMap::new();
    for (site, d) in &behind {
        if let Some(h) = d.hardware_id.as_deref() {
            by_hardware.insert(h, (site.as_str(), d));
        }
    }
    let mut devices: Vec<ReportDevice> = on_zap
        .iter()
        .map(|f| ReportDevice {
            sn: f.sn.clone(),
            device_type: f.device_type.clone(),
            profile: f.profile.clone(),
            connection: f.conn_type.clone(),
            connected: f.connected,
            publishing: f
                .ders
                .iter()
                .filter(|d| d.publishing)
                .map(|d| d.der_type.clone())
                .collect(),
            provisioned: by_hardware
                .remove(f.sn.as_str())
                .map(|(site, d)| provisioned(site, d)),
        })
        .collect();
    // Provisioned through this gateway but no longer on the Zap: still part of the hand-over.
    devices.extend(by_hardware.into_iter().map(|(h, (site, d))| ReportDevice {
        sn: h.to_string(),
        device_type: None,
        profile: None,
        connection: None,
        connected: None,
        publishing: Vec::new(),
        provisioned: Some(provisioned(site, d)),
    }));
    let health = check_health(Some(ws), address).await?;
    let zap_info = system.zap.clone().unwrap_or_default();
    let net = zap_info.network.clone().unwrap_or_default();
    let made_at = ws.clock.now();
    let body = ReportBody {
        format: report::REPORT_FORMAT.into(),
        version: report::REPORT_VERSION,
        made_at: rfc3339(made_at),
        zap_time: system
            .time_utc_sec
            .and_then(|s| DateTime::<Utc>::from_timestamp(s, 0))
            .map(rfc3339),
        installer_identity: ws.identity_id.clone(),
        gateway: ReportGateway {
            serial: serial.clone(),
            public_key: crypto.public_key.clone(),
            firmware: zap_info.firmware_version.clone(),
            org_id: Some(owner.org_id.clone()),
            org_name: Some(owner.org_name.clone()),
        },
        wifi: ReportWifi {
            ssid: net.ssid.clone(),
            rssi_dbm: net.rssi,
        },
        field_devices: devices,
        health: health
            .links
            .iter()
            .map(|l| ReportLink {
                link: serde_json::to_value(l.link)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                status: status_text(l.status),
                value: l.value.clone(),
                advice: l.advice.clone(),
            })
            .collect(),
    };
    let digest = report::sign_request(&body)?;
    let answer = client
        .sign(Some(&digest), None)
        .await
        .map_err(zap::failure(&client))?;
    let signed = SignedReport::assemble(body, answer)?;
    let json = signed.to_json()?;
    let html = render_html(&signed);
    Ok(MadeReport {
        file_stem: format!("commissioning-{serial}-{}", made_at.format("%Y%m%d-%H%M%S")),
        serial,
        digest,
        json,
        html,
    })
}

/// One check of a report, as the window shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ReportCheckItem")
)]
pub struct ReportCheck {
    /// `readable`, `digest`, `signer`, `signature`, `platform_key`.
    pub check: String,
    /// `passed`, `failed`, `unchecked`.
    pub status: String,
    /// What does not match, for programs (`digest_differs`, `signed_by_another_zap`, …).
    pub problem: Option<String>,
    pub sentence: String,
}

/// A verified report file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ReportVerificationItem")
)]
pub struct ReportVerification {
    /// No check failed.
    pub ok: bool,
    pub serial: Option<String>,
    pub org_name: Option<String>,
    pub made_at: Option<String>,
    pub signed_at: Option<String>,
    pub checks: Vec<ReportCheck>,
}

fn snake<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

impl From<Verification> for ReportVerification {
    fn from(v: Verification) -> Self {
        let report = v.report.clone();
        Self {
            ok: v.ok(),
            serial: report.as_ref().map(|r| r.serial.clone()),
            org_name: report.as_ref().and_then(|r| r.org_name.clone()),
            made_at: report.as_ref().and_then(|r| r.made_at.clone()),
            signed_at: report.and_then(|r| r.signed_at),
            checks: v
                .checks
                .iter()
                .map(|c| ReportCheck {
                    check: snake(&c.check),
                    status: snake(&c.status),
                    problem: c.problem.as_ref().map(snake),
                    sentence: c.sentence.clone(),
                })
                .collect(),
        }
    }
}

/// Verifies a report file's bytes: the SDK's checks, then — signed in and online — whether the
/// platform holds the report's key for its gateway (in the organization the report names).
pub async fn verify_report(ws: Option<&Workspace>, bytes: &[u8]) -> Result<ReportVerification> {
    let mut v = report::verify(bytes);
    let readable = v
        .checks
        .iter()
        .any(|c| c.check == CheckKind::Readable && c.status == CheckStatus::Passed);
    if let (Some(ws), Some(summary), true) = (ws, v.report.clone(), readable) {
        let answer = match summary.org_id.as_deref() {
            None => None,
            Some(org_id) => Some(ws.novacore(async |c| c.gateways().list(org_id).await).await),
        };
        v.set_platform(report::platform_answer_check(&summary, answer));
    }
    Ok(v.into())
}
