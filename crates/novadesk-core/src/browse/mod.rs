//! Browsing what the signed-in identity can see: organizations (with your role), an
//! organization's sites, members and gateways, all sites across organizations, a site's devices
//! and DERs (with the latest values the store holds), one device.
//!
//! Every read comes in two halves, store first: `cached_*` answers from the offline store with
//! the time the data was fetched (`None` if it never was), `refresh_*` fetches through the SDK,
//! writes the result through to the store and returns it. Views show the first and then the
//! second; offline, the refresh fails with an offline error and the cached data stays.

mod cache;
mod organizations;
mod rows;
mod sites;

pub use cache::Cached;
pub(crate) use cache::{edit_set, read_one, read_set, write_set};
pub(crate) use organizations::upsert_organization;
pub use organizations::{
    cached_organization, cached_organizations, refresh_organization, refresh_organizations,
    OrganizationDetail,
};
pub use rows::{DerRow, DeviceRow, GatewayRow, LatestValue, MemberRow, OrganizationRow, SiteRow};
pub use sites::{
    cached_device, cached_site, cached_sites, refresh_device, refresh_site, refresh_sites,
    DeviceDetail, SiteDetail,
};
pub(crate) use sites::{keep_site, own_set, sort_sites};

use crate::error::Error;
use crate::workspace::Workspace;

/// Store kinds (the `kind` column) and their parents.
pub(crate) mod kind {
    /// Parent `""`: the identity's organizations.
    pub const ORGANIZATION: &str = "organization";
    /// Parent: organization id.
    pub const MEMBER: &str = "member";
    /// Parent: organization id, or `""` for the all-sites list.
    pub const SITE: &str = "site";
    /// Parent: organization id.
    pub const GATEWAY: &str = "gateway";
    /// Parent: site id.
    pub const DEVICE: &str = "device";
}

/// Passes an SDK result through [`Workspace::observe`] (the offline banner follows reality) and
/// turns refusals into sentences: `action` completes "You may not …" / "… no longer exists".
pub(crate) fn checked<T>(
    ws: &Workspace,
    result: novacore::Result<T>,
    action: &str,
    thing: &str,
) -> crate::Result<T> {
    ws.observe(result).map_err(|e| refusal(e, action, thing))
}

/// The SDK's 403/404 as the app says them; everything else unchanged.
pub(crate) fn refusal(e: novacore::Error, action: &str, thing: &str) -> Error {
    match e {
        novacore::Error::Forbidden { message } => Error::Forbidden(format!(
            "You may not {action}: the server says {}. Ask an owner or admin of the organization.",
            message.trim_end_matches('.')
        )),
        novacore::Error::NotFound { .. } => Error::NotFound(format!(
            "{thing} no longer exists, or you are no longer a member of its organization. Go back and refresh the list."
        )),
        other => Error::Novacore(other),
    }
}
