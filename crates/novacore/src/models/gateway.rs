//! Gateways (Zaps and software gateways) and the claim request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::key::PublicKey;
use super::time::ts_opt;
use crate::error::Result;

/// A claimed gateway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "GatewayWire")]
pub struct Gateway {
    /// Serial, e.g. `zap-0000f0878290a994` (`serial`, `gateway_serial` or `id` on the wire).
    pub serial: String,
    /// Owning organization.
    #[serde(default)]
    pub org_id: Option<String>,
    /// ES256 public key as the server returns it (hex, `04`-hex or base64).
    #[serde(default)]
    pub public_key: Option<String>,
    /// Gateway identity.
    #[serde(default)]
    pub identity_id: Option<String>,
    /// Claim time.
    #[serde(default, with = "ts_opt")]
    pub claimed_at: Option<DateTime<Utc>>,
    /// Last contact.
    #[serde(default, with = "ts_opt")]
    pub last_seen: Option<DateTime<Utc>>,
}

/// Wire form: the serial may come under several names, even several at once.
#[derive(Deserialize)]
struct GatewayWire {
    #[serde(default)]
    serial: Option<String>,
    #[serde(default)]
    gateway_serial: Option<String>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    org_id: Option<String>,
    #[serde(default)]
    public_key: Option<String>,
    #[serde(default)]
    identity_id: Option<String>,
    #[serde(default, with = "ts_opt")]
    claimed_at: Option<DateTime<Utc>>,
    #[serde(default, with = "ts_opt")]
    last_seen: Option<DateTime<Utc>>,
}

impl From<GatewayWire> for Gateway {
    fn from(w: GatewayWire) -> Self {
        Gateway {
            serial: w.serial.or(w.gateway_serial).or(w.id).unwrap_or_default(),
            org_id: w.org_id,
            public_key: w.public_key,
            identity_id: w.identity_id,
            claimed_at: w.claimed_at,
            last_seen: w.last_seen,
        }
    }
}

impl Gateway {
    /// Decodes `public_key` whatever its encoding.
    pub fn decoded_public_key(&self) -> Option<Result<PublicKey>> {
        self.public_key.as_deref().map(PublicKey::parse)
    }
}

/// Body of `POST /gateways/claim`; all values pass through from the Zap unchanged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRequest {
    /// Target organization.
    pub org_id: String,
    /// Gateway serial.
    pub gateway_serial: String,
    /// Gateway public key, exactly as the Zap reported it.
    pub public_key: String,
    /// `claimer_id|nonce|timestamp|serial`, exactly as the Zap returned it.
    pub message: String,
    /// The Zap's signature of `message`, exactly as returned.
    pub signature: String,
}

/// Response of `POST /gateways/claim` (undocumented; everything optional).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClaimResponse {
    /// `{"success": true}` style responses.
    #[serde(default)]
    pub success: Option<bool>,
    /// Serial, when echoed.
    #[serde(default)]
    pub gateway_serial: Option<String>,
    /// Organization, when echoed.
    #[serde(default)]
    pub org_id: Option<String>,
    /// The whole body, for fields this SDK does not know.
    #[serde(flatten)]
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_gateway_variants() {
        let g: Vec<Gateway> = serde_json::from_str(
            r#"[{"serial":"zap-0000f0878290a994","org_id":"org-1","public_key":"04aa","claimed_at":"2026-03-06T10:00:00Z","last_seen":null},
                {"gateway_serial":"zap-04772a97"},
                {"serial":"zap-1","gateway_serial":"zap-1","id":"zap-1"}]"#,
        )
        .unwrap();
        assert_eq!(g[1].serial, "zap-04772a97");
        assert_eq!(g[2].serial, "zap-1");
        assert!(g[0].claimed_at.is_some() && g[0].last_seen.is_none());
        let c: ClaimResponse =
            serde_json::from_str(r#"{"success": true, "transferred": false}"#).unwrap();
        assert_eq!(c.success, Some(true));
        assert!(c.extra.contains_key("transferred"));
    }
}
