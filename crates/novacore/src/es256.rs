//! ES256 (ECDSA P-256 over SHA-256) signatures as gateways make them: the one place that reads a
//! signature in any of the encodings the platform and the Zaps use (reference §3.3.1, §5.6) —
//! raw r‖s (64 bytes) or DER, each as hex or base64 — and checks it against a gateway key.

use base64::Engine;
use p256::ecdsa::signature::Verifier;
use p256::ecdsa::{Signature, VerifyingKey};

use crate::models::{KeyKind, PublicKey};

/// Why a signature could not be checked, or did not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Es256Error {
    /// The key is not a P-256 public key in a known encoding.
    #[error("the public key is not a P-256 key in a known encoding")]
    BadKey,
    /// The signature is neither raw r‖s nor DER, in hex or base64.
    #[error("the signature is not an ES256 signature (raw r‖s or DER, hex or base64)")]
    BadSignature,
    /// Well-formed, but not made by this key over this message.
    #[error("the signature does not verify with the public key")]
    Mismatch,
}

/// Reads `text` as an ES256 signature: raw r‖s (128 hex chars, the Zap's form) or DER
/// (`30…` hex, as older docs show), or base64 of either.
pub fn parse_signature(text: &str) -> Result<Signature, Es256Error> {
    let text = text.trim();
    let hexish = text.strip_prefix("0x").unwrap_or(text);
    let mut candidates = Vec::new();
    if hexish.len() % 2 == 0 && hexish.bytes().all(|b| b.is_ascii_hexdigit()) {
        if let Ok(b) = hex::decode(hexish) {
            candidates.push(b);
        }
    }
    for engine in [
        &base64::engine::general_purpose::STANDARD,
        &base64::engine::general_purpose::STANDARD_NO_PAD,
        &base64::engine::general_purpose::URL_SAFE,
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
    ] {
        if let Ok(b) = engine.decode(text) {
            candidates.push(b);
        }
    }
    candidates
        .iter()
        .find_map(|b| match b.len() {
            64 => Signature::from_slice(b).ok(),
            _ => Signature::from_der(b).ok(),
        })
        .ok_or(Es256Error::BadSignature)
}

/// The verifying key of a P-256 public key text (`04`-hex, 128-hex or base64).
pub fn parse_key(text: &str) -> Result<VerifyingKey, Es256Error> {
    let key = PublicKey::parse(text).map_err(|_| Es256Error::BadKey)?;
    if key.kind != KeyKind::P256 {
        return Err(Es256Error::BadKey);
    }
    let mut sec1 = Vec::with_capacity(65);
    sec1.push(4);
    sec1.extend_from_slice(&key.bytes);
    VerifyingKey::from_sec1_bytes(&sec1).map_err(|_| Es256Error::BadKey)
}

/// Checks that `signature` is `public_key`'s ES256 signature of `message` (SHA-256 of its bytes).
pub fn verify(public_key: &str, message: &[u8], signature: &str) -> Result<(), Es256Error> {
    let key = parse_key(public_key)?;
    let sig = parse_signature(signature)?;
    // High-s signatures are valid ECDSA; some signers do not normalize.
    let sig = sig.normalize_s().unwrap_or(sig);
    key.verify(message, &sig).map_err(|_| Es256Error::Mismatch)
}

/// Whether two public key texts are the same key, whatever their encodings.
pub fn same_key(a: &str, b: &str) -> bool {
    match (PublicKey::parse(a), PublicKey::parse(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Signer;
    use p256::ecdsa::SigningKey;

    fn key(seed: u8) -> (SigningKey, String) {
        let sk = SigningKey::from_slice(&[seed; 32]).unwrap();
        let public = hex::encode(sk.verifying_key().to_encoded_point(false).as_bytes());
        (sk, public)
    }

    #[test]
    fn raw_and_der_in_hex_and_base64_all_verify() {
        let (sk, public) = key(7);
        let sig: Signature = sk.sign(b"hello|123456|2026-03-06T12:00:00Z|zap-1");
        let b64 = base64::engine::general_purpose::STANDARD;
        for form in [
            hex::encode(sig.to_bytes()),
            hex::encode(sig.to_der().as_bytes()),
            b64.encode(sig.to_bytes()),
            b64.encode(sig.to_der().as_bytes()),
        ] {
            assert_eq!(
                verify(&public, b"hello|123456|2026-03-06T12:00:00Z|zap-1", &form),
                Ok(()),
                "{form}"
            );
            assert_eq!(
                verify(&public, b"hellO|123456|2026-03-06T12:00:00Z|zap-1", &form),
                Err(Es256Error::Mismatch)
            );
        }
        // The 128-hex form of the key (no 04 prefix) is the same key.
        assert_eq!(
            verify(
                &public[2..],
                b"x",
                &hex::encode(Signature::to_bytes(&sk.sign(b"x")))
            ),
            Ok(())
        );
        assert!(same_key(&public, &public[2..]));
    }

    #[test]
    fn another_key_or_garbage_is_refused() {
        let (sk, _) = key(7);
        let (_, other) = key(8);
        let sig = hex::encode(Signature::to_bytes(&sk.sign(b"m")));
        assert_eq!(verify(&other, b"m", &sig), Err(Es256Error::Mismatch));
        assert_eq!(verify(&other, b"m", "zz"), Err(Es256Error::BadSignature));
        assert_eq!(verify(&other, b"m", "abcd"), Err(Es256Error::BadSignature));
        assert_eq!(verify("04abcd", b"m", &sig), Err(Es256Error::BadKey));
        assert!(!same_key(&other, "nonsense"));
    }
}
