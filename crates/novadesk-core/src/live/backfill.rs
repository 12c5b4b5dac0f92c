//! Back-filling a gap the live stream reported (events the server could no longer replay) from
//! the history endpoint, at one-minute resolution, into the offline store.

use std::time::Duration;

use chrono::{DateTime, Utc};
use novacore::history::{Resolution, Series};
use novadesk_store::{Resolution as StoreResolution, SeriesKey, ServerBucket};

use crate::workspace::Workspace;

/// A history request that takes longer than this is given up (the live view must not wait).
pub const BACKFILL_TIMEOUT: Duration = Duration::from_secs(20);

/// What a back-fill did, for the UI ("the gap 10:02–10:04 was filled from history").
#[derive(Debug, Clone, PartialEq)]
pub struct Backfill {
    /// Start of the range asked for, epoch ms (minute-aligned).
    pub from_ms: i64,
    /// End (exclusive), epoch ms (minute-aligned).
    pub to_ms: i64,
    /// History buckets stored.
    pub buckets: usize,
    /// Why it failed, as a sentence, when it did.
    pub error: Option<String>,
}

/// Fetches `from..=to` of the site's history and stores it. Never fails: the outcome (with the
/// reason when it did not work) is returned for the UI.
pub async fn backfill(
    ws: &Workspace,
    site_id: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Backfill {
    let m1 = StoreResolution::M1;
    let from_ms = m1.floor(from.timestamp_millis().min(to.timestamp_millis()));
    let to_ms = m1.ceil(to.timestamp_millis().max(from.timestamp_millis()) + 1);
    let mut out = Backfill {
        from_ms,
        to_ms,
        buckets: 0,
        error: None,
    };
    let (Some(start), Some(end)) = (
        DateTime::<Utc>::from_timestamp_millis(from_ms),
        DateTime::<Utc>::from_timestamp_millis(to_ms),
    ) else {
        out.error = Some("The missed time range is not a valid date.".into());
        return out;
    };
    let request = ws.novacore(async |c| {
        c.telemetry()
            .history(site_id, start..end, Resolution::Minute, None)
            .await
    });
    let series = match tokio::time::timeout(BACKFILL_TIMEOUT, request).await {
        Err(_) => {
            out.error = Some("History did not answer in time; the chart fetches it later.".into());
            return out;
        }
        Ok(r) => match r {
            Ok(s) => s,
            Err(e) => {
                out.error = Some(format!(
                    "History could not be fetched ({e}); the chart fetches it later."
                ));
                return out;
            }
        },
    };
    let fetched_at = ws.now_ms();
    let mut store = ws.store();
    for s in &series {
        for (field, buckets) in buckets_per_field(s) {
            let Some(der) = &s.der_id else { continue };
            let key = SeriesKey::new(der.as_str(), field.as_str());
            match store.ingest_buckets(&key, m1, from_ms, to_ms, &buckets, fetched_at) {
                Ok(()) => out.buckets += buckets.len(),
                Err(err) => {
                    tracing::warn!(%err, series = %key, "back-filled history not stored");
                    out.error = Some(format!("Part of the history could not be stored ({err})."));
                }
            }
        }
    }
    out
}

/// A series' buckets split per field, in the store's shape. A field whose bucket lacks `avg`
/// is left out of that bucket; missing min/max/last default to `avg`.
fn buckets_per_field(s: &Series) -> Vec<(String, Vec<ServerBucket>)> {
    let mut fields: std::collections::BTreeMap<String, Vec<ServerBucket>> = Default::default();
    for p in &s.points {
        let count = p.n.unwrap_or(1);
        if count == 0 {
            continue;
        }
        for (name, agg) in &p.fields {
            let Some(avg) = agg.avg else { continue };
            fields.entry(name.clone()).or_default().push(ServerBucket {
                start: p.ts.timestamp_millis(),
                count,
                avg,
                min: agg.min.unwrap_or(avg),
                max: agg.max.unwrap_or(avg),
                last: agg.last.unwrap_or(avg),
            });
        }
    }
    fields.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_split_per_field_with_defaults_from_the_mean() {
        let s: Vec<Series> = serde_json::from_str(
            r#"[{"der_id":"der-1","type":"battery","points":[
                {"ts":1772791200000,"n":60,"fields":{"W":{"avg":-1.5,"min":-3,"max":0,"last":-2},"SoC_nom_fract":{"avg":0.5}}},
                {"ts":1772791260000,"n":0,"fields":{"W":{"avg":9}}},
                {"ts":1772791320000,"n":60,"fields":{"W":{"min":1}}}]}]"#,
        )
        .unwrap();
        let per = buckets_per_field(&s[0]);
        let names: Vec<_> = per.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["SoC_nom_fract", "W"]);
        assert_eq!(per[1].1.len(), 1, "empty and mean-less buckets are skipped");
        assert_eq!(per[1].1[0].min, -3.0);
        assert_eq!(per[0].1[0].last, 0.5);
        assert_eq!(per[0].1[0].count, 60);
    }
}
