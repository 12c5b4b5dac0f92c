//! Retry rules: which failures are retried, and how long to wait.

use rand::Rng;
use std::time::Duration;

use crate::error::Error;

/// Bounds and pacing of automatic retries.
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    /// Total attempts including the first (1 disables retries).
    pub max_attempts: u32,
    /// Backoff before the first retry; doubles each time.
    pub initial_backoff: Duration,
    /// Cap of a single backoff.
    pub max_backoff: Duration,
    /// No retry is started once this much time has passed since the first attempt.
    pub max_total: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_total: Duration::from_secs(30),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Backoff before retry number `retry` (0-based): exponential, capped, with jitter in [½, 1].
    pub fn backoff(&self, retry: u32) -> Duration {
        let base = self
            .initial_backoff
            .saturating_mul(1u32 << retry.min(16))
            .min(self.max_backoff);
        let jitter = rand::thread_rng().gen_range(0.5..=1.0);
        base.mul_f64(jitter)
    }

    /// How long to wait before retrying after `err` (retry number `retry`), honouring `Retry-After`.
    pub fn delay_for(&self, err: &Error, retry: u32) -> Duration {
        match err {
            Error::RateLimited {
                retry_after: Some(d),
            } => *d,
            _ => self.backoff(retry),
        }
    }
}

/// Whether a failure is worth retrying for a request that is safe to repeat.
pub fn is_retryable(err: &Error) -> bool {
    match err {
        Error::Transport(_) | Error::Timeout | Error::RateLimited { .. } => true,
        Error::Server { status, .. } => *status >= 500,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_is_capped_and_jittered() {
        let p = RetryPolicy {
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(1000),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let b0 = p.backoff(0);
            assert!(b0 >= Duration::from_millis(50) && b0 <= Duration::from_millis(100));
            let b2 = p.backoff(2);
            assert!(b2 >= Duration::from_millis(200) && b2 <= Duration::from_millis(400));
            assert!(p.backoff(30) <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn retry_after_wins_and_classification() {
        let p = RetryPolicy::default();
        let e = Error::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
        };
        assert_eq!(p.delay_for(&e, 0), Duration::from_secs(3));
        assert!(is_retryable(&e));
        assert!(!is_retryable(&Error::Conflict {
            message: String::new()
        }));
        assert!(!is_retryable(&Error::Server {
            status: 418,
            code: String::new(),
            message: String::new()
        }));
    }
}
