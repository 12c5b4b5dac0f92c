//! Fault injection for reliability tests, deterministic given the seed.
//!
//! SPEC grammar (for `--faults` and `PUT /_sim/faults` as `{"spec": "…"}`): comma-separated
//! `key=value` items, all optional:
//!
//! | key          | value            | effect                                                      |
//! |--------------|------------------|-------------------------------------------------------------|
//! | `sse_drop`   | N (u32)          | close every SSE connection after N events                   |
//! | `5xx`        | fraction 0..1    | that share of REST answers is `500 internal_error`          |
//! | `5xx_after`  | fraction 0..1    | that share is served, then answered `500` (effect applied, answer lost) |
//! | `429`        | fraction 0..1    | that share of REST answers is `429` with `Retry-After: 1`   |
//! | `latency`    | `A..B` ms or `A` | added latency, uniform in [A, B] ms                         |
//! | `malformed`  | fraction 0..1    | that share of SSE events is sent as a malformed frame       |
//! | `token_ttl`  | seconds          | lifetime of newly issued tokens                             |
//! | `cloud_down` | `true`/`false`   | every cloud route answers `503 unavailable`                 |
//! | `half_tariff`| `true`/`false`   | tariff lookups also list a tariff whose detail is half-filled |
//! | `silent`     | `sit-a;sit-b`    | those sites' gateways go quiet: no readings, `last_seen` stays |
//!
//! Example: `sse_drop=5,5xx=0.1,429=0.05,latency=10..50,malformed=0.2,token_ttl=30,cloud_down=false`.
//! `silent=` (empty) brings every silenced site back.
//!
//! The REST shares are exact, not drawn per request: every block of [`DECK`] requests holds
//! `round(share × DECK)` answers of each kind in a seeded random order, so `5xx=0.05` fails
//! exactly 50 of each 1,000. [`Faults::counts`] says what was injected.

use std::collections::BTreeSet;
use std::time::Duration;

use rand::seq::SliceRandom;
use rand::{rngs::StdRng, Rng, SeedableRng};
use serde::Serialize;

use crate::error::{Error, Result};

/// The active fault configuration. `Default` is "no faults".
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct FaultSpec {
    /// Close SSE connections after this many events.
    pub sse_drop_every: Option<u32>,
    /// Share of REST requests answered 500.
    pub error_5xx: f64,
    /// Share of REST requests served, then answered 500 (the answer lost after the effect).
    pub error_5xx_after: f64,
    /// Share of REST requests answered 429.
    pub rate_429: f64,
    /// Added latency range in ms.
    pub latency_ms: Option<(u64, u64)>,
    /// Share of SSE events sent malformed.
    pub malformed_sse: f64,
    /// Token lifetime override in seconds.
    pub token_ttl_secs: Option<u64>,
    /// Every cloud route answers 503.
    pub cloud_down: bool,
    /// Tariff lookups also list a half-filled tariff (no time zone, prices missing).
    pub half_tariff: bool,
    /// Sites whose gateways publish nothing (a site gone silent; its streams stay open).
    pub silent_sites: BTreeSet<String>,
}

impl FaultSpec {
    /// Parses the SPEC grammar above; an empty string is "no faults".
    pub fn parse(spec: &str) -> Result<Self> {
        let mut f = FaultSpec::default();
        for item in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let (k, v) = item
                .split_once('=')
                .ok_or_else(|| Error::Config(format!("fault item `{item}` needs key=value")))?;
            let bad = || Error::Config(format!("fault `{k}`: bad value `{v}`"));
            match k.trim() {
                "sse_drop" => {
                    f.sse_drop_every = Some(v.parse().map_err(|_| bad())?).filter(|n| *n > 0)
                }
                "5xx" => f.error_5xx = fraction(v).ok_or_else(bad)?,
                "5xx_after" => f.error_5xx_after = fraction(v).ok_or_else(bad)?,
                "429" => f.rate_429 = fraction(v).ok_or_else(bad)?,
                "malformed" => f.malformed_sse = fraction(v).ok_or_else(bad)?,
                "latency" => {
                    let (a, b) = v.split_once("..").unwrap_or((v, v));
                    let a: u64 = a.trim().parse().map_err(|_| bad())?;
                    let b: u64 = b.trim().parse().map_err(|_| bad())?;
                    if a > b || b > 60_000 {
                        return Err(bad());
                    }
                    f.latency_ms = Some((a, b));
                }
                "token_ttl" => {
                    let s: u64 = v.trim_end_matches('s').parse().map_err(|_| bad())?;
                    f.token_ttl_secs = Some(s.max(1));
                }
                "cloud_down" => f.cloud_down = v.parse().map_err(|_| bad())?,
                "half_tariff" => f.half_tariff = v.parse().map_err(|_| bad())?,
                "silent" => {
                    f.silent_sites = v
                        .split(';')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                }
                other => return Err(Error::Config(format!("unknown fault `{other}`"))),
            }
        }
        Ok(f)
    }
}

