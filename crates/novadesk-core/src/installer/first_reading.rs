//! After provisioning: waiting for the device's first reading on its site's live stream (the
//! same one stream per site the site view watches, [`LiveHub`]), and, when none comes in time,
//! naming the link of the health chain to look at.

use std::time::Duration;

use serde::Serialize;
use tokio::sync::broadcast::error::RecvError;
use tokio::time::Instant;

use super::health::{check_health, LinkKind, LinkStatus};
use crate::browse::{cached_site, refresh_site, DerRow};
use crate::chart::CancelToken;
use crate::error::{Error, Result};
use crate::live::{LinkState, LiveEvent, LiveHub};
use crate::workspace::Workspace;

/// How long to wait before looking at the health chain: a publishing Zap sends every few
/// seconds, so twenty seconds of silence means something is broken.
pub const FIRST_READING_TIMEOUT: Duration = Duration::from_secs(20);

/// How often the waiting is reported (the window's "… n s").
const PROGRESS_EVERY: Duration = Duration::from_secs(1);

/// What to wait for: a provisioned device's readings on its site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FirstReadingWait {
    /// The Zap the device is attached to (for the health chain on a timeout).
    pub zap_address: String,
    pub site_id: String,
    pub device_id: String,
    pub timeout: Duration,
}

/// The first reading: which DER, its power, and how long it took.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FirstReading {
    pub der_id: String,
    /// The DER's name as provisioned, when known.
    pub der_name: Option<String>,
    /// The reading's kind on the wire (`pv`, `battery`, `meter`, `v2x_charger`).
    pub kind: String,
    /// Active power, W (the platform's sign: negative is production).
    pub power_w: Option<f64>,
    /// When the gateway stamped it (epoch ms).
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub reading_at_ms: i64,
    /// From the start of the wait to its arrival.
    pub waited_ms: u32,
}

/// Progress and outcome of the wait.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "FirstReadingUpdateItem")
)]
pub enum FirstReadingUpdate {
    /// Still waiting; the site's stream is in `stream` (why not live in `reason`).
    Waiting {
        waited_ms: u32,
        stream: LinkState,
        reason: Option<String>,
    },
    /// It came.
    Arrived { reading: FirstReading },
    /// It did not come: on a timeout, `link` is the first link of the health chain that is not
    /// green (with its measured value); `None` when the site's stream itself is lost (then
    /// readings cannot be seen at all), the chain could not be checked, or every link is green. `advice` says what to do; the device stays provisioned either way.
    NoReading {
        waited_ms: u32,
        link: Option<LinkKind>,
        value: Option<String>,
        advice: String,
    },
    /// The installer stopped waiting.
    Cancelled { waited_ms: u32 },
}

impl FirstReadingUpdate {
    /// Whether this ends the wait.
    pub fn is_final(&self) -> bool {
        !matches!(self, Self::Waiting { .. })
    }
}

/// The device's DERs as the store has them (provisioning wrote them through), else as fetched.
async fn ders_of(ws: &Workspace, site_id: &str, device_id: &str) -> Result<Vec<DerRow>> {
    let find = |devices: Vec<crate::browse::DeviceRow>| {
        devices
            .into_iter()
            .find(|d| d.id == device_id)
            .map(|d| d.ders)
    };
    if let Some(ders) = cached_site(ws, site_id)?.and_then(|c| find(c.value.devices)) {
        return Ok(ders);
    }
    find(refresh_site(ws, site_id).await?.value.devices).ok_or_else(|| {
        Error::NotFound(
            "This device is no longer on the site: provision it again, then wait for its reading."
                .into(),
        )
    })
}

fn ms(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX)
}

