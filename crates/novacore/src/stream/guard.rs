//! Byte-level guard in front of the SSE parser: idle timeout and a bound on event size.

use bytes::Bytes;
use futures::{Stream, StreamExt};
use std::time::Duration;
use tokio::time::Instant;

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

    /// Filters one chunk into `pieces` for the parser: slices of the chunk itself (no copy), one
    /// per event, unless an oversized event is cut in it. One event per piece because
    /// `eventsource-stream` copies the rest of its buffer after every line it parses: fed a
    /// 16 KiB chunk at once it spent 1.9 µs per event, fed one event at a time 0.75 µs.
    pub fn filter(&mut self, chunk: Bytes, pieces: &mut Vec<Bytes>) {
        if self.discarding {
            return push_nonempty(pieces, self.filter_bytewise(&chunk).into());
        }
        // Line by line while nothing can be cut: the same state as the byte-wise walk, without
        // touching each byte or copying the chunk.
        let (mut i, mut start) = (0, 0);
        while i < chunk.len() {
            let end = memchr::memchr2(b'\n', b'\r', &chunk[i..]).map_or(chunk.len(), |p| i + p);
            let run = end - i;
            if run > 0 {
                if self.pending + run > self.max {
                    // The cut (if any) falls in this run: the byte-wise walk places it exactly.
                    let mut out = chunk[start..i].to_vec();
                    out.extend(self.filter_bytewise(&chunk[i..]));
                    return push_nonempty(pieces, out.into());
                }
                self.pending += run;
                self.at_line_start = false;
                self.last_cr = false;
            }
            if end == chunk.len() {
                break;
            }
            if self.newline(chunk[end]) {
                pieces.push(chunk.slice(start..end + 1));
                start = end + 1;
            }
            i = end + 1;
        }
        push_nonempty(pieces, chunk.slice(start..));
    }

    /// A line-break byte passed through; returns whether it ended a blank line (an event).
    fn newline(&mut self, b: u8) -> bool {
        // "\r\n" is one line break.
        let crlf_tail = b == b'\n' && self.last_cr;
        self.last_cr = b == b'\r';
        let blank_line = !crlf_tail && self.at_line_start;
        if !crlf_tail {
            self.at_line_start = true;
        }
        self.pending = if blank_line { 0 } else { self.pending + 1 };
        blank_line
    }

    /// Byte by byte: drops the rest of an oversized event and marks where it was cut.
    fn filter_bytewise(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(chunk.len());
        for &b in chunk {
            if b == b'\n' || b == b'\r' {
                let blank_line = self.newline(b);
                if self.discarding {
                    if blank_line {
                        self.discarding = false;
                        self.pending = 0;
                    }
                } else {
                    out.push(b);
                }
                continue;
            }
            self.at_line_start = false;
            self.last_cr = false;
            if self.discarding {
                continue;
            }
            out.push(b);
            self.pending += 1;
            if self.pending > self.max && b.is_ascii() {
                // Cut only after an ASCII byte so the truncated part stays valid UTF-8.
                out.extend_from_slice(OVERSIZED_MARK);
                self.discarding = true;
                self.pending = 0;
            }
        }
        out
    }
}

fn push_nonempty(pieces: &mut Vec<Bytes>, piece: Bytes) {
    if !piece.is_empty() {
        pieces.push(piece);
    }
}

/// The size guard over a stream of chunks: yields the pieces [`SizeGuard::filter`] makes.
pub(crate) fn sized<S, E>(
    chunks: S,
    max_event: usize,
) -> impl Stream<Item = Result<Bytes, E>> + Send
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Send + 'static,
{
    async_stream::stream! {
        let mut chunks = Box::pin(chunks);
        let mut guard = SizeGuard::new(max_event);
        let mut pieces = Vec::new();
        while let Some(next) = chunks.next().await {
            match next {
                Ok(chunk) => {
                    guard.filter(chunk, &mut pieces);
                    for piece in pieces.drain(..) {
                        yield Ok(piece);
                    }
                }
                Err(e) => {
                    yield Err(e);
                    break;
                }
            }
        }
    }
}

