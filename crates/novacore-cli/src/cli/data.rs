//! Arguments of the data commands: stream, history, prices, tariffs, cost, zap, identity.

use std::path::PathBuf;

use clap::{Args, Subcommand, ValueEnum};

use crate::timearg::TimeArg;

/// `stream`
#[derive(Debug, Args)]
pub struct StreamArgs {
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Stop after this many readings (default: until interrupted).
    #[arg(long)]
    pub limit: Option<u64>,
}

/// Output format of `history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HistoryFormat {
    /// One row per bucket and field.
    Csv,
    /// The series as JSON.
    Json,
}

/// History bucket width.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ResolutionArg {
    /// 1 minute.
    #[value(name = "1m")]
    Minute,
    /// 5 minutes.
    #[value(name = "5m")]
    FiveMinutes,
    /// 15 minutes.
    #[value(name = "15m")]
    QuarterHour,
    /// 1 hour.
    #[value(name = "1h")]
    Hour,
    /// 1 day.
    #[value(name = "1d")]
    Day,
}

/// `history`
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Start: RFC 3339, epoch ms, or a date (UTC midnight).
    #[arg(long)]
    pub from: TimeArg,
    /// End (exclusive), same forms.
    #[arg(long)]
    pub to: TimeArg,
    /// Bucket width.
    #[arg(long, default_value = "15m")]
    pub resolution: ResolutionArg,
    /// Only this DER.
    #[arg(long)]
    pub der: Option<String>,
    /// Output format (--json implies json).
    #[arg(long, default_value = "csv")]
    pub format: HistoryFormat,
}

/// `prices`
#[derive(Debug, Args)]
pub struct PricesArgs {
    /// Bidding zone, e.g. SE3.
    #[arg(long)]
    pub area: String,
    /// First day (YYYY-MM-DD, the area's local day); default today.
    #[arg(long)]
    pub date: Option<chrono::NaiveDate>,
    /// Number of days.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=10))]
    pub days: u32,
    /// SEK or EUR.
    #[arg(long, default_value = "SEK")]
    pub currency: String,
}

/// `tariffs …`
#[derive(Debug, Subcommand)]
pub enum TariffsCmd {
    /// Tariffs available at a location.
    Lookup {
        /// Latitude.
        #[arg(long, allow_negative_numbers = true)]
        lat: f64,
        /// Longitude.
        #[arg(long, allow_negative_numbers = true)]
        lon: f64,
    },
    /// A tariff in full.
    Show {
        /// Tariff id.
        id: String,
    },
}

/// `cost`
#[derive(Debug, Args)]
pub struct CostArgs {
    /// Site id.
    #[arg(long)]
    pub site: String,
    /// Start: RFC 3339, epoch ms, or a date (midnight in the site's time zone).
    #[arg(long)]
    pub from: TimeArg,
    /// End (exclusive), same forms.
    #[arg(long)]
    pub to: TimeArg,
    /// Grid tariff id (default: the first tariff found at the site's location).
    #[arg(long)]
    pub tariff: Option<String>,
    /// Price area (default: the site's).
    #[arg(long)]
    pub area: Option<String>,
    /// Currency of the spot prices; must match the tariff (SEK for Swedish tariffs).
    #[arg(long, default_value = "SEK")]
    pub currency: String,
    /// Also list the cost of every interval.
    #[arg(long)]
    pub intervals: bool,
}

/// `zap …`
#[derive(Debug, Subcommand)]
pub enum ZapCmd {
    /// System information.
    Info(ZapTarget),
    /// Wi-Fi status.
    Wifi(ZapTarget),
    /// Devices configured on the Zap.
    Devices(ZapTarget),
    /// Have the Zap sign a message with its P-256 key.
    Sign {
        /// The Zap.
        #[command(flatten)]
        target: ZapTarget,
        /// Message to sign (default: the Zap's own identity|nonce|timestamp|serial form).
        #[arg(long)]
        message: Option<String>,
    },
}

/// Which Zap.
#[derive(Debug, Args)]
pub struct ZapTarget {
    /// The Zap's local URL, e.g. http://192.168.1.50.
    #[arg(long)]
    pub zap: String,
}

/// `identity …`
#[derive(Debug, Subcommand)]
pub enum IdentityCmd {
    /// Generate a new Ed25519 identity (into --out FILE, or the keychain).
    New(KeyDestination),
    /// Show the public key of the identity in use.
    Show,
    /// Import a private key (PEM, hex, base64 or base58 seed) from a file or stdin.
    Import {
        /// File holding the key; `-` or absent reads stdin.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Where to store it.
        #[command(flatten)]
        dest: KeyDestination,
    },
}

/// Where a new or imported key goes.
#[derive(Debug, Args)]
pub struct KeyDestination {
    /// Write the key as PKCS#8 PEM to this file (mode 0600) instead of the keychain.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an existing key.
    #[arg(long)]
    pub force: bool,
}
