//! Organizations and their members.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;

use super::time::ts_opt;

/// An organization (root of ownership).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    /// Opaque id, e.g. `org-abc123`.
    pub id: String,
    /// Display name.
    #[serde(default)]
    pub name: String,
    /// Identity of the owner, when returned.
    #[serde(default)]
    pub owner_id: Option<String>,
    /// Creation time.
    #[serde(default, with = "ts_opt")]
    pub created_at: Option<DateTime<Utc>>,
}

/// A member's role. Unknown roles are kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    /// Everything, including deleting the org.
    Owner,
    /// Manage members, sites, devices, gateways.
    Admin,
    /// Control devices and view data.
    Operator,
    /// Read-only.
    Viewer,
    /// A role this SDK does not know.
    Other(String),
}

impl Role {
    /// Wire name.
    pub fn as_str(&self) -> &str {
        match self {
            Role::Owner => "owner",
            Role::Admin => "admin",
            Role::Operator => "operator",
            Role::Viewer => "viewer",
            Role::Other(s) => s,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for Role {
    fn from(s: &str) -> Self {
        match s.to_ascii_lowercase().as_str() {
            "owner" => Role::Owner,
            "admin" => Role::Admin,
            "operator" => Role::Operator,
            "viewer" => Role::Viewer,
            _ => Role::Other(s.to_string()),
        }
    }
}

impl Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Role::from(s.as_str()))
    }
}

/// A membership of an identity in an organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    /// The member's identity id (opaque).
    pub identity_id: String,
    /// The member's role.
    pub role: Role,
    /// When the member joined.
    #[serde(default, with = "ts_opt")]
    pub joined_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_reference_examples() {
        let orgs: Vec<Organization> = serde_json::from_str(
            r#"[{"id": "org-abc123", "name": "My Energy Lab", "owner_id": "usr-paul-xyz", "created_at": "2026-03-06T10:00:00Z", "plan": "free"}]"#,
        )
        .unwrap();
        assert_eq!(orgs[0].id, "org-abc123");
        assert_eq!(orgs[0].owner_id.as_deref(), Some("usr-paul-xyz"));
        assert_eq!(orgs[0].created_at.unwrap().timestamp(), 1772791200);
        let ms: Vec<Member> = serde_json::from_str(
            r#"[{"identity_id": "usr-paul-xyz", "role": "owner", "joined_at": "2026-03-06T10:00:00Z"},
                {"identity_id": "usr-tobias-abc", "role": "admin", "joined_at": 1772791200000},
                {"identity_id": "idt-1", "role": "billing"}]"#,
        )
        .unwrap();
        assert_eq!(ms[0].role, Role::Owner);
        assert_eq!(ms[1].joined_at, ms[0].joined_at);
        assert_eq!(ms[2].role, Role::Other("billing".into()));
        assert_eq!(
            serde_json::to_string(&Role::Operator).unwrap(),
            "\"operator\""
        );
    }
}
