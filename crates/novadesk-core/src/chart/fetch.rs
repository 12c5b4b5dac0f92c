//! Fetching what the store lacks for a chart: history for the coverage gaps and day-ahead prices
//! for the local days without them, one request at a time so progress moves and cancel is
//! prompt. Each request's answer is ingested in its own transactions: cancelled or failed work
//! leaves everything fetched so far stored and marked covered, nothing half-written.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;

use novacore::history::Resolution as SdkResolution;
use novadesk_store::{PriceSlot, Resolution, SeriesKey, ServerBucket, Span};

use super::cancel::CancelToken;
use super::site::fields_of;
use super::Progress;
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// Buckets per history request: small enough that progress moves and cancel is prompt.
const CHUNK_BUCKETS: i64 = 2_000;
/// Days per price request (the service's limit is 10).
const PRICE_DAYS: i64 = 10;

/// History of `keys` at `level` over `[from, to)`; `der` narrows the request to one DER.
#[derive(Debug, Clone)]
pub(crate) struct HistoryJob {
    pub der: Option<String>,
    pub keys: Vec<SeriesKey>,
    pub level: Resolution,
    pub from: i64,
    pub to: i64,
}

/// Day-ahead prices of `(area, currency)` for the local days of `[from, to)` in `tz`.
#[derive(Debug, Clone)]
pub(crate) struct PriceJob {
    pub area: String,
    pub currency: String,
    pub tz: Tz,
    pub from: i64,
    pub to: i64,
}

/// How a fetch went (errors other than cancel and sign-in do not fail the chart).
#[derive(Debug, Clone, Default)]
pub(crate) struct FetchOutcome {
    pub requests: u32,
    pub offline: bool,
    pub note: Option<String>,
}

#[derive(Debug, Clone)]
enum Step {
    History {
        der: Option<String>,
        keys: Vec<SeriesKey>,
        level: Resolution,
        span: Span,
    },
    Prices {
        area: String,
        currency: String,
        first: NaiveDate,
        days: u32,
    },
}

/// Fetches what is missing, reporting progress (monotonic, ending at 1).
pub(crate) async fn fetch_missing(
    ws: &Workspace,
    site_id: &str,
    history: &[HistoryJob],
    prices: Option<&PriceJob>,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &CancelToken,
) -> Result<FetchOutcome> {
    let now = ws.now_ms();
    let mut steps = Vec::new();
    for job in history {
        steps.extend(history_steps(ws, job, now)?);
    }
    if let Some(p) = prices {
        steps.extend(price_steps(ws, p, now)?);
    }
    let total = steps.len();
    let mut outcome = FetchOutcome::default();
    for (i, step) in steps.into_iter().enumerate() {
        if cancel.is_cancelled() {
            return Err(Error::Cancelled);
        }
        progress(Progress {
            fraction: i as f64 / total as f64,
            what: describe(&step, i, total),
        });
        outcome.requests += 1;
        let result = tokio::select! {
            biased;
            _ = cancel.cancelled() => return Err(Error::Cancelled),
            r = run_step(ws, site_id, step) => r,
        };
        match result {
            Ok(()) => {}
            Err(Error::Novacore(e)) if e.is_unreachable() => {
                outcome.offline = true;
                break;
            }
            Err(Error::Novacore(e)) if e.is_auth() => return Err(Error::Novacore(e)),
            Err(e @ Error::Store(_)) => return Err(e),
            Err(e) => {
                // Keep going: what can be fetched still is, the rest shows as not cached.
                outcome.note = Some(format!("Some data could not be fetched ({e})."));
            }
        }
    }
    let what = match (total, outcome.offline) {
        (0, _) => "Everything was cached.",
        (_, true) => "Offline: showing what is cached.",
        _ => "Fetched.",
    };
    progress(Progress {
        fraction: 1.0,
        what: what.into(),
    });
    Ok(outcome)
}

