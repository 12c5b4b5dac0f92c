//! Byte-level guard in front of the SSE parser: idle timeout and a bound on event size.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::time::Duration;

/// Why the byte stream stopped.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Fail {
    /// No bytes for the idle timeout.
    Idle,
    /// The connection failed.
    Transport(String),
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fail::Idle => f.write_str("no bytes within the idle timeout"),
            Fail::Transport(e) => write!(f, "connection failed: {e}"),
        }
    }
}

/// Ends the truncated line, names the event and dispatches it.
pub(crate) const OVERSIZED_MARK: &[u8] = b"\nevent: oversized\n\n";

/// Tracks the bytes of the event being received; once it exceeds `max`, the rest of that event is
/// dropped and a blank line is injected so the parser dispatches the truncated part (which then
/// is reported as skipped) instead of buffering without bound.
#[derive(Debug)]
pub(crate) struct SizeGuard {
    max: usize,
    pending: usize,
    at_line_start: bool,
    last_cr: bool,
    discarding: bool,
}

impl SizeGuard {
    pub fn new(max: usize) -> Self {
        Self {
            max,
            pending: 0,
            at_line_start: true,
            last_cr: false,
            discarding: false,
        }
    }

    /// Filters one chunk; returns the bytes to hand to the parser.
    pub fn filter(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(chunk.len());
        for &b in chunk {
            let newline = b == b'\n' || b == b'\r';
            // "\r\n" is one line break.
            let crlf_tail = b == b'\n' && self.last_cr;
            self.last_cr = b == b'\r';
            let blank_line = newline && !crlf_tail && self.at_line_start;
            if newline && !crlf_tail {
                self.at_line_start = true;
            } else if !newline {
                self.at_line_start = false;
            }
            if self.discarding {
                if blank_line {
                    self.discarding = false;
                    self.pending = 0;
                }
                continue;
            }
            out.push(b);
            self.pending += 1;
            if blank_line {
                self.pending = 0;
            } else if self.pending > self.max && b.is_ascii() && !newline {
                // Cut only after an ASCII byte so the truncated part stays valid UTF-8.
                out.extend_from_slice(OVERSIZED_MARK);
                self.discarding = true;
                self.pending = 0;
            }
        }
        out
    }
}

/// Wraps a response body: idle timeout per chunk and the size guard.
pub(crate) fn guarded<S>(
    body: S,
    idle: Duration,
    max_event: usize,
) -> impl Stream<Item = Result<Bytes, Fail>> + Send
where
    S: Stream<Item = reqwest::Result<Bytes>> + Send + 'static,
{
    async_stream::stream! {
        let mut body = Box::pin(body);
        let mut guard = SizeGuard::new(max_event);
        loop {
            match tokio::time::timeout(idle, body.next()).await {
                Err(_) => {
                    yield Err(Fail::Idle);
                    break;
                }
                Ok(None) => break,
                Ok(Some(Err(e))) => {
                    yield Err(Fail::Transport(crate::error::Error::from(e).to_string()));
                    break;
                }
                Ok(Some(Ok(chunk))) => {
                    let out = guard.filter(&chunk);
                    if !out.is_empty() {
                        yield Ok(Bytes::from(out));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passes_small_events_untouched_across_chunks() {
        let mut g = SizeGuard::new(64);
        let text = b"id: 1\ndata: {\"a\":1}\n\n: keep-alive\n\nid: 2\r\ndata: x\r\n\r\n";
        let mut out = Vec::new();
        for chunk in text.chunks(3) {
            out.extend(g.filter(chunk));
        }
        assert_eq!(out, text.to_vec());
    }

    #[test]
    fn truncates_oversized_event_and_resumes() {
        let mut g = SizeGuard::new(32);
        let mut text = b"id: 1\ndata: ".to_vec();
        text.extend(std::iter::repeat_n(b'x', 500));
        text.extend_from_slice(b"\n\nid: 2\ndata: {}\n\n");
        let mut out = Vec::new();
        for chunk in text.chunks(7) {
            out.extend(g.filter(chunk));
        }
        let s = String::from_utf8(out).unwrap();
        assert!(s.len() < 100, "{s}");
        assert!(s.ends_with("id: 2\ndata: {}\n\n"), "{s}");
        assert!(s.contains("event: oversized\n\n"), "{s}");
    }
}
