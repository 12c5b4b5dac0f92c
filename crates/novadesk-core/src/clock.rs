//! The `Clock` port: wall time and sleeping, so token expiry, reconnect back-off and "cached N
//! min ago" can be tested without waiting.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use futures::future::BoxFuture;
use tokio::sync::oneshot;

/// Wall-clock time and sleeping.
pub trait Clock: Send + Sync + fmt::Debug {
    /// The current time.
    fn now(&self) -> DateTime<Utc>;
    /// A future that completes once `duration` has passed on this clock. `'static` so it can be
    /// moved into spawned tasks.
    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()>;
}

/// The real clock: system time and `tokio::time::sleep`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        Box::pin(tokio::time::sleep(duration))
    }
}

/// A clock that moves only when told to; sleeps complete when [`FakeClock::advance`] passes
/// their deadline. Clones share the same time.
#[derive(Debug, Clone)]
pub struct FakeClock {
    state: Arc<Mutex<FakeState>>,
}

#[derive(Debug)]
struct FakeState {
    now: DateTime<Utc>,
    sleepers: Vec<(DateTime<Utc>, oneshot::Sender<()>)>,
}

impl FakeClock {
    /// A clock standing at `start`.
    pub fn new(start: DateTime<Utc>) -> Self {
        Self {
            state: Arc::new(Mutex::new(FakeState {
                now: start,
                sleepers: Vec::new(),
            })),
        }
    }

    /// Moves time forward by `by` and wakes every sleep whose deadline has been reached.
    pub fn advance(&self, by: Duration) {
        let mut st = self.lock();
        st.now = later(st.now, by);
        let now = st.now;
        let (due, waiting): (Vec<_>, Vec<_>) = std::mem::take(&mut st.sleepers)
            .into_iter()
            .partition(|(deadline, _)| *deadline <= now);
        st.sleepers = waiting;
        drop(st);
        for (_, wake) in due {
            // The sleeper may have been dropped (cancelled); nothing to wake then.
            let _ = wake.send(());
        }
    }

    /// Sleeps registered and not yet woken (including cancelled ones not yet swept by
    /// [`FakeClock::advance`]).
    pub fn pending_sleeps(&self) -> usize {
        self.lock()
            .sleepers
            .iter()
            .filter(|(_, s)| !s.is_closed())
            .count()
    }

    /// Waits until at least `n` sleeps are pending — lets a test advance time only after the
    /// task under test has actually started sleeping.
    pub async fn wait_for_sleeps(&self, n: usize) {
        while self.pending_sleeps() < n {
            tokio::task::yield_now().await;
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, FakeState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Clock for FakeClock {
    fn now(&self) -> DateTime<Utc> {
        self.lock().now
    }

    fn sleep(&self, duration: Duration) -> BoxFuture<'static, ()> {
        if duration.is_zero() {
            return Box::pin(async {});
        }
        let (tx, rx) = oneshot::channel();
        {
            let mut st = self.lock();
            let deadline = later(st.now, duration);
            st.sleepers.push((deadline, tx));
        }
        Box::pin(async move {
            // Err only if the clock was dropped; nothing can ever wake us then, so finish.
            let _ = rx.await;
        })
    }
}

/// `t + d`, saturating at the end of chrono's range rather than panicking on huge durations.
fn later(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use futures::FutureExt;

    fn start() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 6, 10, 0, 0).unwrap()
    }

    #[test]
    fn advance_moves_now() {
        let c = FakeClock::new(start());
        assert_eq!(c.now(), start());
        c.advance(Duration::from_secs(90));
        assert_eq!(c.now(), start() + TimeDelta::seconds(90));
        // Clones share time.
        let c2 = c.clone();
        c2.advance(Duration::from_millis(500));
        assert_eq!(c.now(), start() + TimeDelta::milliseconds(90_500));
    }

    #[test]
    fn sleep_completes_exactly_when_its_deadline_is_reached() {
        let c = FakeClock::new(start());
        let mut short = c.sleep(Duration::from_secs(10));
        let mut long = c.sleep(Duration::from_secs(60));
        assert!((&mut short).now_or_never().is_none());
        c.advance(Duration::from_secs(9));
        assert!((&mut short).now_or_never().is_none());
        c.advance(Duration::from_secs(1));
        assert!((&mut short).now_or_never().is_some());
        assert!((&mut long).now_or_never().is_none());
        assert_eq!(c.pending_sleeps(), 1);
        c.advance(Duration::from_secs(50));
        assert!(long.now_or_never().is_some());
        assert_eq!(c.pending_sleeps(), 0);
    }

    #[test]
    fn zero_sleep_is_ready_and_huge_advances_do_not_panic() {
        let c = FakeClock::new(start());
        assert!(c.sleep(Duration::ZERO).now_or_never().is_some());
        let mut never = c.sleep(Duration::MAX);
        c.advance(Duration::from_secs(3600));
        assert!((&mut never).now_or_never().is_none());
    }

    #[test]
    fn cancelled_sleeps_are_not_counted() {
        let c = FakeClock::new(start());
        let s = c.sleep(Duration::from_secs(5));
        assert_eq!(c.pending_sleeps(), 1);
        drop(s);
        assert_eq!(c.pending_sleeps(), 0);
        c.advance(Duration::from_secs(5));
    }

    #[tokio::test]
    async fn a_spawned_task_wakes_after_advance() {
        let c = FakeClock::new(start());
        let task_clock = c.clone();
        let task = tokio::spawn(async move {
            task_clock.sleep(Duration::from_secs(30)).await;
            task_clock.now()
        });
        tokio::time::timeout(Duration::from_secs(5), c.wait_for_sleeps(1))
            .await
            .expect("the task started sleeping");
        assert!(!task.is_finished());
        c.advance(Duration::from_secs(30));
        let woke_at = tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(woke_at, start() + TimeDelta::seconds(30));
    }

    #[tokio::test]
    async fn system_clock_sleeps_and_tells_time() {
        let before = Utc::now();
        SystemClock.sleep(Duration::from_millis(5)).await;
        assert!(SystemClock.now() >= before + TimeDelta::milliseconds(5));
    }
}
