//! Export of the chart as CSV, PNG or SVG, written atomically (temp file + rename) so a failed
//! write never leaves a half file where the user asked for one.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::cancel::CancelToken;
use super::draw::{build, Prepared};
use super::ChartRequest;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// File formats of an export.
///
/// - `Csv`: comma-separated values: timestamps (UTC and site-local), values with units, price.
/// - `Png`: the chart as a PNG image.
/// - `Svg`: the chart as an SVG document (font embedded, so it looks the same anywhere).
///
/// (Variant docs live here: on the variants, the generated JSDoc of the window splits the type.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "ExportFormatName")
)]
pub enum ExportFormat {
    Csv,
    Png,
    Svg,
}

/// Exports the chart of `req` to `path`; missing data is fetched first, as for a render.
/// Returns the number of bytes written.
pub async fn export_chart(
    ws: &Workspace,
    req: &ChartRequest,
    format: ExportFormat,
    path: &Path,
) -> Result<u64> {
    let (_, mut prepared) = build(ws, req, &|_| {}, &CancelToken::new()).await?;
    let bytes = match format {
        ExportFormat::Csv => csv_text(&prepared).into_bytes(),
        ExportFormat::Png => novadesk_charts::render_png(&prepared.spec)?,
        ExportFormat::Svg => {
            prepared.spec.embed_font_in_svg = true;
            novadesk_charts::render_svg(&prepared.spec)?.into_bytes()
        }
    };
    write_atomically(path, &bytes)?;
    Ok(bytes.len() as u64)
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_string()
    }
}

/// The CSV of a prepared chart: one row per bucket that holds any value, bucket averages in the
/// platform's units, the spot price of the slot holding the bucket's start.
pub(crate) fn csv_text(p: &Prepared) -> String {
    let mut header = vec!["timestamp_utc".to_string(), "timestamp_local".to_string()];
    for c in &p.columns {
        header.push(quote(&format!("{} {} [{}]", c.label, c.field, c.unit)));
    }
    header.push(quote(&format!("spot price [{}/kWh]", p.currency)));
    let mut out = header.join(",");
    out.push('\n');
    let mut starts: Vec<i64> = p
        .columns
        .iter()
        .flat_map(|c| c.buckets.iter().map(|b| b.start))
        .filter(|t| *t >= p.range.from && *t < p.range.to)
        .collect();
    starts.sort_unstable();
    starts.dedup();
    let mut cursors = vec![0usize; p.columns.len()];
    let mut price_at = 0usize;
    for t in starts {
        let Some(utc) = DateTime::<Utc>::from_timestamp_millis(t) else {
            continue;
        };
        let mut row = vec![
            utc.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            utc.with_timezone(&p.tz)
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        ];
        for (c, cur) in p.columns.iter().zip(cursors.iter_mut()) {
            while *cur < c.buckets.len() && c.buckets[*cur].start < t {
                *cur += 1;
            }
            match c.buckets.get(*cur).filter(|b| b.start == t) {
                Some(b) => row.push(format!("{}", b.avg)),
                None => row.push(String::new()),
            }
        }
        while price_at < p.prices.len() && p.prices[price_at].end <= t {
            price_at += 1;
        }
        match p.prices.get(price_at).filter(|s| s.start <= t) {
            Some(s) => row.push(format!("{}", s.price)),
            None => row.push(String::new()),
        }
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
}

/// Writes `bytes` to `path` through a temporary sibling and a rename: the file is either the old
/// one or the complete new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let fail = |source: std::io::Error| Error::Export {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .ok_or_else(|| {
            fail(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "the path names no file",
            ))
        })?
        .to_string_lossy()
        .into_owned();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let tmp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let written = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        // Best effort: the temporary may not exist (creating it is what failed).
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::draw::Column;
    use crate::chart::range::ResolvedRange;
    use novadesk_store::{Bucket, PriceSlot, Resolution};

    fn bucket(start: i64, avg: f64) -> Bucket {
        Bucket {
            start,
            min: avg,
            max: avg,
            avg,
            last: avg,
            count: 1,
        }
    }

    #[test]
    fn csv_has_units_in_the_header_both_timestamps_and_the_price_of_each_row() {
        let t0 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        let m = 900_000;
        let tz: chrono_tz::Tz = "Europe/Stockholm".parse().unwrap();
        let range = ResolvedRange {
            from: t0,
            to: t0 + 4 * m,
            chart_res: Resolution::M15,
            fetch_level: Resolution::M15,
        };
        let spec = novadesk_charts::ChartSpec::new(
            tz,
            DateTime::from_timestamp_millis(range.from).unwrap(),
            DateTime::from_timestamp_millis(range.to).unwrap(),
        );
        let prepared = Prepared {
            spec,
            tz,
            columns: vec![
                Column {
                    label: "Grid meter (m, 1)".into(),
                    field: "W".into(),
                    unit: "W".into(),
                    buckets: vec![bucket(t0, 1500.5), bucket(t0 + m, -200.0)],
                },
                Column {
                    label: "Battery".into(),
                    field: "SoC_nom_fract".into(),
                    unit: "fraction".into(),
                    buckets: vec![bucket(t0 + m, 0.5), bucket(t0 + 3 * m, 0.25)],
                },
            ],
            prices: vec![PriceSlot {
                start: t0,
                end: t0 + 2 * m,
                price: 0.8125,
                fetched_at: 0,
            }],
            currency: "SEK".into(),
            range,
            series: Vec::new(),
            missing: Vec::new(),
            cached_at: None,
        };
        assert_eq!(
            csv_text(&prepared),
            "timestamp_utc,timestamp_local,\"Grid meter (m, 1) W [W]\",Battery SoC_nom_fract [fraction],spot price [SEK/kWh]\n\
             2026-01-01T00:00:00Z,2026-01-01T01:00:00+01:00,1500.5,,0.8125\n\
             2026-01-01T00:15:00Z,2026-01-01T01:15:00+01:00,-200,0.5,0.8125\n\
             2026-01-01T00:45:00Z,2026-01-01T01:45:00+01:00,,0.25,\n"
        );
    }

    #[test]
    fn a_path_without_a_file_name_or_folder_is_a_typed_error() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("gone").join("x.csv");
        assert!(matches!(
            write_atomically(&missing, b"x"),
            Err(Error::Export { .. })
        ));
        assert!(matches!(
            write_atomically(Path::new("/"), b"x"),
            Err(Error::Export { .. })
        ));
        let ok = dir.path().join("x.csv");
        write_atomically(&ok, b"one").unwrap();
        write_atomically(&ok, b"two").unwrap();
        assert_eq!(std::fs::read(&ok).unwrap(), b"two");
    }
}