fn describe(step: &Step, i: usize, total: usize) -> String {
    let day = |ms: i64| {
        DateTime::<Utc>::from_timestamp_millis(ms)
            .map(|t| t.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    };
    match step {
        Step::History { span, .. } => format!(
            "Fetching history {} of {total}: {} to {}",
            i + 1,
            day(span.start),
            day(span.end - 1)
        ),
        Step::Prices {
            area, first, days, ..
        } => format!(
            "Fetching {area} prices {} of {total}: {days} day(s) from {first}",
            i + 1
        ),
    }
}

/// The level-aligned, merged, chunked gaps of a history job (up to the last complete bucket).
fn history_steps(ws: &Workspace, job: &HistoryJob, now: i64) -> Result<Vec<Step>> {
    let level = job.level;
    let end = job.to.min(level.floor(now));
    if end <= job.from {
        return Ok(Vec::new());
    }
    let mut gaps: Vec<Span> = Vec::new();
    {
        let store = ws.store();
        for key in &job.keys {
            gaps.extend(store.coverage(key, job.from, end, level)?.gaps);
        }
    }
    let mut spans: Vec<Span> = gaps
        .into_iter()
        .map(|g| Span {
            start: level.floor(g.start),
            end: level.ceil(g.end),
        })
        .collect();
    spans.sort_by_key(|s| s.start);
    let mut merged: Vec<Span> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.start <= m.end => m.end = m.end.max(s.end),
            _ => merged.push(s),
        }
    }
    let chunk = CHUNK_BUCKETS * level.as_ms();
    let mut steps = Vec::new();
    for m in merged {
        let mut start = m.start;
        while start < m.end {
            let stop = (start + chunk).min(m.end);
            steps.push(Step::History {
                der: job.der.clone(),
                keys: job.keys.clone(),
                level,
                span: Span { start, end: stop },
            });
            start = stop;
        }
    }
    Ok(steps)
}

/// Local midnight of `day` in `tz` (an hour later when DST skips midnight).
pub(crate) fn local_midnight(tz: Tz, day: NaiveDate) -> i64 {
    let t = day.and_time(NaiveTime::MIN);
    tz.from_local_datetime(&t)
        .earliest()
        .or_else(|| tz.from_local_datetime(&(t + Duration::hours(1))).earliest())
        .map_or(0, |d| d.timestamp_millis())
}

pub(crate) fn local_day(tz: Tz, ms: i64) -> NaiveDate {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .date_naive()
}

/// Runs of local days (up to today) whose prices are not fully stored.
fn price_steps(ws: &Workspace, job: &PriceJob, now: i64) -> Result<Vec<Step>> {
    let first = local_day(job.tz, job.from);
    let last = local_day(job.tz, job.to.min(now).max(job.from + 1) - 1);
    let mut missing: Vec<NaiveDate> = Vec::new();
    // One read for the whole range (per-day queries cost ~0.6 ms each on a year of slots).
    let (start, stop) = (
        local_midnight(job.tz, first),
        local_midnight(job.tz, last + Duration::days(1)),
    );
    let slots = ws.store().prices(&job.area, &job.currency, start, stop)?;
    let mut at = 0usize;
    let mut day = first;
    while day <= last {
        let (a, b) = (
            local_midnight(job.tz, day),
            local_midnight(job.tz, day + Duration::days(1)),
        );
        while at < slots.len() && slots[at].end <= a {
            at += 1;
        }
        let held: i64 = slots[at..]
            .iter()
            .take_while(|s| s.start < b)
            .map(|s| s.end.min(b) - s.start.max(a))
            .sum();
        if held < b - a {
            missing.push(day);
        }
        day += Duration::days(1);
    }
    let mut steps: Vec<Step> = Vec::new();
    for day in missing {
        match steps.last_mut() {
            Some(Step::Prices { first, days, .. })
                if *first + Duration::days(i64::from(*days)) == day
                    && i64::from(*days) < PRICE_DAYS =>
            {
                *days += 1
            }
            _ => steps.push(Step::Prices {
                area: job.area.clone(),
                currency: job.currency.clone(),
                first: day,
                days: 1,
            }),
        }
    }
    Ok(steps)
}

