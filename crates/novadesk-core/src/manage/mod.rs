//! Managing what the signed-in identity may change: organizations, members and roles, sites,
//! devices and DERs. Input is checked before anything is sent; each change, once the server
//! accepted it, is written to the offline store so the views show it at once. [`Permissions`]
//! says which actions your role allows (the UI hides or disables the rest with the reason).

mod devices;
mod organizations;
mod permissions;
mod sites;

pub use devices::{add_der, delete_device, rename_device};
pub use organizations::{
    add_member, create_organization, delete_organization, remove_member, rename_organization,
    set_member_role,
};
pub use permissions::{Allowed, Permissions};
pub(crate) use sites::forget_site;
pub use sites::{create_site, delete_site, rename_site, NewSiteInput};

use novacore::models::Role;

use crate::error::{Error, Result};

/// A display name as the platform takes it: trimmed, 1–200 characters.
pub(crate) fn checked_name(what: &str, name: &str) -> Result<String> {
    let t = name.trim();
    if t.is_empty() {
        return Err(Error::InvalidInput(format!("Enter a name for the {what}.")));
    }
    if t.chars().count() > 200 {
        return Err(Error::InvalidInput(format!(
            "The {what}'s name is too long: use at most 200 characters."
        )));
    }
    if t.chars().any(char::is_control) {
        return Err(Error::InvalidInput(format!(
            "The {what}'s name has a control character (a line break, tab or similar): type it on one line."
        )));
    }
    Ok(t.to_string())
}

/// One of the four roles.
pub(crate) fn checked_role(role: &str) -> Result<Role> {
    match Role::from(role.trim()) {
        // Quoted only when short: the field may hold anything pasted.
        Role::Other(_) if role.len() <= 32 && !role.chars().any(char::is_control) => {
            Err(Error::InvalidInput(format!(
                "\"{role}\" is not a role: choose owner, admin, operator or viewer."
            )))
        }
        Role::Other(_) => Err(Error::InvalidInput(
            "That is not a role: choose owner, admin, operator or viewer.".into(),
        )),
        known => Ok(known),
    }
}

/// An identity id: 1–128 characters, no spaces.
pub(crate) fn checked_identity(id: &str) -> Result<String> {
    let t = id.trim();
    if t.len() > 128 || crate::input::id("identity", t).is_err() {
        return Err(Error::InvalidInput(
            "Enter the identity id to add (like idt-…), without spaces; the person finds it in their Identity view."
                .into(),
        ));
    }
    Ok(t.to_string())
}

/// An id passed in by the window (organization, site, device): never empty.
pub(crate) fn checked_id(what: &str, id: &str) -> Result<()> {
    if id.trim().is_empty() {
        return Err(Error::InvalidInput(format!("No {what} was given.")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_checked_with_sentences() {
        assert_eq!(checked_name("site", "  Home ").unwrap(), "Home");
        assert!(
            matches!(checked_name("site", "   "), Err(Error::InvalidInput(m)) if m.contains("Enter a name"))
        );
        assert!(checked_name("site", &"x".repeat(201)).is_err());
        assert_eq!(checked_role("Admin").unwrap(), Role::Admin);
        assert!(
            matches!(checked_role("boss"), Err(Error::InvalidInput(m)) if m.contains("owner, admin"))
        );
        assert!(checked_identity("idt 1").is_err());
        assert_eq!(checked_identity(" idt-1 ").unwrap(), "idt-1");
        assert!(checked_id("site", "").is_err());
    }
}
