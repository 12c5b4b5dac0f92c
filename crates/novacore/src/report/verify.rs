//! Verifying a report file: each check passed, failed or not made, with the sentence that says
//! exactly what does not match. Pure: the platform's answer (the gateway lists) is passed in.

use serde::Serialize;
use serde_json::Value;

use super::{
    canonical, ReportSignature, ALGORITHM, MAX_REPORT_BYTES, REPORT_FORMAT, REPORT_VERSION,
};
use crate::es256::{self, Es256Error};
use crate::models::Gateway;

/// What a check looks at, in the order they are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// The file is a whole commissioning report of a known version, with a signature.
    Readable,
    /// The contents hash to the digest the Zap signed.
    Digest,
    /// The Zap that signed is the gateway the report is about.
    Signer,
    /// The signature verifies with the Zap's public key in the report.
    Signature,
    /// The platform lists that key for that gateway.
    PlatformKey,
}

/// A check's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Passed,
    Failed,
    /// Not made (offline, an earlier check failed, or the platform cannot say).
    Unchecked,
}

/// What does not match, for programs (the sentence says it for people).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    TooLarge,
    NotJson,
    Truncated,
    NotOurs,
    UnknownVersion,
    Unsigned,
    /// The report was changed after it was signed.
    DigestDiffers,
    /// The Zap's signed message is not for this report's digest.
    MessageNotForDigest,
    /// Signed by a Zap other than the report's gateway.
    SignedByAnotherZap,
    SignatureUnreadable,
    KeyUnreadable,
    /// The signature does not verify with the report's key.
    SignatureInvalid,
    /// The platform has another key for this gateway.
    KeyNotTheGateways,
}

/// One check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Check {
    pub check: CheckKind,
    pub status: CheckStatus,
    pub problem: Option<Problem>,
    pub sentence: String,
}

impl Check {
    fn passed(check: CheckKind, sentence: impl Into<String>) -> Self {
        Self {
            check,
            status: CheckStatus::Passed,
            problem: None,
            sentence: sentence.into(),
        }
    }
    fn failed(check: CheckKind, problem: Problem, sentence: impl Into<String>) -> Self {
        Self {
            check,
            status: CheckStatus::Failed,
            problem: Some(problem),
            sentence: sentence.into(),
        }
    }
    /// A check not made, and why.
    pub fn unchecked(check: CheckKind, sentence: impl Into<String>) -> Self {
        Self {
            check,
            status: CheckStatus::Unchecked,
            problem: None,
            sentence: sentence.into(),
        }
    }
}

/// What the report says it is about (read even when a check fails, to show it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportSummary {
    pub serial: String,
    pub public_key: String,
    pub org_id: Option<String>,
    pub org_name: Option<String>,
    pub made_at: Option<String>,
    pub installer_identity: Option<String>,
    /// When the Zap signed (from its message).
    pub signed_at: Option<String>,
}

/// The checks of one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub report: Option<ReportSummary>,
    pub checks: Vec<Check>,
}

impl Verification {
    /// True when no check failed (checks not made do not fail it).
    pub fn ok(&self) -> bool {
        self.checks.iter().all(|c| c.status != CheckStatus::Failed)
    }

    /// The first failed check's sentence.
    pub fn first_failure(&self) -> Option<&str> {
        self.checks
            .iter()
            .find(|c| c.status == CheckStatus::Failed)
            .map(|c| c.sentence.as_str())
    }

    /// Replaces the platform check with `check` (made by a caller that asked the platform).
    pub fn set_platform(&mut self, check: Check) {
        self.checks.retain(|c| c.check != CheckKind::PlatformKey);
        self.checks.push(check);
    }

    fn stop(report: Option<ReportSummary>, mut checks: Vec<Check>, why: &str) -> Self {
        for kind in [
            CheckKind::Readable,
            CheckKind::Digest,
            CheckKind::Signer,
            CheckKind::Signature,
            CheckKind::PlatformKey,
        ] {
            if !checks.iter().any(|c| c.check == kind) {
                checks.push(Check::unchecked(kind, why));
            }
        }
        Self { report, checks }
    }
}

fn short(text: &str) -> String {
    let t: String = text.chars().take(12).collect();
    if text.chars().count() > 12 {
        format!("{t}…")
    } else {
        t
    }
}

fn text_at(v: &Value, path: &str) -> Option<String> {
    v.pointer(path).and_then(Value::as_str).map(str::to_string)
}

