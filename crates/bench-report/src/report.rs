//! `make bench`'s markdown: every bench's rows joined into one table per area, each row with our
//! figure, the peer or floor from the same run, the ratio, the goal and whether it is met.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::{Better, Figure, Row};

/// The areas in the order the report shows them (the issue's order); any other area follows,
/// alphabetically.
const AREA_ORDER: &[&str] = &["SSE", "Sandbox", "charts", "store", "app", "core"];

/// The rows of one bench, or why they could not be read.
#[derive(Debug)]
pub struct BenchRows {
    pub bench: String,
    pub rows: Result<Vec<Row>, String>,
}

/// Reads every `<bench>.json` in `dir`, sorted by bench name. A file that is not a list of rows is
/// kept as an error, so the report names it instead of dropping it silently.
pub fn read_rows_dir(dir: &Path) -> std::io::Result<Vec<BenchRows>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|path| {
            let bench = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let rows = std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|bytes| {
                    serde_json::from_slice::<Vec<Row>>(&bytes).map_err(|e| e.to_string())
                });
            BenchRows { bench, rows }
        })
        .collect())
}

/// A figure for a reader: thousands separated from 1,000 up, three significant digits below.
pub fn number(v: f64) -> String {
    if !v.is_finite() {
        return "n/a".to_owned();
    }
    let a = v.abs();
    let decimals = if a >= 100.0 || a == 0.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        // 0.0123 → 3 significant digits
        (2 - a.log10().floor() as i32).clamp(2, 9) as usize
    };
    let text = format!("{:.*}", decimals, a);
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if v < 0.0 { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn figure(f: &Figure) -> String {
    format!("{} {}", number(f.value), f.unit)
}

/// "3.2× better" / "2.0× behind" the peer, whichever way the unit runs (behind a floor is expected:
/// the figure says how far from it we are).
fn ratio(row: &Row) -> String {
    match row.advantage() {
        Some(r) if r >= 1.0 => format!("{}× better", number(r)),
        Some(r) => format!("{}× behind", number(1.0 / r)),
        None => "—".to_owned(),
    }
}

fn met(row: &Row) -> &'static str {
    match row.goal_met() {
        Some(true) => "✅ met",
        Some(false) => "❌ not met",
        None if row.goal.is_some() => "see ratio",
        None => "—",
    }
}

/// Markdown cells must not break the table.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

fn area_rank(area: &str) -> (usize, String) {
    let rank = AREA_ORDER
        .iter()
        .position(|a| *a == area)
        .unwrap_or(AREA_ORDER.len());
    (rank, area.to_owned())
}

