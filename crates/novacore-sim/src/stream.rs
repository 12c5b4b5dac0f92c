//! Per-site SSE fan-out with monotonic ids and a bounded replay ring (contracts.md).

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

use tokio::sync::broadcast;

use crate::state::lock;

/// One published event.
#[derive(Debug)]
pub struct Event {
    /// Monotonic per site, from 1.
    pub id: u64,
    /// Reading timestamp (epoch ms).
    pub ts_ms: i64,
    /// The JSON reading.
    pub data: String,
}

/// What a client missed and cannot be replayed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    /// First missed id.
    pub from_id: u64,
    /// Last missed id.
    pub to_id: u64,
    /// Time of the first missed event (ms).
    pub from_ts: i64,
    /// Time of the last missed event (ms).
    pub to_ts: i64,
}

#[derive(Debug)]
struct SiteStream {
    next_id: u64,
    ring: VecDeque<Arc<Event>>,
    /// (id, ts) of events evicted from the ring, to give gaps a time range.
    evicted: VecDeque<(u64, i64)>,
    tx: broadcast::Sender<Arc<Event>>,
}

/// A new subscriber's starting point.
#[derive(Debug)]
pub struct Subscription {
    /// Live events after the replay.
    pub rx: broadcast::Receiver<Arc<Event>>,
    /// Gap before the replay, if the requested id is older than the ring.
    pub gap: Option<Gap>,
    /// Events to replay (ids > Last-Event-ID).
    pub replay: Vec<Arc<Event>>,
    /// The Last-Event-ID the subscription resumes after; `None` when there was none or it was
    /// ahead of this stream (e.g. ids from before a restart), which starts the client afresh.
    pub resume_after: Option<u64>,
}

/// All site streams.
#[derive(Debug)]
pub struct StreamHub {
    ring_size: usize,
    sites: Mutex<HashMap<String, SiteStream>>,
}

impl StreamHub {
    /// Hub keeping `ring_size` events per site for resumption.
    pub fn new(ring_size: usize) -> Self {
        Self {
            ring_size: ring_size.max(1),
            sites: Mutex::new(HashMap::new()),
        }
    }

    /// Sites that have (or had) subscribers: only these are sampled live.
    pub fn active_sites(&self) -> Vec<String> {
        lock(&self.sites).keys().cloned().collect()
    }

    /// Publishes to a site (creating its stream) and returns the event id.
    pub fn publish(&self, site_id: &str, ts_ms: i64, data: String) -> u64 {
        let mut sites = lock(&self.sites);
        let s = sites.entry(site_id.to_string()).or_insert_with(new_stream);
        let ev = Arc::new(Event {
            id: s.next_id,
            ts_ms,
            data,
        });
        s.next_id += 1;
        if s.ring.len() >= self.ring_size {
            if let Some(old) = s.ring.pop_front() {
                s.evicted.push_back((old.id, old.ts_ms));
                if s.evicted.len() > 100_000 {
                    s.evicted.pop_front();
                }
            }
        }
        s.ring.push_back(ev.clone());
        // No receivers is fine: the ring keeps it for resumption.
        let _ = s.tx.send(ev.clone());
        ev.id
    }

    /// Subscribes, replaying events after `last_id`.
    pub fn subscribe(&self, site_id: &str, last_id: Option<u64>) -> Subscription {
        let mut sites = lock(&self.sites);
        let s = sites.entry(site_id.to_string()).or_insert_with(new_stream);
        let rx = s.tx.subscribe();
        let Some(n) = last_id.filter(|n| *n < s.next_id) else {
            return Subscription {
                rx,
                gap: None,
                replay: Vec::new(),
                resume_after: None,
            };
        };
        let replay: Vec<_> = s.ring.iter().filter(|e| e.id > n).cloned().collect();
        let first = s.ring.front().map_or(s.next_id, |e| e.id);
        let gap = (n + 1 < first).then(|| {
            let ts_of = |id: u64| s.evicted.iter().find(|(i, _)| *i >= id).map(|(_, t)| *t);
            let to_ts = s.evicted.back().map(|(_, t)| *t).unwrap_or(0);
            Gap {
                from_id: n + 1,
                to_id: first - 1,
                from_ts: ts_of(n + 1).unwrap_or(to_ts),
                to_ts,
            }
        });
        Subscription {
            rx,
            gap,
            replay,
            resume_after: Some(n),
        }
    }
}

fn new_stream() -> SiteStream {
    SiteStream {
        next_id: 1,
        ring: VecDeque::new(),
        evicted: VecDeque::new(),
        tx: broadcast::channel(4096).0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_replay_and_gap() {
        let hub = StreamHub::new(3);
        for i in 0..5 {
            assert_eq!(hub.publish("s", 1000 + i, format!("{i}")), i as u64 + 1);
        }
        let sub = hub.subscribe("s", Some(3));
        assert!(sub.gap.is_none());
        assert_eq!(
            sub.replay.iter().map(|e| e.id).collect::<Vec<_>>(),
            vec![4, 5]
        );
        let sub = hub.subscribe("s", Some(1));
        assert_eq!(
            sub.gap,
            Some(Gap {
                from_id: 2,
                to_id: 2,
                from_ts: 1001,
                to_ts: 1001
            })
        );
        assert_eq!(sub.replay.len(), 3);
        assert!(hub.subscribe("s", None).replay.is_empty());
        assert!(hub.subscribe("s", Some(99)).replay.is_empty());
        assert_eq!(hub.subscribe("s", Some(99)).resume_after, None);
        assert_eq!(hub.subscribe("s", Some(1)).resume_after, Some(1));
    }
}
