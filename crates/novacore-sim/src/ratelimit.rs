//! Token bucket per identity (reference §7.3 is a gap; 429 + Retry-After is our choice).

use std::collections::HashMap;
use std::time::Instant;

/// Buckets by identity id.
#[derive(Debug)]
pub struct RateLimiter {
    burst: f64,
    per_sec: f64,
    buckets: HashMap<String, (f64, Instant)>,
}

impl RateLimiter {
    /// New limiter with `burst` tokens refilled at `per_sec`.
    pub fn new(burst: u32, per_sec: f64) -> Self {
        Self {
            burst: f64::from(burst.max(1)),
            per_sec: per_sec.max(0.001),
            buckets: HashMap::new(),
        }
    }

    /// Takes one token; `Err(seconds to wait)` when empty.
    pub fn take(&mut self, who: &str) -> Result<(), u64> {
        let now = Instant::now();
        let (burst, rate) = (self.burst, self.per_sec);
        let b = self.buckets.entry(who.to_string()).or_insert((burst, now));
        b.0 = (b.0 + now.duration_since(b.1).as_secs_f64() * rate).min(burst);
        b.1 = now;
        if b.0 >= 1.0 {
            b.0 -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.0) / rate).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_empties_and_is_per_identity() {
        let mut r = RateLimiter::new(3, 0.5);
        assert!((0..3).all(|_| r.take("a").is_ok()));
        assert_eq!(r.take("a"), Err(2));
        assert!(r.take("b").is_ok());
    }
}
