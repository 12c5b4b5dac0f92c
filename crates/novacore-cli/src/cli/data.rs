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
    /// Find Zaps on the LAN: mDNS browse plus a sweep of /24 networks (yours, or --subnet).
    Discover(DiscoverArgs),
    /// System information.
    Info(ZapTarget),
    /// Wi-Fi status (`zap wifi --zap …`), `scan`, or `set`.
    Wifi(WifiArgs),
    /// Field devices on the Zap (`zap devices --zap …`), `types`, `add`, `remove`, `data`.
    Devices(DevicesArgs),
    /// Switch publishing to Novacore on or off for a field device's DERs.
    Publish {
        /// `on` or `off`.
        state: OnOff,
        /// The Zap.
        #[command(flatten)]
        target: ZapTarget,
        /// The field device (its `sn` on the Zap).
        #[arg(long)]
        sn: String,
        /// Only these DER types (`pv`, `battery`, `meter`, …; repeatable); default all.
        #[arg(long = "der")]
        ders: Vec<String>,
    },
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

/// `on` / `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnOff {
    /// Publish.
    On,
    /// Stop publishing.
    Off,
}

/// `zap discover`.
#[derive(Debug, Args)]
pub struct DiscoverArgs {
    /// Network to sweep, e.g. 192.168.1.0/24 (repeatable; default: this computer's /24s).
    #[arg(long)]
    pub subnet: Vec<String>,
    /// Port of the Zap API.
    #[arg(long, default_value_t = 80)]
    pub port: u16,
    /// Seconds to listen for mDNS announcements (the sweep runs meanwhile).
    #[arg(long, default_value_t = 3.0)]
    pub timeout: f64,
    /// Per-host timeout of the sweep, ms.
    #[arg(long, default_value_t = 1000)]
    pub probe_timeout_ms: u64,
    /// Skip the mDNS browse.
    #[arg(long)]
    pub no_mdns: bool,
    /// Skip the sweep.
    #[arg(long)]
    pub no_sweep: bool,
    /// Browse mDNS on the loopback interface only (the sandbox).
    #[arg(long)]
    pub mdns_loopback: bool,
}

/// `zap wifi`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct WifiArgs {
    /// What to do (default: show the status).
    #[command(subcommand)]
    pub cmd: Option<WifiCmd>,
    /// The Zap's address (for the status).
    #[arg(long)]
    pub zap: Option<String>,
}

/// `zap wifi …`
#[derive(Debug, Subcommand)]
pub enum WifiCmd {
    /// Scan and list networks, strongest first.
    Scan {
        /// The Zap.
        #[command(flatten)]
        target: ZapTarget,
        /// Seconds to let the scan run.
        #[arg(long, default_value_t = 2.0)]
        settle: f64,
    },
    /// Join a network; the passphrase comes from NOVACORE_WIFI_PSK or, with --psk-stdin, stdin
    /// (never from the command line). Waits for the Zap to come back and reports the result.
    Set {
        /// The Zap.
        #[command(flatten)]
        target: ZapTarget,
        /// Network name.
        #[arg(long)]
        ssid: String,
        /// Read the passphrase from the first line of stdin.
        #[arg(long)]
        psk_stdin: bool,
        /// Seconds to wait for the Zap to come back.
        #[arg(long, default_value_t = 30.0)]
        wait: f64,
    },
}

/// `zap devices`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DevicesArgs {
    /// What to do (default: list).
    #[command(subcommand)]
    pub cmd: Option<ZapDevicesCmd>,
    /// The Zap's address (for the list).
    #[arg(long)]
    pub zap: Option<String>,
}

/// `zap devices …`
#[derive(Debug, Subcommand)]
pub enum ZapDevicesCmd {
    /// Connection types and their parameters.
    Types(ZapTarget),
    /// Add a field device: `--type modbus_tcp ip=192.168.1.60 profile=sungrow` (checked against
    /// the Zap's parameter list before sending).
    Add {
        /// The Zap.
        #[command(flatten)]
        target: ZapTarget,
        /// Connection type.
        #[arg(long = "type")]
        conn_type: String,
        /// Parameters as KEY=VALUE.
        params: Vec<String>,
    },
    /// Remove a field device.
    Remove {
        /// The Zap.
        #[command(flatten)]
        target: ZapTarget,
        /// Its `sn`.
        sn: String,
    },
    /// The device's latest data snapshot.
    Data {
        /// The Zap.
        #[command(flatten)]
        target: ZapTarget,
        /// Its `sn`.
        sn: String,
    },
}

/// Which Zap.
#[derive(Debug, Args)]
pub struct ZapTarget {
    /// The Zap's address: 192.168.1.50, host:port or http://… .
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

/// `report …`
#[derive(Debug, Subcommand)]
pub enum ReportCmd {
    /// Verify a commissioning report: its digest, the Zap's signature, and (signed in, online)
    /// that the platform holds the report's key for its gateway. Exit status 1 when a check fails.
    Verify {
        /// The report's JSON file.
        file: PathBuf,
        /// Do not ask the platform (check the file and its signature only).
        #[arg(long)]
        offline: bool,
    },
}
