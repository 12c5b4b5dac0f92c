//! Turning one parsed SSE event into a [`StreamEvent`].

use bytes::Bytes;
use futures::{Stream, StreamExt};
use serde::Deserialize;
use sseer::errors::EventStreamError;
use sseer::event::Event;

use super::StreamEvent;
use crate::models::time::ts_opt;
use crate::models::Reading;

#[derive(Deserialize)]
struct GapBody {
    #[serde(default)]
    from_id: Option<u64>,
    #[serde(default)]
    to_id: Option<u64>,
    #[serde(default, with = "ts_opt")]
    from_ts: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default, with = "ts_opt")]
    to_ts: Option<chrono::DateTime<chrono::Utc>>,
}

/// Decodes an SSE event: readings are unnamed (`message`) events, gaps are `event: gap`.
/// `max_bytes` is the size above which the event is reported as oversized.
pub fn decode_event(ev: &Event, max_bytes: usize) -> StreamEvent {
    if &*ev.event == "oversized" || ev.data.len() >= max_bytes {
        return StreamEvent::Skipped {
            reason: format!("oversized event (over {max_bytes} bytes), id {:?}", ev.id),
        };
    }
    match &*ev.event {
        "message" | "reading" | "telemetry" => match Reading::from_json(&ev.data) {
            Ok(reading) => StreamEvent::Reading {
                id: ev.id.parse().ok(),
                reading,
            },
            Err(e) => StreamEvent::Skipped {
                reason: format!("invalid reading (id {:?}): {e}", ev.id),
            },
        },
        "gap" => match serde_json::from_str::<GapBody>(&ev.data) {
            Ok(g) => StreamEvent::Gap {
                from_id: g.from_id,
                to_id: g.to_id,
                from: g.from_ts,
                to: g.to_ts,
            },
            Err(e) => StreamEvent::Skipped {
                reason: format!("invalid gap event: {e}"),
            },
        },
        other => StreamEvent::Skipped {
            reason: format!("unknown event type {other:?}"),
        },
    }
}

