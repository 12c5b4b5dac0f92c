//! Claiming a Zap into an organization (reference §3.3.1, §5.6).

use crate::client::Client;
use crate::error::{Error, Result};
use crate::models::{ClaimRequest, ClaimResponse};
use crate::zap::ZapClient;

/// What a claim sent and got back.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimOutcome {
    /// The request as sent (the Zap's key, message and signature unchanged).
    pub request: ClaimRequest,
    /// The server's answer.
    pub response: ClaimResponse,
}

/// Claims the Zap behind `zap` into `org_id`: reads `/api/crypto`, has the Zap sign the caller's
/// identity id, and posts the proof to `/gateways/claim`, passing key and signature through.
pub async fn claim_gateway(client: &Client, zap: &ZapClient, org_id: &str) -> Result<ClaimOutcome> {
    if org_id.trim().is_empty() {
        return Err(Error::local_validation(vec![crate::FieldError::new(
            "org_id",
            "is required",
        )]));
    }
    let session = client.ensure_session().await?;
    if session.identity_id.is_empty() {
        return Err(Error::InvalidInput(
            "the session does not name its identity id".into(),
        ));
    }
    let crypto = zap.crypto().await?;
    let signed = zap.sign(Some(&session.identity_id), None).await?;
    check_proof(&signed.message, &session.identity_id, &crypto.serial_number)?;
    let request = ClaimRequest {
        org_id: org_id.to_string(),
        gateway_serial: crypto.serial_number,
        public_key: crypto.public_key,
        message: signed.message,
        signature: signed.sign,
    };
    let response = client.gateways().claim(&request).await?;
    Ok(ClaimOutcome { request, response })
}

/// The server requires exactly `claimer_id|nonce|timestamp|serial`; catch a misbehaving Zap here.
fn check_proof(message: &str, identity_id: &str, serial: &str) -> Result<()> {
    let parts: Vec<&str> = message.split('|').collect();
    if parts.len() != 4 || parts[0] != identity_id || parts[3] != serial {
        return Err(Error::Decode {
            reason: "Zap returned a claim message not of the form identity|nonce|timestamp|serial"
                .into(),
            body_snippet: crate::error::snippet(message.as_bytes()),
        });
    }
    Ok(())
}

impl Client {
    /// See [`claim_gateway`].
    pub async fn claim_gateway(&self, zap: &ZapClient, org_id: &str) -> Result<ClaimOutcome> {
        claim_gateway(self, zap, org_id).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proof_shape() {
        assert!(check_proof("idt-1|123456|2026-03-06T12:00:00Z|zap-1", "idt-1", "zap-1").is_ok());
        assert!(check_proof("idt-2|123456|2026-03-06T12:00:00Z|zap-1", "idt-1", "zap-1").is_err());
        assert!(check_proof("123456|2026-03-06T12:00:00Z|zap-1", "idt-1", "zap-1").is_err());
        assert!(check_proof("idt-1|1|t|zap-2", "idt-1", "zap-1").is_err());
    }
}