fn fraction(v: &str) -> Option<f64> {
    v.parse::<f64>().ok().filter(|x| (0.0..=1.0).contains(x))
}

/// What the fault layer decided for one REST request.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Verdict {
    /// Serve normally after `delay`.
    Pass(Duration),
    /// Answer with this error after `delay`.
    Fail(Duration, FaultKind),
}

/// Injected failure kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultKind {
    /// 500.
    ServerError,
    /// The request is served, then its answer is replaced by a 500.
    ServerErrorAfter,
    /// 429.
    RateLimited,
    /// 503.
    CloudDown,
}

/// REST requests per block of exact fault shares.
pub const DECK: usize = 1000;

/// What the fault layer has injected since the sandbox started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct FaultCounts {
    /// REST requests seen by the fault layer.
    pub requests: u64,
    /// Answered 500 before reaching the handler.
    pub errors_5xx: u64,
    /// Served, then answered 500.
    pub errors_5xx_after: u64,
    /// Answered 429.
    pub rate_limited_429: u64,
    /// Answered 503 (`cloud_down`).
    pub cloud_down: u64,
}

/// The active spec plus a seeded RNG so runs are reproducible.
#[derive(Debug)]
pub struct Faults {
    spec: FaultSpec,
    rng: StdRng,
    /// The rest of the current block: one outcome per request (`None`: served normally).
    deck: Vec<Option<FaultKind>>,
    counts: FaultCounts,
}

impl Faults {
    /// New fault state.
    pub fn new(spec: FaultSpec, seed: u64) -> Self {
        Self {
            spec,
            rng: StdRng::seed_from_u64(seed ^ 0xFA17),
            deck: Vec::new(),
            counts: FaultCounts::default(),
        }
    }

    /// Current spec.
    pub fn spec(&self) -> &FaultSpec {
        &self.spec
    }

    /// What was injected so far.
    pub fn counts(&self) -> FaultCounts {
        self.counts
    }

    /// Replaces the spec (new shares start a new block).
    pub fn set(&mut self, spec: FaultSpec) {
        let shares = |s: &FaultSpec| (s.error_5xx, s.error_5xx_after, s.rate_429);
        if shares(&spec) != shares(&self.spec) {
            self.deck.clear();
        }
        self.spec = spec;
    }

    /// A shuffled block holding each kind's exact share (later kinds get what is left when the
    /// shares add up to more than 1).
    fn deal(&mut self) {
        let mut deck = Vec::with_capacity(DECK);
        for (share, kind) in [
            (self.spec.error_5xx, FaultKind::ServerError),
            (self.spec.error_5xx_after, FaultKind::ServerErrorAfter),
            (self.spec.rate_429, FaultKind::RateLimited),
        ] {
            let n = ((share * DECK as f64).round() as usize).min(DECK - deck.len());
            deck.extend(std::iter::repeat_n(Some(kind), n));
        }
        deck.resize(DECK, None);
        deck.shuffle(&mut self.rng);
        self.deck = deck;
    }