/// The stream's decoding path on any byte chunks, as `stream_site` runs it on a response body:
/// the size guard, the SSE parser and [`decode_event`], one item per SSE event (no id
/// filtering, no reconnects). `Err` is the parser's or the chunks' own error.
pub fn decode_chunks<S, E>(
    chunks: S,
    max_event_bytes: usize,
) -> impl Stream<Item = Result<StreamEvent, EventStreamError<E>>> + Send
where
    S: Stream<Item = Result<Bytes, E>> + Send + 'static,
    E: Send + 'static,
{
    sseer::EventStream::new(super::guard::sized(chunks, max_event_bytes))
        .map(move |ev| ev.map(|ev| decode_event(&ev, max_event_bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    async fn parse(chunks: Vec<&'static [u8]>) -> Vec<StreamEvent> {
        let s = futures::stream::iter(chunks.into_iter().map(Ok::<_, std::convert::Infallible>));
        sseer::EventStream::new(s)
            .map(|e| decode_event(&e.unwrap(), 1000))
            .collect()
            .await
    }

    #[tokio::test]
    async fn split_chunks_keepalive_gap_and_bad_json() {
        let evs = parse(vec![
            b"retry: 3000\n\n: keep-",
            b"alive\n\nid: 7\nda",
            b"ta: {\"type\":\"pv\",\"timestamp\":1709740800000,\"W\":-5}\n",
            b"\nevent: gap\ndata: {\"from_id\":8,\"to_id\":9,\"from_ts\":1709740800000,\"to_ts\":1709740900000}\n\n",
            b"id: 10\ndata: {not json\n\nevent: weird\ndata: 1\n\n",
        ])
        .await;
        assert_eq!(evs.len(), 4, "{evs:?}");
        assert!(
            matches!(&evs[0], StreamEvent::Reading { id: Some(7), reading: r } if r.power_w() == Some(-5.0))
        );
        assert!(matches!(
            &evs[1],
            StreamEvent::Gap {
                from_id: Some(8),
                to_id: Some(9),
                from: Some(_),
                to: Some(_)
            }
        ));
        assert!(
            matches!(&evs[2], StreamEvent::Skipped { reason } if reason.contains("invalid reading"))
        );
        assert!(matches!(&evs[3], StreamEvent::Skipped { reason } if reason.contains("weird")));
    }

    #[test]
    fn oversized_is_skipped() {
        let ev = Event {
            event: "message".into(),
            data: "x".repeat(2000).into(),
            id: "3".into(),
            retry: None,
        };
        assert!(
            matches!(decode_event(&ev, 1000), StreamEvent::Skipped { reason } if reason.contains("oversized"))
        );
    }

    /// Every SSE feature the stream meets, in one text: `retry:`, comments and keep-alives, an
    /// id-only frame, multi-line data, CRLF and CR line ends, non-ASCII text, a gap.
    const MIXED: &str = concat!(
        "retry: 3000\n\n: keep-alive\n\n",
        "id: 1\ndata: {\"type\":\"pv\",\"timestamp\":1709740800000,\"W\":-5,\"der_id\":\"ö€😀\"}\n\n",
        ":comment\r\nid: 2\r\ndata: {\"type\":\"meter\",\r\ndata: \"timestamp\":1709740801000,\"W\":7}\r\n\r\n",
        "id: 3\rdata: {\"type\":\"battery\",\"timestamp\":1709740802000,\"W\":1}\r\r",
        "id: 4\n\n",
        "event: gap\ndata: {\"from_id\":5,\"to_id\":9}\n\n",
        "data: {\"type\":\"pv\",\"timestamp\":1709740803000,\"W\":2,\"der_id\":\"é\"}\n\n",
    );

    async fn decode(chunks: Vec<Vec<u8>>) -> Vec<StreamEvent> {
        let s = futures::stream::iter(
            chunks
                .into_iter()
                .map(|c| Ok::<_, std::convert::Infallible>(Bytes::from(c))),
        );
        decode_chunks(s, 1000).map(|e| e.unwrap()).collect().await
    }

    #[tokio::test]
    async fn the_decoding_path_is_the_same_however_the_bytes_are_split() {
        let text = MIXED.as_bytes();
        let whole = decode(vec![text.to_vec()]).await;
        let readings: Vec<_> = whole
            .iter()
            .filter_map(|e| match e {
                StreamEvent::Reading { id, reading } => Some((
                    *id,
                    reading.kind().to_string(),
                    reading.power_w(),
                    reading.der_id.clone(),
                )),
                _ => None,
            })
            .collect();
        assert_eq!(
            readings,
            [
                (Some(1), "pv".into(), Some(-5.0), Some("ö€😀".into())),
                (Some(2), "meter".into(), Some(7.0), None),
                (Some(3), "battery".into(), Some(1.0), None),
                // An id-only frame dispatches nothing; its id stays the last event id.
                (Some(4), "pv".into(), Some(2.0), Some("é".into())),
            ]
        );
        assert!(matches!(
            whole[3],
            StreamEvent::Gap {
                from_id: Some(5),
                to_id: Some(9),
                ..
            }
        ));
        assert_eq!(whole.len(), 5, "{whole:?}");
        // Every split point, including inside multi-byte characters and between CR and LF.
        for at in 1..text.len() {
            let split = decode(vec![text[..at].to_vec(), text[at..].to_vec()]).await;
            assert_eq!(split, whole, "split at byte {at}");
        }
        let bytewise = decode(text.iter().map(|b| vec![*b]).collect()).await;
        assert_eq!(bytewise, whole, "one byte per chunk");
    }

    #[tokio::test]
    async fn oversized_events_are_skipped_on_the_decoding_path() {
        let mut text = b"id: 1\ndata: ".to_vec();
        text.extend(std::iter::repeat_n(b'x', 5000));
        text.extend_from_slice(b"\n\nid: 2\ndata: {\"type\":\"pv\",\"timestamp\":1,\"W\":3}\n\n");
        let evs = decode(text.chunks(100).map(<[u8]>::to_vec).collect()).await;
        assert_eq!(evs.len(), 2, "{evs:?}");
        assert!(matches!(&evs[0], StreamEvent::Skipped { reason } if reason.contains("oversized")));
        assert!(matches!(&evs[1], StreamEvent::Reading { id: Some(2), .. }));
    }
}
