//! Permission rules (reference §3.1, inferred matrix): 404 for orgs the caller is not in,
//! 403 for an insufficient role.

use serde_json::Value;

use crate::auth::Caller;
use crate::error::{Error, Result};
use crate::world::model::{Role, World};

/// The caller's role in `org_id`, or 404.
pub fn member_role(w: &World, org_id: &str, caller: &Caller) -> Result<Role> {
    w.role(org_id, &caller.id)
        .ok_or_else(|| Error::NotFound(format!("organization {org_id} not found")))
}

/// The caller's role, requiring at least `min` (404 if not a member, 403 if too low).
pub fn require(w: &World, org_id: &str, caller: &Caller, min: Role) -> Result<Role> {
    let role = member_role(w, org_id, caller)?;
    if role < min {
        return Err(Error::Forbidden(format!(
            "this needs the {} role; you are {}",
            role_name(min),
            role_name(role)
        )));
    }
    Ok(role)
}

/// 403 unless `role` (already known to be a member's) is at least admin.
pub fn need_admin(role: Role) -> Result<()> {
    if role < Role::Admin {
        return Err(Error::Forbidden("this needs the admin role".into()));
    }
    Ok(())
}

/// The JSON array of `items` in orgs the caller belongs to, narrowed to `org_filter` when given
/// (404 if the caller is not a member of that org). Serves the `?org_id=` list endpoints.
pub fn list_in_caller_orgs<'a, T: 'a>(
    w: &World,
    caller: &Caller,
    org_filter: Option<&String>,
    items: impl Iterator<Item = &'a T>,
    org_of: impl Fn(&T) -> &str,
    to_json: impl Fn(&T) -> Value,
) -> Result<Value> {
    if let Some(org) = org_filter {
        member_role(w, org, caller)?;
    }
    Ok(Value::Array(
        items
            .filter(|i| org_filter.is_none_or(|o| org_of(i) == o))
            .filter(|i| w.role(org_of(i), &caller.id).is_some())
            .map(to_json)
            .collect(),
    ))
}

/// Lower-case role name.
pub fn role_name(r: Role) -> &'static str {
    match r {
        Role::Viewer => "viewer",
        Role::Operator => "operator",
        Role::Admin => "admin",
        Role::Owner => "owner",
    }
}

/// Validates a display name (1..=200 chars, not blank).
pub fn check_name(field: &str, name: &str) -> Result<String> {
    let t = name.trim();
    if t.is_empty() {
        return Err(Error::field(field, "must not be empty"));
    }
    if t.chars().count() > 200 {
        return Err(Error::field(field, "must be at most 200 characters"));
    }
    Ok(t.to_string())
}

/// Validates an id-like string parameter (1..=128 printable chars).
pub fn check_id(field: &str, v: &str) -> Result<()> {
    if v.is_empty() || v.len() > 128 || v.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Err(Error::field(
            field,
            "must be 1-128 characters without spaces",
        ));
    }
    Ok(())
}

/// RFC 3339 with seconds and `Z`, as the reference shows resource timestamps.
pub fn iso(t: &chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}
