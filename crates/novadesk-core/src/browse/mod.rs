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
pub(crate) use cache::{edit_set, read_one, read_set, read_sets, write_set};
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
pub(crate) use sites::{
    cached_site_rows, keep_site, own_set, refresh_site_rows, sort_sites, SiteRows,
};

use crate::error::Error;

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

/// The SDK's 403/404 as the app says them, for `.map_err` on a [`crate::Workspace::novacore`] call's
/// result: `action` completes "You may not …", `thing` starts "… no longer exists". Everything
/// else unchanged.
pub(crate) fn refusal<'a>(
    action: &'a str,
    thing: &'a str,
) -> impl FnOnce(novacore::Error) -> Error + 'a {
    move |e| {
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
}
