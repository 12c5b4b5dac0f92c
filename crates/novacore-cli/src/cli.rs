//! The command-line grammar (clap derive). Parsing errors exit with status 2.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::timearg::TimeArg;

/// Command line for the Sourceful Novacore energy platform.
#[derive(Debug, Parser)]
#[command(name = "novacore", version, about)]
pub struct Cli {
    /// Environment: sandbox (an in-process emulator, fresh for each command), testnet,
    /// mainnet, or a base URL.
    #[arg(long, global = true, env = "NOVACORE_ENV", default_value = "testnet")]
    pub env: String,
    /// Identity key file (PEM, or a hex/base64/base58 seed). NOVACORE_IDENTITY may hold a file
    /// path or the key itself. Without either, the identity stored in the OS keychain is used.
    #[arg(long, global = true, env = "NOVACORE_IDENTITY", hide_env_values = true)]
    pub identity: Option<String>,
    /// Print JSON instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log in (challenge/verify) and cache the token in the keychain.
    Login,
    /// Show the identity and session in use.
    Whoami,
    /// Manage the local identity key.
    #[command(subcommand)]
    Identity(IdentityCmd),
    /// Organizations.
    #[command(subcommand)]
    Orgs(OrgsCmd),
    /// Members of an organization.
    #[command(subcommand)]
    Members(MembersCmd),
    /// Sites.
    #[command(subcommand)]
    Sites(SitesCmd),
    /// Gateways (Zaps).
    #[command(subcommand)]
    Gateways(GatewaysCmd),
    /// Devices behind gateways.
    #[command(subcommand)]
    Devices(DevicesCmd),
    /// Distributed energy resources of devices.
    #[command(subcommand)]
    Ders(DersCmd),
    /// Live telemetry of a site: one JSON object per line until interrupted.
    Stream(StreamArgs),
    /// Historical telemetry of a site.
    History(HistoryArgs),
    /// Day-ahead spot prices.
    Prices(PricesArgs),
    /// Grid tariffs.
    #[command(subcommand)]
    Tariffs(TariffsCmd),
    /// Electricity cost of a site over a range (spot, grid fees, peaks, fixed fee).
    Cost(CostArgs),
    /// Talk to a Zap gateway on the LAN.
    #[command(subcommand)]
    Zap(ZapCmd),
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

/// `orgs …`
#[derive(Debug, Subcommand)]
pub enum OrgsCmd {
    /// List the organizations you belong to.
    List,
    /// Create an organization.
    Create {
        /// Its name.
        name: String,
    },
    /// Rename an organization.
    Rename {
        /// Organization id.
        id: String,
        /// New name.
        name: String,
    },
    /// Delete an organization.
    Delete {
        /// Organization id.
        id: String,
    },
}

/// `members …`
#[derive(Debug, Subcommand)]
pub enum MembersCmd {
    /// List members.
    List {
        /// Organization id.
        #[arg(long)]
        org: String,
    },
    /// Add an identity to the organization.
    Add {
        /// Organization id.
        #[arg(long)]
        org: String,
        /// Identity id of the new member.
        identity_id: String,
        /// owner, admin, operator or viewer.
        #[arg(long, default_value = "viewer")]
        role: String,
    },
    /// Change a member's role.
    SetRole {
        /// Organization id.
        #[arg(long)]
        org: String,
        /// Identity id of the member.
        identity_id: String,
        /// owner, admin, operator or viewer.
        role: String,
    },
    /// Remove a member.
    Remove {
        /// Organization id.
        #[arg(long)]
        org: String,
        /// Identity id of the member.
        identity_id: String,
    },
}

/// `sites …`
#[derive(Debug, Subcommand)]
pub enum SitesCmd {
    /// List sites (optionally of one organization).
    List {
        /// Organization id.
        #[arg(long)]
        org: Option<String>,
    },
    /// Create a site.
    Create {
        /// Organization id.
        #[arg(long)]
        org: String,
        /// Site name.
        name: String,
        /// Latitude.
        #[arg(long, requires = "lon", allow_negative_numbers = true)]
        lat: Option<f64>,
        /// Longitude.
        #[arg(long, requires = "lat", allow_negative_numbers = true)]
        lon: Option<f64>,
        /// IANA time zone, e.g. Europe/Stockholm.
        #[arg(long)]
        timezone: Option<String>,
        /// Price area, e.g. SE3.
        #[arg(long)]
        price_area: Option<String>,
    },
    /// Rename a site.
    Rename {
        /// Site id.
        id: String,
        /// New name.
        name: String,
    },
    /// Delete a site.
    Delete {
        /// Site id.
        id: String,
    },
    /// List the devices of a site.
    Devices {
        /// Site id.
        id: String,
    },
}

/// `gateways …`
#[derive(Debug, Subcommand)]
pub enum GatewaysCmd {
    /// List the gateways of an organization.
    List {
        /// Organization id.
        #[arg(long)]
        org: String,
    },
    /// Claim a Zap into an organization (the Zap signs your identity id).
    Claim {
        /// The Zap's local URL, e.g. http://192.168.1.50.
        #[arg(long)]
        zap: String,
        /// Organization id.
        #[arg(long)]
        org: String,
    },
    /// Release a gateway.
    Release {
        /// Gateway serial.
        serial: String,
    },
}

/// `devices …`
#[derive(Debug, Subcommand)]
pub enum DevicesCmd {
    /// Provision a device from a JSON spec (validated before sending).
    Provision {
        /// The provision request as JSON.
        #[arg(long)]
        file: PathBuf,
    },
    /// Show a device.
    Get {
        /// Device id.
        id: String,
    },
    /// Rename a device.
    Rename {
        /// Device id.
        id: String,
        /// New name.
        name: String,
    },
    /// Delete a device.
    Delete {
        /// Device id.
        id: String,
    },
}

/// `ders …`
#[derive(Debug, Subcommand)]
pub enum DersCmd {
    /// Add a DER to a device.
    Add {
        /// Device id.
        #[arg(long)]
        device: String,
        /// DER name.
        #[arg(long)]
        name: String,
        /// DER type, e.g. solar, battery, meter.
        #[arg(long = "type")]
        der_type: String,
    },
    /// Show a DER.
    Get {
        /// DER id.
        id: String,
    },
}

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
