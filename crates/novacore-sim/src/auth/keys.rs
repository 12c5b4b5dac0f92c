//! Lenient decoding of public keys and signatures (reference §2.3, §3.3.1): hex, base64,
//! base64url and base58; Ed25519 by length 32, P-256 as X‖Y, 04‖X‖Y or SPKI DER; ES256
//! signatures raw r‖s or DER.

use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::Verifier as _;
use p256::pkcs8::DecodePublicKey;

/// A parsed public key.
#[derive(Debug, Clone)]
pub enum PublicKey {
    /// A person's key.
    Ed25519(ed25519_dalek::VerifyingKey),
    /// A machine's key.
    P256(p256::ecdsa::VerifyingKey),
}

impl PublicKey {
    /// Parses any accepted encoding; `None` when no decoding yields a valid key.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        candidates(s).into_iter().find_map(|b| Self::from_bytes(&b))
    }

    fn from_bytes(b: &[u8]) -> Option<Self> {
        match b.len() {
            32 => {
                let arr: [u8; 32] = b.try_into().ok()?;
                ed25519_dalek::VerifyingKey::from_bytes(&arr)
                    .ok()
                    .map(PublicKey::Ed25519)
            }
            64 => {
                let mut sec1 = Vec::with_capacity(65);
                sec1.push(4);
                sec1.extend_from_slice(b);
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1)
                    .ok()
                    .map(PublicKey::P256)
            }
            65 if b[0] == 4 => p256::ecdsa::VerifyingKey::from_sec1_bytes(b)
                .ok()
                .map(PublicKey::P256),
            _ => p256::PublicKey::from_public_key_der(b)
                .ok()
                .map(|k| PublicKey::P256(k.into())),
        }
    }

    /// Canonical form used as the identity key: hex of 32 bytes (Ed25519) or 128 hex X‖Y (P-256).
    pub fn canonical(&self) -> String {
        match self {
            PublicKey::Ed25519(k) => hex::encode(k.as_bytes()),
            PublicKey::P256(k) => hex::encode(&k.to_encoded_point(false).as_bytes()[1..]),
        }
    }

    /// `true` for Ed25519 (human) keys.
    pub fn is_human(&self) -> bool {
        matches!(self, PublicKey::Ed25519(_))
    }

    /// Verifies `sig` (any accepted encoding) over `msg`.
    pub fn verify(&self, msg: &[u8], sig: &str) -> bool {
        let cands = candidates(sig.trim());
        match self {
            PublicKey::Ed25519(k) => cands.iter().any(|b| {
                ed25519_dalek::Signature::from_slice(b).is_ok_and(|s| k.verify(msg, &s).is_ok())
            }),
            PublicKey::P256(k) => cands.iter().any(|b| {
                let sig = if b.len() == 64 {
                    p256::ecdsa::Signature::from_slice(b).ok()
                } else {
                    p256::ecdsa::Signature::from_der(b).ok()
                };
                sig.is_some_and(|s| k.verify(msg, &s).is_ok())
            }),
        }
    }
}

/// Every byte string the text could encode, most specific encoding first.
pub fn candidates(s: &str) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if s.is_empty() || s.len() > 4096 {
        return out;
    }
    if let Ok(b) = hex::decode(s) {
        out.push(b);
    }
    for engine in [&STANDARD, &STANDARD_NO_PAD, &URL_SAFE, &URL_SAFE_NO_PAD] {
        if let Ok(b) = engine.decode(s) {
            out.push(b);
        }
    }
    if let Ok(b) = bs58::decode(s).into_vec() {
        out.push(b);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use p256::ecdsa::signature::Signer as _;

    #[test]
    fn ed25519_in_every_encoding() {
        let sk = ed25519_dalek::SigningKey::from_bytes(&[7u8; 32]);
        let pk = sk.verifying_key().to_bytes();
        let sig = ed25519_dalek::Signer::sign(&sk, b"hello").to_bytes();
        for (k, s) in [
            (hex::encode(pk), hex::encode(sig)),
            (STANDARD.encode(pk), STANDARD.encode(sig)),
            (URL_SAFE_NO_PAD.encode(pk), URL_SAFE_NO_PAD.encode(sig)),
            (bs58::encode(pk).into_string(), STANDARD.encode(sig)),
        ] {
            let key = PublicKey::parse(&k).expect("key");
            assert!(key.is_human());
            assert!(key.verify(b"hello", &s));
            assert!(!key.verify(b"hellO", &s));
        }
    }

    #[test]
    fn p256_raw_and_der() {
        let sk = p256::ecdsa::SigningKey::from_slice(&[9u8; 32]).unwrap();
        let point = sk.verifying_key().to_encoded_point(false);
        let sig: p256::ecdsa::Signature = sk.sign(b"msg");
        for k in [
            hex::encode(point.as_bytes()),
            hex::encode(&point.as_bytes()[1..]),
        ] {
            let key = PublicKey::parse(&k).unwrap();
            assert!(!key.is_human());
            assert_eq!(key.canonical().len(), 128);
            assert!(key.verify(b"msg", &hex::encode(sig.to_bytes())));
            assert!(key.verify(b"msg", &STANDARD.encode(sig.to_der().as_bytes())));
            assert!(!key.verify(b"other", &hex::encode(sig.to_bytes())));
        }
    }

    #[test]
    fn garbage_is_rejected() {
        assert!(PublicKey::parse("not a key").is_none());
        assert!(PublicKey::parse("").is_none());
    }
}
