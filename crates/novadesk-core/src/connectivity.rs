//! [`Connectivity`]: whether the environment is reachable, announced only when that changes,
//! and the reconnect loop with [`Backoff`] that brings the app back by itself.

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::clock::Clock;
use crate::events::{AppEvent, EventSink};

/// What the UI shows when the app comes back.
pub const RESTORED_REASON: &str = "Connection restored";

/// Reconnect delays: `initial`, doubling up to `max`; [`Backoff::reset`] after a success.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backoff {
    initial: Duration,
    max: Duration,
    next: Duration,
}

impl Default for Backoff {
    /// 1 s doubling to 60 s.
    fn default() -> Self {
        Self::new(Duration::from_secs(1), Duration::from_secs(60))
    }
}

impl Backoff {
    /// Delays from `initial` (at least 1 ms) doubling to `max` (at least `initial`).
    pub fn new(initial: Duration, max: Duration) -> Self {
        let initial = initial.max(Duration::from_millis(1));
        let max = max.max(initial);
        Self {
            initial,
            max,
            next: initial,
        }
    }

    /// The delay before the next attempt.
    pub fn next_delay(&mut self) -> Duration {
        let d = self.next;
        self.next = self.next.saturating_mul(2).min(self.max);
        d
    }

    /// Starts over at `initial`.
    pub fn reset(&mut self) {
        self.next = self.initial;
    }
}

/// The last known reachability.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConnectivityStatus {
    /// `None` until the first report.
    pub online: Option<bool>,
    /// When it last changed (creation time before the first report).
    pub since: DateTime<Utc>,
    /// Why it is offline, or [`RESTORED_REASON`] after coming back.
    pub reason: Option<String>,
}

/// Tracks reachability and emits [`AppEvent::ConnectivityChanged`] on each change — not on
/// every failed request, so the offline banner does not flicker.
pub struct Connectivity {
    clock: Arc<dyn Clock>,
    events: Arc<dyn EventSink>,
    status: Mutex<ConnectivityStatus>,
}

impl std::fmt::Debug for Connectivity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connectivity")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

impl Connectivity {
    /// Unknown reachability.
    pub fn new(clock: Arc<dyn Clock>, events: Arc<dyn EventSink>) -> Self {
        let since = clock.now();
        Self {
            clock,
            events,
            status: Mutex::new(ConnectivityStatus {
                online: None,
                since,
                reason: None,
            }),
        }
    }

    /// The current status.
    pub fn status(&self) -> ConnectivityStatus {
        self.lock().clone()
    }

    /// A request got through. `true` (and an event) if this is a change.
    pub fn report_online(&self) -> bool {
        let reason = match self.lock().online {
            Some(true) => return false,
            Some(false) => Some(RESTORED_REASON.to_owned()),
            None => None,
        };
        self.change(true, reason)
    }

    /// A request failed for lack of connection (`reason` is for the banner). `true` (and an
    /// event) if this is a change; a second failure while offline keeps the first reason.
    pub fn report_offline(&self, reason: impl Into<String>) -> bool {
        if self.lock().online == Some(false) {
            return false;
        }
        self.change(false, Some(reason.into()))
    }