fn sdk_level(level: Resolution) -> SdkResolution {
    match level.as_ms() {
        60_000 => SdkResolution::Minute,
        300_000 => SdkResolution::FiveMinutes,
        900_000 => SdkResolution::QuarterHour,
        3_600_000 => SdkResolution::Hour,
        _ => SdkResolution::Day,
    }
}

async fn run_step(ws: &Workspace, site_id: &str, step: Step) -> Result<()> {
    match step {
        Step::History {
            der,
            keys,
            level,
            span,
        } => {
            let range = ts(span.start)?..ts(span.end)?;
            let series = ws
                .novacore(async |c| {
                    c.telemetry()
                        .history(site_id, range, sdk_level(level), der.as_deref())
                        .await
                })
                .await?;
            ingest_history(ws, &series, &keys, level, span)
        }
        Step::Prices {
            area,
            currency,
            first,
            days,
        } => {
            let answer = ws
                .novacore(async |c| c.prices().day_ahead(&area, first, days, &currency).await)
                .await;
            let day_ahead = match answer {
                Ok(d) => d,
                // Not published yet: a gap in the price line, not a failure.
                Err(novacore::Error::NotPublished) => return Ok(()),
                Err(e) => return Err(e.into()),
            };
            let len = day_ahead.slot_length().num_milliseconds().max(60_000);
            let fetched_at = ws.now_ms();
            let slots: Vec<PriceSlot> = day_ahead
                .prices
                .iter()
                .map(|p| PriceSlot {
                    start: p.datetime.timestamp_millis(),
                    end: p.datetime.timestamp_millis() + len,
                    // The wire is per MWh; the store keeps per kWh.
                    price: p.price / 1000.0,
                    fetched_at,
                })
                .collect();
            let stored_as = if day_ahead.currency.is_empty() {
                currency
            } else {
                day_ahead.currency.to_ascii_uppercase()
            };
            ws.store().upsert_prices(&area, &stored_as, &slots)?;
            Ok(())
        }
    }
}

fn ts(ms: i64) -> Result<DateTime<Utc>> {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .ok_or_else(|| Error::InvalidInput(format!("time {ms} is out of range")))
}

/// Stores every drawable field of every DER in the answer, and marks the requested series covered
/// even when the answer had nothing for them (an empty answer proves the range empty).
fn ingest_history(
    ws: &Workspace,
    series: &[novacore::history::Series],
    keys: &[SeriesKey],
    level: Resolution,
    span: Span,
) -> Result<()> {
    let fetched_at = ws.now_ms();
    let mut store = ws.store();
    let mut done: Vec<SeriesKey> = Vec::new();
    for s in series {
        let Some(der_id) = s.der_id.as_deref() else {
            continue;
        };
        let kind = s.kind.as_deref().unwrap_or("");
        let mut fields: Vec<String> = fields_of(if kind == "battery" { "battery" } else { "" })
            .into_iter()
            .map(|f| f.field)
            .collect();
        for k in keys.iter().filter(|k| k.der_id == der_id) {
            if !fields.contains(&k.field) {
                fields.push(k.field.clone());
            }
        }
        for field in fields {
            let buckets: Vec<ServerBucket> = s
                .points
                .iter()
                .filter(|p| {
                    let t = p.ts.timestamp_millis();
                    level.floor(t) == t && t >= span.start && t < span.end
                })
                .filter_map(|p| {
                    let a = p.fields.get(&field)?;
                    let avg = a.avg?;
                    Some(ServerBucket {
                        start: p.ts.timestamp_millis(),
                        count: p.n.unwrap_or(1).max(1),
                        avg,
                        min: a.min.unwrap_or(avg),
                        max: a.max.unwrap_or(avg),
                        last: a.last.unwrap_or(avg),
                    })
                })
                .collect();
            let key = SeriesKey::new(der_id, field);
            store.ingest_buckets(&key, level, span.start, span.end, &buckets, fetched_at)?;
            done.push(key);
        }
    }
    for key in keys.iter().filter(|k| !done.contains(k)) {
        store.mark_covered(key, level, span.start, span.end, fetched_at)?;
    }
    Ok(())
}
