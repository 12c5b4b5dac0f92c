//! The simulated clock: wall time shifted and scaled by `/_sim/clock` (advance, speed).

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};

/// A clock that starts at the real time and can be advanced or sped up.
#[derive(Debug)]
pub struct SimClock {
    inner: Mutex<Anchor>,
}

#[derive(Debug, Clone, Copy)]
struct Anchor {
    real: Instant,
    sim_ms: i64,
    speed: f64,
}

impl SimClock {
    /// A clock at the current wall time running at `speed` × real time.
    pub fn new(speed: f64) -> Self {
        Self {
            inner: Mutex::new(Anchor {
                real: Instant::now(),
                sim_ms: Utc::now().timestamp_millis(),
                speed: sanitize(speed),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Anchor> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Current simulated time in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        let a = *self.lock();
        a.sim_ms + (a.real.elapsed().as_secs_f64() * 1000.0 * a.speed) as i64
    }

    /// Current simulated time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc.timestamp_millis_opt(self.now_ms())
            .single()
            .unwrap_or_else(Utc::now)
    }

    /// Current speed factor.
    pub fn speed(&self) -> f64 {
        self.lock().speed
    }

    /// Jumps forward (or back) by `ms`.
    pub fn advance(&self, ms: i64) {
        let now = self.now_ms();
        let mut a = self.lock();
        a.sim_ms = now.saturating_add(ms);
        a.real = Instant::now();
    }

    /// Changes the speed from now on (0 freezes the clock).
    pub fn set_speed(&self, speed: f64) {
        let now = self.now_ms();
        let mut a = self.lock();
        a.sim_ms = now;
        a.real = Instant::now();
        a.speed = sanitize(speed);
    }
}

fn sanitize(speed: f64) -> f64 {
    if speed.is_finite() {
        speed.clamp(0.0, 1_000_000.0)
    } else {
        1.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advance_moves_time_forward() {
        let c = SimClock::new(1.0);
        let t0 = c.now_ms();
        c.advance(3_600_000);
        assert!(c.now_ms() - t0 >= 3_600_000);
    }

    #[test]
    fn frozen_clock_stands_still() {
        let c = SimClock::new(0.0);
        let t0 = c.now_ms();
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert_eq!(c.now_ms(), t0);
        c.set_speed(f64::NAN);
        assert_eq!(c.speed(), 1.0);
    }
}