/// Wraps a response body with the idle timeout. One timer for the whole body, moved on only
/// when it fires (a timer per chunk cost a timer-wheel entry per event on a busy stream).
pub(crate) fn guarded<S>(body: S, idle: Duration) -> impl Stream<Item = Result<Bytes, Fail>> + Send
where
    S: Stream<Item = reqwest::Result<Bytes>> + Send + 'static,
{
    async_stream::stream! {
        let mut body = Box::pin(body);
        let timer = tokio::time::sleep(idle);
        tokio::pin!(timer);
        let mut last_bytes = Instant::now();
        loop {
            tokio::select! {
                biased;
                next = body.next() => match next {
                    None => break,
                    Some(Err(e)) => {
                        yield Err(Fail::Transport(crate::error::Error::from(e).to_string()));
                        break;
                    }
                    Some(Ok(chunk)) => {
                        last_bytes = Instant::now();
                        yield Ok(chunk);
                    }
                },
                () = &mut timer => {
                    let deadline = last_bytes + idle;
                    if Instant::now() >= deadline {
                        yield Err(Fail::Idle);
                        break;
                    }
                    timer.as_mut().reset(deadline);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The pieces of one chunk, joined.
    fn filtered(g: &mut SizeGuard, chunk: &[u8]) -> Vec<u8> {
        let mut pieces = Vec::new();
        g.filter(Bytes::copy_from_slice(chunk), &mut pieces);
        assert!(pieces.iter().all(|p| !p.is_empty()), "no empty pieces");
        pieces.concat()
    }

    #[test]
    fn one_piece_per_event_without_copying() {
        let mut g = SizeGuard::new(64);
        let chunk = Bytes::from_static(
            b"id: 1\ndata: a\n\n: keep-alive\n\nid: 2\r\ndata: b\r\n\r\nid: 3\nda",
        );
        let mut pieces = Vec::new();
        g.filter(chunk.clone(), &mut pieces);
        let texts: Vec<&[u8]> = pieces.iter().map(|p| &p[..]).collect();
        assert_eq!(
            texts,
            [
                &b"id: 1\ndata: a\n\n"[..],
                b": keep-alive\n\n",
                b"id: 2\r\ndata: b\r\n\r",
                b"\nid: 3\nda"
            ]
        );
        assert!(
            pieces
                .iter()
                .all(|p| chunk.as_ptr_range().contains(&p.as_ptr())),
            "slices of the chunk"
        );
    }

    #[test]
    fn passes_small_events_untouched_across_chunks() {
        let mut g = SizeGuard::new(64);
        let text = b"id: 1\ndata: {\"a\":1}\n\n: keep-alive\n\nid: 2\r\ndata: x\r\n\r\n";
        let mut out = Vec::new();
        for chunk in text.chunks(3) {
            out.extend(filtered(&mut g, chunk));
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
            out.extend(filtered(&mut g, chunk));
        }
        let s = String::from_utf8(out).unwrap();
        assert!(s.len() < 100, "{s}");
        assert!(s.ends_with("id: 2\ndata: {}\n\n"), "{s}");
        assert!(s.contains("event: oversized\n\n"), "{s}");
    }

    /// The line-wise fast path must leave exactly what the byte-wise walk leaves, wherever the
    /// chunks are split: small events, CRLF, comments, multi-byte UTF-8 and events cut for size.
    #[test]
    fn fast_path_matches_the_bytewise_walk_at_every_split() {
        let mut text =
            "retry: 3000\r\n\r\n: keep-alive\n\nid: 1\ndata: {\"å\":\"ö€😀\"}\n\n".to_string();
        text.push_str("id: 2\rdata: a\rdata: b\r\r");
        text.push_str(&format!("id: 3\ndata: {}\n\n", "é".repeat(40)));
        text.push_str(&format!("id: 4\r\ndata: {}\r\n\r\n", "x".repeat(90)));
        text.push_str("id: 5\ndata: {}\n\n");
        let text = text.as_bytes();
        for max in [16, 48, 64, 1000] {
            let want = SizeGuard::new(max).filter_bytewise(text);
            assert_eq!(want, first_version(max, text), "max {max}");
            for split in 0..=text.len() {
                for second in [split, (split + 5).min(text.len())] {
                    let mut g = SizeGuard::new(max);
                    let mut out = Vec::new();
                    for part in [&text[..split], &text[split..second], &text[second..]] {
                        out.extend(filtered(&mut g, part));
                    }
                    assert_eq!(out, want, "max {max}, split at {split}/{second}");
                }
            }
        }
    }

    /// The guard's first, byte-at-a-time version: the reference for the two walks above.
    fn first_version(max: usize, chunk: &[u8]) -> Vec<u8> {
        let (mut pending, mut at_line_start, mut last_cr, mut discarding) = (0, true, false, false);
        let mut out = Vec::new();
        for &b in chunk {
            let newline = b == b'\n' || b == b'\r';
            let crlf_tail = b == b'\n' && last_cr;
            last_cr = b == b'\r';
            let blank_line = newline && !crlf_tail && at_line_start;
            if newline && !crlf_tail {
                at_line_start = true;
            } else if !newline {
                at_line_start = false;
            }
            if discarding {
                if blank_line {
                    discarding = false;
                    pending = 0;
                }
                continue;
            }
            out.push(b);
            pending += 1;
            if blank_line {
                pending = 0;
            } else if pending > max && b.is_ascii() && !newline {
                out.extend_from_slice(OVERSIZED_MARK);
                discarding = true;
                pending = 0;
            }
        }
        out
    }
}
