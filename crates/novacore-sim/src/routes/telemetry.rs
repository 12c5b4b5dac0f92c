//! `GET /stream/sites/{site_id}` (SSE, contracts.md) and the inferred history endpoint
//! `GET /sites/{site_id}/telemetry`.

use std::convert::Infallible;

use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::extract::ApiQuery;
use crate::routes::sites::visible_site;
use crate::state::{lock, AppState};
use crate::stream_writer::FrameWriter;
use crate::world::history::{der_points, resolution_ms};
use crate::world::physics::SiteProfile;

/// `GET /stream/sites/{site_id}`.
pub async fn stream(
    State(sim): State<AppState>,
    caller: Caller,
    Path(site_id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    {
        let w = sim.world();
        visible_site(&w, &site_id, &caller)?;
    }
    let last_id =
        match headers
            .get("last-event-id")
            .map(|v| v.to_str().map(str::trim))
        {
            None => None,
            Some(Ok(s)) => Some(s.parse::<u64>().map_err(|_| {
                Error::BadRequest("Last-Event-ID must be an unsigned integer".into())
            })?),
            Some(Err(_)) => {
                return Err(Error::BadRequest(
                    "Last-Event-ID must be an unsigned integer".into(),
                ))
            }
        };
    let sub = sim.hub.subscribe(&site_id, last_id);
    let drop_every = lock(&sim.faults).spec().sse_drop_every;
    let keepalive = sim.cfg.keepalive;
    let mut stop = sim.shutdown.subscribe();
    // Frames go out in batches (`FrameWriter`): the replay in chunks of `BATCH_BYTES`, live
    // events together with whatever else is already queued for this client.
    let s = async_stream::stream! {
        let mut rx = sub.rx;
        // Not the raw header: an id ahead of this stream would filter out every live event.
        let mut w = FrameWriter::new(sub.resume_after, drop_every);
        w.retry(3000);
        if let Some(g) = sub.gap {
            w.gap(g.from_id, g.to_id, g.from_ts, g.to_ts);
        }
        let mut dropped = false;
        for ev in &sub.replay {
            dropped = w.replay(ev);
            if dropped {
                break;
            }
            if w.full() {
                if let Some(b) = w.take() {
                    yield Ok::<Bytes, Infallible>(b);
                }
            }
        }
        if let Some(b) = w.take() {
            yield Ok(b);
        }
        let mut ka = tokio::time::interval_at(tokio::time::Instant::now() + keepalive, keepalive);
        if !dropped { loop {
            tokio::select! {
                r = rx.recv() => {
                    let mut next = r;
                    // This event and every one already queued behind it, in one batch.
                    let end = loop {
                        match next {
                            Ok(ev) => {
                                if w.live(&ev, || lock(&sim.faults).malformed_event()) {
                                    break true;
                                }
                            }
                            Err(RecvError::Lagged(_)) => {}
                            Err(RecvError::Closed) => break true,
                        }
                        if w.full() {
                            break false;
                        }
                        next = match rx.try_recv() {
                            Ok(ev) => Ok(ev),
                            Err(TryRecvError::Lagged(n)) => Err(RecvError::Lagged(n)),
                            Err(TryRecvError::Closed) => Err(RecvError::Closed),
                            Err(TryRecvError::Empty) => break false,
                        };
                    };
                    if let Some(b) = w.take() {
                        yield Ok(b);
                    }
                    if end {
                        break;
                    }
                },
                _ = ka.tick() => yield Ok(Bytes::from_static(b": keep-alive\n\n")),
                _ = crate::state::stopped(&mut stop) => break,
            }
        } }
    };
    Ok((
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "text/event-stream"),
            (header::CACHE_CONTROL, "no-cache"),
            (header::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        Body::from_stream(s),
    )
        .into_response())
}

/// History query.
#[derive(Debug, Deserialize)]
pub struct HistoryQuery {
    /// ISO-8601 or epoch ms.
    pub from: String,
    /// ISO-8601 or epoch ms (exclusive).
    pub to: String,
    /// 1m | 5m | 15m | 1h | 1d.
    pub resolution: Option<String>,
    /// One DER only.
    pub der_id: Option<String>,
}

/// Parses ISO-8601 or epoch milliseconds.
pub fn parse_time(field: &str, s: &str) -> Result<i64> {
    if let Ok(ms) = s.parse::<i64>() {
        if (0..=32_503_680_000_000).contains(&ms) {
            return Ok(ms);
        }
    }
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.timestamp_millis())
        .map_err(|_| Error::BadRequest(format!("{field}: expected ISO-8601 or epoch milliseconds")))
}

/// One DER's history series.
#[derive(Debug, serde::Serialize)]
pub struct Series {
    /// DER id.
    pub der_id: String,
    /// Device id.
    pub device_id: String,
    /// Telemetry type.
    #[serde(rename = "type")]
    pub der_type: &'static str,
    /// Resolution name.
    pub resolution: String,
    /// Buckets.
    pub points: Vec<crate::world::history::Point>,
}

/// `GET /sites/{site_id}/telemetry` (INFERRED shape).
pub async fn history(
    State(sim): State<AppState>,
    caller: Caller,
    Path(site_id): Path<String>,
    ApiQuery(q): ApiQuery<HistoryQuery>,
) -> Result<Json<Vec<Series>>> {
    let from = parse_time("from", &q.from)?;
    let to = parse_time("to", &q.to)?;
    if to <= from {
        return Err(Error::BadRequest("to: must be after from".into()));
    }
    let res_name = q.resolution.unwrap_or_else(|| "15m".into());
    let res = resolution_ms(&res_name)
        .ok_or_else(|| Error::BadRequest("resolution: one of 1m, 5m, 15m, 1h, 1d".into()))?;
    let now = sim.clock.now_ms();
    let (profile, ders) = {
        let w = sim.world();
        let (site, _) = visible_site(&w, &site_id, &caller)?;
        let profile = SiteProfile::for_site(sim.cfg.seed, site);
        if let Some(d) = &q.der_id {
            if w.ders.get(d).is_none_or(|x| x.site_id != site_id) {
                return Err(Error::NotFound(format!("DER {d} not found on this site")));
            }
        }
        let ders: Vec<(String, String, &'static str, i64)> = w
            .ders
            .values()
            .filter(|d| d.site_id == site_id && q.der_id.as_ref().is_none_or(|x| x == &d.id))
            .map(|d| {
                (
                    d.id.clone(),
                    d.device_id.clone(),
                    d.telemetry_type(),
                    d.created_at.timestamp_millis(),
                )
            })
            .collect();
        (profile, ders)
    };
    let to_clip = to.min(now + 1);
    let total_buckets = (to - from) / res;
    if total_buckets > crate::world::history::MAX_BUCKETS {
        return Err(Error::BadRequest(format!(
            "resolution: at most {} buckets per request",
            crate::world::history::MAX_BUCKETS
        )));
    }
    // Generation is CPU-bound (up to a few million samples): keep it off the async workers.
    let out = tokio::task::spawn_blocking(move || -> Result<Vec<Series>> {
        let mut out = Vec::new();
        for (der_id, device_id, tel, created) in ders {
            let points = der_points(&profile, tel, from.max(created), to_clip, res)?;
            out.push(Series {
                der_id,
                device_id,
                der_type: tel,
                resolution: res_name.clone(),
                points,
            });
        }
        Ok(out)
    })
    .await
    .map_err(|e| Error::Internal(format!("history task failed: {e}")))??;
    Ok(Json(out))
}
