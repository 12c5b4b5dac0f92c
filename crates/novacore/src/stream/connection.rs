//! The reconnecting SSE loop behind `stream_site`.

use futures::{Stream, StreamExt};
use rand::Rng;
use sseer::errors::EventStreamError;
use std::time::Duration;

use super::guard::{guarded, sized, Fail};
use super::{frames, StreamEvent, StreamOptions};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::request::error_from_response;

/// Opens the stream; nothing happens until it is polled.
pub(crate) fn open(
    client: Client,
    site_id: String,
    opts: StreamOptions,
) -> impl Stream<Item = Result<StreamEvent>> + Send + 'static {
    async_stream::stream! {
        let mut last_event_id = opts.last_event_id.clone();
        let mut last_seen: Option<u64> = last_event_id.as_deref().and_then(|s| s.parse().ok());
        let mut failures: u32 = 0;
        let mut reconnects: u32 = 0;
        let mut connected_before = false;
        // The newest reading delivered, to tell a restarted server from a replay.
        let mut newest: Option<chrono::DateTime<chrono::Utc>> = None;
        loop {
            let mut server_wait = None;
            let reason = match connect(&client, &site_id, last_event_id.as_deref(), &opts).await {
                Err(e) if !e.is_transient() => {
                    yield Err(e);
                    return;
                }
                Err(e) => {
                    if let Error::RateLimited { retry_after } = &e {
                        server_wait = *retry_after;
                    }
                    e.to_string()
                }
                Ok(resp) => {
                    if connected_before {
                        reconnects += 1;
                        yield Ok(StreamEvent::Reconnected { attempt: reconnects, last_event_id: last_event_id.clone() });
                    }
                    connected_before = true;
                    let mut first_reading = true;
                    let body = sized(guarded(resp.bytes_stream(), opts.idle_timeout), opts.max_event_bytes);
                    let mut events = Box::pin(sseer::EventStream::new(body));
                    loop {
                        match events.next().await {
                            None => break "server closed the stream".to_string(),
                            Some(Err(EventStreamError::Transport(Fail::Idle))) => {
                                yield Ok(StreamEvent::KeepAliveTimeout);
                                break format!("no bytes for {:?}", opts.idle_timeout);
                            }
                            Some(Err(e)) => break e.to_string(),
                            Some(Ok(ev)) => {
                                failures = 0;
                                let id: Option<u64> = ev.id.parse().ok();
                                let is_reading = &*ev.event == "message";
                                let first = is_reading && std::mem::replace(&mut first_reading, false);
                                let event = frames::decode_event(&ev, opts.max_event_bytes);
                                let stamped = match &event {
                                    StreamEvent::Reading { reading, .. } => Some(reading.timestamp),
                                    _ => None,
                                };
                                // Readings at or below the last seen id were already delivered...
                                if is_reading && matches!((id, last_seen), (Some(i), Some(l)) if i <= l) {
                                    // ...unless the server restarted and numbers from 1 again: its
                                    // first reading is below our id yet newer than any delivered.
                                    // Follow its ids and report the outage as a gap to back-fill.
                                    let restarted = first
                                        && matches!((stamped, newest), (Some(t), Some(n)) if t > n);
                                    if !restarted {
                                        continue;
                                    }
                                    last_seen = None;
                                    yield Ok(StreamEvent::Gap { from_id: None, to_id: None, from: newest, to: stamped });
                                }
                                if !ev.id.is_empty() {
                                    // Reuses the previous id's allocation.
                                    match &mut last_event_id {
                                        Some(last) => {
                                            last.clear();
                                            last.push_str(&ev.id);
                                        }
                                        None => last_event_id = Some(ev.id.to_string()),
                                    }
                                }
                                if let Some(i) = id {
                                    last_seen = Some(last_seen.map_or(i, |l| l.max(i)));
                                }
                                if let Some(t) = stamped {
                                    newest = Some(newest.map_or(t, |n| n.max(t)));
                                }
                                yield Ok(event);
                            }
                        }
                    }
                }
            };
            failures += 1;
            if matches!(opts.max_consecutive_failures, Some(max) if failures > max) {
                yield Err(Error::Transport(format!("stream gave up after {max} failures: {reason}", max = failures - 1)));
                return;
            }
            // A 429's Retry-After is a floor under our own backoff.
            let delay = backoff(&opts, failures).max(server_wait.unwrap_or_default());
            yield Ok(StreamEvent::Disconnected { reason, retry_in: delay });
            tokio::time::sleep(delay).await;
        }
    }
}

fn backoff(opts: &StreamOptions, failures: u32) -> Duration {
    let exp = failures.saturating_sub(1).min(16);
    let base = opts
        .initial_backoff
        .saturating_mul(1 << exp)
        .min(opts.max_backoff);
    base.mul_f64(rand::thread_rng().gen_range(0.5..=1.0))
}

/// Opens one connection; re-authenticates once on 401.
async fn connect(
    client: &Client,
    site_id: &str,
    last_event_id: Option<&str>,
    opts: &StreamOptions,
) -> Result<reqwest::Response> {
    let mut force_login = false;
    loop {
        let url = client.url(&["stream".into(), "sites".into(), site_id.into()], &[]);
        let token = client.token(force_login).await?;
        let mut rb = client
            .http()
            .get(url)
            .bearer_auth(token)
            .header(reqwest::header::ACCEPT, "text/event-stream")
            .header(reqwest::header::CACHE_CONTROL, "no-cache");
        if let Some(id) = last_event_id {
            rb = rb.header("Last-Event-ID", id);
        }
        let resp = tokio::time::timeout(opts.idle_timeout, rb.send())
            .await
            .map_err(|_| Error::Timeout)??;
        let status = resp.status();
        if status.is_success() {
            let ctype = resp
                .headers()
                .get(reqwest::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_ascii_lowercase();
            if !ctype.starts_with("text/event-stream") {
                let body = resp.bytes().await.unwrap_or_default();
                return Err(Error::decode(
                    format!("expected text/event-stream, got {ctype:?}"),
                    &body,
                ));
            }
            return Ok(resp);
        }
        let headers = resp.headers().clone();
        let body = resp.bytes().await.unwrap_or_default();
        let err = error_from_response(status, &headers, &body);
        if matches!(err, Error::Unauthorized { .. }) && !force_login && client.identity().is_some()
        {
            force_login = true;
            continue;
        }
        return Err(err);
    }
}
