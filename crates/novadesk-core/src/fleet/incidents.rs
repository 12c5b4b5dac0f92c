//! Silence incidents: a site silent for longer than the threshold starts one incident; its next
//! reading clears it. The decision — once per incident, never while our own connection is the
//! one that is down — is made here, pure, so the shell only delivers what it is handed
//! ([`IncidentChange::title`] / [`IncidentChange::body`] are ready for a desktop notification).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::state::SiteState;

/// One site silent past the threshold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SilenceIncident {
    pub site_id: String,
    pub site_name: String,
    pub org_name: Option<String>,
    /// Time of the last reading before the silence, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub silent_since_ms: i64,
    /// When the app noticed the silence had passed the threshold, epoch ms.
    #[cfg_attr(feature = "specta", specta(type = f64))]
    pub started_ms: i64,
}

impl SilenceIncident {
    fn place(&self) -> String {
        match &self.org_name {
            Some(org) => format!("{} ({org})", self.site_name),
            None => self.site_name.clone(),
        }
    }

    /// The view's line for an open incident at `now_ms`.
    pub fn line(&self, now_ms: i64) -> String {
        format!(
            "{} has sent no reading for {}.",
            self.place(),
            minutes_text(now_ms - self.silent_since_ms)
        )
    }
}

/// "1 minute", "16 minutes" (whole minutes, at least 1).
fn minutes_text(ms: i64) -> String {
    match (ms / 60_000).max(1) {
        1 => "1 minute".into(),
        n => format!("{n} minutes"),
    }
}

/// An incident starting or ending: what the shell emits (and the lead routes to a notification).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case")]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum IncidentChange {
    Started {
        incident: SilenceIncident,
    },
    Cleared {
        incident: SilenceIncident,
        /// Time of the reading that ended the silence (or when the site left the fleet).
        #[cfg_attr(feature = "specta", specta(type = f64))]
        back_ms: i64,
    },
}

impl IncidentChange {
    /// The incident this change is about.
    pub fn incident(&self) -> &SilenceIncident {
        match self {
            IncidentChange::Started { incident } | IncidentChange::Cleared { incident, .. } => {
                incident
            }
        }
    }

    /// One key per incident and change, for "once" delivery: `silence:<site>:<since>:started`.
    pub fn key(&self) -> String {
        let i = self.incident();
        let what = match self {
            IncidentChange::Started { .. } => "started",
            IncidentChange::Cleared { .. } => "cleared",
        };
        format!("silence:{}:{}:{what}", i.site_id, i.silent_since_ms)
    }

    /// A notification title.
    pub fn title(&self) -> String {
        match self {
            IncidentChange::Started { incident } => format!("{} is silent", incident.site_name),
            IncidentChange::Cleared { incident, .. } => {
                format!("{} is reporting again", incident.site_name)
            }
        }
    }

    /// A notification body.
    pub fn body(&self) -> String {
        match self {
            IncidentChange::Started { incident } => format!(
                "{} has sent no reading for {}. Check its gateway's power and network.",
                incident.place(),
                minutes_text(incident.started_ms - incident.silent_since_ms)
            ),
            IncidentChange::Cleared { incident, back_ms } => format!(
                "{} is back after {} without readings.",
                incident.place(),
                minutes_text(back_ms - incident.silent_since_ms)
            ),
        }
    }
}

/// One site as the tracker sees it on a refresh.
#[derive(Debug, Clone, PartialEq)]
pub struct Observation<'a> {
    pub site_id: &'a str,
    pub site_name: &'a str,
    pub org_name: Option<&'a str>,
    pub state: SiteState,
    /// The newest reading, epoch ms (when a silence ends, this is when).
    pub last_reading_ms: Option<i64>,
    /// Whether the app's own link to the site is up: if not, a silence may be ours, not the
    /// site's, and nothing starts or clears.
    pub link_up: bool,
}

/// The open incidents and the rule that opens and closes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SilenceTracker {
    open: BTreeMap<String, SilenceIncident>,
}

impl SilenceTracker {
    /// A tracker that already knows these incidents (kept across restarts: no second start).
    pub fn with_open(open: Vec<SilenceIncident>) -> Self {
        Self {
            open: open.into_iter().map(|i| (i.site_id.clone(), i)).collect(),
        }
    }

