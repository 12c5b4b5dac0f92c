//! Turning one parsed SSE event into a [`StreamEvent`].

use eventsource_stream::Event;
use serde::Deserialize;

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
    if ev.event == "oversized" || ev.data.len() >= max_bytes {
        return StreamEvent::Skipped {
            reason: format!("oversized event (over {max_bytes} bytes), id {:?}", ev.id),
        };
    }
    match ev.event.as_str() {
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

#[cfg(test)]
mod tests {
    use super::*;
    use eventsource_stream::Eventsource;
    use futures::StreamExt;

    async fn parse(chunks: Vec<&'static [u8]>) -> Vec<StreamEvent> {
        let s = futures::stream::iter(chunks.into_iter().map(Ok::<_, std::convert::Infallible>));
        s.eventsource()
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
            data: "x".repeat(2000),
            id: "3".into(),
            retry: None,
        };
        assert!(
            matches!(decode_event(&ev, 1000), StreamEvent::Skipped { reason } if reason.contains("oversized"))
        );
    }
}