/// The report body: one section per area, then the benches whose rows could not be read.
pub fn render(benches: &[BenchRows]) -> String {
    let mut areas: BTreeMap<(usize, String), Vec<&Row>> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for b in benches {
        match &b.rows {
            Ok(rows) => {
                for row in rows {
                    areas.entry(area_rank(&row.area)).or_default().push(row);
                }
            }
            Err(e) => unreadable.push((b.bench.as_str(), e.as_str())),
        }
    }
    let mut out = String::new();
    let (mut met_n, mut missed_n) = (0, 0);
    for ((_, area), rows) in &areas {
        let _ = writeln!(out, "### {area}\n");
        out.push_str(
            "| measure | ours | peer / floor (same run) | ours vs peer | goal | met | command |\n",
        );
        out.push_str("|---|---:|---|---:|---|---|---|\n");
        for row in rows {
            match row.goal_met() {
                Some(true) => met_n += 1,
                Some(false) => missed_n += 1,
                None => {}
            }
            let measure = match &row.note {
                Some(n) => format!("{} ({})", row.measure, n),
                None => row.measure.clone(),
            };
            let better = match row.better {
                Better::Higher => "↑",
                Better::Lower => "↓",
            };
            let peer = row
                .peer
                .as_ref()
                .map(|p| format!("{}: {}", p.name, figure(&p.figure)))
                .unwrap_or_else(|| "—".to_owned());
            let goal = row
                .goal
                .as_ref()
                .map(|g| g.text.clone())
                .unwrap_or_else(|| "—".to_owned());
            let _ = writeln!(
                out,
                "| {} | {} {better} | {} | {} | {} | {} | `{}` |",
                cell(&measure),
                cell(&figure(&row.ours)),
                cell(&peer),
                ratio(row),
                cell(&goal),
                met(row),
                cell(&row.command),
            );
        }
        out.push('\n');
    }
    let _ = writeln!(
        out,
        "Numeric goals: {met_n} met, {missed_n} not met. ↑/↓: which way is better.\n"
    );
    if !unreadable.is_empty() {
        out.push_str("Rows that could not be read:\n\n");
        for (bench, e) in unreadable {
            let _ = writeln!(out, "- `{bench}.json`: {}", cell(e));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_a_table() {
        assert_eq!(number(208_784.4), "208,784");
        assert_eq!(number(1_234_567.0), "1,234,567");
        assert_eq!(number(468.0), "468");
        assert_eq!(number(24.56), "24.6");
        assert_eq!(number(1.5), "1.50");
        assert_eq!(number(0.0123), "0.0123");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-1500.0), "-1,500");
        assert_eq!(number(f64::NAN), "n/a");
    }

    fn rows() -> Vec<BenchRows> {
        vec![
            BenchRows {
                bench: "measure".into(),
                rows: Ok(vec![Row::new(
                    "app",
                    "idle PSS over the bare window",
                    Figure::new(30.0, "MiB"),
                    Better::Lower,
                    "make measure",
                )
                .peer("bare Tauri window", Figure::new(300.0, "MiB"))
                .goal("≤ 40 MiB", Some(40.0))]),
            },
            BenchRows {
                bench: "sse".into(),
                rows: Ok(vec![Row::new(
                    "SSE",
                    "raw | firehose",
                    Figure::new(2e6, "readings/s"),
                    Better::Higher,
                    "cargo bench",
                )
                .peer("httpx-sse", Figure::new(1e5, "readings/s"))
                .goal("≥ 3,000,000 readings/s", Some(3e6))
                .note("loopback")]),
            },
            BenchRows {
                bench: "broken".into(),
                rows: Err("expected a list".into()),
            },
        ]
    }

    #[test]
    fn areas_come_in_the_issues_order_with_goals_marked() {
        let md = render(&rows());
        let sse = md.find("### SSE").expect("SSE section");
        let app = md.find("### app").expect("app section");
        assert!(sse < app, "{md}");
        assert!(md.contains("| raw \\| firehose (loopback) | 2,000,000 readings/s ↑ | httpx-sse: 100,000 readings/s | 20.0× better | ≥ 3,000,000 readings/s | ❌ not met | `cargo bench` |"), "{md}");
        assert!(
            md.contains(
                "| 30.0 MiB ↓ | bare Tauri window: 300 MiB | 10.0× better | ≤ 40 MiB | ✅ met |"
            ),
            "{md}"
        );
        assert!(md.contains("Numeric goals: 1 met, 1 not met."), "{md}");
        assert!(md.contains("- `broken.json`: expected a list"), "{md}");
    }

    #[test]
    fn behind_a_peer_or_floor_says_how_far() {
        let row = Row::new("app", "fleet", Figure::new(80.0, "ms"), Better::Lower, "c")
            .peer("floor: bare reads", Figure::new(20.0, "ms"));
        assert_eq!(ratio(&row), "4.00× behind");
        let slower = Row::new(
            "SSE",
            "decode",
            Figure::new(5e5, "r/s"),
            Better::Higher,
            "c",
        )
        .peer("serde_json", Figure::new(1e6, "r/s"));
        assert_eq!(ratio(&slower), "2.00× behind");
    }

    #[test]
    fn the_rows_dir_is_read_and_bad_files_are_named() {
        let dir = std::env::temp_dir().join(format!("bench-report-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let good = vec![Row::new(
            "core",
            "x",
            Figure::new(1.0, "ms"),
            Better::Lower,
            "c",
        )];
        std::fs::write(dir.join("a.json"), serde_json::to_vec(&good).unwrap()).unwrap();
        std::fs::write(dir.join("b.json"), b"{not json").unwrap();
        std::fs::write(dir.join("notes.txt"), b"ignored").unwrap();
        let read = read_rows_dir(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].bench, "a");
        assert_eq!(read[0].rows.as_ref().unwrap(), &good);
        assert!(read[1].rows.is_err());
    }
}