    /// The open incidents, longest silent first.
    pub fn open(&self) -> Vec<SilenceIncident> {
        let mut v: Vec<_> = self.open.values().cloned().collect();
        v.sort_by_key(|i| (i.silent_since_ms, i.site_id.clone()));
        v
    }

    /// Applies one refresh of the whole fleet at `now_ms` with the threshold `threshold_ms`;
    /// returns what started and what cleared. Sites missing from `sites` left the fleet: their
    /// incidents clear.
    pub fn observe(
        &mut self,
        now_ms: i64,
        threshold_ms: i64,
        sites: &[Observation<'_>],
    ) -> Vec<IncidentChange> {
        let mut changes = Vec::new();
        let present: std::collections::BTreeSet<&str> = sites.iter().map(|s| s.site_id).collect();
        let gone: Vec<String> = self
            .open
            .keys()
            .filter(|id| !present.contains(id.as_str()))
            .cloned()
            .collect();
        for id in gone {
            if let Some(incident) = self.open.remove(&id) {
                changes.push(IncidentChange::Cleared {
                    incident,
                    back_ms: now_ms,
                });
            }
        }
        for s in sites.iter().filter(|s| s.link_up) {
            // A reading newer than the incident's silence ended it, whatever the state is now.
            let heard_since =
                |i: &SilenceIncident| s.last_reading_ms.filter(|at| *at > i.silent_since_ms);
            if let Some(back) = self.open.get(s.site_id).and_then(heard_since) {
                if let Some(incident) = self.open.remove(s.site_id) {
                    changes.push(IncidentChange::Cleared {
                        incident,
                        back_ms: back,
                    });
                }
            }
            if let SiteState::Silent { since_ms } = s.state {
                if now_ms - since_ms >= threshold_ms && !self.open.contains_key(s.site_id) {
                    let incident = SilenceIncident {
                        site_id: s.site_id.to_string(),
                        site_name: s.site_name.to_string(),
                        org_name: s.org_name.map(str::to_string),
                        silent_since_ms: since_ms,
                        started_ms: now_ms,
                    };
                    self.open.insert(s.site_id.to_string(), incident.clone());
                    changes.push(IncidentChange::Started { incident });
                }
            }
        }
        changes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_780_000_000_000;
    const MIN: i64 = 60_000;
    const THRESHOLD: i64 = 15 * MIN;

    fn obs(state: SiteState, last: Option<i64>, link_up: bool) -> Observation<'static> {
        Observation {
            site_id: "sit-1",
            site_name: "Lund",
            org_name: Some("Demo"),
            state,
            last_reading_ms: last,
            link_up,
        }
    }

    /// The site as the Fleet view classifies it at `now` with its last reading at `last`.
    fn at(now: i64, last: i64) -> Observation<'static> {
        let state = super::super::state::classify(now, Some(last), &Default::default());
        obs(state, Some(last), true)
    }

    #[test]
    fn one_incident_per_silence_started_past_the_threshold_and_cleared_by_the_next_reading() {
        let mut t = SilenceTracker::default();
        let last = T0;
        // Silent but under the threshold: nothing yet.
        assert!(t
            .observe(T0 + 14 * MIN, THRESHOLD, &[at(T0 + 14 * MIN, last)])
            .is_empty());
        // Past it: one start …
        let started = t.observe(T0 + 15 * MIN, THRESHOLD, &[at(T0 + 15 * MIN, last)]);
        assert_eq!(started.len(), 1);
        let IncidentChange::Started { incident } = &started[0] else {
            panic!("{started:?}")
        };
        assert_eq!(incident.silent_since_ms, last);
        assert_eq!(started[0].title(), "Lund is silent");
        assert_eq!(
            started[0].body(),
            "Lund (Demo) has sent no reading for 15 minutes. Check its gateway's power and network."
        );
        // … and never a second while the silence lasts.
        for m in [16, 30, 120] {
            assert!(t
                .observe(T0 + m * MIN, THRESHOLD, &[at(T0 + m * MIN, last)])
                .is_empty());
        }
        assert_eq!(t.open().len(), 1);
        assert_eq!(
            t.open()[0].line(T0 + 30 * MIN),
            "Lund (Demo) has sent no reading for 30 minutes."
        );
        // Back: one clear, at the reading's time.
        let back = T0 + 121 * MIN;
        let cleared = t.observe(back + 1_000, THRESHOLD, &[at(back + 1_000, back)]);
        assert_eq!(cleared.len(), 1);
        assert!(matches!(&cleared[0], IncidentChange::Cleared { back_ms, .. } if *back_ms == back));
        assert_eq!(cleared[0].title(), "Lund is reporting again");
        assert_eq!(
            cleared[0].body(),
            "Lund (Demo) is back after 121 minutes without readings."
        );
        assert_ne!(started[0].key(), cleared[0].key());
        assert!(t.open().is_empty());
        assert!(t
            .observe(back + 2_000, THRESHOLD, &[at(back + 2_000, back)])
            .is_empty());
    }

