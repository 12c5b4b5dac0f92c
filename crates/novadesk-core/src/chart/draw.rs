//! Rendering a site chart: fetch what is missing, then read everything from the store and draw it
//! with `novadesk-charts`, with the cost summary and its peaks.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

use novadesk_charts::{
    plot_columns, Bucket as ChartBucket, ChartSpec, EnergyUnit, PriceSeries,
    PriceSlot as ChartPriceSlot, Series, SeriesKind, Theme, TimeRange,
};
use novadesk_store::{Bucket, PriceSlot, SeriesKey, Span};

use super::cancel::CancelToken;
use super::cost::{cost_for, cost_level, cost_span, peak_markers};
use super::fetch::{fetch_missing, HistoryJob, PriceJob};
use super::range::{resolve_range, ResolvedRange};
use super::site::{cached_site_info, chart_prefs, der_label, fields_of, ChartPrefs, SiteInfo};
use super::{ChartOutput, ChartRequest, Progress, SeriesChoice};
use crate::error::{Error, Result};
use crate::workspace::Workspace;

/// One drawn column of data.
#[derive(Debug, Clone)]
pub(crate) struct Column {
    pub label: String,
    pub field: String,
    pub unit: String,
    pub buckets: Vec<Bucket>,
}

/// Everything drawn, read from the store (no network).
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub spec: ChartSpec,
    pub tz: Tz,
    pub columns: Vec<Column>,
    pub prices: Vec<PriceSlot>,
    pub currency: String,
    pub range: ResolvedRange,
    pub series: Vec<SeriesChoice>,
    pub missing: Vec<Span>,
    pub cached_at: Option<i64>,
}

fn ms_to_dt(ms: i64) -> DateTime<Utc> {
    DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default()
}

fn kind_of(field: &str) -> SeriesKind {
    if field.ends_with("_fract") {
        SeriesKind::StateOfCharge
    } else if field.ends_with("Wh") {
        SeriesKind::Energy
    } else {
        SeriesKind::Power
    }
}

/// The series to draw: the request's (checked against the site), else the grid meter's power, else
/// every DER's power.
pub(crate) fn choose_series(site: &SiteInfo, asked: &[SeriesChoice]) -> Result<Vec<SeriesChoice>> {
    if asked.is_empty() {
        let ders: Vec<_> = match site.meter() {
            Some(m) => vec![m],
            None => site.ders.iter().collect(),
        };
        return Ok(ders
            .into_iter()
            .map(|d| SeriesChoice {
                der_id: d.id.clone(),
                field: "W".into(),
            })
            .collect());
    }
    let mut kinds = Vec::new();
    for s in asked {
        let der = site.der(&s.der_id).ok_or_else(|| {
            Error::InvalidInput(format!(
                "This site has no DER {}; choose one from the list.",
                s.der_id
            ))
        })?;
        if !fields_of(&der.der_type).iter().any(|f| f.field == s.field) {
            return Err(Error::InvalidInput(format!(
                "{} does not report {}; choose another field.",
                der_label(der),
                s.field
            )));
        }
        kinds.push(kind_of(&s.field));
    }
    if kinds.windows(2).any(|w| w[0] != w[1]) {
        return Err(Error::InvalidInput(
            "Power and state of charge cannot share one chart; choose fields of one kind.".into(),
        ));
    }
    Ok(asked.to_vec())
}

fn base_spec(req: &ChartRequest, tz: Tz) -> ChartSpec {
    let mut spec = ChartSpec::new(tz, ms_to_dt(0), ms_to_dt(1));
    spec.width = req.width;
    spec.height = req.height;
    spec.theme = if req.dark { Theme::Dark } else { Theme::Light };
    // With a price axis the plot is narrower; the resolution follows the real plot width.
    spec.prices = Some(PriceSeries {
        currency: String::new(),
        unit: EnergyUnit::KWh,
        slots: Vec::new(),
    });
    spec
}

/// Draws the site chart, fetching what the store lacks first (progress, cancel).
pub async fn render_chart(
    ws: &Workspace,
    req: &ChartRequest,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &CancelToken,
) -> Result<ChartOutput> {
    Ok(build(ws, req, progress, cancel).await?.0)
}