/// Waits on the site's stream for the first reading of the device's DERs; `progress` gets a
/// [`FirstReadingUpdate::Waiting`] every second and on every change of the stream (return
/// `false` to stop: the window went away). The returned update is the outcome.
pub async fn wait_first_reading(
    ws: &Workspace,
    hub: &LiveHub,
    wait: &FirstReadingWait,
    cancel: &CancelToken,
    mut progress: impl FnMut(&FirstReadingUpdate) -> bool,
) -> Result<FirstReadingUpdate> {
    // The address is only used if no reading comes; refuse a bad one now, not minutes later.
    super::zap::client(&wait.zap_address)?;
    crate::input::id("site", &wait.site_id)?;
    crate::input::id("device", &wait.device_id)?;
    let ders = ders_of(ws, &wait.site_id, &wait.device_id).await?;
    let start = Instant::now();
    let waited = || ms(start.elapsed());
    let mut watch = hub.watch(ws, &wait.site_id);
    let mut stream = (LinkState::Connecting, None::<String>);
    let mut tick = tokio::time::interval(PROGRESS_EVERY);
    let deadline = tokio::time::sleep_until(start + wait.timeout);
    tokio::pin!(deadline);
    let lost = loop {
        let event = tokio::select! {
            _ = cancel.cancelled() => return Ok(FirstReadingUpdate::Cancelled { waited_ms: waited() }),
            _ = &mut deadline => break None,
            _ = tick.tick() => {
                let update = FirstReadingUpdate::Waiting {
                    waited_ms: waited(),
                    stream: stream.0,
                    reason: stream.1.clone(),
                };
                if !progress(&update) {
                    return Ok(FirstReadingUpdate::Cancelled { waited_ms: waited() });
                }
                continue;
            }
            e = watch.receiver.recv() => e,
        };
        let snapshot = match event {
            Ok(LiveEvent::Snapshot(s)) => s,
            Ok(LiveEvent::Backfilled(_)) | Err(RecvError::Lagged(_)) => continue,
            // The site's task ended: the stream is gone (its last snapshot said why).
            Err(RecvError::Closed) => break Some(stream.1.clone()),
        };
        if let Some(r) = &snapshot.newest {
            let der = r
                .der_id
                .as_deref()
                .and_then(|id| ders.iter().find(|d| d.id == id));
            let ours = der.is_some() || r.device_id.as_deref() == Some(wait.device_id.as_str());
            if ours {
                return Ok(FirstReadingUpdate::Arrived {
                    reading: FirstReading {
                        der_id: r.der_id.clone().unwrap_or_default(),
                        der_name: der.map(|d| d.name.clone()),
                        kind: r.kind().to_string(),
                        power_w: r.power_w(),
                        reading_at_ms: r.timestamp.timestamp_millis(),
                        waited_ms: waited(),
                    },
                });
            }
        }
        if (snapshot.state, &snapshot.reason) != (stream.0, &stream.1) {
            stream = (snapshot.state, snapshot.reason.clone());
            let update = FirstReadingUpdate::Waiting {
                waited_ms: waited(),
                stream: stream.0,
                reason: stream.1.clone(),
            };
            if !progress(&update) {
                return Ok(FirstReadingUpdate::Cancelled {
                    waited_ms: waited(),
                });
            }
        }
    };
    drop(watch);
    if let Some(reason) = lost {
        return Ok(FirstReadingUpdate::NoReading {
            waited_ms: waited(),
            link: None,
            value: None,
            advice: format!(
                "{} The device stays provisioned: check this computer's connection, then wait again.",
                reason.unwrap_or_else(|| "The site's live stream stopped.".into())
            ),
        });
    }
    let secs = wait.timeout.as_secs();
    let no_stream = |why: String| {
        FirstReadingUpdate::NoReading {
        waited_ms: waited(),
        link: None,
        value: None,
        advice: format!(
            "No reading in {secs} s: {why} The device stays provisioned: check this computer's connection, then wait again."
        ),
    }
    };
    // Readings cannot be seen without the stream: that, not the Zap, is what to look at.
    if stream.0 != LinkState::Live && stream.0 != LinkState::Connecting {
        return Ok(no_stream(format!(
            "the site's live stream is not connected ({}).",
            stream
                .1
                .as_deref()
                .unwrap_or("no reason given")
                .trim_end_matches('.')
        )));
    }
    let chain = match check_health(Some(ws), &wait.zap_address).await {
        Ok(chain) => chain,
        Err(e) => {
            return Ok(no_stream(format!(
                "the health chain could not be checked either ({}).",
                e.user_message().trim_end_matches('.')
            )))
        }
    };
    let broken = chain
        .links
        .iter()
        .find(|l| matches!(l.status, LinkStatus::Red | LinkStatus::Amber));
    Ok(match broken {
        Some(l) => FirstReadingUpdate::NoReading {
            waited_ms: waited(),
            link: Some(l.link),
            value: Some(l.value.clone()),
            advice: format!(
                "No reading in {secs} s. Look at the health chain's {} link ({}): {}",
                link_name(l.link),
                l.value,
                l.advice.as_deref().unwrap_or("it is not green.")
            ),
        },
        None => FirstReadingUpdate::NoReading {
            waited_ms: waited(),
            link: None,
            value: None,
            advice: format!(
                "No reading in {secs} s, yet every link of the health chain is green: check that publishing is on for this device's DERs on the Zap, then wait again."
            ),
        },
    })
}

/// A link as the installer reads it in a sentence (the Installer view's labels).
fn link_name(kind: LinkKind) -> &'static str {
    match kind {
        LinkKind::Reachable => "“This computer → Zap”",
        LinkKind::Wifi => "“Wi-Fi”",
        LinkKind::Internet => "“Internet”",
        LinkKind::Cloud => "“Novacore”",
        LinkKind::Claimed => "“Claimed”",
        LinkKind::Readings => "“Readings”",
    }
}