    #[test]
    fn back_briefly_then_silent_again_is_a_new_incident() {
        let mut t = SilenceTracker::default();
        assert_eq!(
            t.observe(T0 + 20 * MIN, THRESHOLD, &[at(T0 + 20 * MIN, T0)])
                .len(),
            1
        );
        // One reading at +21 min, then silence again, noticed only at +40 min: the first
        // incident clears and the second starts in the same refresh.
        let r = T0 + 21 * MIN;
        let changes = t.observe(T0 + 40 * MIN, THRESHOLD, &[at(T0 + 40 * MIN, r)]);
        assert_eq!(changes.len(), 2, "{changes:?}");
        assert!(matches!(changes[0], IncidentChange::Cleared { back_ms, .. } if back_ms == r));
        assert!(
            matches!(&changes[1], IncidentChange::Started { incident } if incident.silent_since_ms == r)
        );
        assert_ne!(changes[0].key(), changes[1].key());
    }

    #[test]
    fn our_own_link_down_neither_starts_nor_clears() {
        let mut t = SilenceTracker::default();
        let silent = SiteState::Silent { since_ms: T0 };
        assert!(t
            .observe(T0 + 60 * MIN, THRESHOLD, &[obs(silent, Some(T0), false)])
            .is_empty());
        assert_eq!(
            t.observe(T0 + 60 * MIN, THRESHOLD, &[obs(silent, Some(T0), true)])
                .len(),
            1
        );
        assert!(t
            .observe(
                T0 + 61 * MIN,
                THRESHOLD,
                &[obs(SiteState::Live, Some(T0 + 61 * MIN), false)]
            )
            .is_empty());
        assert_eq!(t.open().len(), 1);
    }

    #[test]
    fn never_reported_and_unseen_gateways_are_states_not_incidents() {
        let mut t = SilenceTracker::default();
        for state in [SiteState::NeverReported, SiteState::GatewayNotSeen] {
            assert!(t
                .observe(T0 + 600 * MIN, THRESHOLD, &[obs(state, None, true)])
                .is_empty());
        }
    }

    #[test]
    fn a_restarted_tracker_knows_its_open_incidents_and_a_site_leaving_clears_its_own() {
        let mut first = SilenceTracker::default();
        first.observe(T0 + 20 * MIN, THRESHOLD, &[at(T0 + 20 * MIN, T0)]);
        let mut again = SilenceTracker::with_open(first.open());
        assert!(again
            .observe(T0 + 25 * MIN, THRESHOLD, &[at(T0 + 25 * MIN, T0)])
            .is_empty());
        let changes = again.observe(T0 + 26 * MIN, THRESHOLD, &[]);
        assert!(matches!(&changes[..], [IncidentChange::Cleared { .. }]));
        assert!(again.open().is_empty());
    }

    #[test]
    fn a_shorter_threshold_applies_on_the_next_refresh() {
        let mut t = SilenceTracker::default();
        assert!(t
            .observe(T0 + 5 * MIN, THRESHOLD, &[at(T0 + 5 * MIN, T0)])
            .is_empty());
        assert_eq!(
            t.observe(T0 + 5 * MIN, 5 * MIN, &[at(T0 + 5 * MIN, T0)])
                .len(),
            1
        );
    }
}
