//! The commissioning report: what was set up on a gateway at hand-over, signed by the Zap itself
//! (its `/api/crypto/sign`, reference §5.6) so that it proves it was made next to that gateway.
//! One owner for the format, its canonical bytes ([`canonical`]), building ([`ReportBody`] →
//! [`sign_request`] → [`SignedReport::assemble`]) and verifying ([`verify`]); pure, no I/O: the
//! app and the CLI gather the facts and ask the Zap and the platform themselves.
//!
//! # File format
//! A JSON object: the [`ReportBody`] fields (`format` = [`REPORT_FORMAT`], `version` =
//! [`REPORT_VERSION`], …) plus one `signature` object ([`ReportSignature`]). The signed digest is
//! SHA-256 over the canonical bytes of the object **without** its `signature` member (see
//! [`canonical`]), as 64 lowercase hex characters. The Zap is asked to sign that hex text; it
//! answers `digest|nonce|timestamp|serial` and the raw r‖s ES256 signature of those bytes.

pub mod canonical;
mod verify;

pub use verify::{
    platform_answer_check, platform_key_check, verify, Check, CheckKind, CheckStatus, Problem,
    ReportSummary, Verification,
};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::error::{Error, Result};
use crate::zap::SignResponse;

/// The `format` of every commissioning report.
pub const REPORT_FORMAT: &str = "novadesk.commissioning-report";
/// The version this SDK writes and reads.
pub const REPORT_VERSION: u64 = 1;
/// The signature algorithm named in the report.
pub const ALGORITHM: &str = "ES256";
/// Largest report file read (a report is a few kB; anything larger is not one of ours).
pub const MAX_REPORT_BYTES: usize = 1024 * 1024;

/// The gateway as it identified itself (its `/api/crypto` and `/api/system`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportGateway {
    pub serial: String,
    /// The Zap's P-256 public key exactly as it reported it.
    pub public_key: String,
    pub firmware: Option<String>,
    /// The organization it is claimed into at hand-over.
    pub org_id: Option<String>,
    pub org_name: Option<String>,
}

/// The Zap's Wi-Fi at hand-over: the network and its signal, never the passphrase.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportWifi {
    pub ssid: Option<String>,
    pub rssi_dbm: Option<i64>,
}

/// A DER as provisioned on the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDer {
    pub id: String,
    pub name: String,
    pub der_type: String,
}

/// A field device as provisioned on the platform.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportProvisioned {
    pub device_id: String,
    pub site_id: Option<String>,
    pub name: Option<String>,
    pub device_type: Option<String>,
    pub state: Option<String>,
    /// RFC 3339.
    pub created_at: Option<String>,
    pub ders: Vec<ReportDer>,
}

/// A field device on the Zap, and what it is on the platform (`None`: not provisioned).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportDevice {
    /// The Zap's serial for it (the platform's `hardware_id`).
    pub sn: String,
    pub device_type: Option<String>,
    pub profile: Option<String>,
    pub connection: Option<String>,
    pub connected: Option<bool>,
    /// The Zap's DER types publishing to Novacore.
    pub publishing: Vec<String>,
    pub provisioned: Option<ReportProvisioned>,
}

/// One link of the health chain at hand-over.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportLink {
    pub link: String,
    /// `green`, `amber`, `red` or `unchecked`.
    pub status: String,
    pub value: String,
    pub advice: Option<String>,
}

/// Everything the report states; the signature is over its canonical bytes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportBody {
    pub format: String,
    pub version: u64,
    /// When it was made (this computer's clock), RFC 3339 UTC.
    pub made_at: String,
    /// The Zap's own clock when it was made, RFC 3339 UTC (`None`: it did not say).
    pub zap_time: Option<String>,
    /// The signed-in installer's identity id.
    pub installer_identity: String,
    pub gateway: ReportGateway,
    pub wifi: ReportWifi,
    pub field_devices: Vec<ReportDevice>,
    pub health: Vec<ReportLink>,
}

/// The Zap's signature of the body's digest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportSignature {
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// SHA-256 of the canonical body, lowercase hex.
    pub digest: String,
    /// What the Zap signed: `digest|nonce|timestamp|serial`.
    pub message: String,
    /// The Zap's signature of `message`, as it returned it.
    pub sign: String,
}

/// A body with its signature: what is saved.
#[derive(Debug, Clone, PartialEq)]
pub struct SignedReport {
    pub body: ReportBody,
    pub signature: ReportSignature,
}

impl ReportBody {
    /// The body as a JSON value (what is digested and saved).
    pub fn to_value(&self) -> Result<Value> {
        serde_json::to_value(self).map_err(|e| Error::InvalidInput(e.to_string()))
    }

    /// SHA-256 of the canonical bytes, lowercase hex.
    pub fn digest(&self) -> Result<String> {
        Ok(canonical::digest(&self.to_value()?))
    }
}

/// The text to send as `message` to the Zap's `/api/crypto/sign`: the body's digest.
pub fn sign_request(body: &ReportBody) -> Result<String> {
    body.digest()
}

impl SignedReport {
    /// Joins the body and the Zap's answer, refusing an answer that is not for this digest and
    /// this Zap (a Zap that signed something else would make a report that never verifies).
    pub fn assemble(body: ReportBody, signed: SignResponse) -> Result<Self> {
        let digest = body.digest()?;
        let parts: Vec<&str> = signed.message.split('|').collect();
        if parts.len() != 4 || parts[0] != digest || parts[3] != body.gateway.serial {
            return Err(Error::Decode {
                reason: "the Zap signed a message not of the form digest|nonce|timestamp|serial"
                    .into(),
                body_snippet: crate::error::snippet(signed.message.as_bytes()),
            });
        }
        crate::es256::verify(
            &body.gateway.public_key,
            signed.message.as_bytes(),
            &signed.sign,
        )
        .map_err(|e| Error::InvalidInput(format!("the Zap's signature is not usable: {e}")))?;
        Ok(Self {
            body,
            signature: ReportSignature {
                algorithm: ALGORITHM.into(),
                digest,
                message: signed.message,
                sign: signed.sign,
            },
        })
    }

    /// The file's JSON: the body's members plus `signature`, pretty-printed (whitespace and
    /// member order do not matter to the digest).
    pub fn to_json(&self) -> Result<String> {
        let mut value = self.body.to_value()?;
        let sig = serde_json::to_value(&self.signature)
            .map_err(|e| Error::InvalidInput(e.to_string()))?;
        if let Value::Object(m) = &mut value {
            m.insert("signature".into(), sig);
        }
        serde_json::to_string_pretty(&value).map_err(|e| Error::InvalidInput(e.to_string()))
    }

    /// When the Zap signed, as its message says (`None`: not the documented form).
    pub fn signed_at(&self) -> Option<&str> {
        self.signature.message.split('|').nth(2)
    }
}

#[cfg(test)]
mod tests;
