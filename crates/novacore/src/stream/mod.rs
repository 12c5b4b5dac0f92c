//! Live telemetry over SSE (`GET /stream/sites/{site_id}`), with reconnection and resumption.
//!
//! The stream reconnects with exponential backoff and `Last-Event-ID`, treats `idle_timeout`
//! (45 s) without a single byte as a dead connection, never yields a reading twice (event ids are
//! monotonic per site), and reports gaps the server could not replay so the app can back-fill
//! them from history. Dropping the stream closes the connection.

mod connection;
mod frames;
mod guard;

use chrono::{DateTime, Utc};
use futures::Stream;
use std::time::Duration;

use crate::client::Client;
use crate::error::Result;
use crate::models::Reading;

pub use frames::{decode_chunks, decode_event};

/// Tuning of [`Telemetry::stream_site`](crate::Telemetry::stream_site).
#[derive(Debug, Clone)]
pub struct StreamOptions {
    /// No bytes (not even a keep-alive) for this long means the connection is dead.
    pub idle_timeout: Duration,
    /// First reconnect delay; doubles per consecutive failure, with jitter.
    pub initial_backoff: Duration,
    /// Cap of the reconnect delay.
    pub max_backoff: Duration,
    /// Events larger than this are skipped (and reported) without buffering them whole.
    pub max_event_bytes: usize,
    /// Resume after this event id (e.g. persisted from a previous run).
    pub last_event_id: Option<String>,
    /// Give up after this many consecutive failed reconnects (`None`: never give up).
    pub max_consecutive_failures: Option<u32>,
}

impl Default for StreamOptions {
    fn default() -> Self {
        Self {
            idle_timeout: Duration::from_secs(45),
            initial_backoff: Duration::from_millis(500),
            max_backoff: Duration::from_secs(30),
            max_event_bytes: 1024 * 1024,
            last_event_id: None,
            max_consecutive_failures: None,
        }
    }
}

/// What the live stream yields. Errors (`Err`) are terminal: the stream ends after one.
// Readings are nearly every item; boxing them would cost an allocation per event for nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    /// A reading, never the same event id twice.
    Reading {
        /// The SSE event id (monotonic per site); persist it to resume later via
        /// [`StreamOptions::last_event_id`].
        id: Option<u64>,
        /// The reading.
        reading: Reading,
    },
    /// The connection was re-established, resuming after `last_event_id`.
    Reconnected {
        /// Reconnections so far on this stream.
        attempt: u32,
        /// The id sent as `Last-Event-ID`.
        last_event_id: Option<String>,
    },
    /// The connection dropped; the stream will reconnect after `retry_in`.
    Disconnected {
        /// Why.
        reason: String,
        /// Delay before the next attempt.
        retry_in: Duration,
    },
    /// Events the server could no longer replay: back-fill `from`..`to` from history.
    Gap {
        /// First missed event id.
        from_id: Option<u64>,
        /// Last missed event id.
        to_id: Option<u64>,
        /// Start of the missed time range.
        from: Option<DateTime<Utc>>,
        /// End of the missed time range.
        to: Option<DateTime<Utc>>,
    },
    /// Nothing arrived for `idle_timeout`; the stream reconnects.
    KeepAliveTimeout,
    /// A frame that could not be used (invalid JSON, oversized, unknown event); nothing else lost.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// Handle on telemetry (live stream and history).
#[derive(Debug, Clone, Copy)]
pub struct Telemetry<'a> {
    pub(crate) client: &'a Client,
}

impl Telemetry<'_> {
    /// Live readings of a site with default options.
    pub fn stream_site(
        &self,
        site_id: &str,
    ) -> impl Stream<Item = Result<StreamEvent>> + Send + 'static {
        self.stream_site_with(site_id, StreamOptions::default())
    }

    /// Live readings of a site with explicit options.
    pub fn stream_site_with(
        &self,
        site_id: &str,
        options: StreamOptions,
    ) -> impl Stream<Item = Result<StreamEvent>> + Send + 'static {
        connection::open(self.client.clone(), site_id.to_string(), options)
    }
}

impl Client {
    /// Telemetry: live stream and history (§3.6).
    pub fn telemetry(&self) -> Telemetry<'_> {
        Telemetry { client: self }
    }
}