/// [`render_chart`], also handing back what was drawn (for export).
pub(crate) async fn build(
    ws: &Workspace,
    req: &ChartRequest,
    progress: &(dyn Fn(Progress) + Send + Sync),
    cancel: &CancelToken,
) -> Result<(ChartOutput, Prepared)> {
    let site = cached_site_info(ws, &req.site_id).await?;
    let prefs = chart_prefs(ws, &site)?;
    let tz = site.tz();
    let series = choose_series(&site, &req.series)?;
    let spec = base_spec(req, tz);
    let (w, h) = (req.width, req.height);
    if w < novadesk_charts::MIN_WIDTH
        || h < novadesk_charts::MIN_HEIGHT
        || w > novadesk_charts::MAX_SIDE
        || h > novadesk_charts::MAX_SIDE
    {
        return Err(Error::InvalidInput(format!(
            "A chart of {w}x{h} px cannot be drawn; it needs at least {}x{} px and at most {} px a side.",
            novadesk_charts::MIN_WIDTH,
            novadesk_charts::MIN_HEIGHT,
            novadesk_charts::MAX_SIDE
        )));
    }
    let now = ws.now_ms();
    let range = resolve_range(
        req.preset,
        (req.from_ms, req.to_ms),
        tz,
        now,
        plot_columns(&spec),
    )?;
    let meter_key = site.meter().map(|m| SeriesKey::new(&m.id, "W"));
    let span = cost_span(tz, range.from, range.to, now);
    let level = cost_level(range.from, range.to);

    let mut history = vec![HistoryJob {
        der: None,
        keys: series
            .iter()
            .map(|s| SeriesKey::new(&s.der_id, &s.field))
            .collect(),
        level: range.fetch_level,
        from: range.from,
        to: range.to,
    }];
    if let Some(key) = &meter_key {
        history.push(HistoryJob {
            der: Some(key.der_id.clone()),
            keys: vec![key.clone()],
            level,
            from: span.0,
            to: span.1,
        });
    }
    let prices = PriceJob {
        area: prefs.price_area.clone(),
        currency: prefs.currency.clone(),
        tz,
        from: range.from,
        to: range.to,
    };
    let outcome =
        fetch_missing(ws, &req.site_id, &history, Some(&prices), progress, cancel).await?;
    let mut requests = outcome.requests;

    let mut prepared = prepare(ws, req, &site, &prefs, &series, range)?;
    let (summary, summary_note) = match &meter_key {
        None => (
            None,
            Some("This site has no grid meter, so there is no cost summary.".to_string()),
        ),
        Some(key) => {
            cost_for(
                ws,
                &site,
                &prefs,
                key,
                level,
                span,
                range,
                outcome.offline,
                &mut requests,
            )
            .await?
        }
    };
    if let Some(s) = &summary {
        if prepared.spec.series.first().map(|x| x.kind) == Some(SeriesKind::Power) {
            prepared.spec.peaks = peak_markers(s, range.from, range.to);
        }
    }
    let svg = novadesk_charts::render_svg(&prepared.spec)?;
    let output = ChartOutput {
        svg,
        from_ms: range.from,
        to_ms: range.to,
        resolution_ms: range.chart_res.as_ms(),
        series: prepared.series.clone(),
        summary,
        summary_note,
        missing: prepared.missing.clone(),
        cached_at: prepared.cached_at,
        offline: outcome.offline,
        fetch_note: outcome.note,
        network_requests: requests,
    };
    Ok((output, prepared))
}

/// Reads the chart's data from the store and builds its spec (no network).
pub(crate) fn prepare(
    ws: &Workspace,
    req: &ChartRequest,
    site: &SiteInfo,
    prefs: &ChartPrefs,
    series: &[SeriesChoice],
    range: ResolvedRange,
) -> Result<Prepared> {
    let tz = site.tz();
    let now = ws.now_ms();
    let mut spec = base_spec(req, tz);
    spec.from = ms_to_dt(range.from);
    spec.to = ms_to_dt(range.to);
    let store = ws.store();
    let mut columns = Vec::new();
    let mut missing: Vec<Span> = Vec::new();
    let mut cached_at: Option<i64> = None;
    let known_to = range.to.min(range.fetch_level.floor(now));
    for s in series {
        let key = SeriesKey::new(&s.der_id, &s.field);
        let buckets = store.range(&key, range.from, range.to, range.chart_res)?;
        let der = site.der(&s.der_id);
        let name = der.map(der_label).unwrap_or_else(|| s.der_id.clone());
        let kind = kind_of(&s.field);
        spec.series.push(Series {
            label: name.clone(),
            kind,
            step: Duration::milliseconds(range.chart_res.as_ms()),
            points: buckets
                .iter()
                .map(|b| ChartBucket {
                    ts: ms_to_dt(b.start),
                    min: b.min,
                    max: b.max,
                    avg: b.avg,
                })
                .collect(),
        });
        if known_to > range.from {
            let cov = store.coverage(&key, range.from, known_to, range.fetch_level)?;
            missing.extend(cov.gaps);
            for c in cov.covered {
                cached_at = Some(cached_at.map_or(c.fetched_at, |a| a.min(c.fetched_at)));
            }
        }
        let unit = fields_of(der.map_or("", |d| d.der_type.as_str()))
            .into_iter()
            .find(|f| f.field == s.field)
            .map_or_else(|| "W".to_string(), |f| f.unit);
        columns.push(Column {
            label: name,
            field: s.field.clone(),
            unit,
            buckets,
        });
    }
    missing.sort_by_key(|m| m.start);
    let prices = store.prices(&prefs.price_area, &prefs.currency, range.from, range.to)?;
    spec.prices = Some(PriceSeries {
        currency: prefs.currency.clone(),
        unit: EnergyUnit::KWh,
        slots: prices
            .iter()
            .map(|p| ChartPriceSlot {
                start: ms_to_dt(p.start),
                end: ms_to_dt(p.end),
                price: p.price,
            })
            .collect(),
    });
    spec.missing = missing
        .iter()
        .map(|m| TimeRange {
            start: ms_to_dt(m.start),
            end: ms_to_dt(m.end),
        })
        .collect();
    Ok(Prepared {
        spec,
        tz,
        columns,
        prices,
        currency: prefs.currency.clone(),
        range,
        series: series.to_vec(),
        missing,
        cached_at,
    })
}
