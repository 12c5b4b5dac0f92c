//! What to draw: the input model of a chart.
//!
//! Points are **buckets** (`ts`, `min`, `max`, `avg`) so the store's rollups go in unchanged; raw
//! samples are buckets with `min == max == avg` ([`Bucket::sample`]). A bucket is *missing* when
//! any of its three values is not finite (NaN/±inf) — it breaks the line like a hole in time does.
//! All values are in the platform's units (W, Wh, fraction); the chart converts them for display.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;

/// Light or dark colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    /// Dark text on a white background.
    #[default]
    Light,
    /// Light text on a near-black background.
    Dark,
}

/// What a series measures; decides the display unit of the value axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeriesKind {
    /// Power in W, shown in kW.
    Power,
    /// State of charge as a fraction 0..1, shown in %.
    StateOfCharge,
    /// Energy per interval in Wh, shown in kWh.
    Energy,
}

impl SeriesKind {
    /// Factor from the platform unit to the display unit.
    pub fn display_factor(self) -> f64 {
        match self {
            SeriesKind::Power | SeriesKind::Energy => 1e-3,
            SeriesKind::StateOfCharge => 100.0,
        }
    }

    /// Display unit label ("kW", "%", "kWh").
    pub fn display_unit(self) -> &'static str {
        match self {
            SeriesKind::Power => "kW",
            SeriesKind::StateOfCharge => "%",
            SeriesKind::Energy => "kWh",
        }
    }

    /// Name used in axis captions and errors.
    pub fn name(self) -> &'static str {
        match self {
            SeriesKind::Power => "power",
            SeriesKind::StateOfCharge => "state of charge",
            SeriesKind::Energy => "energy",
        }
    }
}

/// One time bucket of a series (start time + min/max/avg of the values inside it).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    /// Start of the bucket (or the sample time for raw samples).
    pub ts: DateTime<Utc>,
    /// Smallest value in the bucket.
    pub min: f64,
    /// Largest value in the bucket.
    pub max: f64,
    /// Mean value of the bucket (the drawn line).
    pub avg: f64,
}

impl Bucket {
    /// A raw sample: `min == max == avg == value`.
    pub fn sample(ts: DateTime<Utc>, value: f64) -> Self {
        Bucket {
            ts,
            min: value,
            max: value,
            avg: value,
        }
    }

    /// A bucket explicitly marked missing (all NaN).
    pub fn missing(ts: DateTime<Utc>) -> Self {
        Bucket {
            ts,
            min: f64::NAN,
            max: f64::NAN,
            avg: f64::NAN,
        }
    }

    /// True when the bucket holds a usable value (all three finite).
    pub fn is_present(&self) -> bool {
        self.min.is_finite() && self.max.is_finite() && self.avg.is_finite()
    }
}

/// One telemetry series.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend text, e.g. "Grid".
    pub label: String,
    /// What it measures.
    pub kind: SeriesKind,
    /// Expected spacing of points (the bucket width or sample period). Two present points further
    /// apart than 1.5 × step are never joined: the hole is drawn as a gap.
    pub step: Duration,
    /// Points in strictly increasing `ts` order.
    pub points: Vec<Bucket>,
}

/// How the price unit is expressed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnergyUnit {
    /// Price per kWh (e.g. "SEK/kWh").
    KWh,
    /// Price per MWh (e.g. "EUR/MWh").
    MWh,
}

/// One spot price slot `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriceSlot {
    /// Slot start.
    pub start: DateTime<Utc>,
    /// Slot end (exclusive).
    pub end: DateTime<Utc>,
    /// Price in `currency` per `unit`; a non-finite price is drawn as a gap.
    pub price: f64,
}

/// Spot prices drawn on the right axis as a step line.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceSeries {
    /// Currency code shown on the axis ("SEK", "EUR").
    pub currency: String,
    /// Energy unit the price refers to.
    pub unit: EnergyUnit,
    /// Slots sorted by start, not overlapping.
    pub slots: Vec<PriceSlot>,
}

impl PriceSeries {
    /// Axis caption such as "SEK/kWh".
    pub fn unit_label(&self) -> String {
        let unit = match self.unit {
            EnergyUnit::KWh => "kWh",
            EnergyUnit::MWh => "MWh",
        };
        format!("{}/{}", self.currency, unit)
    }
}

/// A time range `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeRange {
    /// Inclusive start.
    pub start: DateTime<Utc>,
    /// Exclusive end.
    pub end: DateTime<Utc>,
}

/// Cost (or revenue, negative) of one interval, e.g. energy × price.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CostSlot {
    /// Interval start.
    pub start: DateTime<Utc>,
    /// Interval end (exclusive).
    pub end: DateTime<Utc>,
    /// Amount in the overlay's currency; negative = revenue. Non-finite = unknown (not drawn).
    pub amount: f64,
}

/// Cost-per-interval overlay, drawn as bars in a panel under the main plot.
#[derive(Debug, Clone, PartialEq)]
pub struct CostOverlay {
    /// Currency code ("SEK").
    pub currency: String,
    /// Intervals sorted by start, not overlapping.
    pub slots: Vec<CostSlot>,
}

/// A marked point such as one of the month's power peaks.
#[derive(Debug, Clone, PartialEq)]
pub struct PeakMarker {
    /// When the peak happened.
    pub ts: DateTime<Utc>,
    /// Value in the platform unit of the chart's series kind (W for power).
    pub value: f64,
    /// Short text drawn beside the marker, e.g. "Peak 1".
    pub label: String,
}

/// Everything needed to draw one chart. `render_svg` and `render_png` draw the same picture.
#[derive(Debug, Clone, PartialEq)]
pub struct ChartSpec {
    /// Image width in pixels.
    pub width: u32,
    /// Image height in pixels.
    pub height: u32,
    /// Colours.
    pub theme: Theme,
    /// The site's time zone: tick positions and labels are local.
    pub time_zone: Tz,
    /// Start of the shown range (inclusive).
    pub from: DateTime<Utc>,
    /// End of the shown range (exclusive).
    pub to: DateTime<Utc>,
    /// Optional title above the legend.
    pub title: Option<String>,
    /// Telemetry series; all must share one [`SeriesKind`].
    pub series: Vec<Series>,
    /// Spot prices on the right axis.
    pub prices: Option<PriceSeries>,
    /// Ranges not in the local cache, shaded.
    pub missing: Vec<TimeRange>,
    /// Cost-per-interval panel.
    pub cost: Option<CostOverlay>,
    /// Marked peaks.
    pub peaks: Vec<PeakMarker>,
    /// Reduce every series to at most a few points per pixel column (default true). Turning it off
    /// draws every point — only useful to measure what downsampling saves.
    pub downsample: bool,
    /// Embed the bundled font in the SVG (`@font-face`, about 1 MB) so viewers without DejaVu
    /// Sans show the exact same text; off by default (the SVG then names the family only).
    /// PNG output always uses the bundled font.
    pub embed_font_in_svg: bool,
}

impl ChartSpec {
    /// A spec with no data, 1,600 × 600 px, light theme, downsampling on.
    pub fn new(time_zone: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Self {
        ChartSpec {
            width: 1600,
            height: 600,
            theme: Theme::Light,
            time_zone,
            from,
            to,
            title: None,
            series: Vec::new(),
            prices: None,
            missing: Vec::new(),
            cost: None,
            peaks: Vec::new(),
            downsample: true,
            embed_font_in_svg: false,
        }
    }
}