    /// Calls `check` until it succeeds, sleeping on the [`Clock`] by `backoff` between failures
    /// and reporting each outcome. Drop the future to stop trying.
    pub async fn reconnect<F, Fut>(&self, backoff: &mut Backoff, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<(), String>>,
    {
        loop {
            match check().await {
                Ok(()) => {
                    self.report_online();
                    backoff.reset();
                    return;
                }
                Err(reason) => {
                    self.report_offline(reason);
                    self.clock.sleep(backoff.next_delay()).await;
                }
            }
        }
    }

    fn change(&self, online: bool, reason: Option<String>) -> bool {
        {
            let mut st = self.lock();
            *st = ConnectivityStatus {
                online: Some(online),
                since: self.clock.now(),
                reason: reason.clone(),
            };
        }
        self.events
            .emit(AppEvent::ConnectivityChanged { online, reason });
        true
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, ConnectivityStatus> {
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::FakeClock;
    use crate::events::RecordingEventSink;
    use chrono::TimeZone;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn setup() -> (FakeClock, Arc<RecordingEventSink>, Arc<Connectivity>) {
        let clock = FakeClock::new(Utc.with_ymd_and_hms(2026, 3, 6, 10, 0, 0).unwrap());
        let events = Arc::new(RecordingEventSink::new());
        let c = Arc::new(Connectivity::new(Arc::new(clock.clone()), events.clone()));
        (clock, events, c)
    }

    fn changed(online: bool, reason: Option<&str>) -> AppEvent {
        AppEvent::ConnectivityChanged {
            online,
            reason: reason.map(str::to_owned),
        }
    }

    #[test]
    fn backoff_doubles_to_the_cap_and_resets() {
        let mut b = Backoff::new(Duration::from_secs(1), Duration::from_secs(5));
        let got: Vec<_> = (0..5).map(|_| b.next_delay().as_secs()).collect();
        assert_eq!(got, [1, 2, 4, 5, 5]);
        b.reset();
        assert_eq!(b.next_delay(), Duration::from_secs(1));
        let mut z = Backoff::new(Duration::ZERO, Duration::ZERO);
        assert_eq!(z.next_delay(), Duration::from_millis(1));
    }

    #[test]
    fn only_changes_are_announced() {
        let (clock, events, c) = setup();
        assert_eq!(c.status().online, None);
        assert!(c.report_online());
        assert!(!c.report_online());
        clock.advance(Duration::from_secs(30));
        assert!(c.report_offline("connection refused"));
        assert!(!c.report_offline("timed out"));
        let st = c.status();
        assert_eq!(st.online, Some(false));
        assert_eq!(st.reason.as_deref(), Some("connection refused"));
        assert_eq!(st.since, clock.now());
        assert!(c.report_online());
        assert_eq!(
            events.take(),
            vec![
                changed(true, None),
                changed(false, Some("connection refused")),
                changed(true, Some(RESTORED_REASON)),
            ]
        );
    }

    #[tokio::test]
    async fn reconnect_backs_off_on_the_clock_until_a_check_passes() {
        let (clock, events, c) = setup();
        c.report_online();
        events.take();
        let attempts = Arc::new(AtomicUsize::new(0));
        let a = attempts.clone();
        let task_c = c.clone();
        let task = tokio::spawn(async move {
            let mut backoff = Backoff::new(Duration::from_secs(1), Duration::from_secs(60));
            task_c
                .reconnect(&mut backoff, move || {
                    let n = a.fetch_add(1, Ordering::SeqCst);
                    async move {
                        if n < 3 {
                            Err(format!("refused #{n}"))
                        } else {
                            Ok(())
                        }
                    }
                })
                .await;
            backoff
        });
        // Attempt 0 fails at once, then it sleeps 1 s, 2 s, 4 s between attempts.
        for (i, wait) in [1u64, 2, 4].into_iter().enumerate() {
            tokio::time::timeout(Duration::from_secs(5), clock.wait_for_sleeps(1))
                .await
                .expect("sleeping");
            assert_eq!(attempts.load(Ordering::SeqCst), i + 1);
            clock.advance(Duration::from_secs(wait) - Duration::from_millis(1));
            tokio::task::yield_now().await;
            assert_eq!(attempts.load(Ordering::SeqCst), i + 1, "woke early");
            clock.advance(Duration::from_millis(1));
        }
        let mut backoff = tokio::time::timeout(Duration::from_secs(5), task)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(attempts.load(Ordering::SeqCst), 4);
        assert_eq!(
            backoff.next_delay(),
            Duration::from_secs(1),
            "reset after success"
        );
        assert_eq!(
            events.take(),
            vec![
                changed(false, Some("refused #0")),
                changed(true, Some(RESTORED_REASON))
            ]
        );
    }
}
