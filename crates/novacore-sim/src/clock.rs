//! The simulated clock: wall time shifted and scaled by `/_sim/clock` (advance, speed).

use std::sync::Mutex;
use std::time::Instant;

use chrono::{DateTime, TimeZone, Utc};

/// Last millisecond of the year 9999, the latest simulated time.
const MAX_SIM_MS: i64 = 253_402_300_799_999;

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
        // Saturating: repeated `/_sim/clock` advances can push `sim_ms` to the edge of i64.
        a.sim_ms
            .saturating_add((a.real.elapsed().as_secs_f64() * 1000.0 * a.speed) as i64)
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
        // Kept within 1970..=9999 so every instant stays a valid date (and `now_ms` cannot overflow).
        a.sim_ms = now.saturating_add(ms).clamp(0, MAX_SIM_MS);
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

    #[test]
    fn advancing_to_the_extremes_stays_a_valid_date() {
        // Regression: repeated advances saturated `sim_ms` at i64::MAX, where a running clock's
        // `now_ms` overflowed (a panic in every handler reading the clock) and `now()` was no date.
        let c = SimClock::new(0.0);
        for _ in 0..3 {
            c.advance(i64::MAX);
        }
        assert_eq!(c.now_ms(), MAX_SIM_MS);
        assert_eq!(c.now().timestamp_millis(), MAX_SIM_MS);
        c.advance(i64::MIN);
        assert!(c.now_ms() >= 0);
    }
}
