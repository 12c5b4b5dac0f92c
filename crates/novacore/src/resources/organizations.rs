//! `/organizations` and `/organizations/{id}/members`.

use serde_json::json;

use crate::client::Client;
use crate::error::Result;
use crate::models::{Member, Organization, Role};
use crate::request::Req;

/// Handle on organizations.
#[derive(Debug, Clone, Copy)]
pub struct Organizations<'a> {
    pub(crate) client: &'a Client,
}

impl Organizations<'_> {
    /// `GET /organizations`: the caller's organizations.
    pub async fn list(&self) -> Result<Vec<Organization>> {
        self.client.list(Req::get(&["organizations"])).await
    }
    /// `POST /organizations`: the caller becomes owner.
    pub async fn create(&self, name: &str) -> Result<Organization> {
        self.client
            .send(Req::post(&["organizations"], json!({ "name": name })))
            .await
    }
    /// `GET /organizations/{id}`.
    pub async fn get(&self, org_id: &str) -> Result<Organization> {
        self.client.send(Req::get(&["organizations", org_id])).await
    }
    /// `PUT /organizations/{id}` (rename). Returns the updated org when the server sends one.
    pub async fn rename(&self, org_id: &str, name: &str) -> Result<Option<Organization>> {
        let raw = self
            .client
            .execute(&Req::put(
                &["organizations", org_id],
                json!({ "name": name }),
            ))
            .await?;
        Ok(serde_json::from_slice(&raw.body).ok())
    }
    /// `DELETE /organizations/{id}` (owner only).
    pub async fn delete(&self, org_id: &str) -> Result<()> {
        self.client
            .send_unit(Req::delete(&["organizations", org_id]))
            .await
    }
}

/// Handle on the members of one organization.
#[derive(Debug, Clone, Copy)]
pub struct Members<'a> {
    pub(crate) client: &'a Client,
    pub(crate) org_id: &'a str,
}

impl Members<'_> {
    /// `GET /organizations/{id}/members`.
    pub async fn list(&self) -> Result<Vec<Member>> {
        self.client
            .list(Req::get(&["organizations", self.org_id, "members"]))
            .await
    }
    /// `POST /organizations/{id}/members`: add an identity with a role.
    pub async fn add(&self, identity_id: &str, role: Role) -> Result<()> {
        let body = json!({ "identity_id": identity_id, "role": role });
        self.client
            .send_unit(Req::post(&["organizations", self.org_id, "members"], body))
            .await
    }
    /// `PUT /organizations/{id}/members/{identity}`: change a role.
    pub async fn set_role(&self, identity_id: &str, role: Role) -> Result<()> {
        self.client
            .send_unit(Req::put(
                &["organizations", self.org_id, "members", identity_id],
                json!({ "role": role }),
            ))
            .await
    }
    /// `DELETE /organizations/{id}/members/{identity}`.
    pub async fn remove(&self, identity_id: &str) -> Result<()> {
        self.client
            .send_unit(Req::delete(&[
                "organizations",
                self.org_id,
                "members",
                identity_id,
            ]))
            .await
    }
}