/// Checks a report file's bytes: readable and ours, digest, signer, signature. The platform
/// check is left "not made"; a caller that can ask the platform sets it with
/// [`platform_key_check`] and [`Verification::set_platform`].
pub fn verify(bytes: &[u8]) -> Verification {
    use CheckKind as K;
    let not_made = "Not checked: the file could not be read as a report.";
    if bytes.len() > MAX_REPORT_BYTES {
        let c = Check::failed(
            K::Readable,
            Problem::TooLarge,
            format!(
            "The file is {} bytes, far larger than a commissioning report: it is not one of ours.",
            bytes.len()
        ),
        );
        return Verification::stop(None, vec![c], not_made);
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(e) if e.is_eof() => {
            let c = Check::failed(K::Readable, Problem::Truncated, format!(
                "The file ends in the middle of its JSON after {} bytes: it is truncated (an incomplete copy or download).",
                bytes.len()
            ));
            return Verification::stop(None, vec![c], not_made);
        }
        Err(e) => {
            let c = Check::failed(
                K::Readable,
                Problem::NotJson,
                format!(
                    "The file is not JSON (line {}, column {}): it is not a commissioning report.",
                    e.line(),
                    e.column()
                ),
            );
            return Verification::stop(None, vec![c], not_made);
        }
    };
    if value.get("format").and_then(Value::as_str) != Some(REPORT_FORMAT) {
        let c = Check::failed(K::Readable, Problem::NotOurs,
            "This JSON is not a commissioning report made by Novadesk (it has no \"format\": \"novadesk.commissioning-report\").");
        return Verification::stop(None, vec![c], not_made);
    }
    match value.get("version").and_then(Value::as_u64) {
        Some(REPORT_VERSION) => {}
        other => {
            let c = Check::failed(K::Readable, Problem::UnknownVersion, format!(
                "This report is of version {}, which this version of Novadesk does not know (it reads version {REPORT_VERSION}).",
                other.map_or("(none)".to_string(), |v| v.to_string())
            ));
            return Verification::stop(None, vec![c], not_made);
        }
    }
    let (Some(serial), Some(public_key)) = (
        text_at(&value, "/gateway/serial"),
        text_at(&value, "/gateway/public_key"),
    ) else {
        let c = Check::failed(K::Readable, Problem::NotOurs,
            "The report names no gateway serial and public key: it is not a complete commissioning report.");
        return Verification::stop(None, vec![c], not_made);
    };
    let mut summary = ReportSummary {
        serial: serial.clone(),
        public_key: public_key.clone(),
        org_id: text_at(&value, "/gateway/org_id"),
        org_name: text_at(&value, "/gateway/org_name"),
        made_at: text_at(&value, "/made_at"),
        installer_identity: text_at(&value, "/installer_identity"),
        signed_at: None,
    };
    let signature: ReportSignature = match value
        .get("signature")
        .cloned()
        .map(serde_json::from_value)
    {
        Some(Ok(s)) => s,
        _ => {
            let c = Check::failed(K::Readable, Problem::Unsigned,
                "The report has no signature block (algorithm, digest, message, sign): it was never signed by a Zap, or the block was removed.");
            return Verification::stop(
                Some(summary),
                vec![c],
                "Not checked: there is no signature.",
            );
        }
    };
    if signature.algorithm != ALGORITHM {
        let c = Check::failed(
            K::Readable,
            Problem::NotOurs,
            format!(
                "The report is signed with {:?}; commissioning reports are signed with ES256.",
                signature.algorithm
            ),
        );
        return Verification::stop(
            Some(summary),
            vec![c],
            "Not checked: unknown signature algorithm.",
        );
    }
    let parts: Vec<&str> = signature.message.split('|').collect();
    summary.signed_at = (parts.len() == 4).then(|| parts[2].to_string());
    let mut checks = vec![Check::passed(
        K::Readable,
        format!(
        "A commissioning report of gateway {serial}, version {REPORT_VERSION}, signed with ES256."
    ),
    )];

    let computed = canonical::digest(&value);
    checks.push(if computed == signature.digest {
        Check::passed(K::Digest, format!(
            "The contents hash to the signed digest {}: nothing was changed after signing.",
            short(&computed)
        ))
    } else {
        Check::failed(K::Digest, Problem::DigestDiffers, format!(
            "The digest differs: the contents now hash to {}, while the Zap signed {}; the report was changed after it was signed.",
            short(&computed),
            short(&signature.digest)
        ))
    });

    checks.push(if parts.len() != 4 {
        Check::failed(K::Signer, Problem::MessageNotForDigest,
            "The Zap's signed message is not of the form digest|nonce|timestamp|serial.")
    } else if parts[3] != serial {
        Check::failed(K::Signer, Problem::SignedByAnotherZap, format!(
            "Signed by another Zap: the signature names {}, but the report is about {serial}.",
            parts[3]
        ))
    } else if parts[0] != signature.digest {
        Check::failed(K::Signer, Problem::MessageNotForDigest, format!(
            "The Zap signed digest {}, not this report's digest {}: the signature belongs to another report.",
            short(parts[0]),
            short(&signature.digest)
        ))
    } else {
        Check::passed(K::Signer, format!("Signed by {serial} at {}.", parts[2]))
    });

    checks.push(match es256::verify(&public_key, signature.message.as_bytes(), &signature.sign) {
        Ok(()) => Check::passed(K::Signature, format!(
            "The signature is valid for the Zap's public key {} in the report.",
            short(&public_key)
        )),
        Err(Es256Error::Mismatch) => Check::failed(K::Signature, Problem::SignatureInvalid, format!(
            "The signature is invalid: it does not verify with the public key {} in the report (made by another key, or the signature, its message or the key was changed).",
            short(&public_key)
        )),
        Err(Es256Error::BadSignature) => Check::failed(K::Signature, Problem::SignatureUnreadable,
            "The signature is not an ES256 signature (raw r‖s or DER, in hex or base64)."),
        Err(Es256Error::BadKey) => Check::failed(K::Signature, Problem::KeyUnreadable, format!(
            "The report's public key {} is not a P-256 key.",
            short(&public_key)
        )),
    });
    checks.push(Check::unchecked(
        K::PlatformKey,
        "Not checked against the platform (offline, or not signed in).",
    ));
    Verification {
        report: Some(summary),
        checks,
    }
}

