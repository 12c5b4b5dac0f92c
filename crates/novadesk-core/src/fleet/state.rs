//! A site's state at a glance, from the time of its newest reading and whether its gateways were
//! ever seen: live, silent (since when), gateway not seen, never reported. Pure, so the states
//! are tested with hand-made clocks.

use serde::{Deserialize, Serialize};

/// A site with no reading for this long is no longer live: it is silent (an incident only after
/// the user's threshold, see [`super::SilenceTracker`]).
pub const LIVE_WITHIN_MS: i64 = 60_000;

/// What the Fleet view says of a site.
///
/// - `live`: a reading arrived within the last minute.
/// - `silent`: readings came before, none since `since_ms` (the newest reading's time).
/// - `gateway_not_seen`: nothing stored and the platform has never seen the site's gateway.
/// - `never_reported`: nothing stored, and no gateway that was never seen to blame (no gateway
///   at all, or one seen but no reading from it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type), serde(rename = "FleetState"))]
pub enum SiteState {
    Live,
    Silent {
        #[cfg_attr(feature = "specta", specta(type = f64))]
        since_ms: i64,
    },
    GatewayNotSeen,
    NeverReported,
}

impl SiteState {
    /// Problems first: silent (longest first, by the caller), gateway not seen, never reported,
    /// then live.
    pub fn rank(&self) -> u8 {
        match self {
            SiteState::Silent { .. } => 0,
            SiteState::GatewayNotSeen => 1,
            SiteState::NeverReported => 2,
            SiteState::Live => 3,
        }
    }

    /// Whether the view lists it among the problems.
    pub fn is_problem(&self) -> bool {
        !matches!(self, SiteState::Live)
    }
}

/// What is known of a site's gateways: `None` for a gateway the platform never saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GatewaysSeen(pub Vec<Option<i64>>);

impl GatewaysSeen {
    /// Whether the site has gateways and none was ever seen.
    pub fn none_ever_seen(&self) -> bool {
        !self.0.is_empty() && self.0.iter().all(Option::is_none)
    }
}

/// The state of a site at `now_ms` whose newest stored reading is `last_reading_ms`.
pub fn classify(now_ms: i64, last_reading_ms: Option<i64>, gateways: &GatewaysSeen) -> SiteState {
    match last_reading_ms {
        Some(at) if now_ms - at < LIVE_WITHIN_MS => SiteState::Live,
        Some(at) => SiteState::Silent { since_ms: at },
        None if gateways.none_ever_seen() => SiteState::GatewayNotSeen,
        None => SiteState::NeverReported,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_780_000_000_000;

    #[test]
    fn live_until_a_minute_without_readings_then_silent_since_the_last_one() {
        let none = GatewaysSeen::default();
        assert_eq!(classify(NOW, Some(NOW - 5_000), &none), SiteState::Live);
        assert_eq!(classify(NOW, Some(NOW - 59_999), &none), SiteState::Live);
        assert_eq!(
            classify(NOW, Some(NOW - 60_000), &none),
            SiteState::Silent {
                since_ms: NOW - 60_000
            }
        );
        // A reading stamped ahead of our clock is live, not negative silence.
        assert_eq!(classify(NOW, Some(NOW + 3_000), &none), SiteState::Live);
    }

    #[test]
    fn without_readings_the_gateway_decides_between_not_seen_and_never_reported() {
        let unseen = GatewaysSeen(vec![None, None]);
        let seen = GatewaysSeen(vec![None, Some(NOW - 1_000)]);
        assert_eq!(classify(NOW, None, &unseen), SiteState::GatewayNotSeen);
        assert_eq!(classify(NOW, None, &seen), SiteState::NeverReported);
        assert_eq!(
            classify(NOW, None, &GatewaysSeen::default()),
            SiteState::NeverReported,
            "no gateway at all: nothing to blame, nothing guessed"
        );
        // Readings win over a gateway list that lags behind.
        assert_eq!(classify(NOW, Some(NOW), &unseen), SiteState::Live);
    }

    #[test]
    fn problems_rank_before_live_sites() {
        let mut states = [
            SiteState::Live,
            SiteState::NeverReported,
            SiteState::Silent { since_ms: 1 },
            SiteState::GatewayNotSeen,
        ];
        states.sort_by_key(SiteState::rank);
        assert_eq!(
            states,
            [
                SiteState::Silent { since_ms: 1 },
                SiteState::GatewayNotSeen,
                SiteState::NeverReported,
                SiteState::Live
            ]
        );
        assert!(!SiteState::Live.is_problem());
        assert!(SiteState::NeverReported.is_problem());
    }
}
