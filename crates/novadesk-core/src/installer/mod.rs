//! The installer's journey on site: find Zaps on the LAN ([`discovery`]: sweep, typed address),
//! check one link by link ([`health`]), claim it into an organization or release it
//! ([`claim`]), provision its field devices and switch their publishing on ([`provision`], its
//! form in [`provision_form`]), then wait for their first reading ([`first_reading`]). Zap calls
//! go to the LAN directly (no Novacore, so no [`crate::Workspace`] needed to find or check a
//! Zap); what the platform knows (who owns a gateway) comes through the workspace and its store
//! ([`gateways`]).

mod claim;
mod discovery;
mod first_reading;
mod gateways;
mod health;
mod links;
mod provision;
mod provision_form;
mod readings;
mod zap;

pub use claim::{claim_zap, release_gateway, ClaimResult};
pub use discovery::{
    inspect_zap, start_sweep, sweep_update, zap_row, SweepRequest, SweepUpdate, ZapRow,
};
pub use first_reading::{
    wait_first_reading, FirstReading, FirstReadingUpdate, FirstReadingWait, FIRST_READING_TIMEOUT,
};
pub use gateways::{cached_gateway_owners, refresh_gateway_owners, GatewayOwner, GatewayOwners};
pub use health::{check_health, HealthChain, HealthLink, LinkKind, LinkStatus};
pub use provision::{
    der_type_choices, provision_device, set_publishing, ProvisionInput, Provisioned,
};
pub use provision_form::{
    provision_form, DerChoice, DeviceTypeChoice, FieldDeviceForm, ProvisionForm, ProvisionedAs,
    SiteChoice,
};
