//! Every site at a glance: the Fleet view over every site the identity can see, across
//! organizations.
//!
//! - [`fleet_rows`] reads the whole fleet from the offline store — browse's cached site list,
//!   devices and gateways, the newest stored reading of each DER, and through the chart's cost
//!   calculation today's energy and cost and the month's peak — sorted with problems first. It
//!   reads the store per kind for the whole fleet in a few queries ([`FleetReads`]).
//! - [`refresh_fleet`] fetches what the store lacks (the site list, each organization's gateways,
//!   devices, tariffs, today's prices and the month's meter history), one request at a time.
//! - [`run_fleet`] keeps it live: one live stream per site through the [`LiveHub`](crate::live::LiveHub)
//!   (readings land in the store), the rows recomputed from the store every few seconds, and
//!   the [`SilenceTracker`] deciding when a silence incident starts and clears.

mod energy;
mod incidents;
mod inputs;
mod monitor;
mod refresh;
mod rows;
mod state;

pub use energy::{MonthPeak, TodayEnergy};
pub use incidents::{IncidentChange, Observation, SilenceIncident, SilenceTracker};
pub use inputs::FleetReads;
pub use monitor::{run_fleet, FleetUpdate, FLEET_TICK};
pub use refresh::{refresh_fleet, FleetRefreshed};
pub use rows::{fleet_rows, fleet_rows_with, FleetRow, FleetRows};
pub use state::{classify, GatewaysSeen, SiteState, LIVE_WITHIN_MS};
