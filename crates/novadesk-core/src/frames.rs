//! [`batch_frames`]: live readings to the UI at most once per frame — the first reading after
//! a quiet spell goes out at once (low latency), a burst is gathered into one update.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::broadcast::{self, error::RecvError, error::TryRecvError};

use crate::clock::Clock;

/// 60 updates per second.
pub const FRAME: Duration = Duration::from_micros(16_667);

/// What one UI update carries.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch<T> {
    /// Items in arrival order.
    pub items: Vec<T>,
    /// Items this watcher fell too far behind to receive (the UI can show a gap instead of
    /// silently drawing a line through it).
    pub missed: u64,
}

impl<T> Default for Batch<T> {
    fn default() -> Self {
        Self {
            items: Vec::new(),
            missed: 0,
        }
    }
}

impl<T> Batch<T> {
    fn is_empty(&self) -> bool {
        self.items.is_empty() && self.missed == 0
    }
}

/// Forwards `rx` to `deliver` in batches, no more often than once per `frame` on `clock`.
/// Returns when `rx` closes (after delivering what is pending) or when `deliver` returns
/// `false` (the UI side is gone).
pub async fn batch_frames<T, F>(
    mut rx: broadcast::Receiver<T>,
    clock: Arc<dyn Clock>,
    frame: Duration,
    mut deliver: F,
) where
    T: Clone,
    F: FnMut(Batch<T>) -> bool,
{
    let mut last_delivery: Option<chrono::DateTime<chrono::Utc>> = None;
    loop {
        let mut batch = Batch::default();
        let mut open = receive(rx.recv().await, &mut batch);
        if open {
            if let Some(last) = last_delivery {
                let due = chrono::TimeDelta::from_std(frame)
                    .ok()
                    .and_then(|f| last.checked_add_signed(f))
                    .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
                let wait = (due - clock.now()).to_std().unwrap_or(Duration::ZERO);
                if !wait.is_zero() {
                    let mut sleep = clock.sleep(wait);
                    while open {
                        tokio::select! {
                            biased;
                            _ = &mut sleep => break,
                            r = rx.recv() => open = receive(r, &mut batch),
                        }
                    }
                }
            }
            open = drain_ready(&mut rx, &mut batch);
        }
        if !batch.is_empty() {
            if !deliver(batch) {
                return;
            }
            last_delivery = Some(clock.now());
        }
        if !open {
            return;
        }
    }
}

/// Adds one receive outcome to the batch; `false` once the channel is closed.
fn receive<T>(r: Result<T, RecvError>, batch: &mut Batch<T>) -> bool {
    match r {
        Ok(item) => batch.items.push(item),
        Err(RecvError::Lagged(n)) => batch.missed += n,
        Err(RecvError::Closed) => return false,
    }
    true
}

/// Takes everything already waiting, so one update carries the whole backlog.
fn drain_ready<T: Clone>(rx: &mut broadcast::Receiver<T>, batch: &mut Batch<T>) -> bool {
    loop {
        match rx.try_recv() {
            Ok(item) => batch.items.push(item),
            Err(TryRecvError::Lagged(n)) => batch.missed += n,
            Err(TryRecvError::Empty) => return true,
            Err(TryRecvError::Closed) => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;
    use chrono::{TimeZone, Utc};
    use std::sync::Mutex;

    type Seen = Arc<Mutex<Vec<Batch<u32>>>>;

    fn start(
        rx: broadcast::Receiver<u32>,
        clock: &FakeClock,
        accept: usize,
    ) -> (Seen, tokio::task::JoinHandle<()>) {
        let seen: Seen = Arc::default();
        let s = seen.clone();
        let c: Arc<dyn Clock> = Arc::new(clock.clone());
        let task = tokio::spawn(batch_frames(rx, c, FRAME, move |b| {
            let mut s = s.lock().unwrap();
            s.push(b);
            s.len() < accept
        }));
        (seen, task)
    }

    fn items(seen: &Seen) -> Vec<Vec<u32>> {
        seen.lock()
            .unwrap()
            .iter()
            .map(|b| b.items.clone())
            .collect()
    }

    async fn settle() {
        for _ in 0..20 {
            tokio::task::yield_now().await;
        }
    }

    fn clock() -> FakeClock {
        FakeClock::new(Utc.with_ymd_and_hms(2026, 3, 6, 10, 0, 0).unwrap())
    }

    #[tokio::test]
    async fn first_item_at_once_then_a_burst_in_one_frame() {
        let clock = clock();
        let (tx, rx) = broadcast::channel(64);
        let (seen, task) = start(rx, &clock, usize::MAX);
        tx.send(1).unwrap();
        settle().await;
        assert_eq!(items(&seen), [vec![1]], "no waiting after a quiet spell");
        for i in 2..=4 {
            tx.send(i).unwrap();
        }
        settle().await;
        assert_eq!(items(&seen).len(), 1, "held until the frame is over");
        clock.advance(FRAME);
        settle().await;
        assert_eq!(items(&seen), [vec![1], vec![2, 3, 4]]);
        // Long quiet: the next item goes out immediately again.
        clock.advance(Duration::from_secs(1));
        tx.send(5).unwrap();
        settle().await;
        assert_eq!(items(&seen).last().unwrap(), &vec![5]);
        drop(tx);
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .unwrap()
            .unwrap();
        assert!(seen.lock().unwrap().iter().all(|b| b.missed == 0));
    }

    #[tokio::test]
    async fn a_slow_reader_is_told_how_much_it_missed() {
        let clock = clock();
        let (tx, rx) = broadcast::channel(2);
        for i in 1..=5 {
            tx.send(i).unwrap();
        }
        let (seen, _task) = start(rx, &clock, usize::MAX);
        settle().await;
        let got = seen.lock().unwrap().clone();
        assert_eq!(
            got,
            [Batch {
                items: vec![4, 5],
                missed: 3
            }]
        );
    }

    #[tokio::test]
    async fn closing_flushes_what_is_pending_and_ends() {
        let clock = clock();
        let (tx, rx) = broadcast::channel(16);
        let (seen, task) = start(rx, &clock, usize::MAX);
        tx.send(1).unwrap();
        settle().await;
        tx.send(2).unwrap();
        tx.send(3).unwrap();
        drop(tx);
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(items(&seen), [vec![1], vec![2, 3]]);
    }

    #[tokio::test]
    async fn stops_when_the_ui_side_is_gone() {
        let clock = clock();
        let (tx, rx) = broadcast::channel(16);
        let (seen, task) = start(rx, &clock, 1);
        tx.send(1).unwrap();
        tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(items(&seen), [vec![1]]);
        assert_eq!(tx.receiver_count(), 0, "the receiver was dropped");
    }
}