    /// Decides the fate of one REST request.
    pub fn decide(&mut self) -> Verdict {
        self.counts.requests += 1;
        let delay = match self.spec.latency_ms {
            Some((a, b)) => Duration::from_millis(self.rng.gen_range(a..=b)),
            None => Duration::ZERO,
        };
        if self.spec.cloud_down {
            self.counts.cloud_down += 1;
            return Verdict::Fail(delay, FaultKind::CloudDown);
        }
        if self.deck.is_empty() {
            self.deal();
        }
        match self.deck.pop().flatten() {
            None => Verdict::Pass(delay),
            Some(kind) => {
                match kind {
                    FaultKind::ServerError => self.counts.errors_5xx += 1,
                    FaultKind::ServerErrorAfter => self.counts.errors_5xx_after += 1,
                    FaultKind::RateLimited => self.counts.rate_limited_429 += 1,
                    FaultKind::CloudDown => self.counts.cloud_down += 1,
                }
                Verdict::Fail(delay, kind)
            }
        }
    }

    /// Whether `site_id`'s gateways are silenced.
    pub fn is_silent(&self, site_id: &str) -> bool {
        self.spec.silent_sites.contains(site_id)
    }

    /// Whether the next SSE event should be sent malformed.
    pub fn malformed_event(&mut self) -> bool {
        self.spec.malformed_sse > 0.0 && self.rng.gen::<f64>() < self.spec.malformed_sse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_key() {
        let f = FaultSpec::parse(
            "sse_drop=5,5xx=0.1,429=0.2,latency=10..50,malformed=0.3,token_ttl=30s,cloud_down=true",
        )
        .unwrap();
        assert_eq!(f.sse_drop_every, Some(5));
        assert_eq!(f.latency_ms, Some((10, 50)));
        assert_eq!(f.token_ttl_secs, Some(30));
        assert!(f.cloud_down);
        assert!(FaultSpec::parse("half_tariff=true").unwrap().half_tariff);
        assert_eq!(FaultSpec::parse("").unwrap(), FaultSpec::default());
        let quiet = FaultSpec::parse("silent=sit-a; sit-b ,5xx=0").unwrap();
        assert_eq!(
            quiet.silent_sites.iter().collect::<Vec<_>>(),
            ["sit-a", "sit-b"]
        );
        let faults = Faults::new(quiet, 1);
        assert!(faults.is_silent("sit-b") && !faults.is_silent("sit-c"));
        assert!(FaultSpec::parse("silent=").unwrap().silent_sites.is_empty());
    }

    #[test]
    fn rejects_bad_items() {
        for s in [
            "5xx=2",
            "nope=1",
            "latency=9..1",
            "sse_drop",
            "cloud_down=maybe",
        ] {
            assert!(FaultSpec::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn fractions_are_respected_and_deterministic() {
        let spec = FaultSpec::parse("5xx=0.5").unwrap();
        let run = || {
            let mut f = Faults::new(spec.clone(), 7);
            (0..1000)
                .filter(|_| matches!(f.decide(), Verdict::Fail(..)))
                .count()
        };
        let n = run();
        assert_eq!(n, 500, "exact per block of {DECK}");
        assert_eq!(n, run());
    }

    #[test]
    fn mixed_shares_are_exact_per_block_and_counted() {
        let spec = FaultSpec::parse("5xx=0.025,5xx_after=0.025,429=0.02").unwrap();
        let mut f = Faults::new(spec.clone(), 3);
        let mut first_block = Vec::new();
        for _ in 0..10 * DECK {
            if let Verdict::Fail(_, k) = f.decide() {
                if first_block.len() < 70 && f.counts().requests <= DECK as u64 {
                    first_block.push(k);
                }
            }
        }
        let c = f.counts();
        assert_eq!(
            (
                c.requests,
                c.errors_5xx,
                c.errors_5xx_after,
                c.rate_limited_429
            ),
            (10_000, 250, 250, 200)
        );
        assert_eq!(first_block.len(), 70, "each block holds its exact share");
        // Shuffled: the failures are not bunched at the start of the block.
        let mut g = Faults::new(spec, 3);
        let head = (0..100)
            .filter(|_| matches!(g.decide(), Verdict::Fail(..)))
            .count();
        assert!(head < 30, "{head}");
        // Shares over 1 are cut, not an overflow.
        let mut h = Faults::new(FaultSpec::parse("5xx=0.8,429=0.8").unwrap(), 1);
        for _ in 0..DECK {
            h.decide();
        }
        assert_eq!(
            (h.counts().errors_5xx, h.counts().rate_limited_429),
            (800, 200)
        );
    }
}
