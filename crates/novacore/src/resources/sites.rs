//! `/sites`.

use crate::client::Client;
use crate::error::Result;
use crate::models::{Device, NewSite, Site, SiteUpdate};
use crate::request::Req;

/// Handle on sites.
#[derive(Debug, Clone, Copy)]
pub struct Sites<'a> {
    pub(crate) client: &'a Client,
}

impl Sites<'_> {
    /// `GET /sites[?org_id=]`: sites across the caller's orgs, or of one org.
    pub async fn list(&self, org_id: Option<&str>) -> Result<Vec<Site>> {
        self.client
            .list(Req::get(&["sites"]).query_opt("org_id", org_id))
            .await
    }
    /// `POST /sites`.
    pub async fn create(&self, site: &NewSite) -> Result<Site> {
        self.client.send(Req::post(&["sites"], site)).await
    }
    /// `GET /sites/{id}`.
    pub async fn get(&self, site_id: &str) -> Result<Site> {
        self.client.send(Req::get(&["sites", site_id])).await
    }
    /// `PUT /sites/{id}`. Returns the updated site when the server sends one.
    pub async fn update(&self, site_id: &str, update: &SiteUpdate) -> Result<Option<Site>> {
        let raw = self
            .client
            .execute(&Req::put(&["sites", site_id], update))
            .await?;
        Ok(serde_json::from_slice(&raw.body).ok())
    }
    /// `DELETE /sites/{id}`.
    pub async fn delete(&self, site_id: &str) -> Result<()> {
        self.client
            .send_unit(Req::delete(&["sites", site_id]))
            .await
    }
    /// `GET /sites/{id}/devices`.
    pub async fn devices(&self, site_id: &str) -> Result<Vec<Device>> {
        self.client
            .list(Req::get(&["sites", site_id, "devices"]))
            .await
    }
}
