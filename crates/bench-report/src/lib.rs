//! The rows of `make bench`'s report (`target/bench/report.md`).
//!
//! Every benchmark that belongs in the report calls [`record`] once, at its end, with all its rows:
//! our figure, the peer or floor measured in the same run, the goal and the command. The rows land as
//! one JSON file per benchmark in `$NOVADESK_BENCH_ROWS` (set by `make bench`; without it nothing is
//! written, so a plain `cargo bench` stays side-effect free) and the report script joins them.

pub mod report;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Which way is better for a figure, so the report can say whether a goal is met and phrase the ratio.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// One measured number with its unit ("readings/s", "ms", "MiB PSS", "B/sample").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub value: f64,
    pub unit: String,
}

impl Figure {
    pub fn new(value: f64, unit: &str) -> Self {
        Self {
            value,
            unit: unit.to_owned(),
        }
    }
}

/// What we are compared with in the same run: a peer ("httpx-sse", "matplotlib 3.11") or a floor
/// ("decode from memory", "bare Tauri window").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    pub name: String,
    pub figure: Figure,
}

/// The goal as a number in our figure's unit (met when ours is on the right side of it), or as the
/// issue's words when it is a ratio or not a single number.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Goal {
    pub text: String,
    pub limit: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Report section: "SSE", "Sandbox", "charts", "store", "app", "core".
    pub area: String,
    pub measure: String,
    pub ours: Figure,
    pub better: Better,
    pub peer: Option<Peer>,
    pub goal: Option<Goal>,
    /// The command that measures this row alone.
    pub command: String,
    /// Anything the reader needs to weigh the figure (sizes, counts, set-up).
    pub note: Option<String>,
}

impl Row {
    pub fn new(area: &str, measure: &str, ours: Figure, better: Better, command: &str) -> Self {
        Self {
            area: area.to_owned(),
            measure: measure.to_owned(),
            ours,
            better,
            peer: None,
            goal: None,
            command: command.to_owned(),
            note: None,
        }
    }

    pub fn peer(mut self, name: &str, figure: Figure) -> Self {
        self.peer = Some(Peer {
            name: name.to_owned(),
            figure,
        });
        self
    }

    pub fn goal(mut self, text: &str, limit: Option<f64>) -> Self {
        self.goal = Some(Goal {
            text: text.to_owned(),
            limit,
        });
        self
    }

    pub fn note(mut self, note: &str) -> Self {
        self.note = Some(note.to_owned());
        self
    }

    /// How many times better than the peer (> 1 is better, whichever way the unit runs).
    pub fn advantage(&self) -> Option<f64> {
        let peer = self.peer.as_ref()?.figure.value;
        let ours = self.ours.value;
        let ratio = match self.better {
            Better::Higher => ours / peer,
            Better::Lower => peer / ours,
        };
        ratio.is_finite().then_some(ratio)
    }

    /// Whether the numeric goal is met; `None` when the goal is words only.
    pub fn goal_met(&self) -> Option<bool> {
        let limit = self.goal.as_ref()?.limit?;
        Some(match self.better {
            Better::Higher => self.ours.value >= limit,
            Better::Lower => self.ours.value <= limit,
        })
    }
}

/// Where the rows go, when `make bench` asked for them.
pub fn rows_dir() -> Option<PathBuf> {
    std::env::var_os("NOVADESK_BENCH_ROWS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// Writes `rows` as `<bench>.json` into [`rows_dir`] (replacing this bench's earlier rows). A bench
/// that cannot write its rows says so on stderr and carries on: its printed table still stands.
pub fn record(bench: &str, rows: &[Row]) {
    let Some(dir) = rows_dir() else { return };
    let path = dir.join(format!("{bench}.json"));
    let result = std::fs::create_dir_all(&dir).and_then(|()| {
        let json = serde_json::to_vec_pretty(rows).map_err(std::io::Error::other)?;
        let tmp = path.with_extension("json.tmp");
        std::fs::write(&tmp, json)?;
        std::fs::rename(&tmp, &path)
    });
    if let Err(e) = result {
        eprintln!("bench-report: could not write {}: {e}", path.display());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advantage_reads_the_same_whichever_way_the_unit_runs() {
        let faster = Row::new("charts", "svg", Figure::new(10.0, "ms"), Better::Lower, "x")
            .peer("matplotlib", Figure::new(1000.0, "ms"));
        assert_eq!(faster.advantage(), Some(100.0));
        let quicker = Row::new(
            "SSE",
            "raw",
            Figure::new(2e6, "readings/s"),
            Better::Higher,
            "x",
        )
        .peer("httpx-sse", Figure::new(1e5, "readings/s"));
        assert_eq!(quicker.advantage(), Some(20.0));
        let alone = Row::new("SSE", "raw", Figure::new(1.0, "x"), Better::Higher, "x");
        assert_eq!(alone.advantage(), None);
    }

    #[test]
    fn numeric_goals_are_met_on_the_right_side_only() {
        let row = Row::new("app", "fleet", Figure::new(48.0, "ms"), Better::Lower, "x");
        assert_eq!(
            row.clone().goal("≤ 50 ms", Some(50.0)).goal_met(),
            Some(true)
        );
        assert_eq!(
            row.clone().goal("≤ 40 ms", Some(40.0)).goal_met(),
            Some(false)
        );
        assert_eq!(row.goal("≥ 10× httpx-sse", None).goal_met(), None);
    }

    #[test]
    fn rows_round_trip_through_json() {
        let row = Row::new(
            "store",
            "ingest",
            Figure::new(3.1e6, "samples/s"),
            Better::Higher,
            "c",
        )
        .peer("naive table", Figure::new(1.0e6, "samples/s"))
        .goal("≥ 3× naive", None)
        .note("5.26 M samples");
        let json = serde_json::to_string(std::slice::from_ref(&row)).unwrap();
        let back: Vec<Row> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, vec![row]);
    }
}
