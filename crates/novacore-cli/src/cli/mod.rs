//! The command-line grammar (clap derive). Parsing errors exit with status 2.

mod data;
mod resources;

pub use data::*;
pub use resources::*;

use clap::{Parser, Subcommand};

/// `0.1.0 (abc1234def)`: the package version and the commit built from (build.rs), as
/// `novadesk --version` prints it.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("NOVACORE_COMMIT"),
    ")"
);

/// Command line for the Sourceful Novacore energy platform.
#[derive(Debug, Parser)]
#[command(name = "novacore", version = VERSION, about)]
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
    /// Commissioning reports signed by a Zap.
    #[command(subcommand)]
    Report(ReportCmd),
}
