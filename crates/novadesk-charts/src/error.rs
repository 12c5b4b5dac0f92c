//! The one error type of this crate.

/// Everything that can go wrong while turning a [`crate::ChartSpec`] into an image.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Width or height is zero or too small to hold axes and a plot.
    #[error("chart size {width}x{height} px is too small (minimum {min_width}x{min_height})")]
    InvalidSize {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
        /// Smallest accepted width.
        min_width: u32,
        /// Smallest accepted height.
        min_height: u32,
    },
    /// Width or height above the largest accepted size (memory guard for PNG).
    #[error("chart size {width}x{height} px is too large (maximum {max} px per side)")]
    TooLarge {
        /// Requested width in pixels.
        width: u32,
        /// Requested height in pixels.
        height: u32,
        /// Largest accepted side.
        max: u32,
    },
    /// The time range is empty or reversed.
    #[error("time range is empty: `from` ({from}) must be before `to` ({to})")]
    EmptyRange {
        /// Start of the range (RFC 3339).
        from: String,
        /// End of the range (RFC 3339).
        to: String,
    },
    /// A series' points are not in strictly increasing time order.
    #[error("series `{series}`: points must be strictly increasing in time (index {index})")]
    UnsortedPoints {
        /// Label of the offending series.
        series: String,
        /// Index of the first point not after its predecessor.
        index: usize,
    },
    /// A series declares a non-positive step.
    #[error("series `{series}`: step must be positive")]
    InvalidStep {
        /// Label of the offending series.
        series: String,
    },
    /// Series of different kinds (e.g. power and SoC) share the one value axis.
    #[error("series `{series}` is {found} but the value axis shows {expected}; render one chart per kind")]
    MixedKinds {
        /// Label of the offending series.
        series: String,
        /// Kind of the first series (the axis kind).
        expected: &'static str,
        /// Kind of the offending series.
        found: &'static str,
    },
    /// A price, cost or missing-range slot ends before it starts, or slots overlap / are unsorted.
    #[error("{what} slot {index} is invalid: {reason}")]
    InvalidSlot {
        /// Which list ("price", "cost", "missing range").
        what: &'static str,
        /// Index of the offending slot.
        index: usize,
        /// Why it was rejected.
        reason: &'static str,
    },
    /// A peak marker has a non-finite value.
    #[error("peak marker {index} (`{label}`) has no finite value")]
    InvalidPeak {
        /// Index of the offending marker.
        index: usize,
        /// Its label.
        label: String,
    },
    /// A value too large in magnitude to place on an axis (beyond ±1e300).
    #[error("{what} {index} has a value beyond ±1e300, which no axis can show")]
    ValueOutOfRange {
        /// `series point`, `price slot`, `cost slot` or `peak marker`.
        what: &'static str,
        /// Index of the offending item.
        index: usize,
    },
    /// The bundled font could not be loaded (a corrupted build).
    #[error("bundled font could not be loaded")]
    Font,
    /// The drawing backend failed (plotters error, text layout, …).
    #[error("drawing failed: {0}")]
    Drawing(String),
    /// Encoding the bitmap as PNG failed.
    #[error("PNG encoding failed: {0}")]
    PngEncoding(String),
}

/// Result alias of this crate.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// Wraps any plotters drawing error (they are generic over the backend's error type).
    pub(crate) fn drawing(e: impl std::fmt::Display) -> Self {
        Error::Drawing(e.to_string())
    }
}