/// The platform check from the gateways the platform lists in the report's organization:
/// the report's key must be the one the platform holds for its serial.
pub fn platform_key_check(report: &ReportSummary, listed: &[Gateway]) -> Check {
    let org = report
        .org_name
        .clone()
        .or_else(|| report.org_id.clone())
        .unwrap_or_else(|| "its organization".into());
    let Some(gateway) = listed.iter().find(|g| g.serial == report.serial) else {
        return Check::unchecked(CheckKind::PlatformKey, format!(
            "The platform does not list gateway {} in {org} now (released or moved since), so its key could not be compared.",
            report.serial
        ));
    };
    match gateway.public_key.as_deref() {
        None => Check::unchecked(
            CheckKind::PlatformKey,
            format!(
                "The platform lists gateway {} but does not say its key.",
                report.serial
            ),
        ),
        Some(key) if es256::same_key(key, &report.public_key) => Check::passed(
            CheckKind::PlatformKey,
            format!(
                "The platform holds the same key for gateway {} in {org}.",
                report.serial
            ),
        ),
        Some(key) => Check::failed(
            CheckKind::PlatformKey,
            Problem::KeyNotTheGateways,
            format!(
            "The key does not belong to the gateway: the platform holds {} for {}, the report {}.",
            short(key),
            report.serial,
            short(&report.public_key)
        ),
        ),
    }
}

/// The platform check from the platform's answer to listing the gateways of the report's
/// organization (`GET /gateways?org_id=`); `None`: the report names no organization.
pub fn platform_answer_check(
    report: &ReportSummary,
    answer: Option<crate::Result<Vec<Gateway>>>,
) -> Check {
    let org = report
        .org_name
        .clone()
        .or_else(|| report.org_id.clone())
        .unwrap_or_default();
    let why = match answer {
        None => "Not checked against the platform: the report names no organization to look the gateway up in.".to_string(),
        Some(Ok(listed)) => return platform_key_check(report, &listed),
        Some(Err(e)) if e.is_offline() => {
            "Not checked against the platform: it cannot be reached now.".to_string()
        }
        Some(Err(crate::Error::NotFound { .. } | crate::Error::Forbidden { .. })) => format!(
            "Not checked against the platform: you are not a member of {org}, so its gateways are not shown to you."
        ),
        Some(Err(e)) => format!("Not checked against the platform: it answered {e}."),
    };
    Check::unchecked(CheckKind::PlatformKey, why)
}
