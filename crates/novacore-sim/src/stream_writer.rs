//! One SSE client's outgoing frames, written in batches: the replay and every burst of live events
//! go out as a few large body chunks instead of one chunk (one write, one HTTP chunk header)
//! per event. Order, ids, gaps and the fault rules are those of one event at a time.

use axum::body::Bytes;
use bytes::BytesMut;
use std::fmt::Write as _;

use crate::stream::Event;

/// A batch is handed to the connection once it holds this much.
pub const BATCH_BYTES: usize = 64 * 1024;

/// Frames for one client, and where the client stands.
#[derive(Debug)]
pub struct FrameWriter {
    buf: BytesMut,
    /// Id of the last event written (or the subscription's resume point).
    last: Option<u64>,
    sent: u32,
    drop_every: Option<u32>,
}

impl FrameWriter {
    /// A writer resuming after `last`, ending the stream after `drop_every` events if set.
    pub fn new(last: Option<u64>, drop_every: Option<u32>) -> Self {
        Self {
            buf: BytesMut::with_capacity(BATCH_BYTES + 4096),
            last,
            sent: 0,
            drop_every,
        }
    }

    /// The `retry:` preamble.
    pub fn retry(&mut self, ms: u32) {
        let _ = write!(self.buf, "retry: {ms}\n\n");
    }

    /// An `event: gap` frame for ids the client cannot get.
    pub fn gap(&mut self, from_id: u64, to_id: u64, from_ts: i64, to_ts: i64) {
        let _ = write!(
            self.buf,
            "event: gap\ndata: {{\"from_id\":{from_id},\"from_ts\":{from_ts},\"to_id\":{to_id},\"to_ts\":{to_ts}}}\n\n"
        );
    }

    /// A replayed event. Returns `true` when the stream must end here (the drop fault).
    pub fn replay(&mut self, ev: &Event) -> bool {
        self.frame(ev.id, &ev.data);
        self.counted(ev.id)
    }

    /// A live event: skipped if already written, preceded by a gap frame if ids were missed,
    /// half its data when `malformed` (asked only for an event that is written, so a fault's
    /// count or draw is not spent on skipped ones). Returns `true` when the stream must end here.
    pub fn live(&mut self, ev: &Event, malformed: impl FnOnce() -> bool) -> bool {
        if self.last.is_some_and(|l| ev.id <= l) {
            return false;
        }
        if let Some(l) = self.last.filter(|l| ev.id > l + 1) {
            self.gap(l + 1, ev.id - 1, ev.ts_ms, ev.ts_ms);
        }
        if malformed() {
            let mut end = ev.data.len() / 2;
            while !ev.data.is_char_boundary(end) {
                end -= 1;
            }
            self.frame(ev.id, &ev.data[..end]);
        } else {
            self.frame(ev.id, &ev.data);
        }
        self.counted(ev.id)
    }

    /// Whether the batch is big enough to send now.
    pub fn full(&self) -> bool {
        self.buf.len() >= BATCH_BYTES
    }

    /// The frames written since the last take, if any.
    pub fn take(&mut self) -> Option<Bytes> {
        (!self.buf.is_empty()).then(|| self.buf.split().freeze())
    }

    fn frame(&mut self, id: u64, data: &str) {
        let _ = write!(self.buf, "id: {id}\ndata: ");
        self.buf.extend_from_slice(data.as_bytes());
        self.buf.extend_from_slice(b"\n\n");
    }

    fn counted(&mut self, id: u64) -> bool {
        self.last = Some(id);
        self.sent += 1;
        self.drop_every.is_some_and(|n| self.sent >= n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(id: u64, data: &str) -> Event {
        Event {
            id,
            ts_ms: 1000 + id as i64,
            data: data.into(),
        }
    }

    #[test]
    fn frames_match_one_event_at_a_time() {
        let mut w = FrameWriter::new(Some(1), None);
        w.retry(3000);
        w.gap(1, 1, 5, 6);
        assert!(!w.replay(&ev(2, "{\"a\":1}")));
        assert!(
            !w.live(&ev(2, "dup"), || panic!("not asked for a skipped event")),
            "an id already written is skipped"
        );
        assert!(!w.live(&ev(5, "{\"é\":\"ö\"}"), || false));
        assert!(!w.live(&ev(6, "{\"é\":\"ö\"}"), || true));
        let text = String::from_utf8(w.take().unwrap().to_vec()).unwrap();
        assert_eq!(
            text,
            "retry: 3000\n\nevent: gap\ndata: {\"from_id\":1,\"from_ts\":5,\"to_id\":1,\"to_ts\":6}\n\n\
             id: 2\ndata: {\"a\":1}\n\n\
             event: gap\ndata: {\"from_id\":3,\"from_ts\":1005,\"to_id\":4,\"to_ts\":1005}\n\n\
             id: 5\ndata: {\"é\":\"ö\"}\n\n\
             id: 6\ndata: {\"é\"\n\n"
        );
        assert!(w.take().is_none(), "taken once");
    }

    #[test]
    fn drop_fault_counts_replayed_and_live_events() {
        let mut w = FrameWriter::new(None, Some(3));
        assert!(!w.replay(&ev(1, "1")));
        assert!(!w.replay(&ev(2, "2")));
        assert!(w.live(&ev(3, "3"), || false));
    }

    #[test]
    fn full_at_the_batch_size() {
        let mut w = FrameWriter::new(None, None);
        let data = "x".repeat(1000);
        let mut id = 0;
        while !w.full() {
            id += 1;
            w.replay(&ev(id, &data));
        }
        assert!(w.take().unwrap().len() >= BATCH_BYTES);
        assert!(!w.full());
    }
}
