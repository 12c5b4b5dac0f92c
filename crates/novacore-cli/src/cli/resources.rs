//! Arguments of the platform resource commands: orgs, members, sites, gateways, devices, DERs.

use std::path::PathBuf;

use clap::Subcommand;

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
