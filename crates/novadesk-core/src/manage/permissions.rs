//! What a role in an organization lets you do, with the reason when it does not. Mirrors the
//! platform's rules (reference §3.1, as the Sandbox enforces them): owner ⊇ admin ⊇ operator ⊇
//! viewer; organization and member changes need admin, owner grants and deleting the
//! organization need owner; site, device and DER changes need admin. The server still decides:
//! a refusal it sends is shown as a sentence too.

use novacore::models::Role;
use serde::Serialize;

/// One action: allowed, or not with the reason to show beside the disabled control.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "AllowedItem")
)]
pub struct Allowed {
    pub allowed: bool,
    pub reason: Option<String>,
}

impl Allowed {
    fn yes() -> Self {
        Self {
            allowed: true,
            reason: None,
        }
    }

    fn no(reason: &str) -> Self {
        Self {
            allowed: false,
            reason: Some(reason.to_string()),
        }
    }
}

/// Everything the browsing views may offer in one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(
    feature = "specta",
    derive(specta::Type),
    serde(rename = "PermissionsItem")
)]
pub struct Permissions {
    /// Your role (`None`: not a member, or not known while offline).
    pub role: Option<String>,
    pub rename_organization: Allowed,
    pub delete_organization: Allowed,
    /// Add members, change roles below owner, remove members.
    pub manage_members: Allowed,
    /// Make someone an owner, or change or remove an owner.
    pub manage_owners: Allowed,
    /// Create, rename and delete sites.
    pub manage_sites: Allowed,
    /// Rename and delete devices, add DERs.
    pub manage_devices: Allowed,
}

/// Rank in the hierarchy; roles the app does not know get no rights beyond reading.
fn rank(role: &Role) -> u8 {
    match role {
        Role::Owner => 3,
        Role::Admin => 2,
        Role::Operator => 1,
        Role::Viewer | Role::Other(_) => 0,
    }
}

impl Permissions {
    /// The permissions of `role` (as the platform spells it), or of a non-member for `None`.
    pub fn for_role(role: Option<&str>) -> Self {
        let Some(name) = role else {
            let no = Allowed::no(
                "Your role in this organization is not known. Refresh when online, or ask an owner to add you.",
            );
            return Self {
                role: None,
                rename_organization: no.clone(),
                delete_organization: no.clone(),
                manage_members: no.clone(),
                manage_owners: no.clone(),
                manage_sites: no.clone(),
                manage_devices: no,
            };
        };
        let r = rank(&Role::from(name));
        let admin = |reason: &str| {
            if r >= 2 {
                Allowed::yes()
            } else {
                Allowed::no(reason)
            }
        };
        let owner = |reason: &str| {
            if r >= 3 {
                Allowed::yes()
            } else {
                Allowed::no(reason)
            }
        };
        Self {
            role: Some(name.to_string()),
            rename_organization: admin("Only owners and admins can rename an organization."),
            delete_organization: owner("Only owners can delete an organization."),
            manage_members: admin("Only owners and admins can add, re-role or remove members."),
            manage_owners: owner("Only owners can make someone an owner or change an owner."),
            manage_sites: admin("Only owners and admins can create, rename or delete sites."),
            manage_devices: admin(
                "Only owners and admins can rename or delete devices and add DERs.",
            ),
        }
    }

    /// Whether you may claim gateways into this organization or release them from it (admin,
    /// as the platform requires).
    pub fn manage_gateways(&self) -> Allowed {
        match self.role.as_deref() {
            None => self.manage_sites.clone(),
            Some(name) if rank(&Role::from(name)) >= 2 => Allowed::yes(),
            Some(_) => Allowed::no("Only owners and admins can claim or release gateways."),
        }
    }

    /// Whether you may provision devices to this organization's sites (admin, as the platform
    /// requires).
    pub fn provision_devices(&self) -> Allowed {
        match self.role.as_deref() {
            None => self.manage_sites.clone(),
            Some(name) if rank(&Role::from(name)) >= 2 => Allowed::yes(),
            Some(_) => Allowed::no("Only owners and admins can provision devices to a site."),
        }
    }

    /// Whether you may change a member whose role is `from` to `to` (`None`: remove them).
    /// Leaving yourself is always allowed by the rules (the last owner aside, which the server
    /// refuses with a conflict).
    pub fn change_member(&self, from: &str, to: Option<&str>, is_you: bool) -> Allowed {
        if is_you && to.is_none() {
            return Allowed::yes();
        }
        if !self.manage_members.allowed {
            return self.manage_members.clone();
        }
        let owner_involved =
            Role::from(from) == Role::Owner || to.map(Role::from) == Some(Role::Owner);
        if owner_involved && !self.manage_owners.allowed {
            return self.manage_owners.clone();
        }
        Allowed::yes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_nest_owner_over_admin_over_operator_over_viewer() {
        let owner = Permissions::for_role(Some("owner"));
        assert!(owner.delete_organization.allowed && owner.manage_owners.allowed);
        assert!(owner.manage_sites.allowed && owner.manage_members.allowed);

        let admin = Permissions::for_role(Some("admin"));
        assert!(admin.rename_organization.allowed && admin.manage_sites.allowed);
        assert!(admin.manage_devices.allowed && admin.manage_members.allowed);
        assert_eq!(
            admin.delete_organization.reason.as_deref(),
            Some("Only owners can delete an organization.")
        );
        assert!(!admin.manage_owners.allowed);

        for role in ["operator", "viewer", "billing"] {
            let p = Permissions::for_role(Some(role));
            for a in [
                &p.rename_organization,
                &p.delete_organization,
                &p.manage_members,
                &p.manage_sites,
                &p.manage_devices,
            ] {
                assert!(!a.allowed, "{role}: {a:?}");
                assert!(a.reason.as_deref().is_some_and(|r| r.starts_with("Only ")));
            }
        }
        let none = Permissions::for_role(None);
        assert!(!none.manage_sites.allowed && none.role.is_none());
    }

    #[test]
    fn member_changes_involving_an_owner_need_an_owner() {
        let admin = Permissions::for_role(Some("admin"));
        assert!(
            admin
                .change_member("viewer", Some("operator"), false)
                .allowed
        );
        assert!(!admin.change_member("viewer", Some("owner"), false).allowed);
        assert!(!admin.change_member("owner", Some("admin"), false).allowed);
        assert!(!admin.change_member("owner", None, false).allowed);
        let owner = Permissions::for_role(Some("owner"));
        assert!(owner.change_member("owner", Some("admin"), false).allowed);
        let viewer = Permissions::for_role(Some("viewer"));
        assert!(
            !viewer
                .change_member("viewer", Some("operator"), false)
                .allowed
        );
        assert!(
            viewer.change_member("viewer", None, true).allowed,
            "leaving"
        );
    }
}
