//! `/gateways`.

use crate::client::Client;
use crate::error::Result;
use crate::models::{ClaimRequest, ClaimResponse, Gateway};
use crate::request::Req;

/// Handle on gateways.
#[derive(Debug, Clone, Copy)]
pub struct Gateways<'a> {
    pub(crate) client: &'a Client,
}

impl Gateways<'_> {
    /// `GET /gateways?org_id=`.
    pub async fn list(&self, org_id: &str) -> Result<Vec<Gateway>> {
        self.client
            .list(Req::get(&["gateways"]).query("org_id", org_id))
            .await
    }
    /// `POST /gateways/claim`. Retried on transient failures: re-claiming into the same org is a
    /// documented no-op. Most callers want [`crate::claim::claim_gateway`], which builds the proof.
    pub async fn claim(&self, req: &ClaimRequest) -> Result<ClaimResponse> {
        let raw = self
            .client
            .execute(&Req::post(&["gateways", "claim"], req).idempotent())
            .await?;
        if raw.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(ClaimResponse::default());
        }
        crate::client::decode(&raw.body)
    }
    /// `DELETE /gateways/{serial}`: release from its organization.
    pub async fn release(&self, serial: &str) -> Result<()> {
        self.client
            .send_unit(Req::delete(&["gateways", serial]))
            .await
    }
}
